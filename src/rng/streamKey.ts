import { checkSeed } from './checkSeed.js';
import { lowbias32 } from './lowbias32.js';

/**
 * The two 32-bit keys of one random stream: `(seed, stream, block)` hashed. Element `i` of the stream is
 * `lowbias32(((i · 0x9E3779B9) + k1) ^ k2)`; the xor with a second key stops two blocks' streams from being
 * shifted copies of each other (which a single additive key cannot prevent).
 */
export interface StreamKey {
  readonly k1: number;
  readonly k2: number;
}

/**
 * Derives the keys of the stream `stream` of block `block` for `seed` (`src/rng/DEFINITION.md`, "Stream keys").
 *
 * @param seed - uint32 seed: a seed outside [0, 2³²), not an integer or NaN is refused, never reduced
 * @param stream - stream tag (see `streams`)
 * @param block - 0-based index of the parameter block
 * @throws InvalidHyperparameter when `seed` is not a uint32
 */
export function streamKey(seed: number, stream: number, block: number): StreamKey {
  checkSeed(seed);
  let a = lowbias32(seed ^ 0x5bd1e995);
  a = lowbias32(a ^ Math.imul(stream + 1, 0x632be5ab));
  a = lowbias32((a + Math.imul(block + 1, 0x85ebca6b)) | 0);
  const k2 = lowbias32(a ^ 0x27d4eb2f);
  return { k1: a, k2 };
}

/** Element `i` of the stream with keys `(k1, k2)`, as an unsigned 32-bit integer. */
export function streamWord(k1: number, k2: number, i: number): number {
  return lowbias32(((Math.imul(i, 0x9e3779b9) + k1) | 0) ^ k2);
}
