/**
 * Wellons' `lowbias32` integer hash: a bijection on 32-bit integers with low bias. Only 32-bit wrapping
 * multiplies, xors and shifts, so it is reproduced bit for bit in JavaScript, WebAssembly, WGSL and GLSL ES 3.
 *
 * @param x - any number; its low 32 bits are hashed
 * @returns the hash as an unsigned 32-bit integer
 */
export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
