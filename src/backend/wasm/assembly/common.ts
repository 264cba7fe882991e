// Shared constants and the counter-based hash of the canonical definition (src/rng/streamKey.ts).
// Every f32 constant is given by its bit pattern: exactly Math.fround of the TypeScript constant.

export const PHI: u32 = 0x9e3779b9;
export const M1: u32 = 0x7feb352d;
export const M2: u32 = 0x846ca68b;

/** lowbias32 of four words at once. */
// @ts-ignore: decorator
@inline
export function hash4(w: v128): v128 {
  let x = v128.xor(w, i32x4.shr_u(w, 16));
  x = i32x4.mul(x, i32x4.splat(M1));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(M2));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

/** lowbias32 of one word. */
// @ts-ignore: decorator
@inline
export function hash1(w: u32): u32 {
  let x = w ^ (w >>> 16);
  x = x * M1;
  x ^= x >>> 15;
  x = x * M2;
  return x ^ (x >>> 16);
}

/** Stream word `i` of the stream with keys (k1, k2). */
// @ts-ignore: decorator
@inline
export function word(k1: u32, k2: u32, i: u32): u32 {
  return hash1((i * PHI + k1) ^ k2);
}

/** Address of element `i` of a range whose element `start` lives at `dst`. */
// @ts-ignore: decorator
@inline
export function at(dst: usize, start: u32, i: u32): usize {
  return dst + ((<usize>(i - start)) << 2);
}

