import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { InvalidHyperparameter, InvalidInput, NonFiniteValue, ObjectiveError, OracleMismatch } from '../../src/errors.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { rankingOracle, valueOracle } from '../../src/oracle/adapters.js';
import { targetValue } from '../../src/stoppers.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Params } from '../../src/types.js';

const sphere = (x: Float32Array): number => x.reduce((s, v) => s + v * v, 0);
const base = { estimator: spsa({ sigma: 1e-2 }), update: sgd(0.05), budget: { queries: 400 }, seed: 1 };

describe('minimize', () => {
  test('returns { x, value, queries, steps, history, stoppedBy } and never exceeds the budget', async () => {
    const r = await minimize(sphere, [1, 2, 3], base);
    expect(r.value).toBeLessThan(0.1 * 14);
    expect(r.value).toBe(sphere(r.x));
    expect(r.queries).toBeLessThanOrEqual(400);
    expect(r.queries).toBe(2 * r.steps + 1);
    expect(r.history).toHaveLength(r.steps);
    expect(r.stoppedBy.reason).toBe('queries');
  });

  test('the caller’s x0 is never mutated, and the same seed gives the same result bit for bit', async () => {
    const x0 = new Float32Array([1, -1, 0.5]);
    const a = await minimize(sphere, x0, base);
    const b = await minimize(sphere, x0, base);
    expect(x0).toEqual(new Float32Array([1, -1, 0.5]));
    expect(a.x).toEqual(b.x);
    expect(a.history).toEqual(b.history.map((h, i) => ({ ...h, elapsedMs: a.history[i]!.elapsedMs })));
  });

  test('stoppers and step budgets end the run with the reason', async () => {
    const r = await minimize(sphere, [1, 1], { ...base, budget: { queries: 10_000 }, stoppers: [targetValue(0.5)] });
    expect(r.stoppedBy.reason).toBe('stopper');
    expect(r.stoppedBy.stopper).toBe('targetValue');
    const s = await minimize(sphere, [1, 1], { ...base, budget: { steps: 7 } });
    expect(s.steps).toBe(7);
    expect(s.stoppedBy.reason).toBe('steps');
    const controller = new AbortController();
    const t = await minimize(sphere, [1, 1], { ...base, budget: { signal: controller.signal }, onStep: (i) => void (i.step === 3 && controller.abort()) });
    expect(t.stoppedBy.reason).toBe('signal');
    expect(t.steps).toBe(3);
  });

  describe('bad input gets a typed error naming the parameter', () => {
    test.each([
      ['non-finite x0', [1, NaN], /x0\[1\] is NaN/],
      ['infinite x0', [Infinity], /x0\[0\] is Infinity/],
      ['empty x0', [], /x0.*empty/],
    ])('%s', async (_label, x0, message) => {
      await expect(minimize(sphere, x0 as number[], base)).rejects.toThrow(InvalidInput);
      await expect(minimize(sphere, x0 as number[], base)).rejects.toThrow(message);
    });
    test('wrong-length x0 for an objective with a dimension', async () => {
      const problem = { dim: 3, value: sphere };
      await expect(minimize(problem, [1, 2], base)).rejects.toThrow(/x0.*length 2.*dim 3/);
    });
    test('sigma ≤ 0 and learning rate ≤ 0', () => {
      expect(() => spsa({ sigma: 0 })).toThrow(InvalidHyperparameter);
      expect(() => spsa({ sigma: -1 })).toThrow(/Invalid sigma/);
      expect(() => spsa({ sigma: NaN })).toThrow(/sigma/);
      expect(() => sgd(0)).toThrow(/learningRate/);
      expect(() => sgd(-1e-3)).toThrow(InvalidHyperparameter);
      expect(() => spsa({ numProbes: 0 })).toThrow(/numProbes/);
    });
    test.each([0, -5, 1.5, NaN, Infinity])('budget.queries = %s', async (q) => {
      await expect(minimize(sphere, [1], { ...base, budget: { queries: q } })).rejects.toThrow(/budget\.queries/);
    });
    test('budget.steps and budget.timeMs must be positive integers; some budget is required', async () => {
      await expect(minimize(sphere, [1], { ...base, budget: { steps: 0 } })).rejects.toThrow(/budget\.steps/);
      await expect(minimize(sphere, [1], { ...base, budget: { timeMs: -1 } })).rejects.toThrow(/budget\.timeMs/);
      await expect(minimize(sphere, [1], { ...base, budget: {} })).rejects.toThrow(/Invalid budget/);
    });
    test('an oracle of the wrong kind', async () => {
      const opt = optimizer({ estimator: spsa(), update: sgd(0.1) });
      const x: Params = [{ name: 'x', shape: [2], data: new Float32Array(2) }];
      const ranking = rankingOracle<Params>(() => [0, 1]);
      await expect(opt.step(x, ranking, opt.init(x, 1))).rejects.toThrow(OracleMismatch);
      await expect(opt.step(x, ranking, opt.init(x, 1))).rejects.toThrow(/"spsa" needs a 'value' or 'batch' oracle/);
    });
  });

  describe('a failing objective ends the run with the last good parameters and the error in stoppedBy', () => {
    const failing = (bad: number | 'throw', after: number) => {
      let calls = 0;
      return (x: Float32Array): number => {
        if (++calls > after) {
          if (bad === 'throw') throw new Error('simulator crashed');
          return bad;
        }
        return sphere(x);
      };
    };
    test.each([
      ['NaN', NaN, NonFiniteValue],
      ['Infinity', Infinity, NonFiniteValue],
      ['a throw', 'throw' as const, ObjectiveError],
    ])('objective returns %s mid-run', async (_label, bad, type) => {
      const good = await minimize(sphere, [1, -2, 0.5], { ...base, budget: { steps: 10 }, evaluateFinal: false });
      // 10 good steps (20 queries), then the 21st query fails (in the middle of step 11's pair).
      const r = await minimize(failing(bad, 20), [1, -2, 0.5], { ...base, budget: { steps: 50 } });
      expect(r.stoppedBy.reason).toBe('error');
      expect(r.stoppedBy.error).toBeInstanceOf(type);
      expect(r.steps).toBe(10);
      expect(r.x).toEqual(good.x); // bit for bit: exact restore
      expect(Number.isNaN(r.value)).toBe(true);
    });
    test('the original error is kept as the cause', async () => {
      const r = await minimize(failing('throw', 4), [1, 1], base);
      expect((r.stoppedBy.error?.cause as Error).message).toBe('simulator crashed');
      expect(r.stoppedBy.message).toMatch(/simulator crashed/);
    });
    test('the optimizer state of a failed step stays valid: stepping again after a transient failure continues', async () => {
      const opt = optimizer({ estimator: spsa({ sigma: 1e-2 }), update: sgd(0.1) });
      const x: Params = [{ name: 'x', shape: [2], data: new Float32Array([1, 1]) }];
      let fail = true;
      const oracle = valueOracle((p: Params) => {
        if (fail) {
          fail = false;
          throw new Error('transient');
        }
        return sphere(p[0]!.data);
      });
      const s0 = opt.init(x, 3);
      await expect(opt.step(x, oracle, s0)).rejects.toThrow(ObjectiveError);
      const r = await opt.step(x, oracle, s0);
      expect(r.state.step).toBe(1);
    });
  });
});
