import { lowbias32 } from '../../src/rng/lowbias32.js';

/** A seeded permutation of 0 … n−1 (Fisher–Yates driven by the counter-based hash of `seed`). */
export function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const u = lowbias32((seed ^ Math.imul(i, 0x9e3779b9)) + 0x632be5ab) / 2 ** 32;
    const j = Math.floor(u * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
