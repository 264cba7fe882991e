import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { perturbGaussianRange } from '../../src/rng/perturbGaussian.js';
import { perturbRademacherRange } from '../../src/rng/perturbRademacher.js';
import { rademacherAt } from '../../src/rng/rademacher.js';
import { streamKey } from '../../src/rng/streamKey.js';
import { streams } from '../../src/rng/streams.js';
import { fcOptions } from '../_support/fcConfig.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('counter-based generator', () => {
  test('the fused kernels reproduce the reference definition element by element', () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 300 }), (seed, block, n) => {
        const g = new Float32Array(n);
        const { k1, k2 } = streamKey(seed, streams.gaussian, block);
        perturbGaussianRange(g, k1, k2, 0, n, 1);
        const r = new Float32Array(n);
        const kr = streamKey(seed, streams.rademacher, block);
        perturbRademacherRange(r, kr.k1, kr.k2, 0, n, 1);
        for (let i = 0; i < n; i++) {
          expect(g[i]).toBe(gaussianAt(seed, block, i));
          expect(r[i]).toBe(rademacherAt(seed, block, i));
        }
      }),
      fcOptions(50),
    );
  });

  test('block split: perturbing [0, n) equals perturbing [0, m) and [m, n) (any m, odd included)', () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 2, max: 500 }), fc.nat(), fc.double({ min: -4, max: 4, noNaN: true }), (seed, n, mm, alpha) => {
        const m = mm % n;
        for (const [stream, kernel] of [
          [streams.gaussian, perturbGaussianRange],
          [streams.rademacher, perturbRademacherRange],
        ] as const) {
          const { k1, k2 } = streamKey(seed, stream, 0);
          const whole = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
          const split = whole.slice();
          kernel(whole, k1, k2, 0, n, alpha);
          kernel(split, k1, k2, 0, m, alpha);
          kernel(split, k1, k2, m, n, alpha);
          expect(new Uint32Array(split.buffer)).toEqual(new Uint32Array(whole.buffer));
        }
      }),
      fcOptions(100),
    );
  });

  test('a block split across two blocks holds the same values as one block over the same indices', () => {
    // Block b's values depend only on (seed, b, i): slicing a block's range into two arrays changes nothing.
    const be = cpuBackend();
    const n = 1001;
    const one = [{ name: 'w', shape: [n], data: new Float32Array(n) }];
    be.perturbInPlace({ kind: 'gaussian', seed: 9 }, 1, one);
    const { k1, k2 } = streamKey(9, streams.gaussian, 0);
    const lo = new Float32Array(437);
    const hi = new Float32Array(n - 437);
    perturbGaussianRange(lo, k1, k2, 0, 437, 1);
    perturbGaussianRange(hi, k1, k2, 437, n, 1, 437);
    expect([...lo, ...hi]).toEqual([...one[0]!.data]);
  });

  test('moments over 10⁶ draws: mean 0, variance 1, kurtosis 3, tails', () => {
    const n = 1_000_000;
    const z = new Float32Array(n);
    const { k1, k2 } = streamKey(2026, streams.gaussian, 0);
    perturbGaussianRange(z, k1, k2, 0, n, 1);
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let tail = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) > 3) tail++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(Math.abs(tail / n - 0.0026998)).toBeLessThan(5 * Math.sqrt(0.0027 / n));
    const r = new Float32Array(n);
    const kr = streamKey(2026, streams.rademacher, 0);
    perturbRademacherRange(r, kr.k1, kr.k2, 0, n, 1);
    const plus = r.reduce((a, v) => a + (v > 0 ? 1 : 0), 0);
    expect(Math.abs(plus / n - 0.5)).toBeLessThan(5 * 0.5 / Math.sqrt(n));
  });

  test('blocks and seeds are uncorrelated, and no block is a shifted copy of another', () => {
    const n = 20000;
    const draw = (seed: number, block: number): Float32Array => {
      const z = new Float32Array(n);
      const { k1, k2 } = streamKey(seed, streams.gaussian, block);
      perturbGaussianRange(z, k1, k2, 0, n, 1);
      return z;
    };
    const corr = (a: Float32Array, b: Float32Array, shift: number): number => {
      let s = 0;
      for (let i = 0; i + shift < n; i++) s += a[i + shift]! * b[i]!;
      return s / (n - shift);
    };
    const a = draw(5, 0);
    const b = draw(5, 1);
    const c = draw(6, 0);
    for (let shift = 0; shift < 64; shift++) {
      expect(Math.abs(corr(a, b, shift))).toBeLessThan(5 / Math.sqrt(n));
      expect(Math.abs(corr(b, a, shift))).toBeLessThan(5 / Math.sqrt(n));
    }
    expect(Math.abs(corr(a, c, 0))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(corr(a, a, 1))).toBeLessThan(5 / Math.sqrt(n));
  });
});
