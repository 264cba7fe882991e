import { describe, expect, it } from 'vitest';
import { rosenbrock } from '../../problems/index.js';
import { gradient } from './gradCheck.js';

describe('rosenbrock', () => {
  it('runs its TSDoc example', () => {
    const p = rosenbrock();
    expect(p.dim).toBe(2);
    expect(p.value(new Float32Array([1, 1]))).toBe(0);
    expect(p.value(p.initialPoint(0))).toBeCloseTo(24.2, 4); // at f32(−1.2)
  });

  it('has f* = 0 and ∇f = 0 at (1, …, 1)', () => {
    const p = rosenbrock({ dim: 6 });
    const x = Float32Array.from(p.optimum.x);
    expect([...p.optimum.x]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(p.value(x)).toBe(p.optimum.value);
    expect([...gradient(p, x)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('starts at the classic (−1.2, 1, …) for seed 0, else uniformly in [−2, 2]^d', () => {
    const p = rosenbrock({ dim: 5 });
    expect([...p.initialPoint(0)]).toEqual([-1.2, 1, -1.2, 1, -1.2].map(Math.fround));
    const a = p.initialPoint(1);
    expect([...p.initialPoint(1)]).toEqual([...a]);
    expect([...p.initialPoint(2)]).not.toEqual([...a]);
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(2);
  });
});
