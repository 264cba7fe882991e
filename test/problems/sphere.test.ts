import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import { sphere } from '../../problems/index.js';

describe('sphere', () => {
  it('runs its TSDoc example', () => {
    const p = sphere({ dim: 3 });
    expect(p.value(new Float32Array([1, 2, 3]))).toBe(14);
    const g = new Float32Array(3);
    p.grad(new Float32Array([1, 2, 3]), g);
    expect([...g]).toEqual([2, 4, 6]);
  });

  it('has f* = 0 at 0', () => {
    const p = sphere({ dim: 7 });
    expect(p.name).toBe('sphere');
    expect(p.value(Float32Array.from(p.optimum.x))).toBe(p.optimum.value);
    expect(p.bounds).toBeUndefined();
  });

  it('starts uniformly in [−1, 1]^d, deterministically in the seed', () => {
    const p = sphere({ dim: 500 });
    const a = p.initialPoint(3);
    expect([...p.initialPoint(3)]).toEqual([...a]);
    expect([...p.initialPoint(4)]).not.toEqual([...a]);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const meanSq = a.reduce((s, v) => s + v * v, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.1); // sd of the mean ≈ 0.026
    expect(meanSq).toBeCloseTo(1 / 3, 1);
  });

  it('rejects an x of the wrong length with InvalidInput naming x', () => {
    const p = sphere({ dim: 3 });
    expect(() => p.value(new Float32Array(2))).toThrow(InvalidInput);
    expect(() => p.value(new Float32Array(2))).toThrow(/Invalid x/);
  });
});
