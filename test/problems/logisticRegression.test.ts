import { describe, expect, it } from 'vitest';
import { logisticRegression } from '../../problems/index.js';
import { gradient, norm } from './gradCheck.js';

describe('logisticRegression', () => {
  it('runs its TSDoc example', () => {
    const p = logisticRegression({ dim: 5, seed: 1 });
    expect(p.value(new Float32Array(5))).toBeCloseTo(Math.LN2, 14);
    const { value, x } = p.optimum;
    expect(value).toBeLessThan(Math.LN2);
    expect(x).toHaveLength(5);
  });

  it('generates its data deterministically from the seed', () => {
    const a = logisticRegression({ dim: 4, seed: 3 });
    const b = logisticRegression({ dim: 4, seed: 3 });
    const c = logisticRegression({ dim: 4, seed: 4 });
    expect(a.samples).toBe(40);
    expect([...a.features]).toEqual([...b.features]);
    expect([...a.labels]).toEqual([...b.labels]);
    expect([...a.features]).not.toEqual([...c.features]);
    expect(norm(a.trueWeights)).toBeCloseTo(3, 12);
  });

  it('draws ±1 labels from the logistic model of the true weights', () => {
    const p = logisticRegression({ dim: 20, samples: 4000, seed: 5 });
    let agree = 0;
    let positive = 0;
    for (let j = 0; j < p.samples; j++) {
      const y = p.labels[j]!;
      expect(Math.abs(y)).toBe(1);
      let m = 0;
      for (let i = 0; i < p.dim; i++) m += p.features[j * p.dim + i]! * p.trueWeights[i]!;
      if (Math.sign(m) === y) agree++;
      if (y > 0) positive++;
    }
    // P(y = sign(m)) = E σ(|m|) with m ~ N(0, 9): about 0.80; classes balanced by symmetry.
    expect(agree / p.samples).toBeGreaterThan(0.76);
    expect(agree / p.samples).toBeLessThan(0.84);
    expect(positive / p.samples).toBeGreaterThan(0.45);
    expect(positive / p.samples).toBeLessThan(0.55);
  });

  it('computes its optimum lazily, once, to a point of (near) zero gradient', () => {
    const p = logisticRegression({ dim: 12, seed: 6 });
    const o = p.optimum;
    expect(p.optimum).toBe(o); // cached
    const x = Float32Array.from(o.x);
    // At f32(x*), ∇f ≈ H·(f32(x*) − x*): float32 rounding only.
    expect(norm(gradient(p, x))).toBeLessThan(1e-6 * norm(gradient(p, new Float32Array(12))));
    expect(Math.abs(p.value(x) - o.value)).toBeLessThan(1e-12);
    // No nearby point is lower.
    for (let k = 0; k < 20; k++) {
      const y = x.map((v, i) => v + 1e-3 * Math.sin(7 * k + i));
      expect(p.value(y)).toBeGreaterThan(o.value);
    }
  });

  it('solves a d = 100 instance to a near-zero gradient', () => {
    const p = logisticRegression({ dim: 100, seed: 7, l2: 1e-2 });
    const x = Float32Array.from(p.optimum.x);
    expect(norm(gradient(p, x))).toBeLessThan(1e-5);
    expect(Math.abs(p.value(x) - p.optimum.value)).toBeLessThan(1e-12);
  });

  it('starts uniformly in [−1, 1]^d, independent of the data seed', () => {
    const a = logisticRegression({ dim: 6, seed: 1 });
    const b = logisticRegression({ dim: 6, seed: 2 });
    expect([...a.initialPoint(9)]).toEqual([...b.initialPoint(9)]);
    expect([...a.initialPoint(9)]).not.toEqual([...a.initialPoint(10)]);
    for (const v of a.initialPoint(9)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});
