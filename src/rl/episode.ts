/**
 * One episode of an environment under a policy, as the rollouts oracle returns it: plain data, T steps.
 *
 * Arrays are row-major: `observations` holds T rows of `observationSize` values (the observation *before* each
 * action), `actions` T rows of `actionSize` values (a discrete action is its index; a continuous action is the
 * policy's sample before the environment clips it), `rewards[t]` the reward of step t and `logProbs[t]`
 * log π(a_t | s_t) under the parameters that collected the episode.
 */
export interface Episode {
  /** The episode seed: it fixes the start state (the prompt, for a sequence task). */
  readonly seed: number;
  /** The sampling stream: with `seed`, it fixes the action noise and any transition noise. */
  readonly sample: number;
  /** Number of steps T ≥ 1. */
  readonly length: number;
  readonly observations: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float64Array;
  readonly logProbs: Float64Array;
  /** s_T, the observation after the last step (to bootstrap the value of a truncated episode). */
  readonly finalObservation: Float32Array;
  /** True when the episode ended in a terminal state; false when the time limit cut it (truncation). */
  readonly terminated: boolean;
  /** Σₜ rₜ, undiscounted. */
  readonly return: number;
  /** The expected return of an optimal policy for this episode's start state, when the environment knows it. */
  readonly optimalReturn?: number;
}

/** One episode to run: its seed and sampling stream (see {@link Episode}). */
export interface EpisodeRequest {
  readonly seed: number;
  readonly sample: number;
}
