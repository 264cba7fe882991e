import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { zoRankSgd } from '../../estimators/zoRankSgd.js';
import { lowbias32 } from '../../src/rng/lowbias32.js';
import { patience, targetValue } from '../../src/stoppers.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float, logFloat } from '../../src/tuner/dimensions.js';
import { inlineExecutor } from '../../src/tuner/executor.js';
import { resumeTuner } from '../../src/tuner/resumeTuner.js';
import { space } from '../../src/tuner/space.js';
import { tune, type TrialRecord } from '../../src/tuner/tune.js';
import type { TrialContext } from '../../src/tuner/types.js';

const s = space({ lr: logFloat(1e-4, 1), momentum: float(0, 0.99) });
type X = { lr: number; momentum: number };
const f = (x: X): number => (Math.log10(x.lr) + 2) ** 2 + (x.momentum - 0.9) ** 2;
const options = () => ({ space: s, estimator: spsa({ sigma: 0.1, numProbes: 3 }), update: adam(0.05) });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An async objective whose delay is a hash of the trial id, so trials complete out of order; fails some trials. */
function jittery(salt: number, failEvery = 0) {
  return async (x: X, c: TrialContext): Promise<number> => {
    await sleep((lowbias32(c.trial ^ salt) >>> 0) % 7);
    if (failEvery > 0 && c.trial % failEvery === 3) throw new Error('simulated crash');
    return f(x);
  };
}

describe('tune', () => {
  test('any concurrency and any completion order give the same run', async () => {
    const results = [];
    for (const [concurrency, salt] of [[1, 1], [2, 2], [6, 3], [32, 4]] as const) {
      const tuner = createTuner({ ...options(), budget: 150, seed: 8 });
      const r = await tune(tuner, { executor: inlineExecutor(jittery(salt, 11), { concurrency }) });
      expect(r.stoppedBy.reason).toBe('queries');
      results.push({ u: Array.from(r.recommendation.u), steps: r.numSteps, queries: r.numQueries, best: tuner.recommend({ policy: 'bestSeen' }) });
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    expect(f(s.decode(results[0]!.u))).toBeLessThan(0.05);
  });

  test('stoppers: a target value and patience stop at step boundaries, identically for any concurrency', async () => {
    for (const stoppers of [[targetValue(0.05)], [patience(3)]]) {
      const ends = [];
      for (const concurrency of [1, 6]) {
        const tuner = createTuner({ ...options(), budget: 2000, seed: 3 });
        const r = await tune(tuner, { objective: f, concurrency, stoppers });
        expect(r.stoppedBy.reason).toBe('stopper');
        ends.push([r.numSteps, r.numQueries, Array.from(r.recommendation.u)]);
      }
      expect(ends[1]).toEqual(ends[0]);
    }
  });

  test('an abort abandons the evaluations in flight; save + resume ends as the uninterrupted run', async () => {
    const whole = createTuner({ ...options(), budget: 120, seed: 5 });
    await tune(whole, { executor: inlineExecutor(jittery(9), { concurrency: 4 }) });

    const cut = createTuner({ ...options(), budget: 120, seed: 5 });
    const controller = new AbortController();
    let told = 0;
    const r = await tune(cut, {
      executor: inlineExecutor(jittery(10), { concurrency: 4 }),
      signal: controller.signal,
      onTrial: () => {
        if (++told === 40) controller.abort();
      },
    });
    expect(r.stoppedBy.reason).toBe('signal');
    expect(cut.pending().length).toBeGreaterThan(0); // in flight when aborted: never told
    const back = resumeTuner(cut.save(), options());
    const rest = await tune(back, { executor: inlineExecutor(jittery(11), { concurrency: 3 }) });
    expect(rest.recommendation.u).toEqual(whole.recommend().u);
    expect(back.numSteps).toBe(whole.numSteps);
  });

  test('a time limit stops the run and abandons a hung evaluation', async () => {
    const tuner = createTuner({ ...options(), budget: 10_000, seed: 1 });
    let calls = 0;
    const t0 = Date.now();
    const r = await tune(tuner, { objective: (x) => (++calls > 20 ? new Promise<number>(() => undefined) : f(x)), timeMs: 200 });
    expect(r.stoppedBy.reason).toBe('time');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(tuner.numTold).toBe(20);
  });

  test('objectives that throw or return non-numbers are told as failed; onTrial and onEvent report everything', async () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.1), budget: 40, seed: 2 });
    const records: TrialRecord<X>[] = [];
    const events: string[] = [];
    const r = await tune(tuner, {
      objective: (x, c) => (c.trial === 1 ? ('oops' as unknown as number) : c.trial === 4 ? Promise.reject(new Error('down')) : c.trial === 6 ? NaN : f(x)),
      onTrial: (rec) => records.push(rec),
      onEvent: (e) => void events.push(e.type),
    });
    expect(r.numTold).toBe(records.length);
    const failed = records.filter((rec) => rec.state === 'failed');
    expect(failed.map((rec) => rec.trial.id)).toEqual([1, 4, 6]);
    expect(failed[0]!.error).toMatch(/^The objective returned "oops" at trial 1, not a number/);
    expect(failed[1]!.error).toMatch(/^The objective threw at trial 4: down\./);
    expect(failed[2]!.error).toMatch(/^Got NaN from the objective at trial 6\./);
    expect([r.numFailed, r.numPruned, r.numSkipped]).toEqual([3, 0, 3]);
    expect(r.firstError).toMatch(/^trial 1: The objective returned "oops"/);
    expect(events.filter((e) => e === 'skipped')).toHaveLength(3);
    expect(r.numSteps).toBe(17);
  });

  test('ranking estimators run from values (the tuner ranks them)', async () => {
    const tuner = createTuner({ space: s, estimator: zoRankSgd({ sigma: 0.1, normalize: true }), update: sgd(0.1), budget: 300, seed: 2 });
    const r = await tune(tuner, { objective: f, concurrency: 6 });
    expect(f(r.recommendation.x)).toBeLessThan(f(s.decode([0, 0])));
  });

  test('trials asked before tune() are evaluated by it', async () => {
    const whole = createTuner({ ...options(), budget: 60, seed: 4 });
    await tune(whole, { objective: f });
    const tuner = createTuner({ ...options(), budget: 60, seed: 4 });
    tuner.ask();
    tuner.ask();
    const r = await tune(tuner, { objective: f, concurrency: 2 });
    expect(r.recommendation.u).toEqual(whole.recommend().u);
  });

  test('tune refuses to run without an objective or an executor', async () => {
    await expect(tune(createTuner({ ...options(), budget: 10 }), {})).rejects.toThrow(/objective/);
  });
});
