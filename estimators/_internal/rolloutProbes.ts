import { derivedSeed } from '../../src/rng/derivedSeed.js';
import type { Probe, ProbeBatch } from '../../src/types.js';

const EPISODE = 2;

/**
 * A rollouts batch at the current point: `groups` episode seeds derived from the step seed, each run for
 * `samples` sampling streams (1 for independent episodes; G for a GRPO group sharing its start state).
 */
export function rolloutProbes(seed: number, groups: number, samples: number): ProbeBatch {
  const probes: Probe[] = [];
  for (let g = 0; g < groups; g++) {
    const noiseKey = derivedSeed(seed, g, EPISODE);
    for (let s = 0; s < samples; s++) probes.push({ direction: { kind: 'none' }, scale: 0, noiseKey, sample: s });
  }
  return { probes, response: 'rollouts' };
}

/** An empty rollouts batch: the step works on episodes already collected. */
export const NO_PROBES: ProbeBatch = { probes: [], response: 'rollouts' };
