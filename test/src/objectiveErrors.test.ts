import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { zoRankSgd } from '../../estimators/zoRankSgd.js';
import { BudgetExhausted, InvalidHyperparameter, NonFiniteValue, ObjectiveError, OracleMismatch, ZerothError } from '../../src/errors.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { maximize, rankingFromValues, rankingOracle, valueOracle, withBudget } from '../../src/oracle/adapters.js';
import { runOptimizer } from '../../src/run.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune, type TrialRecord } from '../../src/tuner/tune.js';
import type { Params } from '../../src/types.js';

const sphere = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0);
const base = { estimator: spsa({ sigma: 1e-2 }), update: sgd(0.05), budget: { queries: 400 }, seed: 1 };

/** Errors a nested zeroth run raises inside an objective, for real. */
const nested = {
  InvalidHyperparameter: async (): Promise<number> => {
    // budget.queries must be ≥ 2 when the final evaluation is on: the inner minimize rejects.
    const r = await minimize(sphere, [1], { ...base, budget: { queries: 1 } });
    return r.value;
  },
  BudgetExhausted: async (): Promise<number> => {
    // A step that does not fit in the inner run's query allowance.
    const opt = optimizer({ estimator: spsa(), update: sgd(0.1) });
    const p: Params = [{ name: 'x', shape: [1], data: new Float32Array([1]) }];
    const r = await opt.step(p, valueOracle((q: Params) => sphere(q[0]!.data)), opt.init(p, 1), 1);
    return r.value;
  },
  OracleMismatch: async (): Promise<number> => {
    const opt = optimizer({ estimator: spsa(), update: sgd(0.1) });
    const p: Params = [{ name: 'x', shape: [1], data: new Float32Array([1]) }];
    const r = await opt.step(p, rankingOracle<Params>(() => [0, 1]), opt.init(p, 1));
    return r.value;
  },
  'a refusal of a nested withBudget': async (): Promise<number> => {
    const inner = withBudget(valueOracle((x: number) => x * x), 0);
    return inner.kind === 'value' ? inner.value(3, { noiseSeed: 0, step: 0 }) : 0;
  },
};

describe("errors raised by the objective are the objective's, whatever their class", () => {
  test.each(Object.entries(nested))('a nested run throws %s inside the objective: minimize ends with reason "error"', async (kind, inner) => {
    let calls = 0;
    const f = async (x: Float32Array): Promise<number> => (++calls === 5 ? inner() : sphere(x));
    const r = await minimize(f, [1, 2], base);
    expect(r.stoppedBy.reason).toBe('error');
    expect(r.stoppedBy.error).toBeInstanceOf(ObjectiveError);
    const cause = r.stoppedBy.error!.cause as ZerothError;
    expect(cause).toBeInstanceOf(ZerothError);
    expect(cause.constructor.name).toBe(kind.startsWith('a refusal') ? 'BudgetExhausted' : kind);
    expect(r.stoppedBy.message).toMatch(/The objective threw at probe 0 of step 2/);
    expect([r.steps, r.queries]).toEqual([2, 5]);
  });

  test('InvalidHyperparameter and BudgetExhausted thrown on the first call: no rejection, no "queries" stop', async () => {
    for (const e of [new InvalidHyperparameter('x', 1, 'must be 2'), new BudgetExhausted(10, 1)]) {
      const r = await minimize(() => { throw e; }, [1, 2], base);
      expect(r.stoppedBy.reason).toBe('error');
      expect(r.stoppedBy.error).toBeInstanceOf(ObjectiveError);
      expect(r.stoppedBy.error!.cause).toBe(e);
      expect([r.steps, r.queries]).toEqual([0, 1]);
    }
  });

  test('the same through runOptimizer with a hand-written oracle, and at the final evaluation', async () => {
    const opt = optimizer({ estimator: spsa(), update: sgd(0.05) });
    const p: Params = [{ name: 'x', shape: [2], data: new Float32Array([1, 2]) }];
    const oracle = { kind: 'value' as const, value: (): number => { throw new BudgetExhausted(3, 1); } };
    const r = await runOptimizer(opt, p, oracle, opt.init(p, 1), { budget: { queries: 100 } });
    expect([r.stoppedBy.reason, r.stoppedBy.error?.constructor.name, r.queries]).toEqual(['error', 'ObjectiveError', 1]);
    let calls = 0;
    const last = await minimize((x) => (++calls === 21 ? nested.BudgetExhausted() : sphere(x)), [1, 2], { ...base, budget: { queries: 21 } });
    expect([last.stoppedBy.reason, last.stoppedBy.error?.constructor.name, last.steps, last.queries]).toEqual(['error', 'ObjectiveError', 10, 21]);
    expect(last.stoppedBy.message).toMatch(/Query budget exhausted/);
  });

  test("the library's own paths are unchanged: withBudget ends with 'queries', bad options and oracles reject", async () => {
    const opt = optimizer({ estimator: spsa(), update: sgd(0.05) });
    const p = (): Params => [{ name: 'x', shape: [2], data: new Float32Array([1, 2]) }];
    const budgeted = withBudget(valueOracle((q: Params) => sphere(q[0]!.data)), 9);
    const r = await runOptimizer(opt, p(), budgeted, opt.init(p(), 1), { budget: { queries: 100 } });
    expect([r.stoppedBy.reason, r.queries, r.steps]).toEqual(['queries', 9, 4]);
    // Through another adapter, a refusal is still the library's.
    const both = maximize(withBudget(valueOracle((q: Params) => -sphere(q[0]!.data)), 5));
    const m = await runOptimizer(opt, p(), both, opt.init(p(), 1), { budget: { queries: 100 } });
    expect([m.stoppedBy.reason, m.queries]).toEqual(['queries', 5]);
    // A NaN seen by rankingFromValues is the library's NonFiniteValue, not an objective's throw.
    const ranked = await minimize((x) => (x[0]! > 5 ? 0 : NaN), [1, 2], { ...base, estimator: zoRankSgd() });
    expect(ranked.stoppedBy.error).toBeInstanceOf(NonFiniteValue);
    await expect(minimize(sphere, [1, 2], { ...base, budget: { queries: 1 } })).rejects.toThrow(InvalidHyperparameter);
    await expect(opt.step(p(), rankingFromValues(valueOracle((q: Params) => sphere(q[0]!.data))), opt.init(p(), 1))).rejects.toThrow(OracleMismatch);
  });

  test('tune: a nested zeroth error inside the objective fails that trial only', async () => {
    const records: TrialRecord<{ a: number }>[] = [];
    let calls = 0;
    const tuner = createTuner({ space: space({ a: float(-1, 1) }), estimator: spsa({ sigma: 0.1 }), update: sgd(0.1), budget: 20, seed: 2 });
    const r = await tune(tuner, {
      objective: async (x) => (++calls <= 2 ? (calls === 1 ? nested.InvalidHyperparameter() : nested.BudgetExhausted()) : (x.a - 0.5) ** 2),
      onTrial: (t) => records.push(t),
    });
    expect(r.stoppedBy.reason).toBe('queries');
    expect(records.slice(0, 2).map((t) => [t.state, t.error])).toEqual([
      ['failed', expect.stringMatching(/Invalid budget\.queries/)],
      ['failed', expect.stringMatching(/Query budget exhausted/)],
    ]);
    expect(records.slice(2).every((t) => t.state === 'complete')).toBe(true);
    expect(r.numSteps).toBeGreaterThan(0);
  });
});
