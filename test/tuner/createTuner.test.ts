import { describe, expect, test } from 'vitest';
import { exactGradient } from '../../estimators/exactGradient.js';
import { spsa } from '../../estimators/spsa.js';
import { zoRankSgd } from '../../estimators/zoRankSgd.js';
import { zoSgdCons } from '../../estimators/zoSgdCons.js';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { identity } from '../../src/transform/identity.js';
import type { Transform } from '../../src/transform/transform.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float, int, logFloat } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import type { Trial, Tuner } from '../../src/tuner/types.js';

const s = space({ lr: logFloat(1e-4, 1), momentum: float(0, 0.99) });
type X = { lr: number; momentum: number };
const f = (x: X): number => (Math.log10(x.lr) + 2) ** 2 + (x.momentum - 0.9) ** 2;

function runAll<T>(tuner: Tuner<T>, g: (x: T) => number): void {
  for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) tuner.tell(t, g(t.x));
}

describe('createTuner', () => {
  test('the TSDoc example: ask/tell to the end finds the optimum', () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: adam(0.05), budget: 200, seed: 1 });
    runAll(tuner, f);
    expect(tuner.done).toBe(true);
    expect(tuner.numAsked).toBe(200);
    const x = tuner.recommend().x;
    expect(Math.log10(x.lr)).toBeCloseTo(-2, 1);
    expect(x.momentum).toBeCloseTo(0.9, 1);
  });

  test('ask hands out one round at a time; askBatch gives the rest; undefined while tells are awaited', () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1, numProbes: 2 }), update: sgd(0.1), budget: 100 });
    const first = tuner.ask()!;
    const rest = tuner.askBatch();
    expect(rest.map((t) => t.id)).toEqual([1, 2, 3]);
    expect(tuner.ask()).toBeUndefined();
    expect(tuner.pending().map((t) => t.id)).toEqual([0, 1, 2, 3]);
    expect(first.kind).toBe('probe');
    expect(first.context.noiseSeed).toBe(rest[0]!.context.noiseSeed); // the pair shares its noise seed (CRN)
    for (const t of [rest[2]!, first, rest[1]!]) expect(tuner.tell(t, f(t.x))).toBeUndefined();
    expect(tuner.tell(rest[0]!.id, f(rest[0]!.x))).toMatchObject({ type: 'step', step: 1, queries: 4 });
    expect(tuner.numSteps).toBe(1);
    expect(tuner.ask()!.id).toBe(4);
  });

  test('tell errors are typed and leave the tuner usable', () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.1), budget: 10 });
    const [a, b] = tuner.askBatch() as [Trial<X>, Trial<X>];
    expect(() => tuner.tell(99, 1)).toThrow(InvalidInput);
    expect(() => tuner.tell(a, 'x' as unknown as number)).toThrow(/Tell a number/);
    tuner.tell(a, 1);
    expect(() => tuner.tell(a, 1)).toThrow(/already told/);
    expect(tuner.numTold).toBe(1);
    tuner.tell(b, 2);
    expect(() => tuner.tell(b, 2)).toThrow(/not outstanding/);
    const c = tuner.ask()!;
    expect(() => tuner.tell(c.id + 1, 0)).toThrow(/not asked/);
    expect(() => tuner.tellRanking([c], [0])).toThrow(/consumes values/);
  });

  test('a failed probe skips the step: the parameters stay, the step is re-proposed with the next seed', () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.1), budget: 100, seed: 3 });
    const before = tuner.recommend({ policy: 'iterate' }).u;
    const [a, b] = tuner.askBatch() as [Trial<X>, Trial<X>];
    const event = tuner.tell(b, { state: 'pruned' });
    expect(event).toMatchObject({ type: 'skipped', step: 0, queries: 2 });
    expect(tuner.recommend({ policy: 'iterate' }).u).toEqual(before);
    let batch = tuner.askBatch();
    expect(batch[0]!.id).toBe(2);
    expect(batch[0]!.x).not.toEqual(a.x); // a new direction from the next seed
    expect(tuner.tell(a, 1)).toBeUndefined(); // a stale trial is accepted and ignored
    expect(tuner.numTold).toBe(2);
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(tuner.tell(batch[0]!, v)?.type).toBe('skipped');
      batch = tuner.askBatch();
    }
    expect(tuner.recommend({ policy: 'iterate' }).u).toEqual(before);
  });

  test('budget: a step never starts unless all its queries fit; steps limit; numQueries counts cancelled probes', () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1, numProbes: 3 }), update: sgd(0.1), budget: 20 });
    runAll(tuner, f);
    expect(tuner.numQueries).toBe(18); // 3 steps of 6; 2 left cannot hold a step
    const limited = createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.1), budget: { steps: 4 } });
    runAll(limited, f);
    expect([limited.numSteps, limited.numQueries, limited.done]).toEqual([4, 8, true]);
    const failing = createTuner({ space: s, estimator: spsa({ sigma: 0.1, numProbes: 2 }), update: sgd(0.1), budget: 6 });
    failing.tell(failing.ask()!, { state: 'failed' });
    expect([failing.numAsked, failing.numQueries, failing.done]).toEqual([1, 4, true]);
  });

  test('multi-round estimators (ZO-SGD-Cons) and final steps work; rankings by tellRanking or by values', () => {
    const cons = createTuner({ space: s, estimator: zoSgdCons({ sigma: 0.05, learningRate: 0.5 }), update: identity(), budget: 100, seed: 2 });
    const r1 = cons.askBatch();
    expect(r1).toHaveLength(3);
    r1.forEach((t) => cons.tell(t, f(t.x)));
    const r2 = cons.askBatch();
    expect(r2).toHaveLength(2);
    expect(r2[0]!.context.step).toBe(0);
    const event = r2.map((t) => cons.tell(t, f(t.x))).at(-1);
    expect(event).toMatchObject({ type: 'step', step: 1 });
    runAll(cons, f);
    expect(f(cons.recommend({ policy: 'iterate' }).x)).toBeLessThan(f(s.decode([0, 0])));

    const byRank = createTuner({ space: s, estimator: zoRankSgd({ lineSearch: true }), update: identity(), budget: 240, seed: 5 });
    const byValue = createTuner({ space: s, estimator: zoRankSgd({ lineSearch: true }), update: identity(), budget: 240, seed: 5 });
    while (!byRank.done) {
      const round = byRank.askBatch().reverse();
      const v = round.map((t) => f(t.x));
      byRank.tellRanking(round, v.map((_, i) => i).sort((i, j) => v[i]! - v[j]! || round[i]!.id - round[j]!.id));
      byValue.askBatch().forEach((t) => byValue.tell(t, f(t.x)));
    }
    expect(byRank.recommend({ policy: 'iterate' }).u).toEqual(byValue.recommend({ policy: 'iterate' }).u);
    expect(byRank.numSteps).toBe(byValue.numSteps);
    expect(f(byRank.recommend({ policy: 'iterate' }).x)).toBeLessThan(f(s.decode([0, 0])));
  });

  test('tellRanking validates the round and the order', () => {
    const tuner = createTuner({ space: s, estimator: zoRankSgd(), update: sgd(0.1), budget: 60 });
    const round = tuner.askBatch();
    expect(() => tuner.tellRanking(round.slice(1), [0])).toThrow(/6 trials of the current round/);
    expect(() => tuner.tellRanking(round, [0, 0])).toThrow(/distinct/);
    expect(() => tuner.tellRanking(round, [])).toThrow(/empty/);
    expect(tuner.tellRanking(round, [2, 0])?.type).toBe('step'); // a top-2 ranking
  });

  test('recommend: iterate by default, bestSeen, reEvaluated with its repeats, and fallbacks', () => {
    const tuner = createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: adam(0.05), budget: 100, seed: 1, reEvaluate: { every: 5, repeats: 3 } });
    expect(tuner.recommend().policy).toBe('iterate'); // nothing re-evaluated yet
    expect(tuner.recommend({ policy: 'bestSeen' }).policy).toBe('iterate');
    let reEvaluations = 0;
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) {
      if (t.kind === 'reEvaluation') reEvaluations++;
      tuner.tell(t, f(t.x));
    }
    // 100 = 2·steps + 3·re-evaluations: re-evaluations after steps 5, 10, …, and of the last iterate.
    expect(reEvaluations % 3).toBe(0);
    expect(2 * tuner.numSteps + reEvaluations).toBe(tuner.numQueries);
    const rec = tuner.recommend();
    expect(rec.policy).toBe('reEvaluated');
    expect(rec.value).toBeCloseTo(f(rec.x), 12);
    const best = tuner.recommend({ policy: 'bestSeen' });
    expect(best.value).toBe(f(best.x));
    expect(() => tuner.recommend({ policy: 'mean' as 'iterate' })).toThrow(InvalidHyperparameter);
  });

  test('probes outside the box are shortened along their direction; the estimator divides by the realised difference (S-5)', () => {
    // f(u) = gᵀu is linear, so a two-point estimate along d with the realised divisor is exactly (gᵀd)·d.
    const lin = space({ a: float(-1, 1), b: float(-1, 1), c: float(-1, 1) });
    const g = [0.5, -1, 2];
    const init = { a: 0.95, b: -0.9, c: 0.2 };
    const lr = 1e-3;
    const tuner = createTuner({ space: lin, estimator: spsa({ sigma: 0.5 }), update: sgd(lr), budget: 2, seed: 7, init });
    const [p, m] = tuner.askBatch() as [Trial<typeof init>, Trial<typeof init>];
    const lf = (x: typeof init): number => g[0]! * x.a + g[1]! * x.b + g[2]! * x.c;
    const u0 = lin.encode(init);
    const d = Array.from(p.u, (v, i) => Math.sign(v - u0[i]!));
    const reach = (t: Trial<typeof init>): number => Math.abs(t.u[0]! - u0[0]!);
    expect(Math.min(reach(p), reach(m))).toBeLessThan(0.5); // a bound cut at least one probe
    for (const t of [p, m]) for (const v of t.u) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    tuner.tell(p, lf(p.x));
    tuner.tell(m, lf(m.x));
    const gd = g.reduce((acc, gi, i) => acc + gi * d[i]!, 0);
    const after = tuner.recommend({ policy: 'iterate' }).u;
    after.forEach((v, i) => expect(v).toBeCloseTo(u0[i]! - lr * gd * d[i]!, 5));
    expect(init).toEqual({ a: 0.95, b: -0.9, c: 0.2 }); // the caller's start is never mutated
  });

  test('int dimensions: every asked value is an integer within bounds', () => {
    const k = space({ k: int(0, 3), w: float(0, 1) });
    const tuner = createTuner({ space: k, estimator: spsa({ sigma: 0.5 }), update: sgd(0.2), budget: 40, seed: 4 });
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) {
      expect(Number.isInteger(t.x.k) && t.x.k >= 0 && t.x.k <= 3).toBe(true);
      tuner.tell(t, (t.x.k - 2) ** 2 + t.x.w);
    }
  });

  test('invalid options are refused before anything runs', () => {
    const ok = { space: s, estimator: spsa(), update: sgd(0.1) as Transform<unknown> };
    expect(() => createTuner({ ...ok, estimator: exactGradient() })).toThrow(/gradients/);
    expect(() => createTuner({ ...ok, budget: 0 })).toThrow(/budget.queries/);
    expect(() => createTuner({ ...ok, seed: -1 })).toThrow(/seed/);
    expect(() => createTuner({ ...ok, space: undefined as unknown as typeof s })).toThrow(/space/);
    expect(() => createTuner({ ...ok, estimator: zoRankSgd(), reEvaluate: { every: 1, repeats: 1 } })).toThrow(/value estimator/);
    expect(() => createTuner({ ...ok, reEvaluate: { every: 0, repeats: 1 } })).toThrow(/reEvaluate.every/);
  });
});
