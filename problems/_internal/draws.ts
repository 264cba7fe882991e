import { perturbGaussianRange } from '../../src/rng/perturbGaussian.js';
import { streamWord } from '../../src/rng/streamKey.js';
import type { StreamKey } from '../../src/rng/streamKey.js';

/**
 * `length` canonical standard-normal float32 values of the stream with keys `key` (elements 0 … length−1),
 * bit-identical to `gaussianAt` on that stream.
 */
export function gaussianVector(key: StreamKey, length: number): Float32Array {
  const out = new Float32Array(length);
  perturbGaussianRange(out, key.k1, key.k2, 0, length, 1);
  return out;
}

/** Element `i` of the stream with keys `key` as a uniform number in (0, 1): ((word >>> 8) + ½) · 2⁻²⁴. */
export function uniformAt(key: StreamKey, i: number): number {
  return ((streamWord(key.k1, key.k2, i) >>> 8) + 0.5) * 2 ** -24;
}

/** `length` float32 values uniform in [lower, upper], element i = f32(lower + (upper − lower) · u_i). */
export function uniformVector(key: StreamKey, length: number, lower: number, upper: number): Float32Array {
  const out = new Float32Array(length);
  const lo = Math.fround(lower);
  const hi = Math.fround(upper);
  for (let i = 0; i < length; i++) {
    const v = Math.fround(lower + (upper - lower) * uniformAt(key, i));
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}
