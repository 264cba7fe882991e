import { lowbias32 } from './lowbias32.js';

/** A uint32 seed derived from `(seed, index, purpose)`: distinct purposes and indices give unrelated seeds. */
export function derivedSeed(seed: number, index: number, purpose: number): number {
  return lowbias32(lowbias32(lowbias32(seed ^ 0x2545f491) + Math.imul(index + 1, 0x9e3779b9)) ^ Math.imul(purpose + 1, 0x85ebca6b));
}
