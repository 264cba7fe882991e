import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcOptions } from '../_support/fcConfig.js';
import type { Problem } from '../../problems/index.js';
import { logisticRegression, quadratic, rastrigin, rosenbrock, shifted, sphere } from '../../problems/index.js';
import { gridPoint } from './gradCheck.js';

describe('shifted', () => {
  it('runs its TSDoc example', () => {
    const p = shifted(sphere({ dim: 3 }), 5);
    expect(p.value(Float32Array.from(p.shift))).toBe(0);
    expect(p.name).toBe('shifted(sphere)');
  });

  const inners: readonly Problem[] = [
    rosenbrock({ dim: 4 }),
    rastrigin({ dim: 5 }),
    quadratic({ dim: 6, condition: 30 }),
    logisticRegression({ dim: 3, samples: 20 }),
  ];

  for (const inner of inners) {
    it(`${inner.name}: g(x) = f(f32(x − s)), same optimum value, optimum at x* + s`, () => {
      const p = shifted(inner, 31);
      fc.assert(
        fc.property(gridPoint(inner.dim, 3), (x) => {
          const y = Float32Array.from(x, (v, i) => v - p.shift[i]!);
          expect(p.value(x)).toBe(inner.value(y));
        }),
        fcOptions(50),
      );
      const o = p.optimum!;
      expect(o.value).toBe(inner.optimum!.value);
      o.x!.forEach((v, i) => expect(v).toBe(inner.optimum!.x![i]! + p.shift[i]!));
      expect(p.value(Float32Array.from(o.x!))).toBeCloseTo(o.value, 8);
      for (const v of p.shift) expect(Math.fround(v)).toBe(v);
    });
  }

  it('keeps the optimum of a bounded problem in the central 80 % of its box', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = shifted(rastrigin({ dim: 10 }), seed);
      for (const v of p.optimum!.x!) expect(Math.abs(v)).toBeLessThanOrEqual(0.8 * 5.12 + 1e-6);
    }
  });

  it('draws a standard normal shift for an unbounded problem', () => {
    const s = shifted(sphere({ dim: 4000 }), 2).shift;
    const mean = s.reduce((a, v) => a + v, 0) / s.length;
    const variance = s.reduce((a, v) => a + (v - mean) ** 2, 0) / s.length;
    expect(Math.abs(mean)).toBeLessThan(0.08);
    expect(variance).toBeGreaterThan(0.9);
    expect(variance).toBeLessThan(1.1);
  });

  it('starts at x₀ + s, deterministically, inside the bounds', () => {
    const inner = rosenbrock({ dim: 3 });
    const p = shifted(inner, 7);
    expect([...p.initialPoint(0)]).toEqual([...p.initialPoint(0)]);
    expect(p.value(p.initialPoint(0))).toBeCloseTo(inner.value(inner.initialPoint(0)), 3);
    const r = shifted(rastrigin({ dim: 200 }), 7);
    for (const v of r.initialPoint(1)) expect(Math.abs(v)).toBeLessThanOrEqual(5.12);
    expect([...shifted(inner, 7).shift]).not.toEqual([...shifted(inner, 8).shift]);
  });
});
