import type { Estimator } from '../estimator.js';
import type { Transform } from '../transform/transform.js';
import type { EvalContext } from '../types.js';
import type { Space } from './space.js';

/** What an objective receives with each trial: the noise seed of common random numbers, the step and the trial id. */
export interface TrialContext extends EvalContext {
  /** The trial's id. */
  readonly trial: number;
}

/**
 * One evaluation the tuner asks for: the point `x` in the user's space (a decoded parameter object, every
 * number within its bounds) and the id to tell its result with.
 *
 * `kind` is `'probe'` for the estimator's probes and `'reEvaluation'` for the repeated evaluations of the
 * iterate that `reEvaluate` schedules (their values feed `recommend({ policy: 'reEvaluated' })`, not the
 * estimator). `u` is the standardised point in [−1, 1]^dim the estimator sees.
 */
export interface Trial<X> {
  readonly id: number;
  readonly x: X;
  readonly kind: 'probe' | 'reEvaluation';
  readonly context: TrialContext;
  readonly u: Float32Array;
}

/** A failed or pruned evaluation, told in place of a value. A NaN or ±Infinity value counts as failed. */
export interface TrialFailure {
  readonly state: 'failed' | 'pruned';
}

/** What happened when a tell completed a round (returned by `tell` and `tellRanking`; `undefined` otherwise). */
export type TunerEvent =
  /** A step updated the parameters; `value` is the estimator's value for it (see each estimator). */
  | { readonly type: 'step'; readonly step: number; readonly value: number; readonly queries: number }
  /**
   * A step was abandoned (a failed or pruned probe, or a non-finite estimate): the parameters did not move.
   * `reason` names the first failure told (so it may depend on the tell order; nothing else does).
   */
  | { readonly type: 'skipped'; readonly step: number; readonly reason: string; readonly queries: number }
  /** The iterate was re-evaluated: `value` is the mean of the successful repeats (NaN if none succeeded). */
  | { readonly type: 'reEvaluated'; readonly step: number; readonly value: number; readonly queries: number };

/**
 * How `recommend` chooses:
 *
 * - `'iterate'` (the default without `reEvaluate`): the optimizer's current parameters. Two-point estimators
 *   never evaluate it, but their probes lie σ away from it, so on a smooth objective it is usually better than
 *   the best probe;
 * - `'bestSeen'`: the evaluated point with the lowest told value (ties: the lower trial id); optimistic under
 *   noise, since the minimum of noisy values is biased low;
 * - `'reEvaluated'` (the default with `reEvaluate`): among the iterates re-evaluated by the `reEvaluate`
 *   option (each `repeats` times, with distinct noise seeds; the last iterate is re-evaluated when the budget
 *   ends), the one with the lowest mean — the recommendation to trust under noise; the iterate while none has
 *   been re-evaluated.
 */
export type RecommendPolicy = 'iterate' | 'bestSeen' | 'reEvaluated';

/** The recommended point. */
export interface Recommendation<X> {
  readonly x: X;
  /** The standardised point. */
  readonly u: Float32Array;
  /** Its known value: the told value (bestSeen), the mean of re-evaluations (reEvaluated); undefined for the iterate. */
  readonly value: number | undefined;
  /** The policy that produced it (after fallbacks: 'bestSeen' falls back to 'iterate' before any value is known). */
  readonly policy: RecommendPolicy;
}

/** Query and step limits of a tuner. */
export interface TunerBudget {
  /** Maximum queries (every probe of a step counts, also the ones a failure cancelled). */
  readonly queries?: number;
  /** Maximum parameter updates. */
  readonly steps?: number;
}

/** Repeated evaluations of the iterate, for `recommend({ policy: 'reEvaluated' })` under noise. */
export interface ReEvaluateOptions {
  /** Re-evaluate after every `every` updates (and once more at the end of the budget). */
  readonly every: number;
  /** Evaluations per re-evaluation, each with its own noise seed. */
  readonly repeats: number;
}

