import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcOptions } from '../_support/fcConfig.js';
import type { Problem } from '../../problems/index.js';
import { logisticRegression, quadratic, rastrigin, rosenbrock, rotated, sphere } from '../../problems/index.js';
import { gridPoint } from './gradCheck.js';

describe('rotated', () => {
  it('runs its TSDoc example', () => {
    const p = rotated(quadratic({ dim: 100, condition: 100 }), 1);
    expect(p.name).toBe('rotated(quadratic)');
    expect(Number.isFinite(p.value(new Float32Array(100).fill(1)))).toBe(true);
  });

  const inners: readonly Problem[] = [
    rosenbrock({ dim: 4 }),
    rastrigin({ dim: 5 }),
    quadratic({ dim: 6, condition: 30 }),
    logisticRegression({ dim: 3, samples: 20 }),
  ];

  for (const inner of inners) {
    it(`${inner.name}: g(x) = f(f32(Qx)), same optimum value, optimum at Qᵀx*`, () => {
      const p = rotated(inner, 21);
      fc.assert(
        fc.property(gridPoint(inner.dim, 3), (x) => {
          const y = Float32Array.from(p.rotation.apply(x));
          expect(p.value(x)).toBe(inner.value(y));
        }),
        fcOptions(50),
      );
      const o = p.optimum!;
      expect(o.value).toBe(inner.optimum!.value);
      const back = p.rotation.apply(o.x!);
      inner.optimum!.x!.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 10));
      expect(p.value(Float32Array.from(o.x!))).toBeCloseTo(o.value, 8);
    });
  }

  it('starts at Qᵀx₀ (same starting value as f), deterministically', () => {
    const inner = rosenbrock({ dim: 4 });
    const p = rotated(inner, 3);
    expect([...p.initialPoint(0)]).toEqual([...p.initialPoint(0)]);
    expect(p.value(p.initialPoint(0))).toBeCloseTo(inner.value(inner.initialPoint(0)), 3);
    const r = rotated(rastrigin({ dim: 50 }), 3);
    for (const v of r.initialPoint(1)) expect(Math.abs(v)).toBeLessThanOrEqual(5.12);
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const x = Float32Array.from([1, 2, 3]);
    expect(rotated(sphere({ dim: 3 }), 4).value(x)).toBeCloseTo(14, 5); // rotation-invariant
    const q = quadratic({ dim: 3, condition: 100 });
    expect(rotated(q, 4).value(x)).toBe(rotated(q, 4).value(x));
    expect(rotated(q, 4).value(x)).not.toBe(rotated(q, 5).value(x));
  });

  it('omits grad when the inner problem has none', () => {
    const bare: Problem = { name: 'bare', dim: 2, initialPoint: () => new Float32Array(2), value: () => 1 };
    const p = rotated(bare, 1);
    expect(p.grad).toBeUndefined();
    expect(p.optimum).toBeUndefined();
    expect(p.name).toBe('rotated(bare)');
  });
});
