import { streamKey } from '../../src/rng/streamKey.js';
import type { StreamKey } from '../../src/rng/streamKey.js';

/**
 * What a problem draws random numbers for. Each purpose owns the block indices `purpose · 2^24 + b` of its
 * stream, so that two purposes never share random numbers for the same seed (e.g. `rotated(p, 7)` and
 * `shifted(p, 7)`). Frozen: changing a value changes every seeded problem instance.
 */
export const purposes = {
  initialPoint: 1,
  rotation: 2,
  shift: 3,
  logisticWeights: 4,
  logisticFeatures: 5,
  logisticLabels: 6,
  noise: 7,
  lowRankFactors: 64,
} as const;

/** The stream keys of block `block` (< 2^24) of purpose `purpose` for `seed` on stream tag `stream`. */
export function purposeKey(seed: number, stream: number, purpose: number, block: number): StreamKey {
  return streamKey(seed >>> 0, stream, (purpose * 0x1000000 + block) >>> 0);
}
