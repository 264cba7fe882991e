import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cge, type CgeOptions } from '../../estimators/cge.js';
import { fcOptions } from '../_support/fcConfig.js';
import { estimateOnce } from '../laws/_internal/estimate.js';
import { gaussianVector, paramsFrom, testQuadratic, type TestQuadratic } from '../laws/_internal/quadratic.js';

const U = 2 ** -24;
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const layouts = fc.constantFrom([3], [5], [2, 3], [1, 4, 2], [6, 1]);
const f32 = (v: number): number => Math.fround(v);

/**
 * The float32 tolerance of a central difference of a quadratic at x with step μ: the probe points
 * fl(xᵢ ± fl(μ)) are off by ≤ u·|xᵢ ± μ| each (a relative error of the divisor), which costs |gᵢ|·u·(|x⁺|+|x⁻|)/(2μ)
 * and Hᵢᵢ·u·(|x⁺|+|x⁻|); the float64 evaluation of f costs ~1e-15·|f|/μ; storing ĝ in float32 costs u·|gᵢ|.
 */
function centralTolerance(q: TestQuadratic, x: ArrayLike<number>, i: number, mu: number, g: number): number {
  const m = f32(mu);
  const spread = Math.abs(x[i]! + m) + Math.abs(x[i]! - m);
  const hii = Math.abs(q.h[i * q.dim + i]!);
  return 2 * ((Math.abs(g) * U * spread) / (2 * m) + hii * U * spread + (1e-14 * (1 + Math.abs(q.value(x)))) / m + U * Math.abs(g)) + 1e-12;
}

/** x rounded to float32, as the parameters hold it. */
function rounded(x: readonly number[]): number[] {
  return x.map(f32);
}

