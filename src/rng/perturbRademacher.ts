const f = Math.fround;
const PHI = 0x9e3779b9 | 0;

/**
 * `data[i] ← f32(data[i] ± f32(alpha))` for `i ∈ [start, end)`: the canonical Rademacher direction with keys
 * `(k1, k2)`. One stream word gives 32 signs: bit `i & 31` of word `i >>> 5` is 1 for +1 and 0 for −1.
 */
export function perturbRademacherRange(
  data: Float32Array,
  k1: number,
  k2: number,
  start: number,
  end: number,
  alpha: number,
): void {
  const a = f(alpha);
  let i = start;
  while (i < end) {
    const w = i >>> 5;
    let x = ((Math.imul(w, PHI) + k1) | 0) ^ k2;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b | 0);
    x ^= x >>> 16;
    const stop = Math.min(end, (w + 1) * 32);
    for (; i < stop; i++) {
      const bit = (x >>> (i & 31)) & 1;
      data[i] = f(data[i]! + (bit === 1 ? a : -a));
    }
  }
}

/** Element `index` of the Rademacher stream with keys `(k1, k2)`: +1 or −1. */
export function rademacherWordSign(word: number, index: number): 1 | -1 {
  return ((word >>> (index & 31)) & 1) === 1 ? 1 : -1;
}
