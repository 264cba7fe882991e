import type { Episode } from '../../src/rl/episode.js';
import { gae } from '../../src/rl/gae.js';
import type { ValueFunction } from '../../src/rl/policy.js';
import type { Params } from '../../src/types.js';
import type { EpisodeBatch } from './episodeBatch.js';

/** Per-row advantages, value targets and the critic's predictions at collection. */
export interface Advantages {
  readonly advantages: Float64Array;
  /** Âₜ + V(sₜ): the critic's regression targets (the discounted reward-to-go when there is no critic). */
  readonly targets: Float64Array;
  readonly values: Float64Array;
}

/**
 * GAE(λ) over every episode of a batch with rewards scaled by `rewardScale`. V is the critic (its blocks
 * `valueParams`) or ≡ 0; a truncated episode bootstraps from V(s_T), a terminal one from 0.
 */
export function episodeAdvantages(
  episodes: readonly Episode[],
  batch: EpisodeBatch,
  gamma: number,
  lambda: number,
  rewardScale: number,
  value: ValueFunction | undefined,
  valueParams: Params,
): Advantages {
  const rows = batch.rows;
  const values = new Float64Array(rows);
  const bootstrap = new Float64Array(episodes.length);
  if (value !== undefined) {
    value.predict(valueParams, batch.observations, rows, values);
    const truncated = episodes.map((e, i) => [e, i] as const).filter(([e]) => !e.terminated);
    if (truncated.length > 0) {
      const O = value.observationSize;
      const finals = new Float32Array(truncated.length * O);
      truncated.forEach(([e], j) => finals.set(e.finalObservation, j * O));
      const v = new Float64Array(truncated.length);
      value.predict(valueParams, finals, truncated.length, v);
      truncated.forEach(([, i], j) => (bootstrap[i] = v[j]!));
    }
  }
  const advantages = new Float64Array(rows);
  const targets = new Float64Array(rows);
  for (const [e, ep] of episodes.entries()) {
    const s = batch.starts[e]!;
    const r = rewardScale === 1 ? ep.rewards : ep.rewards.map((x) => x * rewardScale);
    gae(r, values.subarray(s, s + ep.length), bootstrap[e]!, gamma, lambda, advantages.subarray(s, s + ep.length));
  }
  for (let i = 0; i < rows; i++) targets[i] = advantages[i]! + values[i]!;
  return { advantages, targets, values };
}

/** (x − mean)/(std + 10⁻⁸) in place over `x` (population std); an empty or constant x becomes zeros. */
export function normalizeInPlace(x: Float64Array): Float64Array {
  const n = x.length;
  if (n === 0) return x;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i]! - mean) ** 2;
  const sd = Math.sqrt(v / n);
  for (let i = 0; i < n; i++) x[i] = (x[i]! - mean) / (sd + 1e-8);
  return x;
}
