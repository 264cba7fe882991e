/**
 * `data[i] ← f32(data[i] ± f32(alpha))` for `i ∈ [start, end)`: the canonical Rademacher direction with keys
 * `(k1, k2)`. One stream word gives 32 signs: bit `i & 31` of word `i >>> 5` is 1 for +1 and 0 for −1.
 *
 * Branch-free (a data-dependent `bit ? a : −a` mispredicts half the time): the addend is `(2·bit − 1) · a`,
 * exactly ±a (signed zeros included), and the `Float32Array` store performs the final float32 rounding.
 *
 * Cost: one hash per 32 elements, about five integer/float operations per element; no allocation.
 */
export function perturbRademacherRange(
  data: Float32Array,
  k1: number,
  k2: number,
  start: number,
  end: number,
  alpha: number,
): void {
  const a = Math.fround(alpha);
  const PHI = 0x9e3779b9 | 0;
  const M1 = 0x7feb352d;
  const M2 = 0x846ca68b | 0;
  let i = start;
  while (i < end) {
    const w = i >>> 5;
    let x = ((Math.imul(w, PHI) + k1) | 0) ^ k2;
    x ^= x >>> 16;
    x = Math.imul(x, M1);
    x ^= x >>> 15;
    x = Math.imul(x, M2);
    x ^= x >>> 16;
    x >>>= i & 31;
    const stop = Math.min(end, (w + 1) * 32);
    const stop4 = stop - ((stop - i) & 3);
    for (; i < stop4; i += 4) {
      data[i] = data[i]! + ((x & 1) * 2 - 1) * a;
      data[i + 1] = data[i + 1]! + (((x >>> 1) & 1) * 2 - 1) * a;
      data[i + 2] = data[i + 2]! + (((x >>> 2) & 1) * 2 - 1) * a;
      data[i + 3] = data[i + 3]! + (((x >>> 3) & 1) * 2 - 1) * a;
      x >>>= 4;
    }
    for (; i < stop; i++) {
      data[i] = data[i]! + ((x & 1) * 2 - 1) * a;
      x >>>= 1;
    }
  }
}

/** Element `index` of the Rademacher stream with keys `(k1, k2)`: +1 or −1. */
export function rademacherWordSign(word: number, index: number): 1 | -1 {
  return ((word >>> (index & 31)) & 1) === 1 ? 1 : -1;
}
