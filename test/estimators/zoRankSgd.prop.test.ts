import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { rankPermutation } from '../../estimators/_internal/rankPermutation.js';
import { rankWeights } from '../../estimators/_internal/rankWeights.js';
import { zoRankSgd, type ZoRankSgdOptions } from '../../estimators/zoRankSgd.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { identity, optimizer, rankingFromValues, sgd, valueOracle } from '../../src/index.js';
import type { Transform } from '../../src/transform/transform.js';
import type { Params, Probe } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { densify, estimateOnce } from '../laws/_internal/estimate.js';
import { flatten, paramsFrom } from '../laws/_internal/quadratic.js';

const be = cpuBackend();
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** A smooth non-convex test function on the concatenated blocks. */
const f = (x: ArrayLike<number>): number => {
  let s = Math.sin(3 * x[0]!);
  for (let i = 0; i < x.length; i++) s += (i + 1) * (x[i]! - 0.5) ** 2;
  return s;
};

/** Strictly increasing maps (on the range of f, which is > −1). */
const increasing: readonly [string, (v: number) => number][] = [
  ['3v + 7', (v) => 3 * v + 7],
  ['exp(v/4)', (v) => Math.exp(v / 4)],
  ['v³ + v', (v) => v ** 3 + v],
  ['atan(v)', (v) => Math.atan(v)],
  ['log(v + 2)', (v) => Math.log(v + 2)],
];

const variants: readonly ZoRankSgdOptions[] = [
  {},
  { topK: 2 },
  { normalize: true, numCandidates: 4 },
  { lineSearch: true },
  { lineSearch: { initialStep: 0.3, shrink: 0.3 }, normalize: true, shuffleDisplay: true },
  { shuffleDisplay: true, numCandidates: 5 },
];

/** Runs `steps` optimizer steps on `g` ∘ flatten with a (possibly top-k) value-ranking oracle; returns x. */
async function trajectory(options: ZoRankSgdOptions, g: (x: Params) => number, seed: number, x0: readonly number[], sizes: readonly number[], steps = 4): Promise<Float64Array> {
  const p = paramsFrom(x0, sizes);
  const oracle = rankingFromValues(valueOracle(g), options.topK !== undefined ? { topK: options.topK } : {});
  const update: Transform<unknown> = options.lineSearch ? identity() : sgd(0.05);
  const opt = optimizer({ estimator: zoRankSgd({ sigma: 0.05, ...options }), update });
  let st = opt.init(p, seed);
  for (let k = 0; k < steps; k++) st = (await opt.step(p, oracle, st)).state;
  return flatten(p);
}

