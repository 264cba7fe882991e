import { describe, expect, it } from 'vitest';
import type { Problem } from '../../problems/index.js';
import { logisticRegression, noisy, quadratic, rastrigin, sphere } from '../../problems/index.js';

describe('noisy', () => {
  it('runs its TSDoc example', () => {
    const p = noisy(sphere({ dim: 2 }), 0.1);
    const x = new Float32Array([1, 1]);
    expect(p.value(x, { noiseSeed: 7, step: 0 })).toBe(p.value(x, { noiseSeed: 7, step: 3 }));
    expect(p.value(x, { noiseSeed: 8, step: 0 })).toBe(2 + p.noiseAt(8));
    expect(p.name).toBe('noisy(sphere)');
  });

  it('has common random numbers: equal noise seeds give equal noise at any x', () => {
    const inner = quadratic({ dim: 3, condition: 10 });
    const p = noisy(inner, 0.3);
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([-0.5, 0, 4]);
    for (let s = 0; s < 50; s++) {
      const ctx = { noiseSeed: s, step: s };
      const na = p.value(a, ctx) - inner.value(a);
      const nb = p.value(b, ctx) - inner.value(b);
      expect(na).toBeCloseTo(nb, 12);
      expect(na).not.toBe(p.value(a, { noiseSeed: s + 1000, step: s }) - inner.value(a));
    }
    expect(p.value(a)).toBe(p.value(a, { noiseSeed: 0, step: 5 })); // no context → noise seed 0
  });

  it('has mean 0 and variance sd² over noise seeds', () => {
    const sd = 0.25;
    const inner = sphere({ dim: 2 });
    const p = noisy(inner, sd);
    const x = Float32Array.from([0.5, 0.5]);
    const n = 20_000;
    let m1 = 0;
    let m2 = 0;
    for (let s = 0; s < n; s++) {
      const e = p.value(x, { noiseSeed: s, step: 0 }) - inner.value(x);
      m1 += e / n;
      m2 += (e * e) / n;
    }
    expect(Math.abs(m1)).toBeLessThan((5 * sd) / Math.sqrt(n));
    // Relative sd of the variance estimate: √(2/n) = 1 %.
    expect(Math.abs(m2 - m1 * m1 - sd * sd) / (sd * sd)).toBeLessThan(0.05);
  });

  it('is f itself when sd = 0, and keeps f’s optimum, bounds and initial point', () => {
    const inner = rastrigin({ dim: 3 });
    const p = noisy(inner, 0);
    const x = inner.initialPoint(2);
    expect(p.value(x, { noiseSeed: 9, step: 0 })).toBe(inner.value(x));
    expect(p.optimum).toEqual(inner.optimum);
    expect(p.bounds).toEqual(inner.bounds);
    expect([...p.initialPoint(2)]).toEqual([...x]);
  });

  it('forwards grad only when the inner problem has one, and reads a lazy optimum lazily', () => {
    const bare: Problem = { name: 'bare', dim: 2, initialPoint: () => new Float32Array(2), value: () => 1 };
    const p = noisy(bare, 1);
    expect(p.grad).toBeUndefined();
    expect('optimum' in p).toBe(false);
    let reads = 0;
    const lazy = logisticRegression({ dim: 3 });
    const counting: Problem = {
      name: 'counting',
      dim: 3,
      initialPoint: (s) => lazy.initialPoint(s),
      value: (x) => lazy.value(x),
      get optimum() {
        reads++;
        return lazy.optimum;
      },
    };
    const q = noisy(counting, 1);
    expect(reads).toBe(0);
    expect(q.optimum?.value).toBe(lazy.optimum.value);
    expect(q.optimum?.value).toBe(lazy.optimum.value);
    expect(reads).toBe(1);
  });
});
