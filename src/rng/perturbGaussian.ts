import { gaussianPair } from './gaussian.js';
import { fastCos, fastRadius, fastSin } from './_internal/fastBoxMuller.js';

/**
 * `data[i] ← f32(data[i] + f32(alpha · z_i))` for `i ∈ [start, end)`, z the canonical Gaussian stream with keys
 * `(k1, k2)`. Element `i` of the stream lands on `data[i − offset]`. A fused, branch-free, monomorphic loop that
 * reproduces {@link gaussianPair} bit for bit (the TypeScript fallback of the wasm kernel).
 *
 * It computes the same binary32 values as `gaussianPair` (see `_internal/fastBoxMuller.ts` for the exact
 * shortcuts: roundings of exact operations skipped, fixed-binade additions rounded with an add/subtract pair,
 * e · ln 2 from a table, `m > √2` decided on the integer mantissa without a branch), and skips the final
 * rounding before each `Float32Array` store, which rounds.
 *
 * Cost: about 22 float32 roundings (each a cvtsd2ss/cvtss2sd pair in V8) and 11 add/subtract roundings per
 * pair of elements; no allocation.
 */
export function perturbGaussianRange(
  data: Float32Array,
  k1: number,
  k2: number,
  start: number,
  end: number,
  alpha: number,
  offset = 0,
): void {
  if (end <= start) return;
  const f = Math.fround;
  const ANG = f(Math.PI / 33554432); // π / 2^25
  const PHI = 0x9e3779b9 | 0;
  const M1 = 0x7feb352d;
  const M2 = 0x846ca68b | 0;
  const a = f(alpha);
  let i = start;
  if ((i & 1) === 1) {
    const k = i >>> 1;
    const x = hash(((Math.imul(2 * k, PHI) + k1) | 0) ^ k2);
    const y = hash(((Math.imul(2 * k + 1, PHI) + k1) | 0) ^ k2);
    data[i - offset] = f(data[i - offset]! + f(a * gaussianPair(x, y)[1]));
    i++;
  }
  const last = end - ((end - i) & 1);
  for (; i < last; i += 2) {
    // lowbias32 of stream words i (radius) and i + 1 (angle)
    let x = ((Math.imul(i, PHI) + k1) | 0) ^ k2;
    x ^= x >>> 16;
    x = Math.imul(x, M1);
    x ^= x >>> 15;
    x = Math.imul(x, M2);
    x ^= x >>> 16;
    let y = ((Math.imul(i + 1, PHI) + k1) | 0) ^ k2;
    y ^= y >>> 16;
    y = Math.imul(y, M1);
    y ^= y >>> 15;
    y = Math.imul(y, M2);
    y ^= y >>> 16;
    const r = fastRadius(x);
    // angle th ∈ [−π/4, π/4) and quadrant q
    const q = y >>> 30;
    const th = f((((y >>> 6) & 0xffffff) - 8388608) * ANG);
    const t2 = f(th * th);
    const sn = fastSin(th, t2);
    const cs = fastCos(t2);
    // q & 1 swaps cos and sin: d = 0 or sn − cs (exact in float64), so cs + d and sn − d select exactly
    const d = (q & 1) * (sn - cs);
    const g0 = 1 - 2 * (((q + 1) >> 1) & 1); // −1 for q = 1, 2
    const g1 = 1 - 2 * (q >> 1); // −1 for q = 2, 3
    const o = i - offset;
    data[o] = data[o]! + f(a * f(r * (g0 * (cs + d))));
    data[o + 1] = data[o + 1]! + f(a * f(r * (g1 * (sn - d))));
  }
  if (i < end) {
    const x = hash(((Math.imul(i, PHI) + k1) | 0) ^ k2);
    const y = hash(((Math.imul(i + 1, PHI) + k1) | 0) ^ k2);
    data[i - offset] = f(data[i - offset]! + f(a * gaussianPair(x, y)[0]));
  }
}

function hash(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b | 0);
  x ^= x >>> 16;
  return x >>> 0;
}
