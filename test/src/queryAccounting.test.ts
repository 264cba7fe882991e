import { describe, expect, test } from 'vitest';
import { exactGradient } from '../../estimators/exactGradient.js';
import { spsa } from '../../estimators/spsa.js';
import { zoRankSgd } from '../../estimators/zoRankSgd.js';
import { zoSgdCons } from '../../estimators/zoSgdCons.js';
import { BudgetExhausted, InvalidInput, NonFiniteValue, ObjectiveError } from '../../src/errors.js';
import { queriesSpent } from '../../src/eval/queriesSpent.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { batchFromValue, batchOracle, gradientOracle, valueOracle, withBudget } from '../../src/oracle/adapters.js';
import { runOptimizer } from '../../src/run.js';
import { identity } from '../../src/transform/identity.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Transform } from '../../src/transform/transform.js';
import type { Params } from '../../src/types.js';

const sphere = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0);

/** An objective that answers `bad` (or throws it, when it is an Error) on call `at` and counts its calls. */
function failingAt(at: number, bad: unknown): { f: (x: Float32Array) => number; calls: () => number } {
  let calls = 0;
  return {
    f: (x) => {
      if (++calls === at) {
        if (bad instanceof Error) throw bad;
        return bad as number;
      }
      return sphere(x);
    },
    calls: () => calls,
  };
}

const params = (): Params => [{ name: 'x', shape: [3], data: new Float32Array([1, -2, 0.5]) }];

