import { streamKey, streamWord } from './streamKey.js';
import { streams } from './streams.js';

/**
 * Element `index` of block `block` of the Rademacher direction of `seed` (+1 or −1): the reference
 * definition. Bit `index & 31` of stream word `index >>> 5` is 1 for +1.
 */
export function rademacherAt(seed: number, block: number, index: number): 1 | -1 {
  const { k1, k2 } = streamKey(seed, streams.rademacher, block);
  const word = streamWord(k1, k2, index >>> 5);
  return ((word >>> (index & 31)) & 1) === 1 ? 1 : -1;
}
