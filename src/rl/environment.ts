/**
 * What a policy acts on: `discrete` actions are indices 0 … n−1 (one value per row), `continuous` actions are
 * vectors of `size` values that the environment clips to [low, high].
 */
export type ActionSpace =
  | { readonly kind: 'discrete'; readonly n: number }
  | { readonly kind: 'continuous'; readonly size: number; readonly low: number; readonly high: number };

/** Values per action row: 1 for a discrete action (its index), `size` for a continuous one. */
export function actionSize(space: ActionSpace): number {
  return space.kind === 'discrete' ? 1 : space.size;
}

/**
 * A reinforcement-learning environment written for vectorised stepping: the state of many copies lives in one
 * `Float64Array`, `stateSize` values per copy (a *row*), and `step` advances rows 0 … count−1 at once. The
 * rollouts oracle owns the state matrix, the step counter and the time limit; it moves finished rows out of
 * the way by swapping whole rows, so an environment must keep everything a copy needs in its row.
 *
 * Determinism: `reset(state, row, seed, sample)` fixes the start state from `seed` alone, and any randomness
 * of later steps from `(seed, sample)` (kept in the row), so equal seeds and samples give equal episodes.
 */
export interface Environment {
  /** Registry-style name, e.g. `'cartPole'`. */
  readonly name: string;
  /** Values per observation. */
  readonly observationSize: number;
  readonly action: ActionSpace;
  /** The time limit: an episode still running after this many steps is truncated. */
  readonly maxSteps: number;
  /** Values of state per copy (one row of the state matrix). */
  readonly stateSize: number;
  /** Every episode's return lies in [lower, upper]. */
  readonly returnBounds: { readonly lower: number; readonly upper: number };
  /** The mean return at which the task counts as solved (e.g. 475 for CartPole-v1), when it has one. */
  readonly solvedAt?: number;
  /** Writes the start state of the episode (seed, sample) into row `row`. */
  reset(state: Float64Array, row: number, seed: number, sample: number): void;
  /** Writes the observations of rows 0 … count−1 into `out` (count × observationSize, row-major). */
  observe(state: Float64Array, count: number, out: Float32Array): void;
  /**
   * Advances rows 0 … count−1 by one step under `actions` (count × action size), writing each row's reward
   * and whether it reached a terminal state (1) or not (0).
   */
  step(state: Float64Array, count: number, actions: Float32Array, reward: Float64Array, terminated: Uint8Array): void;
  /** The expected return of an optimal policy for the episode of `seed`, when known (bandits). */
  optimalReturn?(seed: number): number;
}
