import type { Params, ProbeBatch, ResponseKind, Responses, Seed, Update } from './types.js';

/** What {@link Estimator.combine} returns. */
export interface Combined<S> {
  /** The estimator's new state. */
  readonly state: S;
  /**
   * The gradient estimate of this step, or `undefined` when the estimator needs another round of probes in
   * the same step (its next `propose` is called with the new state and the same seed).
   */
  readonly update: Update | undefined;
  /** The estimator's best knowledge of f at the current point, for logs and stoppers (documented per estimator). */
  readonly value: number;
  /**
   * When true, `update` is already the step (chosen by the estimator's own line search or comparison, as in
   * ZO-RankSGD's line search or ZO-SGD-Cons): the optimizer adds it to the parameters as is and skips the
   * transform, whose state is left unchanged.
   */
  readonly final?: boolean;
}

/**
 * A gradient estimator, split into `propose` (which points to query) and `combine` (arithmetic on the
 * answers), so the library can count queries before spending them, choose the evaluation schedule, and serve
 * the same estimator library-driven (`optimizer().step`) or user-driven (ask/tell).
 *
 * `combine` is pure arithmetic on numbers: it never touches the oracle or writes the parameters.
 *
 * **Realised scales.** The batch `combine` receives is the batch as it was evaluated, which may differ from
 * the proposed one in each probe's `scale`: a driver may shorten a probe along its own direction (the tuner
 * does, so that every point stays inside its bounds), and backends apply a scale in float32. `combine` must
 * therefore read each probe's realised scale from the batch it is given — `Math.fround(probe.scale)` — and
 * divide a finite difference by the difference of the realised scales, never by its own σ: with probes
 * x + s₊d and x + s₋d, ĝ ∝ (f₊ − f₋)/(f32(s₊) − f32(s₋)) · d. The law suite (`estimatorLaws` in `zeroth/testing`)
 * checks it by shortening the probes of a step on a linear function.
 *
 * @typeParam S - the estimator's state (plain data)
 */
export interface Estimator<S = unknown> {
  /** The registry name, e.g. `'spsa'`. */
  readonly name: string;
  /** What the estimator needs from the oracle. */
  readonly response: ResponseKind;
  /** How in-place probes should be undone when the optimizer does not say (see `RestoreMode`). */
  readonly restore?: 'reapply' | 'exact';
  /**
   * The options it was built with, defaults filled in, as plain JSON (a function-valued option — a schedule, a
   * mask — appears as its name). Tuner checkpoints record them and `resumeTuner` refuses a resume whose
   * estimator's options differ; the `zeroth` command refuses `--estimator-options` keys that are not among
   * them. Optional: an estimator without it is not checked.
   */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * `false` declares that `combine` uses the shapes of `params` only, never their values. The optimizer may then
   * leave the parameters at the last probe point while `combine` runs and fuse the restore with the update
   * (one pass over the parameters instead of two). Left out, it counts as `true`.
   */
  readonly combineReadsValues?: boolean;
  /** Queries one step costs for these parameters (the documented count; the law suites check it). */
  queriesPerStep(params: Params): number;
  /** Initial state for these parameters. */
  init(params: Params): S;
  /** The probes of the next round of the step with seed `seed`. */
  propose(state: S, params: Params, seed: Seed): ProbeBatch;
  /**
   * Turns the answers into a gradient estimate (or asks for another round). `batch` holds the probes as they
   * were evaluated: divide by each probe's realised scale (`Math.fround(probe.scale)`), which a driver may have
   * shortened, not by the σ that was proposed.
   */
  combine(state: S, batch: ProbeBatch, responses: Responses, params: Params): Combined<S>;
}
