import { describe, expect, it } from 'vitest';
import { rastrigin } from '../../problems/index.js';
import { gradient } from './gradCheck.js';

describe('rastrigin', () => {
  it('runs its TSDoc example', () => {
    const p = rastrigin({ dim: 2 });
    expect(p.value(new Float32Array([0, 0]))).toBe(0);
    expect(p.value(new Float32Array([1, 1]))).toBeCloseTo(2, 12);
  });

  it('has f* = 0 and ∇f = 0 at 0, bounds ±5.12', () => {
    const p = rastrigin({ dim: 4 });
    expect(p.bounds).toEqual({ lower: -5.12, upper: 5.12 });
    expect(p.value(Float32Array.from(p.optimum.x))).toBe(p.optimum.value);
    expect([...gradient(p, new Float32Array(4))]).toEqual([0, 0, 0, 0]);
  });

  it('starts uniformly inside its bounds, deterministically in the seed', () => {
    const p = rastrigin({ dim: 300 });
    const a = p.initialPoint(8);
    expect([...p.initialPoint(8)]).toEqual([...a]);
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(5.12);
    expect(Math.max(...a)).toBeGreaterThan(4);
    expect(Math.min(...a)).toBeLessThan(-4);
  });
});
