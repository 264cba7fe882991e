import { describe, expect, it } from 'vitest';
import { haarRotation, quadratic, rotated } from '../../problems/index.js';
import { gradient, norm } from './gradCheck.js';

describe('quadratic', () => {
  it('runs its TSDoc example', () => {
    const p = quadratic({ dim: 3, condition: 100 });
    expect([...p.eigenvalues].map((v) => Number(v.toPrecision(12)))).toEqual([1, 10, 100]);
    expect(p.value(new Float32Array([1, 1, 1]))).toBeCloseTo(55.5, 12);
  });

  it('has log-spaced eigenvalues from exactly 1 to exactly condition', () => {
    const p = quadratic({ dim: 9, condition: 256 });
    expect(p.eigenvalues[0]).toBe(1);
    expect(p.eigenvalues[8]).toBe(256);
    for (let i = 1; i < 9; i++) expect(p.eigenvalues[i]! / p.eigenvalues[i - 1]!).toBeCloseTo(2, 12);
    expect([...quadratic({ dim: 4 }).eigenvalues]).toEqual([1, 1, 1, 1]);
    expect([...quadratic({ dim: 1, condition: 10 }).eigenvalues]).toEqual([1]);
  });

  it('is ½ xᵀHx with gradient Hx, axis-aligned and in a seeded basis', () => {
    for (const p of [quadratic({ dim: 6, condition: 40 }), quadratic({ dim: 6, condition: 40, seed: 9 })]) {
      const x = Float32Array.from([0.5, -1, 2, 0.25, -0.75, 1.5]);
      const hx = p.hessianTimes(x);
      const xhx = x.reduce((s, v, i) => s + v * hx[i]!, 0);
      expect(p.value(x)).toBeCloseTo(0.5 * xhx, 12);
      const g = gradient(p, x);
      for (let i = 0; i < 6; i++) expect(g[i]).toBeCloseTo(hx[i]!, 5);
      expect(p.value(Float32Array.from(p.optimum.x))).toBe(p.optimum.value);
    }
  });

  it('uses haarRotation(dim, seed) as its basis when seeded: f = ½ Σ λᵢ (Qx)ᵢ²', () => {
    const p = quadratic({ dim: 5, condition: 10, seed: 4 });
    expect(p.basis).toBeDefined();
    expect(quadratic({ dim: 5 }).basis).toBeUndefined();
    const x = Float32Array.from([1, 2, 3, 4, 5]);
    const y = haarRotation(5, 4).apply(x);
    const expected = 0.5 * y.reduce((s, v, i) => s + p.eigenvalues[i]! * v * v, 0);
    expect(p.value(x)).toBeCloseTo(expected, 12);
  });

  it('supports the acceptance set-up rotated(quadratic({ dim: 100, condition: 100 }), seed) from all ones', () => {
    const inner = quadratic({ dim: 100, condition: 100 });
    const p = rotated(inner, 7);
    const ones = new Float32Array(100).fill(1);
    const y = p.rotation.apply(ones);
    const expected = 0.5 * y.reduce((s, v, i) => s + inner.eigenvalues[i]! * v * v, 0);
    expect(p.value(ones)).toBeCloseTo(expected, 4); // f sees f32(Q·1)
    expect(p.optimum!.value).toBe(0);
    // ‖∇g(x)‖ = ‖Qᵀ ∇f(Qx)‖ = ‖∇f(Qx)‖
    expect(norm(gradient(p, ones))).toBeCloseTo(norm(gradient(inner, Float32Array.from(y))), 4);
  });
});
