import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import type { EvalContext, Params, ProbeBatch } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { densify, estimateOnce } from '../laws/_internal/estimate.js';
import { flatten, paramsFrom, testQuadratic } from '../laws/_internal/quadratic.js';

const be = cpuBackend();
const U = 2 ** -24;
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** The materialised direction of the first implicit term. */
function directionOf(batch: ProbeBatch, params: Params): Float64Array {
  const z = be.zerosLike(params);
  be.perturbInPlace(batch.probes[0]!.direction, 1, z);
  return flatten(z);
}

describe('SPSA laws (reference/algorithms.md §10)', () => {
  test('S-2: on a quadratic, f(x+cΔ) − f(x−cΔ) = 2c·gᵀΔ, so the projected gradient is gᵀΔ', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.array(fc.integer({ min: -32, max: 32 }), { minLength: 5, maxLength: 5 }), async (seed, xi) => {
        const q = testQuadratic(5, seed % 1000);
        const x = xi.map((v) => v / 16); // exactly representable; x ± 1/8 stays exact in float32
        const est = spsa({ sigma: 0.125, distribution: 'rademacher' });
        const p = paramsFrom(x, [5]);
        const e = await estimateOnce(est, p, q, seed);
        const delta = directionOf({ probes: e.probes, response: 'values' }, p);
        const g = q.grad(x);
        const gd = g.reduce((s, v, i) => s + v * delta[i]!, 0);
        const coeff = e.update.kind === 'implicit' ? e.update.terms[0]!.coeff : NaN;
        expect(Math.abs(coeff - gd)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(gd)) * 50);
      }),
      fcOptions(100),
    );
  });

  test('S-3 / P-MeZO-2: Gaussian central difference on a quadratic gives gᵀz up to float32 rounding of x ± σz', async () => {
    await fc.assert(
      fc.asyncProperty(u32, async (seed) => {
        const q = testQuadratic(6, seed % 1000);
        const x = [0.5, -1, 0.25, 2, -0.75, 1.5];
        const p = paramsFrom(x, [6]);
        const e = await estimateOnce(spsa({ sigma: 0.01, distribution: 'gaussian' }), p, q, seed);
        const z = directionOf({ probes: e.probes, response: 'values' }, p);
        const g = q.grad(x);
        const gz = g.reduce((s, v, i) => s + v * z[i]!, 0);
        const coeff = e.update.kind === 'implicit' ? e.update.terms[0]!.coeff : NaN;
        // rounding of x ± σz in float32 moves each coordinate by ≤ u·|x|: error ≤ ‖g‖₁·u·max|x|/σ + O(σ).
        const tol = (g.reduce((s, v) => s + Math.abs(v), 0) * U * 2 * 4) / 0.01 + 1e-9;
        expect(Math.abs(coeff - gz)).toBeLessThanOrEqual(tol);
      }),
      fcOptions(100),
    );
  });

  test('P-MeZO-4: swapping the + and − evaluations does not change the projected gradient', async () => {
    await fc.assert(
      fc.asyncProperty(u32, async (seed) => {
        const est = spsa({ sigma: 1e-2, distribution: 'gaussian' });
        const p = paramsFrom([1, 2, 3], [3]);
        const batch = est.propose(est.init(p), p, seed);
        const f = (x: Params) => Math.exp(x[0]!.data[0]!) + x[0]!.data[1]! ** 3 - x[0]!.data[2]!;
        const r = await evaluateProbes(be, p, batch, valueOracle(f), { step: 0 });
        const swapped: ProbeBatch = { response: 'values', probes: [batch.probes[1]!, batch.probes[0]!] };
        const values = r.responses.kind === 'values' ? r.responses.values : new Float64Array();
        const a = est.combine(est.init(p), batch, r.responses, p);
        const b = est.combine(est.init(p), swapped, { kind: 'values', values: Float64Array.from([values[1]!, values[0]!]) }, p);
        expect(densify(b.update!, p)).toEqual(densify(a.update!, p));
      }),
      fcOptions(50),
    );
  });

  test('S-1: on a linear f, Rademacher SPSA has mean g and per-coordinate variance Σ_{j≠i} g_j²', async () => {
    const g = [1, -2, 0.5, 3];
    const lin = { value: (x: ArrayLike<number>) => g.reduce((s, v, i) => s + v * x[i]!, 0), grad: () => Float64Array.from(g) };
    const N = 6000;
    const sum = new Float64Array(4);
    const sum2 = new Float64Array(4);
    for (let s = 0; s < N; s++) {
      const e = await estimateOnce(spsa({ sigma: 0.125 }), paramsFrom([0, 0, 0, 0], [4]), lin as never, s);
      e.dense.forEach((v, i) => {
        sum[i] = sum[i]! + v;
        sum2[i] = sum2[i]! + v * v;
      });
    }
    const total = g.reduce((s, v) => s + v * v, 0);
    for (let i = 0; i < 4; i++) {
      const mean = sum[i]! / N;
      const variance = sum2[i]! / N - mean * mean;
      const expected = total - g[i]! ** 2;
      expect(Math.abs(mean - g[i]!)).toBeLessThan(5 * Math.sqrt(expected / N));
      expect(Math.abs(variance - expected) / expected).toBeLessThan(0.1);
    }
  });

  test('P-MeZO-3: on a linear f, Gaussian SPSA has E‖ĝ‖² = (d + 2)‖g‖², and q directions divide the variance by q', async () => {
    const d = 6;
    const g = [1, -1, 2, 0.5, -0.5, 1.5];
    const gg = g.reduce((s, v) => s + v * v, 0);
    const lin = { value: (x: ArrayLike<number>) => g.reduce((s, v, i) => s + v * x[i]!, 0) };
    for (const q of [1, 4]) {
      const N = 4000;
      let m2 = 0;
      for (let s = 0; s < N; s++) {
        const e = await estimateOnce(spsa({ sigma: 0.125, distribution: 'gaussian', numProbes: q }), paramsFrom(new Array<number>(d).fill(0), [d]), lin as never, s);
        let err = 0;
        e.dense.forEach((v, i) => (err += (v - g[i]!) ** 2));
        m2 += err;
      }
      // E‖ĝ − g‖² = (d + 1)‖g‖² / q for Gaussian directions.
      expect(Math.abs(m2 / N / (((d + 1) * gg) / q) - 1)).toBeLessThan(0.1);
    }
  });

  test('S-4: the radius of step k is sigma(k), and the divisor is the same float32 radius', async () => {
    const sched = (k: number) => 0.1 / (k + 1) ** 0.101;
    const est = spsa({ sigma: sched, distribution: 'rademacher' });
    const p = paramsFrom([1, 1], [2]);
    let state = est.init(p);
    for (let k = 0; k < 5; k++) {
      const batch = est.propose(state, p, 100 + k);
      expect(batch.probes.map((pr) => pr.scale)).toEqual([sched(k), -sched(k)]);
      const c = est.combine(state, batch, { kind: 'values', values: Float64Array.from([3, 1]) }, p);
      const coeff = c.update!.kind === 'implicit' ? c.update!.terms[0]!.coeff : NaN;
      expect(coeff).toBe(2 / (2 * Math.fround(sched(k))));
      state = c.state;
    }
  });

  test('S-6: with common random numbers both evaluations of a pair see the same noise, which cancels', async () => {
    const noise = (c: EvalContext) => gaussianAt(c.noiseSeed, 0, 0);
    await fc.assert(
      fc.asyncProperty(u32, async (seed) => {
        const p = paramsFrom([0.5, -0.5, 1], [3]);
        const lin = (x: Params) => x[0]!.data[0]! - 2 * x[0]!.data[1]! + 0.5 * x[0]!.data[2]!;
        const run = async (crn: boolean, noisy: boolean) => {
          const est = spsa({ sigma: 0.125, numProbes: 2, commonRandomNumbers: crn });
          const batch = est.propose(est.init(p), p, seed);
          const r = await evaluateProbes(be, p, batch, valueOracle((x: Params, c) => lin(x) + (noisy ? 5 * noise(c) : 0)), { step: 0 });
          return { batch, dense: densify(est.combine(est.init(p), batch, r.responses, p).update!, p) };
        };
        const clean = await run(true, false);
        const crn = await run(true, true);
        expect(crn.batch.probes[0]!.noiseKey).toBe(crn.batch.probes[1]!.noiseKey);
        crn.dense.forEach((v, i) => expect(v).toBeCloseTo(clean.dense[i]!, 10));
        const independent = await run(false, true);
        expect(independent.batch.probes[0]!.noiseKey).not.toBe(independent.batch.probes[1]!.noiseKey);
      }),
      fcOptions(30),
    );
  });

  test('P-MeZO-6: the +σ, −2σ, +σ schedule restores each element within u·(|x₁| + |x₂| + |x₃|); exact mode restores bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.double({ min: 1e-4, max: 1, noNaN: true }), async (seed, sigma) => {
        const n = 257;
        const x0 = Float32Array.from({ length: n }, (_, i) => Math.fround(0.05 * gaussianAt(seed, 3, i)));
        for (const restore of ['reapply', 'exact'] as const) {
          const p: Params = [{ name: 'w', shape: [n], data: x0.slice() }];
          const seen: Float32Array[] = [];
          const est = spsa({ sigma, distribution: 'gaussian' });
          const batch = est.propose(est.init(p), p, seed);
          await evaluateProbes(be, p, batch, valueOracle((x: Params) => (seen.push(x[0]!.data.slice()), 0)), { step: 0, restore });
          const x3 = p[0]!.data;
          for (let i = 0; i < n; i++) {
            const bound = restore === 'exact' ? 0 : U * (Math.abs(seen[0]![i]!) + Math.abs(seen[1]![i]!) + Math.abs(x3[i]!));
            expect(Math.abs(x3[i]! - x0[i]!)).toBeLessThanOrEqual(bound);
          }
        }
      }),
      fcOptions(30),
    );
  });
});