/** Options of {@link createTuner}. */
export interface TunerOptions<X> {
  /** The search space, e.g. `space({ lr: logFloat(1e-5, 1e-1), layers: int(1, 8) })`. */
  readonly space: Space<X>;
  /** A value or ranking estimator, e.g. `spsa({ sigma: 0.1 })` (sigma in standardised units). */
  readonly estimator: Estimator<unknown>;
  /** The step rule, e.g. `sgd(0.05)` or `adam(0.05)` (learning rate in standardised units). */
  readonly update: Transform<unknown>;
  /** A query budget, or query and step limits. @defaultValue unlimited (the driver must stop it) */
  readonly budget?: number | TunerBudget;
  /** Run seed (uint32): the trajectory is a pure function of it and the told results. @defaultValue 0 */
  readonly seed?: number;
  /** The starting point in user space. @defaultValue each dimension's init, else the middle of its range */
  readonly init?: X;
  /** Re-evaluate the iterate periodically (value estimators only). @defaultValue off */
  readonly reEvaluate?: ReEvaluateOptions;
}

/**
 * Ask/tell black-box tuning on a zeroth-order estimator: see {@link createTuner}.
 *
 * @typeParam X - the user's parameter object (the space's value type)
 */
export interface Tuner<X> {
  /** The next trial of the current round, or `undefined` when all are out and tells are awaited (or `done`). */
  ask(): Trial<X> | undefined;
  /** Every trial of the current round not handed out yet (natural parallelism: a whole step's probes). */
  askBatch(): Trial<X>[];
  /** Trials handed out and not told yet (after `resumeTuner`, `ask` hands them out again first). */
  pending(): Trial<X>[];
  /** The result of a trial, in any order. NaN/±Infinity count as failed. */
  tell(trial: Trial<X> | number, result: number | TrialFailure): TunerEvent | undefined;
  /**
   * The ranking of a round of a ranking estimator: `trials` are all the round's trials (in any order) and
   * `order` indices into `trials`, best first (possibly only the best k).
   */
  tellRanking(trials: readonly (Trial<X> | number)[], order: ArrayLike<number>): TunerEvent | undefined;
  /** The recommended point: see {@link RecommendPolicy}. @defaultValue 'reEvaluated' with reEvaluate, else 'iterate' */
  recommend(options?: { readonly policy?: RecommendPolicy }): Recommendation<X>;
  /** The checkpoint: versioned, checksummed JSON text; `meta` (plain JSON) is stored beside the state. */
  save(meta?: unknown): string;
  /** Trials handed out (a trial handed out again after a resume counts once). */
  readonly numAsked: number;
  /** Results told (values, failures, or the trials of a ranking). */
  readonly numTold: number;
  /** Queries charged to the budget: every probe of every round started, so numAsked ≤ numQueries ≤ budget. */
  readonly numQueries: number;
  /** Parameter updates made. */
  readonly numSteps: number;
  /** Results told as failed (`{ state: 'failed' }`, NaN or ±Infinity), stale ones included. */
  readonly numFailed: number;
  /** Results told as `{ state: 'pruned' }`. */
  readonly numPruned: number;
  /** Steps abandoned after their queries were charged (a failed or pruned probe, a non-finite estimate). */
  readonly numSkipped: number;
  /**
   * Steps re-drawn with the next seed before any query was charged, because a pair of probes clipped to one
   * point at the bounds of the box (a difference that measures nothing): see `createTuner`.
   */
  readonly numRedrawn: number;
  /** The query budget (Infinity when unlimited). */
  readonly budget: number;
  /** The step budget (Infinity when unlimited). */
  readonly maxSteps: number;
  /** True when the tuner will ask nothing more (the budget is spent). */
  readonly done: boolean;
  /** The estimator's value of the last update (NaN before the first or for ranking estimators). */
  readonly lastValue: number;
  /** The search space. */
  readonly space: Space<X>;
}
