import { streamKey, streamWord } from '../../src/rng/streamKey.js';
import { streams } from '../../src/rng/streams.js';

/**
 * The seeded display permutation of n candidates: `display[p]` is the candidate shown at position p
 * (Fisher–Yates on the counter-based stream `mask` of `seed`). A pure function of (n, seed).
 */
export function rankPermutation(n: number, seed: number): Int32Array {
  const display = Int32Array.from({ length: n }, (_, i) => i);
  const { k1, k2 } = streamKey(seed, streams.mask, 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((streamWord(k1, k2, i) * (i + 1)) / 4294967296);
    const t = display[i]!;
    display[i] = display[j]!;
    display[j] = t;
  }
  return display;
}
