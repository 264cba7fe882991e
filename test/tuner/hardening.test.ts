import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { zoAdam } from '../../estimators/zoAdam.js';
import { zoSgdMomentum } from '../../estimators/zoSgdMomentum.js';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { minimize } from '../../src/minimize.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Transform } from '../../src/transform/transform.js';
import { CheckpointError } from '../../src/tuner/checkpointError.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { decodeValue, float, logFloat } from '../../src/tuner/dimensions.js';
import { resumeTuner } from '../../src/tuner/resumeTuner.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';
import type { Trial, TunerEvent, TunerOptions } from '../../src/tuner/types.js';

const s = space({ a: float(0, 1), b: float(0, 1) });
type X = { a: number; b: number };
const f = (x: X): number => (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2;
const base = (): TunerOptions<X> => ({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.05) as Transform<unknown> });

/** Tells a whole round the values `g` gives; returns the events. */
function round(tuner: ReturnType<typeof createTuner<X>>, g: (t: Trial<X>) => number): (TunerEvent | undefined)[] {
  return tuner.askBatch().map((t) => tuner.tell(t, g(t)));
}

describe('tuner hardening', () => {
  test('a run in which every evaluation fails ends with reason "error", counts the failures and names the first', async () => {
    const throws = await tune(createTuner({ ...base(), budget: 1000 }), {
      objective: () => {
        throw new Error('service down');
      },
    });
    expect(throws.stoppedBy.reason).toBe('error'); // 20 in a row, not the whole budget
    expect(throws.numFailed).toBe(20);
    expect(throws.numTold).toBe(20);
    expect(throws.firstError).toMatch(/^trial 0: The objective threw at trial 0: service down/);
    expect(throws.stoppedBy.error?.message).toMatch(/service down/);

    for (const bad of [NaN, 'oops', undefined]) {
      const r = await tune(createTuner({ ...base(), budget: 30 }), { objective: () => bad as number, maxConsecutiveFailures: Infinity });
      expect(r.stoppedBy.reason).toBe('error'); // the budget ran out and nothing succeeded
      expect(r.stoppedBy.message).toMatch(/^every evaluation of this run failed \(15\); the first \(trial 0\)/); // a failure cancels its pair
      expect([r.numFailed, r.numTold, r.numQueries]).toEqual([15, 15, 30]);
      expect(r.bestSeen).toBeUndefined();
    }
    const some = await tune(createTuner({ ...base(), budget: 40 }), { objective: (x, c) => (c.trial % 7 === 3 ? NaN : f(x)) });
    expect(some.stoppedBy.reason).toBe('queries');
    expect(some.numFailed).toBeGreaterThan(0);
    expect(some.numSkipped).toBe(some.numFailed);
    await expect(tune(createTuner(base()), { objective: f, maxConsecutiveFailures: 0 })).rejects.toThrow(/maxConsecutiveFailures/);
  });

  test('undefined from the objective is reported as such, not as a throw (tune and minimize)', async () => {
    const r = await tune(createTuner({ ...base(), budget: 4 }), { objective: () => undefined as unknown as number });
    expect(r.firstError).toMatch(/returned undefined at trial 0, not a number\. Return the value \(a missing `return`\?\)/);
    const m = await minimize(() => undefined as unknown as number, [1], { estimator: spsa(), update: sgd(0.1), budget: { queries: 10 } });
    expect(m.stoppedBy.reason).toBe('error');
    expect(m.stoppedBy.error?.name).toBe('NonNumericValue');
    expect(m.stoppedBy.message).not.toMatch(/threw/);
  });

  test('a budget that is not a positive integer or { queries, steps } is refused', () => {
    for (const budget of ['100', true, null, [], { query: 100 }, NaN, 0, 2.5]) {
      expect(() => createTuner({ ...base(), budget: budget as never }), String(budget)).toThrow(InvalidHyperparameter);
    }
    expect(() => createTuner({ ...base(), budget: '100' as never })).toThrow(/Invalid budget: got "100"; budget must be a number of queries/);
    expect(() => createTuner({ ...base(), budget: { query: 100 } as never })).toThrow(/budget\.query.*not a budget field/);
    expect(createTuner({ ...base(), budget: { steps: 3 } }).maxSteps).toBe(3);
  });

  test('tune refuses a run that nothing would stop', async () => {
    await expect(tune(createTuner(base()), { objective: f })).rejects.toThrow(/Invalid budget.*needed to end the run/);
  });

  test('a skipped step leaves the estimator state as it was: momentum and Adam buffers that would overflow are not stored', () => {
    const line = space({ a: float(-1, 1) });
    type A = { a: number };
    /** Tells the round of a central Gaussian pair (+σz, −σz; σ = 0.1) the values that make the projected gradient times z equal `g`. */
    const pair = (tuner: ReturnType<typeof createTuner<A>>, g: number): TunerEvent | undefined => {
      const x = tuner.recommend({ policy: 'iterate' }).u[0]!;
      const [plus, minus] = tuner.askBatch() as [Trial<A>, Trial<A>];
      const [d1, d2] = [plus.u[0]! - x, minus.u[0]! - x];
      const z = Math.abs(d1) >= Math.abs(d2) ? d1 / 0.1 : -d2 / 0.1; // the side that was not shortened
      tuner.tell(minus, 0);
      return tuner.tell(plus, (g * (d1 - d2)) / (z * z));
    };
    const eState = (tuner: ReturnType<typeof createTuner<A>>): string => JSON.stringify((JSON.parse(tuner.save()) as { body: { eState: unknown } }).body.eState);

    // ZO-SGD-MMT: b = 2e38 after one step; a second one would make b = 0.9·2e38 + 2e38, beyond float32.
    const mmt = createTuner({ space: line, estimator: zoSgdMomentum({ sigma: 0.1 }), update: sgd(0.05), budget: 100, seed: 2 });
    expect(pair(mmt, 2e38)?.type).toBe('step');
    const before = eState(mmt);
    expect(pair(mmt, 2e38)).toMatchObject({ type: 'skipped', reason: expect.stringMatching(/state became non-finite/) as unknown });
    expect(eState(mmt)).toBe(before);
    expect(pair(mmt, 1)?.type).toBe('step'); // not poisoned: the next step is made

    // ZO-Adam: the second moment of g = 1e21 overflows float32 (the update itself would be 0 and finite).
    const zoadam = createTuner({ space: line, estimator: zoAdam({ sigma: 0.1 }), update: sgd(0.05), budget: 100, seed: 2 });
    const adam0 = eState(zoadam);
    expect(pair(zoadam, 1e21)).toMatchObject({ type: 'skipped', reason: expect.stringMatching(/state became non-finite/) as unknown });
    expect(eState(zoadam)).toBe(adam0);
    const u0 = zoadam.recommend({ policy: 'iterate' }).u[0];
    expect(pair(zoadam, 1)?.type).toBe('step');
    expect(zoadam.recommend({ policy: 'iterate' }).u[0]).not.toBe(u0); // it still moves

    // The step rule's own state: Adam's second moment of an update of 1e21 is not kept either.
    const rule = createTuner({ space: line, estimator: spsa({ sigma: 0.1, distribution: 'gaussian' }), update: adam(0.05) as Transform<unknown>, budget: 100, seed: 2 });
    expect(pair(rule, 1e21)).toMatchObject({ type: 'skipped', reason: expect.stringMatching(/not finite/) as unknown });
    expect(JSON.stringify((JSON.parse(rule.save()) as { body: { tState: unknown } }).body.tState)).toMatch(/"count":0/);
    const r0 = rule.recommend({ policy: 'iterate' }).u[0];
    expect(pair(rule, 1)?.type).toBe('step');
    expect(rule.recommend({ policy: 'iterate' }).u[0]).not.toBe(r0);
  });

  test('trials asked before tune() are evaluated within the concurrency; no listener warnings at any concurrency', async () => {
    const tuner = createTuner({ ...base(), estimator: spsa({ sigma: 0.1, numProbes: 4 }), budget: 64, seed: 3 });
    tuner.askBatch(); // 8 trials handed out, not told
    let running = 0;
    let most = 0;
    const objective = async (x: X): Promise<number> => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      return f(x);
    };
    await tune(tuner, { objective, concurrency: 1 });
    expect(most).toBe(1);

    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      most = 0;
      await tune(createTuner({ ...base(), estimator: spsa({ sigma: 0.1, numProbes: 16 }), budget: 96 }), { objective, concurrency: 32 });
      await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(most).toBe(32);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  test('ranges whose width or ratio overflows a double decode to finite points within bounds', () => {
    const huge = float(-Number.MAX_VALUE, Number.MAX_VALUE);
    const wide = logFloat(1e-300, 1e300);
    const us = [-1, -0.999, -0.5, 0, 0.25, 0.999, 1];
    for (const d of [huge, wide]) {
      const xs = us.map((u) => decodeValue(d, u));
      xs.forEach((x) => expect(Number.isFinite(x) && x >= d.low && x <= d.high).toBe(true));
      xs.slice(1).forEach((x, i) => expect(x).toBeGreaterThan(xs[i]!)); // strictly increasing: no collapse onto high
    }
    expect(decodeValue(huge, 0)).toBe(0);
    expect(decodeValue(wide, 0)).toBeCloseTo(1, 10);
    const tuner = createTuner({ space: space({ v: huge, w: wide }), estimator: spsa({ sigma: 0.5 }), update: sgd(0.1), budget: 40, seed: 1 });
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) {
      expect(Number.isFinite(t.x.v) && Number.isFinite(t.x.w)).toBe(true);
      tuner.tell(t, Math.abs(t.x.v) / Number.MAX_VALUE + Math.log10(t.x.w) ** 2);
    }
  });

  test('no queries are spent on pairs clipped to one point at the corners of the box; re-draws are reported', async () => {
    // A 5-d problem whose optimum lies outside the box: the iterate goes to the corner and stays there.
    const corner = space({ a: float(0, 1), b: float(0, 1), c: float(0, 1), d: float(0, 1), e: float(0, 1) });
    const g = (x: Record<string, number>): number => Object.values(x).reduce((acc, v) => acc + (v - 1.2) ** 2, 0);
    const tuner = createTuner({ space: corner, estimator: spsa({ sigma: 0.1 }), update: adam(0.1), budget: 600, seed: 4 });
    const skipped: TunerEvent[] = [];
    const r = await tune(tuner, { objective: g, onEvent: (e) => void (e.type === 'skipped' && skipped.push(e)) });
    expect(skipped).toEqual([]);
    expect(r.numSkipped).toBe(0);
    expect(r.numRedrawn).toBeGreaterThan(0);
    expect(r.numSteps).toBe(300);
    expect(g(r.recommendation.x)).toBeCloseTo(5 * 0.2 ** 2, 3);
  });

  test('the result carries the recommendation and the best point seen, with its value', async () => {
    const r = await tune(createTuner({ ...base(), budget: 60, seed: 5 }), { objective: f });
    expect(r.recommendation.policy).toBe('iterate');
    expect(r.recommendation.value).toBeUndefined(); // the iterate itself is never evaluated
    expect(r.bestSeen?.policy).toBe('bestSeen');
    expect(r.bestSeen?.value).toBe(f(r.bestSeen!.x));
  });

  test('resume: a budget below what was spent and changed estimator or step options are refused unless allowed', () => {
    const tuner = createTuner({ ...base(), update: adam(0.05) as Transform<unknown>, budget: 100, seed: 6 });
    for (let k = 0; k < 20; k++) round(tuner, (t) => f(t.x));
    tuner.ask(); // an open round
    const text = tuner.save();
    const again = { ...base(), update: adam(0.05) as Transform<unknown> };
    expect(() => resumeTuner(text, { ...again, budget: 30 })).toThrow(/budget\.queries.*≥ the 42 queries the run has already spent/);
    expect(resumeTuner(text, { ...again, budget: 42 }).done).toBe(false); // the open round was already charged
    expect(() => resumeTuner(text, { ...again, estimator: spsa({ sigma: 0.2 }) })).toThrow(CheckpointError);
    expect(() => resumeTuner(text, { ...again, estimator: spsa({ sigma: 0.2 }) })).toThrow(/estimator was built with sigma = 0\.1; the resume options give sigma = 0\.2/);
    expect(() => resumeTuner(text, { ...again, update: adam(0.1) as Transform<unknown> })).toThrow(/parts\[2\]\.learningRate = 0\.05; the resume options give parts\[2\]\.learningRate = 0\.1/);
    const changed = resumeTuner(text, { ...again, estimator: spsa({ sigma: 0.2 }), allowOptionChange: true });
    expect(changed.numSkipped).toBe(1); // the open round, proposed with sigma 0.1, is dropped
    const t = changed.ask()!;
    expect(Math.abs(t.u[0]! - changed.recommend({ policy: 'iterate' }).u[0]!)).toBeGreaterThan(0.1); // probes at sigma 0.2
    expect(changed.numSteps).toBe(20);
  });

  test('telling a string says so; a trial from another tuner is refused', () => {
    const tuner = createTuner({ ...base(), budget: 20, seed: 1 });
    const [a] = tuner.askBatch() as [Trial<X>];
    expect(() => tuner.tell(a, '1' as unknown as number)).toThrow(/got the string "1"/);
    const other = createTuner({ ...base(), budget: 20, seed: 2 });
    const foreign = other.ask()!;
    expect(foreign.id).toBe(a.id);
    expect(() => tuner.tell(foreign, 1)).toThrow(InvalidInput);
    expect(() => tuner.tell(foreign, 1)).toThrow(/trial 0 was not asked by this tuner/);
    expect(tuner.tell(JSON.parse(JSON.stringify(a)) as Trial<X>, 1)).toBeUndefined(); // its own trial, through JSON, is fine
  });
});
