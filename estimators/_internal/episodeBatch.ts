import { InvalidInput } from '../../src/errors.js';
import type { Episode } from '../../src/rl/episode.js';
import { actionSize } from '../../src/rl/environment.js';
import type { Policy } from '../../src/rl/policy.js';

/** Episodes flattened into rows, one per step, in episode order. */
export interface EpisodeBatch {
  /** Total steps. */
  readonly rows: number;
  readonly episodes: number;
  readonly observations: Float32Array;
  readonly actions: Float32Array;
  /** log π_old(aₜ | sₜ) at collection. */
  readonly logProbs: Float64Array;
  /** Episode index of each row. */
  readonly episodeOf: Int32Array;
  /** First row of each episode, and `rows` at the end (episodes + 1 entries). */
  readonly starts: Int32Array;
}

/** Flattens episodes into an {@link EpisodeBatch}, checking their shapes against the policy. */
export function episodeBatch(episodes: readonly Episode[], policy: Policy): EpisodeBatch {
  const O = policy.observationSize;
  const A = actionSize(policy.action);
  const starts = new Int32Array(episodes.length + 1);
  for (const [e, ep] of episodes.entries()) {
    if (ep.length < 1 || ep.observations.length !== ep.length * O || ep.actions.length !== ep.length * A || ep.rewards.length !== ep.length || ep.logProbs.length !== ep.length) {
      throw new InvalidInput('responses', `episode ${e} does not hold ${ep.length} steps of ${O} observation and ${A} action values`, `Collect the episodes with a policy of observationSize ${O} (the estimator's policy).`);
    }
    starts[e + 1] = starts[e]! + ep.length;
  }
  const rows = starts[episodes.length]!;
  const observations = new Float32Array(rows * O);
  const actions = new Float32Array(rows * A);
  const logProbs = new Float64Array(rows);
  const episodeOf = new Int32Array(rows);
  for (const [e, ep] of episodes.entries()) {
    const s = starts[e]!;
    observations.set(ep.observations, s * O);
    actions.set(ep.actions, s * A);
    logProbs.set(ep.logProbs, s);
    episodeOf.fill(e, s, s + ep.length);
  }
  return { rows, episodes: episodes.length, observations, actions, logProbs, episodeOf, starts };
}

/** The rows `index` of a batch, gathered into contiguous arrays. */
export function gatherRows(batch: Pick<EpisodeBatch, 'observations' | 'actions' | 'logProbs'>, index: ArrayLike<number>, O: number, A: number): { observations: Float32Array; actions: Float32Array; logProbs: Float64Array } {
  const n = index.length;
  const observations = new Float32Array(n * O);
  const actions = new Float32Array(n * A);
  const logProbs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = index[i]!;
    observations.set(batch.observations.subarray(r * O, r * O + O), i * O);
    actions.set(batch.actions.subarray(r * A, r * A + A), i * A);
    logProbs[i] = batch.logProbs[r]!;
  }
  return { observations, actions, logProbs };
}
