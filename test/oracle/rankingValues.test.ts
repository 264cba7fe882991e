import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { zoRankSgd } from '../../estimators/zoRankSgd.js';
import { NonFiniteValue, NonNumericValue } from '../../src/errors.js';
import { queriesSpent } from '../../src/eval/queriesSpent.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { batchOracle, maximize, rankingFromValues, valueOracle } from '../../src/oracle/adapters.js';
import { noisyRankingOracle } from '../../src/oracle/noisyRankingOracle.js';
import { runOptimizer } from '../../src/run.js';
import { identity } from '../../src/transform/identity.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Params } from '../../src/types.js';

const sphere = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0);

const bad: [string, unknown, typeof NonFiniteValue | typeof NonNumericValue, RegExp][] = [
  ['NaN', NaN, NonFiniteValue, /Got NaN/],
  ['Infinity', Infinity, NonFiniteValue, /Got Infinity/],
  ['-Infinity', -Infinity, NonFiniteValue, /Got -Infinity/],
  ['undefined', undefined, NonNumericValue, /returned undefined at .*, not a number\. Return the value \(a missing `return`\?\)/],
  ['null', null, NonNumericValue, /returned null at .*, not a number/],
  ['a numeric string', '7', NonNumericValue, /returned "7" at .*, not a number/],
];

describe('a ranking of values that are not finite numbers stops the run with "error", as a value estimator does', () => {
  test.each(bad)('minimize with zoRankSgd: the objective returns %s', async (_label, value, type, message) => {
    for (const lineSearch of [false, true]) {
      let calls = 0;
      const f = ((x: Float32Array) => (++calls === 10 ? value : sphere(x))) as (x: Float32Array) => number;
      const good = await minimize(sphere, [1, -2], { estimator: zoRankSgd({ lineSearch }), update: lineSearch ? identity() : sgd(0.05), budget: { steps: 1 }, seed: 3, evaluateFinal: false });
      const r = await minimize(f, [1, -2], { estimator: zoRankSgd({ lineSearch }), update: lineSearch ? identity() : sgd(0.05), budget: { queries: 500 }, seed: 3 });
      expect(r.stoppedBy.reason).toBe('error');
      expect(r.stoppedBy.error).toBeInstanceOf(type);
      expect(r.stoppedBy.message).toMatch(message);
      expect(r.stoppedBy.message).toMatch(/candidate \d of 6 of the ranking/);
      // The 10th evaluation is in the second round of candidates: one step done without the line search,
      // none with it (its step has two rounds of 6).
      expect([r.steps, r.queries, calls]).toEqual([lineSearch ? 0 : 1, 10, 10]);
      expect(r.x).toEqual(lineSearch ? Float32Array.from([1, -2]) : good.x);
    }
  });

  test.each(bad)('rankingFromValues and noisyRankingOracle reject %s, naming the candidate', async (_label, value, type, message) => {
    const values = [3, 1, value, 2];
    const ctx = { noiseSeed: 0, step: 4 };
    const fromValues = rankingFromValues(valueOracle((x: number) => values[x] as number));
    const judge = noisyRankingOracle((x: number) => values[x] as number, { temperature: 0.5, seed: 1 });
    for (const oracle of [fromValues, judge]) {
      const e = await Promise.resolve(oracle.rank([0, 1, 2, 3], ctx)).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(type);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).toMatch(/candidate 2 of 4 of the ranking at step 4/);
      expect(queriesSpent(e)).toBe(3);
    }
  });

  test('an optimizer driven by noisyRankingOracle stops with "error" too', async () => {
    const opt = optimizer({ estimator: zoRankSgd(), update: sgd(0.05) });
    const p: Params = [{ name: 'x', shape: [2], data: new Float32Array([1, 1]) }];
    let calls = 0;
    const judge = noisyRankingOracle((x: Params) => (++calls === 8 ? NaN : sphere(x[0]!.data)), { temperature: 0.1, seed: 2 });
    const r = await runOptimizer(opt, p, judge, opt.init(p, 1), { budget: { queries: 100 } });
    expect([r.stoppedBy.reason, r.stoppedBy.error?.constructor.name, r.steps, r.queries]).toEqual(['error', 'NonFiniteValue', 1, 8]);
  });

  test('maximize never coerces: a string or null from a maximised objective is rejected, not negated', async () => {
    for (const value of ['7', null]) {
      const opt = optimizer({ estimator: zoRankSgd(), update: sgd(0.05) });
      const p: Params = [{ name: 'x', shape: [2], data: new Float32Array([1, 1]) }];
      const viaValue = maximize(valueOracle(() => value as unknown as number));
      const viaBatch = maximize(batchOracle((xs: readonly Params[]) => xs.map(() => value as unknown as number)));
      for (const oracle of [viaValue, viaBatch]) {
        const o = optimizer({ estimator: spsa(), update: sgd(0.05) });
        const r = await runOptimizer(o, p, oracle, o.init(p, 1), { budget: { queries: 10 } });
        expect([r.stoppedBy.reason, r.stoppedBy.error?.constructor.name]).toEqual(['error', 'NonNumericValue']);
        expect(r.stoppedBy.message).toMatch(/not a number/);
      }
      const ranked = maximize(rankingFromValues(valueOracle(() => value as unknown as number)));
      const r = await runOptimizer(opt, p, ranked, opt.init(p, 1), { budget: { queries: 10 } });
      expect([r.stoppedBy.reason, r.stoppedBy.error?.constructor.name]).toEqual(['error', 'NonNumericValue']);
    }
  });
});