describe('every evaluation that happened is a query in the result, also when the run ends in error', () => {
  test.each([
    ['NaN on call 50', 50, NaN],
    ['Infinity on call 7', 7, Infinity],
    ['a throw on call 13', 13, new Error('simulator crashed')],
    ['a string on call 2', 2, 'oops'],
  ])('minimize: %s', async (_label, at, bad) => {
    const o = failingAt(at, bad);
    const r = await minimize(o.f, [1, 2], { estimator: spsa(), update: sgd(0.01), budget: { queries: 1000 }, seed: 1 });
    expect(r.stoppedBy.reason).toBe('error');
    expect(o.calls()).toBe(at);
    expect(r.queries).toBe(at);
    expect(r.steps).toBe(Math.floor((at - 1) / 2));
  });

  test('minimize: a zeroth error thrown by the objective on the first call is one query', async () => {
    for (const error of [new NonFiniteValue(NaN, 'a nested run'), new InvalidInput('x', 'it is wrong', 'Fix it.'), new BudgetExhausted(10, 1)]) {
      let calls = 0;
      const r = await minimize(() => { calls++; throw error; }, [1, 2], { estimator: spsa(), update: sgd(0.01), budget: { queries: 1000 }, seed: 1 });
      expect([error.name, r.stoppedBy.reason, r.queries, r.steps, calls]).toEqual([error.name, 'error', 1, 0, 1]);
    }
  });

  test('minimize: a failing final evaluation is counted', async () => {
    let calls = 0;
    const f = (x: Float32Array): number => (++calls === 21 ? NaN : sphere(x));
    const r = await minimize(f, [1, 2], { estimator: spsa(), update: sgd(0.01), budget: { queries: 21 }, seed: 1 });
    expect(r.stoppedBy.reason).toBe('error');
    expect(r.stoppedBy.error).toBeInstanceOf(NonFiniteValue);
    expect([calls, r.queries, r.steps]).toEqual([21, 21, 10]);
  });

  test('minimize with a ranking estimator counts the candidates evaluated before the failure', async () => {
    // zoRankSgd ranks 6 candidates per step: 2 good steps (12 evaluations), then the 3rd candidate of step 3 fails.
    const o = failingAt(15, NaN);
    const r = await minimize(o.f, [1, 2], { estimator: zoRankSgd(), update: sgd(0.01), budget: { queries: 1000 }, seed: 1 });
    expect(r.stoppedBy.reason).toBe('error');
    expect([o.calls(), r.queries, r.steps]).toEqual([15, 15, 2]);
  });

  test('runOptimizer and optimizer().step: value, batch and gradient oracles, q > 1, several rounds', async () => {
    const cases = [
      // spsa with q = 3: 6 queries a step; 2 good steps, then the 4th query of step 3 fails → 16.
      { estimator: spsa({ numProbes: 3 }), oracle: (f: (x: Float32Array) => number) => valueOracle((p: Params) => f(p[0]!.data)), at: 16, expected: 16, steps: 2 },
      // A batch oracle is one call for all 6 probes: the failing batch counts whole.
      { estimator: spsa({ numProbes: 3 }), oracle: (f: (x: Float32Array) => number) => batchOracle((xs: readonly Params[]) => xs.map((p) => f(p[0]!.data))), at: 14, expected: 18, steps: 2 },
      // batchFromValue evaluates point by point and stops at a throw: only the evaluations that ran count …
      { estimator: spsa({ numProbes: 3 }), oracle: (f: (x: Float32Array) => number) => batchFromValue(valueOracle((p: Params) => f(p[0]!.data))), at: 14, bad: new Error('down'), expected: 14, steps: 2 },
      // … while a NaN is only a value: the batch runs to its end and is rejected as a whole.
      { estimator: spsa({ numProbes: 3 }), oracle: (f: (x: Float32Array) => number) => batchFromValue(valueOracle((p: Params) => f(p[0]!.data))), at: 14, expected: 18, steps: 2 },
      // zoSgdCons: 3 queries in round 1, 2 in round 2; the 4th query of step 2 fails (round 2) → 5 + 4.
      { estimator: zoSgdCons({ learningRate: 0.01 }), oracle: (f: (x: Float32Array) => number) => valueOracle((p: Params) => f(p[0]!.data)), at: 9, expected: 9, steps: 1 },
    ];
    for (const c of cases) {
      const o = failingAt(c.at, 'bad' in c ? c.bad : NaN);
      const opt = optimizer({ estimator: c.estimator, update: (c.estimator.name === 'zoSgdCons' ? identity() : sgd(0.01)) as Transform<unknown> });
      const p = params();
      const r = await runOptimizer(opt, p, c.oracle(o.f), opt.init(p, 3), { budget: { queries: 1000 } });
      expect([c.estimator.name, r.stoppedBy.reason, r.queries, r.steps]).toEqual([c.estimator.name, 'error', c.expected, c.steps]);
    }
    // The step itself reports what the failed step spent.
    const opt = optimizer({ estimator: spsa({ numProbes: 3 }), update: sgd(0.01) });
    const p = params();
    const o = failingAt(5, new Error('down'));
    const failed = await opt.step(p, valueOracle((x: Params) => o.f(x[0]!.data)), opt.init(p, 1)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ObjectiveError);
    expect(queriesSpent(failed)).toBe(5);
  });

  test('gradient oracles: the failing evaluation counts', async () => {
    let calls = 0;
    const oracle = gradientOracle((p: Params) => {
      if (++calls === 4) throw new Error('no gradient today');
      return { value: sphere(p[0]!.data), grad: [Float32Array.from(p[0]!.data, (v) => 2 * v)] };
    });
    const opt = optimizer({ estimator: exactGradient(), update: sgd(0.1) });
    const p = params();
    const r = await runOptimizer(opt, p, oracle, opt.init(p, 1), { budget: { steps: 10 } });
    expect([r.stoppedBy.reason, r.queries, r.steps]).toEqual(['error', 4, 3]);
  });

  test('withBudget: a refused query is not counted, the queries before it are', async () => {
    let calls = 0;
    const oracle = withBudget(valueOracle((p: Params) => (calls++, sphere(p[0]!.data))), 7);
    const opt = optimizer({ estimator: spsa({ numProbes: 2 }), update: sgd(0.01) });
    const p = params();
    const r = await runOptimizer(opt, p, oracle, opt.init(p, 1), { budget: { queries: 100 } });
    expect(r.stoppedBy.reason).toBe('queries');
    expect([calls, oracle.queries, r.queries, r.steps]).toEqual([7, 7, 7, 1]);
  });
});