describe('ZO-RankSGD laws (reference/algorithms.md §10, R-1 … R-6)', () => {
  test('R-1: for strictly increasing h the trajectory on h∘f equals the one on f, bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.constantFrom(...increasing), fc.constantFrom(...variants), fc.constantFrom([3], [2, 2], [1, 3, 1]), async (seed, [, h], options, sizes) => {
        const n = sizes.reduce((a, b) => a + b, 0);
        const x0 = Array.from({ length: n }, (_, i) => Math.cos(i + seed));
        const a = await trajectory(options, (x) => f(flatten(x)), seed, x0, sizes);
        const b = await trajectory(options, (x) => h(f(flatten(x))), seed, x0, sizes);
        expect(b).toEqual(a);
        expect(Array.from(a).every(Number.isFinite)).toBe(true);
      }),
      fcOptions(60),
    );
  });

  test('R-2: wᵢ = (edges won − edges lost) in the DAG, |E| = k(k−1)/2 + k(m−k), Σw = 0; full ranking wₜ = m − 1 − 2t', () => {
    const ranking = fc.integer({ min: 2, max: 12 }).chain((m) =>
      fc.tuple(fc.constant(m), fc.shuffledSubarray(Array.from({ length: m }, (_, i) => i), { minLength: m, maxLength: m }), fc.integer({ min: 1, max: m })),
    );
    fc.assert(
      fc.property(ranking, ([m, perm, k]) => {
        const order = perm.slice(0, k);
        const r = rankWeights(m, order);
        const expected = new Float64Array(m);
        let edges = 0;
        const unranked = Array.from({ length: m }, (_, i) => i).filter((i) => !order.includes(i));
        const edge = (a: number, b: number): void => {
          expected[a] = expected[a]! + 1;
          expected[b] = expected[b]! - 1;
          edges++;
        };
        for (let t = 0; t < k; t++) {
          for (let u = t + 1; u < k; u++) edge(order[t]!, order[u]!);
          for (const j of unranked) edge(order[t]!, j);
        }
        expect(Array.from(r.weights)).toEqual(Array.from(expected));
        expect(r.edges).toBe(edges);
        expect(r.edges).toBe((k * (k - 1)) / 2 + k * (m - k));
        expect(r.weights.reduce((s, v) => s + v, 0)).toBe(0);
        order.forEach((c, t) => expect(r.weights[c]).toBe(m - 1 - 2 * t));
        unranked.forEach((c) => expect(r.weights[c]).toBe(-k));
      }),
      fcOptions(200),
    );
  });

  test('R-3: on a linear f with one pair (m = 2), E[ξ_better − ξ_worse] = −(2/√π)·g/‖g‖, whatever ‖g‖', async () => {
    const g = [1, -2, 0.5, 3, 0];
    const gn = Math.hypot(...g);
    for (const scale of [1, 1000]) {
      const lin = { value: (x: ArrayLike<number>) => g.reduce((s, v, i) => s + scale * v * x[i]!, 0) };
      const N = 12000;
      const sum = new Float64Array(g.length);
      for (let s = 0; s < N; s++) {
        const e = await estimateOnce(zoRankSgd({ numCandidates: 2, sigma: 0.125 }), paramsFrom([0, 0, 0, 0, 0], [5]), lin as never, s);
        e.dense.forEach((v, i) => (sum[i] = sum[i]! - v)); // d = −ĝ
      }
      for (let i = 0; i < g.length; i++) {
        const expected = (-2 / Math.sqrt(Math.PI)) * (g[i]! / gn);
        // Var(ξ_b,i − ξ_w,i) = 2 − mean² ≤ 2: 5 standard errors.
        expect(Math.abs(sum[i]! / N - expected)).toBeLessThan(5 * Math.sqrt((2 - expected ** 2) / N));
      }
    }
  });

  test('R-5: with all values equal the estimate (and the line search) is defined and never NaN', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.constantFrom(...variants), async (seed, options) => {
        const flat = { value: () => 1.5 };
        const p = paramsFrom([0.2, -0.4, 1], [3]);
        const est = zoRankSgd(options);
        const e = await estimateOnce(est, p, flat as never, seed);
        expect(e.dense.every(Number.isFinite)).toBe(true);
        expect(Number.isNaN(e.value)).toBe(true); // no values from a ranking oracle, by design
        // The line search breaks ties toward x (candidate 0) when the display is not shuffled: no move.
        if (options.lineSearch && !options.shuffleDisplay) expect(e.update).toEqual({ kind: 'implicit', terms: [] });
      }),
      fcOptions(40),
    );
    // A degenerate direction (d = 0) with normalize gives a zero step, not NaN.
    const p = paramsFrom([0, 0], [2]);
    const est = zoRankSgd({ normalize: true, numCandidates: 3 });
    const probe: Probe = { direction: { kind: 'gaussian', seed: 7 }, scale: 0.1, noiseKey: 0 };
    const c = est.combine(est.init(p), { probes: [probe, probe, probe], response: 'ranking' }, { kind: 'ranking', order: Int32Array.of(0, 1, 2) }, p);
    expect(Array.from(densify(c.update!, p))).toEqual([0, 0]);
  });

  test('R-6: shuffled display shows a permutation of the same candidates and maps ranks back in both rounds', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.integer({ min: 3, max: 8 }), fc.boolean(), async (seed, m, lineSearch) => {
        const base: ZoRankSgdOptions = { numCandidates: m, normalize: true, ...(lineSearch ? { lineSearch: { initialStep: 0.5 } } : {}) };
        const x0 = [0.9, -0.3, 0.4];
        // Same trajectory, bit for bit (f is continuous: no ties).
        const plain = await trajectory(base, (x) => f(flatten(x)), seed, x0, [3], 5);
        const shuffled = await trajectory({ ...base, shuffleDisplay: true }, (x) => f(flatten(x)), seed, x0, [3], 5);
        expect(shuffled).toEqual(plain);
        // Each round shows the plain round's candidates in another order.
        const p = paramsFrom(x0, [3]);
        const a = zoRankSgd(base);
        const b = zoRankSgd({ ...base, shuffleDisplay: true });
        let sa = a.init(p);
        let sb = b.init(p);
        for (let round = 0; round < (lineSearch ? 2 : 1); round++) {
          const ba = a.propose(sa, p, seed);
          const bb = b.propose(sb, p, seed);
          const key = (q: Probe): string => `${q.direction.kind}:${q.direction.kind === 'gaussian' ? q.direction.seed : ''}:${q.scale}`;
          expect(bb.probes.map(key).sort()).toEqual(ba.probes.map(key).sort());
          const oracle = rankingFromValues(valueOracle((x: Params) => f(flatten(x))));
          const ra = await evaluateProbes(be, p, ba, oracle, { step: 0 });
          const rb = await evaluateProbes(be, p, bb, oracle, { step: 0 });
          const ca = a.combine(sa, ba, ra.responses, p);
          const cb = b.combine(sb, bb, rb.responses, p);
          if (ca.update !== undefined) expect(densify(cb.update!, p)).toEqual(densify(ca.update, p));
          sa = ca.state;
          sb = cb.state;
        }
        expect(sb).toEqual(sa);
      }),
      fcOptions(40),
    );
  });

  test('R-6: the display permutation is a seeded permutation, and not the identity in general', () => {
    let moved = 0;
    fc.assert(
      fc.property(u32, fc.integer({ min: 1, max: 12 }), (seed, n) => {
        const perm = rankPermutation(n, seed);
        expect(Array.from(perm).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(rankPermutation(n, seed)).toEqual(perm);
        if (perm.some((c, i) => c !== i)) moved++;
      }),
      fcOptions(200),
    );
    expect(moved).toBeGreaterThan(100);
  });
});
