// Fused in-place Rademacher perturbation: x_i <- f32(x_i + (bit ? alpha : -alpha)), bit = bit (i & 31) of
// stream word i >>> 5 (src/rng/perturbRademacher.ts). 32 elements per stream word, four per SIMD op.
import { word, at } from './common';

/**
 * x_i <- x_i ± alpha for i in [start, end); element `start` lives at `dst`, element i at dst + 4 (i - start).
 */
export function rademacher(dst: usize, k1: u32, k2: u32, start: u32, end: u32, alpha: f32): void {
  let i = start;
  const na = -alpha;
  // head: up to the next word boundary
  while (i < end && (i & 31) != 0) {
    const w = word(k1, k2, i >>> 5);
    const ptr = at(dst, start, i);
    store<f32>(ptr, load<f32>(ptr) + (((w >>> (i & 31)) & 1) != 0 ? alpha : na));
    i++;
  }
  const neg = f32x4.splat(na);
  const sign = i32x4.splat(0x80000000);
  let ptr = at(dst, start, i);
  while (end - i >= 32) {
    const w = word(k1, k2, i >>> 5);
    // lane l holds w >>> l, so bit 4j + l of w is bit 4j of lane l
    const v = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(w), 1, w >>> 1), 2, w >>> 2), 3, w >>> 3);
    // sign bit set (bit = 1) flips -alpha to +alpha
    v128.store(ptr, f32x4.add(v128.load(ptr), v128.xor(neg, v128.and(i32x4.shl(v, 31), sign))));
    v128.store(ptr, f32x4.add(v128.load(ptr, 16), v128.xor(neg, v128.and(i32x4.shl(v, 27), sign))), 16);
    v128.store(ptr, f32x4.add(v128.load(ptr, 32), v128.xor(neg, v128.and(i32x4.shl(v, 23), sign))), 32);
    v128.store(ptr, f32x4.add(v128.load(ptr, 48), v128.xor(neg, v128.and(i32x4.shl(v, 19), sign))), 48);
    v128.store(ptr, f32x4.add(v128.load(ptr, 64), v128.xor(neg, v128.and(i32x4.shl(v, 15), sign))), 64);
    v128.store(ptr, f32x4.add(v128.load(ptr, 80), v128.xor(neg, v128.and(i32x4.shl(v, 11), sign))), 80);
    v128.store(ptr, f32x4.add(v128.load(ptr, 96), v128.xor(neg, v128.and(i32x4.shl(v, 7), sign))), 96);
    v128.store(ptr, f32x4.add(v128.load(ptr, 112), v128.xor(neg, v128.and(i32x4.shl(v, 3), sign))), 112);
    ptr += 128;
    i += 32;
  }
  if (i < end) {
    const w = word(k1, k2, i >>> 5);
    for (; i < end; i++) {
      const p = at(dst, start, i);
      store<f32>(p, load<f32>(p) + (((w >>> (i & 31)) & 1) != 0 ? alpha : na));
    }
  }
}
