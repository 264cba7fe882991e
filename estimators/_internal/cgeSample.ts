import { streamKey, streamWord } from '../../src/rng/streamKey.js';
import { streams } from '../../src/rng/streams.js';

const TWO32 = 4294967296;

/**
 * `k` distinct integers of `[0, n)` drawn uniformly without replacement, in ascending order: a pure function
 * of `(seed, stream, n, k)`. Robert Floyd's algorithm over the counter-based `mask` stream of `(seed, stream)`
 * (uniform integers by rejection, so no modulo bias); when `k > n/2` the `n − k` excluded integers are drawn
 * instead. Cost: O(min(k, n − k)) memory and draws, plus the O(k log k) sort (O(n) when `k > n/2`).
 *
 * @param seed - uint32 seed
 * @param stream - index distinguishing independent draws of one seed (e.g. the block index)
 * @param n - population size (≤ 2³²)
 * @param k - sample size; `k ≥ n` returns every integer of `[0, n)`
 */
export function cgeSample(seed: number, stream: number, n: number, k: number): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  if (k <= 0) return new Int32Array(0);
  const excluded = 2 * k > n;
  const draws = floyd(seed, stream, n, excluded ? n - k : k);
  if (!excluded) return Int32Array.from(draws).sort();
  const out = new Int32Array(k);
  let o = 0;
  for (let i = 0; i < n; i++) if (!draws.has(i)) out[o++] = i;
  return out;
}

function floyd(seed: number, stream: number, n: number, k: number): Set<number> {
  const { k1, k2 } = streamKey(seed, streams.mask, stream);
  let counter = 0;
  const below = (m: number): number => {
    const limit = TWO32 - (TWO32 % m);
    for (;;) {
      const w = streamWord(k1, k2, counter++);
      if (w < limit) return w % m;
    }
  };
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return chosen;
}
