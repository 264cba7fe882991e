import type { Episode, EpisodeRequest } from '../rl/episode.js';
import type { EvalContext, MaybePromise, Probe } from '../types.js';

/** Answers f(x) for one point. */
export interface ValueOracle<X> {
  readonly kind: 'value';
  value(x: X, context: EvalContext): MaybePromise<number>;
}

/** Answers f at many points in one call (e.g. one batched forward pass, one GPU launch). */
export interface BatchOracle<X> {
  readonly kind: 'batch';
  values(xs: readonly X[], contexts: readonly EvalContext[]): MaybePromise<ArrayLike<number>>;
  /**
   * Optional: f at the probe points `x + scaleᵢ · directionᵢ`, given by their descriptions (seeds) instead of
   * materialised copies — what a distributed evaluator ships. When present, `evaluateProbes` calls it instead
   * of `values`, makes no copies and leaves `x` untouched (so the points are exact, as with restore 'exact').
   */
  probeValues?(x: X, probes: readonly Probe[], contexts: readonly EvalContext[]): MaybePromise<ArrayLike<number>>;
}

/**
 * Orders candidates, best (lowest f) first. May return only the best `k` indices: the rest are unordered
 * (an (m, k)-ranking oracle).
 */
export interface RankingOracle<X> {
  readonly kind: 'ranking';
  rank(xs: readonly X[], context: EvalContext): MaybePromise<ArrayLike<number>>;
}

/** Answers f(x) and ∇f(x), for first-order baselines. `grad` has one array per parameter block. */
export interface GradientOracle<X> {
  readonly kind: 'gradient';
  valueAndGrad(
    x: X,
    context: EvalContext,
  ): MaybePromise<{ readonly value: number; readonly grad: readonly ArrayLike<number>[] }>;
}

/**
 * Runs episodes of an environment under a policy with parameters x, one per request (for policy-gradient
 * estimators). Equal requests give equal episodes (common random numbers by episode seed); see
 * {@link EpisodeRequest}. `returns`, when present, answers only the episodes' returns (no trajectories kept).
 */
export interface RolloutsOracle<X> {
  readonly kind: 'rollouts';
  rollouts(x: X, requests: readonly EpisodeRequest[], context: EvalContext): MaybePromise<readonly Episode[]>;
  returns?(x: X, requests: readonly EpisodeRequest[], context: EvalContext): MaybePromise<ArrayLike<number>>;
}

/** Anything an estimator may query. */
export type Oracle<X> = ValueOracle<X> | BatchOracle<X> | RankingOracle<X> | GradientOracle<X> | RolloutsOracle<X>;

/** The kinds of {@link Oracle}. */
export type OracleKind = Oracle<unknown>['kind'];