describe('CGE laws (reference/algorithms.md §10, C-1 … C-3)', () => {
  test('C-1: central differences equal ∇f exactly when x ± μ is exact (dyadic x, μ = 2⁻⁶)', async () => {
    await fc.assert(
      fc.asyncProperty(layouts, u32, fc.array(fc.integer({ min: -256, max: 256 }), { minLength: 7, maxLength: 7 }), async (sizes, seed, xi) => {
        const n = sizes.reduce((a, b) => a + b, 0);
        const q = testQuadratic(n, seed % 1000);
        const x = xi.slice(0, n).map((v) => v / 64);
        const e = await estimateOnce(cge({ sigma: 2 ** -6 }), paramsFrom(x, sizes), q, seed);
        const g = q.grad(x);
        e.dense.forEach((v, i) => expect(Math.abs(v - g[i]!)).toBeLessThanOrEqual(U * Math.abs(g[i]!) + 1e-12 * (1 + Math.abs(q.value(x)))));
        expect(e.queries).toBe(2 * n);
      }),
      fcOptions(100),
    );
  });

  test('C-1: central differences equal ∇f to float32 tolerance on random quadratics, any x and μ', async () => {
    await fc.assert(
      fc.asyncProperty(
        layouts,
        u32,
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 7, maxLength: 7 }),
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        async (sizes, seed, xs, mu) => {
          const n = sizes.reduce((a, b) => a + b, 0);
          const q = testQuadratic(n, seed % 1000);
          const x = rounded(xs.slice(0, n));
          const e = await estimateOnce(cge({ sigma: mu }), paramsFrom(x, sizes), q, seed);
          const g = q.grad(x);
          e.dense.forEach((v, i) => expect(Math.abs(v - g[i]!)).toBeLessThanOrEqual(centralTolerance(q, x, i, mu, g[i]!)));
        },
      ),
      fcOptions(100),
    );
  });

  test('C-1: on a rotated ill-conditioned quadratic (d = 100, κ = 10⁶), central CGE with the default μ equals ∇f to float tolerance', async () => {
    const d = 100;
    const q = rotatedQuadratic(d, 1e6, 17);
    const x = rounded(Array.from(gaussianVector(d, 99)));
    const e = await estimateOnce(cge(), paramsFrom(x, [40, 60]), q, 5);
    const g = q.grad(x);
    let err = 0;
    let norm = 0;
    e.dense.forEach((v, i) => {
      expect(Math.abs(v - g[i]!)).toBeLessThanOrEqual(centralTolerance(q, x, i, 5e-3, g[i]!));
      err += (v - g[i]!) ** 2;
      norm += g[i]! ** 2;
    });
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-4);
    expect(e.queries).toBe(2 * d);
  });

  test('C-2: forward differences carry exactly the bias (μ/2)·diag(H) (dyadic x, μ = 2⁻⁶)', async () => {
    await fc.assert(
      fc.asyncProperty(layouts, u32, fc.array(fc.integer({ min: -256, max: 256 }), { minLength: 7, maxLength: 7 }), async (sizes, seed, xi) => {
        const n = sizes.reduce((a, b) => a + b, 0);
        const q = testQuadratic(n, seed % 1000);
        const x = xi.slice(0, n).map((v) => v / 64);
        const mu = 2 ** -6;
        const e = await estimateOnce(cge({ sigma: mu, difference: 'forward' }), paramsFrom(x, sizes), q, seed);
        const g = q.grad(x);
        e.dense.forEach((v, i) => {
          const bias = (mu / 2) * q.h[i * n + i]!;
          expect(Math.abs(v - g[i]! - bias)).toBeLessThanOrEqual(U * (Math.abs(g[i]!) + bias) + 1e-12 * (1 + Math.abs(q.value(x))));
        });
        expect(e.queries).toBe(1 + n);
        expect(e.value).toBe(q.value(x));
      }),
      fcOptions(100),
    );
  });

  test('C-2: with any x and the default μ the forward bias is (μ/2)·Hᵢᵢ up to float32 rounding of the probe', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 5, maxLength: 5 }), async (seed, xs) => {
        const q = testQuadratic(5, seed % 1000);
        const x = rounded(xs);
        const e = await estimateOnce(cge({ difference: 'forward' }), paramsFrom(x, [5]), q, seed);
        const g = q.grad(x);
        const mu = f32(5e-3);
        e.dense.forEach((v, i) => {
          const bias = (mu / 2) * q.h[i * 5 + i]!;
          expect(Math.abs(v - g[i]! - bias)).toBeLessThanOrEqual(centralTolerance(q, x, i, mu, g[i]!));
        });
      }),
      fcOptions(100),
    );
  });

  test('C-3: masked coordinates get exactly 0, the active ones their difference; 2|S| (central) or 1 + |S| (forward) queries', async () => {
    const maskedLayout = layouts.chain((sizes) =>
      fc
        .array(fc.boolean(), { minLength: total(sizes), maxLength: total(sizes) })
        .filter((flat) => flat.includes(true))
        .map((flat) => [sizes, sizes.map((n, b) => flat.slice(offset(sizes, b), offset(sizes, b) + n))] as const),
    );
    await fc.assert(
      fc.asyncProperty(maskedLayout, u32, fc.constantFrom('central', 'forward') as fc.Arbitrary<'central' | 'forward'>, fc.boolean(), async ([sizes, mask], seed, difference, bytes) => {
        const n = sizes.reduce((a, b) => a + b, 0);
        const q = testQuadratic(n, seed % 1000);
        const x = Array.from({ length: n }, (_, i) => (i - 2) / 8);
        const est = cge({ sigma: 2 ** -6, difference, mask: bytes ? mask.map((m) => Uint8Array.from(m, Number)) : mask });
        const p = paramsFrom(x, sizes);
        const e = await estimateOnce(est, p, q, seed);
        const flags = mask.flat();
        const s = flags.filter(Boolean).length;
        const g = q.grad(x);
        flags.forEach((on, i) => {
          if (!on) expect(Object.is(e.dense[i], 0)).toBe(true);
          else {
            const bias = difference === 'forward' ? (2 ** -6 / 2) * q.h[i * n + i]! : 0;
            expect(e.dense[i]).toBeCloseTo(g[i]! + bias, 5);
          }
        });
        expect(e.queries).toBe(difference === 'central' ? 2 * s : 1 + s);
        expect(est.queriesPerStep(p)).toBe(e.queries);
      }),
      fcOptions(100),
    );
  });

  test('C-3: with sparsity rules and a per-step subset, exactly the probed coordinates are non-zero and the count is as documented', async () => {
    await fc.assert(
      fc.asyncProperty(
        layouts,
        u32,
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.constantFrom('magnitude', 'random') as fc.Arbitrary<'magnitude' | 'random'>,
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        fc.constantFrom('central', 'forward') as fc.Arbitrary<'central' | 'forward'>,
        async (sizes, seed, ratio, mode, numCoordinates, difference) => {
          const n = sizes.reduce((a, b) => a + b, 0);
          const q = testQuadratic(n, seed % 1000);
          const x = Array.from({ length: n }, (_, i) => Math.sin(i + seed));
          const options: CgeOptions = { difference, sparsity: { ratio, mode, seed }, ...(numCoordinates !== undefined ? { numCoordinates } : {}) };
          const est = cge(options);
          const p = paramsFrom(x, sizes);
          const e = await estimateOnce(est, p, q, seed);
          const kept = sizes.reduce((s, m) => s + Math.max(1, Math.round((1 - ratio) * m)), 0);
          const s = Math.min(kept, numCoordinates ?? kept);
          expect(e.queries).toBe(difference === 'central' ? 2 * s : 1 + s);
          expect(est.queriesPerStep(p)).toBe(e.queries);
          const probed = new Set(e.probes.flatMap((pr) => (pr.direction.kind === 'coordinate' ? [offset(sizes, pr.direction.block) + pr.direction.index] : [])));
          expect(probed.size).toBe(s);
          e.dense.forEach((v, i) => {
            if (!probed.has(i)) expect(Object.is(v, 0)).toBe(true);
          });
        },
      ),
      fcOptions(100),
    );
  });

  test('subset: each drawn coordinate gets its plain central difference, so the mean over seeds is (k/d)·∇f', async () => {
    const n = 6;
    const k = 2;
    const q = testQuadratic(n, 3);
    const x = [0.5, -0.25, 1, 0.75, -1, 0.125];
    const g = q.grad(x);
    const N = 6000;
    const sum = new Float64Array(n);
    const sum2 = new Float64Array(n);
    for (let s = 0; s < N; s++) {
      const e = await estimateOnce(cge({ sigma: 2 ** -6, numCoordinates: k }), paramsFrom(x, [n]), q, s);
      e.dense.forEach((v, i) => {
        if (v !== 0) expect(Math.abs(v - g[i]!)).toBeLessThanOrEqual(U * Math.abs(g[i]!) + 1e-12);
        sum[i] = sum[i]! + v;
        sum2[i] = sum2[i]! + v * v;
      });
    }
    for (let i = 0; i < n; i++) {
      const mean = sum[i]! / N;
      const se = Math.sqrt((sum2[i]! / N - mean * mean) / N);
      expect(Math.abs(mean - (k / n) * g[i]!)).toBeLessThan(5 * se);
    }
  });
});

