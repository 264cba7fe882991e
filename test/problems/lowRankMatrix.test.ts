import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lozo } from '../../estimators/lozo.js';
import { lowRankMatrix } from '../../problems/lowRankMatrix.js';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import type { Estimator } from '../../src/estimator.js';
import { minimize } from '../../src/minimize.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Params } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { offSubspace } from '../estimators/lozoHelpers.js';

function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) t[c * m + i] = a[i * n + c]!;
  return t;
}

describe('lowRankMatrix', () => {
  test('the TSDoc example: f(W*) ≈ 0, and a gradient of rank ≤ 2', () => {
    const p = lowRankMatrix({ rows: 6, cols: 5, rank: 2, seed: 1 });
    expect(p.value(Float32Array.from(p.optimum.x))).toBeLessThan(1e-12);
    const g = new Float32Array(p.dim);
    p.grad(p.initialPoint(0), g);
    const size = Math.hypot(...g);
    expect(size).toBeGreaterThan(0);
    expect(offSubspace(g, 6, 5, p.right, 2)).toBeLessThan(1e-6 * size);
    expect(p.shape).toEqual([6, 5]);
    expect(p.dim).toBe(30);
    expect(p.optimum.value).toBe(0);
  });

  test('the gradient is exact (central differences of a quadratic) and has rank ≤ k with column space span(A), row space span(B), everywhere', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (m, n, k0, seed) => {
          const k = Math.min(k0, m, n);
          const p = lowRankMatrix({ rows: m, cols: n, rank: k, seed });
          const x = p.initialPoint((seed ^ 1) >>> 0);
          const d = p.initialPoint((seed ^ 2) >>> 0);
          const g = new Float32Array(p.dim);
          p.grad(x, g);
          const h = 1 / 64;
          const plus = Float32Array.from(x, (v, i) => v + h * d[i]!);
          const minus = Float32Array.from(x, (v, i) => v - h * d[i]!);
          const fd = (p.value(plus) - p.value(minus)) / (2 * h);
          const gd = g.reduce((s, v, i) => s + v * d[i]!, 0);
          expect(Math.abs(fd - gd)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(gd)));
          const size = Math.hypot(...g);
          if (k < n) expect(offSubspace(g, m, n, p.right, k)).toBeLessThanOrEqual(1e-5 * (size + 1e-30));
          if (k < m) expect(offSubspace(transpose(g, m, n), n, m, p.left, k)).toBeLessThanOrEqual(1e-5 * (size + 1e-30));
        },
      ),
      fcOptions(100),
    );
  });

  test('seeded and deterministic: same seed, same instance and start; starts in [−1, 1]', () => {
    const a = lowRankMatrix({ rows: 4, cols: 3, rank: 2, seed: 5 });
    const b = lowRankMatrix({ rows: 4, cols: 3, rank: 2, seed: 5 });
    const c = lowRankMatrix({ rows: 4, cols: 3, rank: 2, seed: 6 });
    expect(a.optimum.x).toEqual(b.optimum.x);
    expect(a.optimum.x).not.toEqual(c.optimum.x);
    expect(a.initialPoint(3)).toEqual(b.initialPoint(3));
    expect(a.initialPoint(3)).not.toEqual(a.initialPoint(4));
    expect(a.initialPoint(3).every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(a.value(a.initialPoint(3))).toBe(b.value(b.initialPoint(3)));
  });

  test('bad options and inputs get typed errors naming the parameter', () => {
    expect(() => lowRankMatrix({ rows: 3, cols: 2, rank: 3 })).toThrow(InvalidHyperparameter);
    expect(() => lowRankMatrix({ rows: 3, cols: 2, rank: 3 })).toThrow(/Invalid rank/);
    expect(() => lowRankMatrix({ rows: 0, cols: 2, rank: 1 })).toThrow(/Invalid rows/);
    expect(() => lowRankMatrix({ rows: 2, cols: 2.5, rank: 1 })).toThrow(/Invalid cols/);
    expect(() => lowRankMatrix({ rows: 2, cols: 2, rank: 1, seed: -1 })).toThrow(/Invalid seed/);
    const p = lowRankMatrix({ rows: 2, cols: 2, rank: 1 });
    expect(() => p.value(new Float32Array(3))).toThrow(InvalidInput);
  });

  test('minimize hands the estimator one rows × cols block, and LOZO decreases f', async () => {
    const p = lowRankMatrix({ rows: 12, cols: 10, rank: 2, seed: 3 });
    const shapes: (readonly number[])[] = [];
    const inner = lozo({ rank: 2, resampleEvery: 10, sigma: 1e-3 });
    const spy: Estimator<unknown> = {
      ...(inner as Estimator<unknown>),
      propose(state, params: Params, seed) {
        shapes.push(params[0]!.shape);
        return inner.propose(state as never, params, seed);
      },
    };
    const x0 = p.initialPoint(1);
    const r = await minimize(p, x0, { estimator: spy, update: sgd(0.01), budget: { queries: 2001 }, seed: 4 });
    expect(shapes[0]).toEqual([12, 10]);
    expect(r.value).toBeLessThan(0.2 * p.value(x0));
  });

  test('minimize refuses a shape that does not describe dim elements', async () => {
    const bad = { dim: 6, shape: [4, 2], value: (x: Float32Array) => x[0]! ** 2 };
    await expect(minimize(bad, new Float32Array(6), { estimator: lozo(), update: sgd(0.1), budget: { steps: 1 } })).rejects.toThrow(/objective\.shape/);
  });
});
