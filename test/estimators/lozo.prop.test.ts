import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lozo, type LozoOptions, type LozoState } from '../../estimators/lozo.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import type { Params } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { densify } from '../laws/_internal/estimate.js';
import { blocks, checkLazyWindows, linear, noise } from './lozoHelpers.js';

const be = cpuBackend();
const M = 3;
const N = 4;

/**
 * Monte-Carlo mean (and standard error) of the LOZO estimate on a linear objective ⟨G, x⟩ at x = 0, over
 * `samples` step seeds, from `state` (a fresh state unless given).
 */
async function meanEstimate(options: LozoOptions, g: Float64Array[], samples: number, state?: (p: Params) => LozoState) {
  const est = lozo({ sigma: 0.125, ...options });
  const f = valueOracle(linear(g));
  const dim = g.reduce((s, b) => s + b.length, 0);
  const sum = new Float64Array(dim);
  const sum2 = new Float64Array(dim);
  for (let s = 0; s < samples; s++) {
    const p = blocks([[M, N], [3]]);
    const st = state ? state(p) : est.init(p);
    const batch = est.propose(st, p, 7000 + s);
    const r = await evaluateProbes(be, p, batch, f, { step: 0, restore: 'exact' });
    const e = densify(est.combine(st, batch, r.responses, p).update!, p);
    e.forEach((v, i) => {
      sum[i] = sum[i]! + v;
      sum2[i] = sum2[i]! + v * v;
    });
  }
  const mean = sum.map((v) => v / samples);
  const se = mean.map((m, i) => Math.sqrt(Math.max(sum2[i]! / samples - m * m, 0) / samples));
  return { mean, se };
}

const G = [Float64Array.from({ length: M * N }, (_, i) => 2 * noise(3, 0, i)), Float64Array.from([1, -0.5, 2])];

function expectWithin(mean: Float64Array, se: Float64Array, expected: ArrayLike<number>): void {
  for (let i = 0; i < mean.length; i++) {
    expect(Math.abs(mean[i]! - expected[i]!)).toBeLessThanOrEqual(5 * se[i]! + 1e-6);
  }
}

describe('LOZO laws (reference/algorithms.md §10)', () => {
  test('L-1: E_{U,V}[U Vᵀ ⟨G, U Vᵀ⟩] = rank·G on a matrix block (G on the 1-D block); normalize gives G', async () => {
    const rank = 2;
    const samples = 6000;
    const flat = [...G[0]!, ...G[1]!];
    const plain = await meanEstimate({ rank }, G, samples);
    expectWithin(plain.mean, plain.se, flat.map((v, i) => (i < M * N ? rank * v : v)));
    // The mean is far from G itself on the matrix: the factor rank is real.
    const gap = plain.mean.slice(0, M * N).reduce((s, v, i) => s + (v - flat[i]!) ** 2, 0);
    expect(Math.sqrt(gap)).toBeGreaterThan(0.5 * Math.hypot(...G[0]!));
    const normalized = await meanEstimate({ rank, normalize: true }, G, samples);
    expectWithin(normalized.mean, normalized.se, flat);
  });

  test('L-2: for a fixed V, E_U[U Vᵀ ⟨G, U Vᵀ⟩] = G V Vᵀ', async () => {
    const rank = 2;
    const v = Float32Array.from({ length: N * rank }, (_, i) => noise(12, 0, i) * 2);
    // Step 1 of a window of 50: the stored V is used.
    const { mean, se } = await meanEstimate({ rank }, G, 6000, () => ({ step: 1, v: [v, undefined] }));
    const gvv = new Float64Array(M * N);
    for (let i = 0; i < M; i++) {
      for (let c = 0; c < N; c++) {
        let s = 0;
        for (let k = 0; k < N; k++) for (let j = 0; j < rank; j++) s += G[0]![i * N + k]! * v[k * rank + j]! * v[c * rank + j]!;
        gvv[i * N + c] = s;
      }
    }
    expectWithin(mean, se, [...gvv, ...G[1]!]);
  });

  test('L-3: within one lazy window the cumulative change of W stays in {A Vᵀ} (rank ≤ r); across windows it leaves it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 3, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.boolean(),
        async (m, n, r, nu, seed, normalize) => {
          const rank = Math.min(r, n - 1);
          await checkLazyWindows((rk, every) => lozo({ rank: rk, resampleEvery: every, sigma: 0.01, normalize }), m, n, rank, nu, seed);
        },
      ),
      fcOptions(40),
    );
  });

  test('L-4: V is a pure function of the step seed at resample steps and independent of U (different seed and stream)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const est = lozo({ rank: 2, resampleEvery: 4 });
        const p = blocks([[4, 4]]);
        const a = est.propose(est.init(p), p, seed).probes[0]!.direction;
        const b = est.propose(est.init(p), p, seed).probes[0]!.direction;
        if (a.kind !== 'lowRank' || b.kind !== 'lowRank') throw new Error('expected lowRank');
        expect(a.v[0]).toEqual(b.v[0]);
        // U of the direction (materialised with V = I-like columns) never equals V: the streams differ.
        const u = new Float32Array(8);
        for (let i = 0; i < 8; i++) u[i] = materialU(a, i);
        expect(u).not.toEqual(a.v[0]);
      }),
      fcOptions(50),
    );
  });
});

/** Element i of U of block 0 of a direction, read back by perturbing with V = e_(i mod r) on one column. */
function materialU(d: { readonly seed: number; readonly rank: number }, i: number): number {
  const rank = d.rank;
  const row = Math.floor(i / rank);
  const j = i % rank;
  const v = new Float32Array(4 * rank);
  v[j] = 1; // column 0 of V is e_j
  const p = blocks([[4, 4]]);
  be.perturbInPlace({ kind: 'lowRank', seed: d.seed, rank, v: [v] }, 1, p);
  return p[0]!.data[row * 4]!;
}
