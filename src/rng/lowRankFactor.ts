import { perturbGaussianRange } from './perturbGaussian.js';
import { streamKey } from './streamKey.js';
import { streams } from './streams.js';

/**
 * The seeded right factor V (n × rank, row-major) of block `block` of a low-rank direction:
 * `V[c, j]` = Gaussian element `c·rank + j` of the `lowRankV` stream of `(seed, block)`.
 *
 * LOZO draws V this way, so a `lowRank` direction whose `vSeed` is set can be described by that seed alone
 * (the seed log stores the seed, not V) and rebuilt bit for bit on any backend.
 *
 * Cost: n·rank Gaussian draws; memory: the returned n·rank floats.
 *
 * @example
 * ```ts
 * const v = lowRankFactor(1234, 0, 256, 2); // V of block 0, a [m, 256] matrix, rank 2
 * ```
 */
export function lowRankFactor(seed: number, block: number, n: number, rank: number): Float32Array {
  const v = new Float32Array(n * rank);
  const { k1, k2 } = streamKey(seed, streams.lowRankV, block);
  perturbGaussianRange(v, k1, k2, 0, v.length, 1);
  return v;
}
