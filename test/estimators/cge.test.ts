import { describe, expect, test } from 'vitest';
import { cge, type CgeOptions, type CgeState } from '../../estimators/cge.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../../src/errors.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { batchOracle, rankingFromValues, valueOracle } from '../../src/oracle/adapters.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { EvalContext, Params, Probe } from '../../src/types.js';
import { estimateOnce, oracleFor } from '../laws/_internal/estimate.js';
import { flatten, paramsFrom, testQuadratic } from '../laws/_internal/quadratic.js';

const be = cpuBackend();

/** The (block, index) pairs a batch probes, as "b:i" strings, without repeats. */
function coordinates(probes: readonly Probe[]): string[] {
  const out = probes.flatMap((p) => (p.direction.kind === 'coordinate' ? [`${p.direction.block}:${p.direction.index}`] : []));
  return [...new Set(out)];
}

function expectInvalid(fn: () => unknown, parameter: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidHyperparameter);
    expect((e as InvalidHyperparameter).parameter).toBe(parameter);
    return;
  }
  throw new Error(`expected InvalidHyperparameter(${parameter})`);
}

describe('cge', () => {
  test('the documented example converges', async () => {
    const r = await minimize((x) => (x[0]! - 1) ** 2 + 10 * x[1]! ** 2, [0, 1], {
      estimator: cge({ sigma: 1e-3 }),
      update: sgd(0.04),
      budget: { queries: 400 },
      seed: 1,
    });
    expect(r.value).toBeLessThan(1e-5);
    expect(r.queries).toBeLessThanOrEqual(400);
  });

  test('options are validated at construction, naming the option', () => {
    expectInvalid(() => cge({ sigma: 0 }), 'sigma');
    expectInvalid(() => cge({ difference: 'backward' as never }), 'difference');
    expectInvalid(() => cge({ numCoordinates: 0 }), 'numCoordinates');
    expectInvalid(() => cge({ numCoordinates: 1.5 }), 'numCoordinates');
    expectInvalid(() => cge({ commonRandomNumbers: 'yes' as never }), 'commonRandomNumbers');
    expectInvalid(() => cge({ mask: 3 as never }), 'mask');
    expectInvalid(() => cge({ mask: [true], sparsity: { ratio: 0.5 } }), 'mask');
    expectInvalid(() => cge({ sparsity: { ratio: 1 } }), 'sparsity.ratio');
    expectInvalid(() => cge({ sparsity: { ratio: -0.1 } }), 'sparsity.ratio');
    expectInvalid(() => cge({ sparsity: { ratio: 0.5, refreshEvery: 0 } }), 'sparsity.refreshEvery');
    expectInvalid(() => cge({ sparsity: { ratio: 0.5, mode: 'topk' as never } }), 'sparsity.mode');
    expectInvalid(() => cge({ sparsity: { ratio: 0.5, seed: -1 } }), 'sparsity.seed');
  });

  test('a mask that does not fit the parameters, or selects nothing, is an InvalidInput at init', () => {
    const p = paramsFrom([1, 2, 3, 4, 5], [2, 3]);
    expect(() => cge({ mask: [true] }).init(p)).toThrow(InvalidInput);
    expect(() => cge({ mask: [true, [true, false]] }).init(p)).toThrow(/2 flags for 3 elements/);
    expect(() => cge({ mask: [false, [false, false, false]] }).init(p)).toThrow(/selects no coordinate/);
    expect(() => cge({ mask: () => false }).queriesPerStep(p)).toThrow(InvalidInput);
  });

  test('queries per step: 2|S| central, 1 + |S| forward, for full, subset and masked variants', () => {
    const p = paramsFrom([1, 2, 3, 4, 5], [2, 3]);
    const cases: [CgeOptions, number][] = [
      [{}, 10],
      [{ difference: 'forward' }, 6],
      [{ numCoordinates: 3 }, 6],
      [{ numCoordinates: 9 }, 10],
      [{ difference: 'forward', numCoordinates: 2 }, 3],
      [{ mask: [true, [false, true, false]] }, 6],
      [{ mask: (b) => b.name === 'b1', difference: 'forward' }, 4],
      [{ sparsity: { ratio: 0.5 } }, 2 * (1 + 2)],
    ];
    for (const [options, n] of cases) {
      const est = cge(options);
      expect(est.queriesPerStep(p)).toBe(n);
      expect(est.propose(est.init(p), p, 7).probes).toHaveLength(n);
    }
  });

  test('C-5: each query moves one element, and after a step the parameters are bit-identical (also where x + μ − μ ≠ x)', async () => {
    // 1000.1 + 5e-3 − 5e-3 rounds away from 1000.1 in float32: restoring by "−μ" would drift.
    const x0 = [1000.1, -3.3e-5, 0.7, 12345.678, -1e-3, 3];
    const drifting = x0.filter((v) => Math.fround(Math.fround(Math.fround(v) + Math.fround(5e-3)) - Math.fround(5e-3)) !== Math.fround(v));
    expect(drifting.length).toBeGreaterThan(0);
    for (const restore of ['reapply', 'exact'] as const) {
      for (const options of [{}, { difference: 'forward' }, { numCoordinates: 2 }] satisfies CgeOptions[]) {
        const p = paramsFrom(x0, [4, 2]);
        const before = flatten(p);
        const est = cge(options);
        let state: CgeState = est.init(p);
        for (let step = 0; step < 20; step++) {
          const batch = est.propose(state, p, 100 + step);
          const oracle = valueOracle((x: Params) => {
            const now = flatten(x);
            expect(now.filter((v, i) => !Object.is(v, before[i])).length).toBeLessThanOrEqual(1);
            return now.reduce((s, v) => s + Math.cos(v), 0);
          });
          const r = await evaluateProbes(be, p, batch, oracle, { step, restore });
          expect(flatten(p)).toEqual(before);
          state = est.combine(state, batch, r.responses, p).state;
        }
      }
    }
  });

  test('a batch oracle receives every probe point of a step in one call, with the same result as a value oracle', async () => {
    const q = testQuadratic(7, 11);
    const run = async (kind: 'value' | 'batch'): Promise<[Float64Array, number]> => {
      let calls = 0;
      const f = (x: Params): number => q.value(flatten(x));
      const oracle =
        kind === 'batch'
          ? batchOracle((xs: readonly Params[]) => (calls++, xs.map(f)))
          : valueOracle((x: Params) => (calls++, f(x)));
      const opt = optimizer({ estimator: cge({ sparsity: { ratio: 0.3, mode: 'magnitude' }, numCoordinates: 4 }), update: sgd(0.05) });
      const p = paramsFrom([0.5, -1, 2, 0.25, 1, -0.5, 0.75], [3, 4]);
      let state = opt.init(p, 42);
      for (let k = 0; k < 5; k++) {
        const r = await opt.step(p, oracle, state);
        expect(r.queries).toBe(8);
        state = r.state;
      }
      return [flatten(p), calls];
    };
    const [xb, batchCalls] = await run('batch');
    const [xv, valueCalls] = await run('value');
    expect(batchCalls).toBe(5);
    expect(valueCalls).toBe(40);
    expect(xb).toEqual(xv);
  });

  test('the subset is a pure function of the step seed: distinct coordinates, same seed same subset, uniform inclusion', () => {
    const p = paramsFrom(new Array<number>(10).fill(0), [3, 7]);
    const est = cge({ numCoordinates: 4 });
    const state = est.init(p);
    const a = coordinates(est.propose(state, p, 123).probes);
    expect(a).toHaveLength(4);
    expect(coordinates(cge({ numCoordinates: 4 }).propose(state, p, 123).probes)).toEqual(a);
    expect(coordinates(est.propose(state, p, 124).probes)).not.toEqual(a);
    const N = 5000;
    const counts = new Map<string, number>();
    for (let s = 0; s < N; s++) for (const c of coordinates(est.propose(state, p, s).probes)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(10);
    const pr = 4 / 10;
    for (const n of counts.values()) expect(Math.abs(n / N - pr)).toBeLessThan(5 * Math.sqrt((pr * (1 - pr)) / N));
  });

  test('random sparsity: the realised density of every block is exactly the requested one, and the mask is redrawn every refreshEvery steps', async () => {
    const sizes = [1000, 200, 50];
    const p = paramsFrom(new Array<number>(1250).fill(0.5), sizes);
    const est = cge({ sparsity: { ratio: 0.9, refreshEvery: 3, seed: 5 } });
    const q = { value: (x: ArrayLike<number>) => x[0]! } as never;
    let state = est.init(p);
    const masks: string[][] = [];
    for (let k = 0; k < 7; k++) {
      const batch = est.propose(state, p, 1000 + k);
      const coords = coordinates(batch.probes);
      for (let b = 0; b < sizes.length; b++) {
        const realised = coords.filter((c) => c.startsWith(`${b}:`)).length / sizes[b]!;
        expect(realised).toBe(0.1);
      }
      masks.push(coords);
      const r = await evaluateProbes(be, p, batch, oracleFor(est, q), { step: k });
      const c = est.combine(state, batch, r.responses, p);
      expect(c.state.activeSince).toBe(k - (k % 3));
      state = c.state;
    }
    expect(masks[1]).toEqual(masks[0]);
    expect(masks[2]).toEqual(masks[0]);
    expect(masks[3]).not.toEqual(masks[0]);
    expect(masks[5]).toEqual(masks[3]);
    expect(masks[6]).not.toEqual(masks[3]);
    // The mask sequence depends on sparsity.seed, not on the step seeds.
    const other = cge({ sparsity: { ratio: 0.9, refreshEvery: 3, seed: 6 } });
    expect(coordinates(other.propose(other.init(p), p, 1000).probes)).not.toEqual(masks[0]);
    expect(coordinates(est.propose(est.init(p), p, 99).probes)).toEqual(masks[0]);
  });

  test('random sparsity: over refreshes every coordinate is active with frequency 1 − ratio', () => {
    const p = paramsFrom(new Array<number>(20).fill(1), [20]);
    const est = cge({ sparsity: { ratio: 0.75, refreshEvery: 1 } });
    const counts = new Float64Array(20);
    const N = 4000;
    for (let k = 0; k < N; k++) {
      const state: CgeState = { step: k, active: null, activeSince: -1 };
      for (const c of coordinates(est.propose(state, p, 0).probes)) counts[Number(c.split(':')[1])]! += 1;
    }
    for (const n of counts) expect(Math.abs(n / N - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / N));
  });

  test('magnitude sparsity keeps the (1 − ratio) fraction of largest |x| in each block, recomputed at the refresh step', async () => {
    const p = paramsFrom([0.1, -5, 3, 0.2, -0.3, 1, 2, -4, 0.5, 0], [5, 5]);
    const est = cge({ sparsity: { ratio: 0.6, mode: 'magnitude', refreshEvery: 2 }, difference: 'forward' });
    const state = est.init(p);
    expect(coordinates(est.propose(state, p, 1).probes)).toEqual(['0:1', '0:2', '1:1', '1:2']);
    // Between refreshes the mask is kept even when x changes; at the refresh step it follows x.
    const q = { value: (x: ArrayLike<number>) => x[1]! } as never;
    const batch = est.propose(state, p, 1);
    const r = await evaluateProbes(be, p, batch, oracleFor(est, q), { step: 0 });
    const next = est.combine(state, batch, r.responses, p).state;
    p[0]!.data.set([9, 0, 0, 0, 8]);
    expect(coordinates(est.propose(next, p, 2).probes)).toEqual(['0:1', '0:2', '1:1', '1:2']);
    expect(coordinates(est.propose({ ...next, step: 2 }, p, 3).probes)).toEqual(['0:0', '0:4', '1:1', '1:2']);
  });

  test('noise keys: one per step with common random numbers, one per query without', () => {
    const p = paramsFrom([1, 2, 3], [3]);
    for (const difference of ['central', 'forward'] as const) {
      const crn = cge({ difference }).propose({ step: 0, active: null, activeSince: 0 }, p, 9).probes;
      expect(new Set(crn.map((x) => x.noiseKey)).size).toBe(1);
      const own = cge({ difference, commonRandomNumbers: false }).propose({ step: 0, active: null, activeSince: 0 }, p, 9).probes;
      expect(new Set(own.map((x) => x.noiseKey)).size).toBe(own.length);
    }
  });

  test('sigma may be a schedule of the step; the divisor is the float32 step actually applied', () => {
    const p = paramsFrom([1, 2], [2]);
    const est = cge({ sigma: (k) => 0.1 / (k + 1) });
    const state: CgeState = { step: 4, active: null, activeSince: 0 };
    const batch = est.propose(state, p, 1);
    expect(batch.probes.map((x) => x.scale)).toEqual([0.02, -0.02, 0.02, -0.02]);
    const c = est.combine(state, batch, { kind: 'values', values: Float64Array.from([3, 1, 2, 2]) }, p);
    expect(c.update!.kind === 'dense' && Array.from(c.update!.blocks[0]!)).toEqual([Math.fround(2 / (2 * Math.fround(0.02))), 0]);
    expect(c.value).toBe(2);
  });

  test('a wrong oracle kind is an OracleMismatch; so are responses of the wrong kind', async () => {
    const p = paramsFrom([1, 2], [2]);
    const opt = optimizer({ estimator: cge(), update: sgd(0.1) });
    const ranking = rankingFromValues(valueOracle((x: Params) => x[0]!.data[0]!));
    await expect(opt.step(p, ranking, opt.init(p, 1))).rejects.toThrow(OracleMismatch);
    const est = cge();
    const batch = est.propose(est.init(p), p, 1);
    expect(() => est.combine(est.init(p), batch, { kind: 'ranking', order: Int32Array.from([0]) }, p)).toThrow(OracleMismatch);
    expect(() => est.combine(est.init(p), batch, { kind: 'values', values: new Float64Array(1) }, p)).toThrow(InvalidInput);
  });

  test('evaluation noise keyed by noiseSeed cancels in every difference with common random numbers', async () => {
    const p = paramsFrom([0.5, -0.5, 1], [3]);
    const noisy = valueOracle((x: Params, c: EvalContext) => x[0]!.data[0]! - 2 * x[0]!.data[1]! + (c.noiseSeed % 1000));
    const est = cge({ sigma: 2 ** -4 });
    const batch = est.propose(est.init(p), p, 77);
    const r = await evaluateProbes(be, p, batch, noisy, { step: 0 });
    const g = est.combine(est.init(p), batch, r.responses, p).update!;
    expect(g.kind === 'dense' && Array.from(g.blocks[0]!)).toEqual([1, -2, 0]);
  });

  test('estimates agree with the laws helper (dense update, one array per block)', async () => {
    const q = testQuadratic(5, 2);
    const e = await estimateOnce(cge({ sigma: 2 ** -6 }), paramsFrom([0, 0.5, -0.5, 1, 0.25], [2, 3]), q, 1);
    expect(e.update.kind).toBe('dense');
    expect(e.update.kind === 'dense' && e.update.blocks.map((b) => b.length)).toEqual([2, 3]);
  });
});