function total(sizes: readonly number[]): number {
  return sizes.reduce((a, b) => a + b, 0);
}

function offset(sizes: readonly number[], block: number): number {
  return sizes.slice(0, block).reduce((a, b) => a + b, 0);
}

/**
 * f(x) = ½ (x − c)ᵀ Q Λ Qᵀ (x − c) with Q a seeded orthogonal matrix (modified Gram–Schmidt of a Gaussian
 * matrix) and Λ log-spaced from 1 to κ.
 */
function rotatedQuadratic(d: number, kappa: number, seed: number): TestQuadratic {
  const a = gaussianVector(d * d, seed);
  const qm = new Float64Array(d * d); // columns of Q, column j at [j·d, (j+1)·d)
  for (let j = 0; j < d; j++) {
    const v = a.slice(j * d, (j + 1) * d);
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += qm[k * d + i]! * v[i]!;
      for (let i = 0; i < d; i++) v[i] = v[i]! - dot * qm[k * d + i]!;
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < d; i++) qm[j * d + i] = v[i]! / norm;
  }
  const h = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const lambda = kappa ** (k / (d - 1));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i * d + j] = h[i * d + j]! + lambda * qm[k * d + i]! * qm[k * d + j]!;
  }
  const c = gaussianVector(d, seed + 1);
  const b = new Float64Array(d); // b = −H c, so that ∇f = H x + b = H (x − c)
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) b[i] = b[i]! - h[i * d + j]! * c[j]!;
  const hx = (x: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += h[i * d + j]! * x[j]!;
      out[i] = s;
    }
    return out;
  };
  return {
    dim: d,
    h,
    b,
    value(x) {
      const r = Float64Array.from({ length: d }, (_, i) => x[i]! - c[i]!);
      const v = hx(r);
      let s = 0;
      for (let i = 0; i < d; i++) s += 0.5 * r[i]! * v[i]!;
      return s;
    },
    grad(x) {
      const v = hx(x);
      for (let i = 0; i < d; i++) v[i] = v[i]! + b[i]!;
      return v;
    },
  };
}
