// Dense primitives on float32 arrays: axpy, scale, dot (float64 accumulation), copy, fill.

/** y_i <- f32(y_i + f32(a * x_i)), i < n. `x` may equal `y` (the `params` direction). */
export function axpy(y: usize, x: usize, n: u32, a: f32): void {
  const av = f32x4.splat(a);
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
    v128.store(y + o, f32x4.add(v128.load(y + o, 16), f32x4.mul(av, v128.load(x + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** x_i <- f32(a * x_i), i < n. */
export function scale(x: usize, n: u32, a: f32): void {
  const av = f32x4.splat(a);
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) {
    const o = x + (<usize>i << 2);
    v128.store(o, f32x4.mul(av, v128.load(o)));
    v128.store(o, f32x4.mul(av, v128.load(o, 16)), 16);
  }
  for (; i < n; i++) {
    const o = x + (<usize>i << 2);
    store<f32>(o, a * load<f32>(o));
  }
}

/** Elements per dot chunk: the unit of the fixed summation order (and of the split across threads). */
export const DOT_CHUNK: u32 = 16384;

/**
 * Partial dot products in float64 of chunks [c0, c1) of DOT_CHUNK elements: out[c] = sum of chunk c. A chunk
 * is summed in eight lane accumulators (element i into lane i & 7, in index order; products of float32 values
 * are exact in float64), combined as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)), then the < 8 trailing
 * elements are added in order. Eight independent accumulators hide the latency of the float64 adds.
 */
export function dotChunks(x: usize, y: usize, n: u32, c0: u32, c1: u32, out: usize): void {
  for (let c = c0; c < c1; c++) {
    const s = c * DOT_CHUNK;
    const e = n - s < DOT_CHUNK ? n : s + DOT_CHUNK;
    let a01 = f64x2.splat(0);
    let a23 = f64x2.splat(0);
    let a45 = f64x2.splat(0);
    let a67 = f64x2.splat(0);
    let i = s;
    for (; i + 8 <= e; i += 8) {
      const o = <usize>i << 2;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      const xw = v128.load(x + o, 16);
      const yw = v128.load(y + o, 16);
      a01 = f64x2.add(a01, f64x2.mul(f64x2.promote_low_f32x4(xv), f64x2.promote_low_f32x4(yv)));
      a23 = f64x2.add(a23, f64x2.mul(
        f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 2, 3)), f64x2.promote_low_f32x4(i32x4.shuffle(yv, yv, 2, 3, 2, 3)),
      ));
      a45 = f64x2.add(a45, f64x2.mul(f64x2.promote_low_f32x4(xw), f64x2.promote_low_f32x4(yw)));
      a67 = f64x2.add(a67, f64x2.mul(
        f64x2.promote_low_f32x4(i32x4.shuffle(xw, xw, 2, 3, 2, 3)), f64x2.promote_low_f32x4(i32x4.shuffle(yw, yw, 2, 3, 2, 3)),
      ));
    }
    let sum = ((f64x2.extract_lane(a01, 0) + f64x2.extract_lane(a01, 1)) +
      (f64x2.extract_lane(a23, 0) + f64x2.extract_lane(a23, 1))) +
      ((f64x2.extract_lane(a45, 0) + f64x2.extract_lane(a45, 1)) +
      (f64x2.extract_lane(a67, 0) + f64x2.extract_lane(a67, 1)));
    for (; i < e; i++) {
      const o = <usize>i << 2;
      sum += <f64>load<f32>(x + o) * <f64>load<f32>(y + o);
    }
    store<f64>(out + ((<usize>c) << 3), sum);
  }
}

/** Sum of out[0 .. count) in index order. */
export function sumF64(out: usize, count: u32): f64 {
  let s: f64 = 0;
  for (let c: u32 = 0; c < count; c++) s += load<f64>(out + ((<usize>c) << 3));
  return s;
}

/** n float32 values from src to dst (memmove semantics). */
export function copy(dst: usize, src: usize, n: u32): void {
  memory.copy(dst, src, <usize>n << 2);
}

/** n float32 zeros at dst. */
export function zero(dst: usize, n: u32): void {
  memory.fill(dst, 0, <usize>n << 2);
}
