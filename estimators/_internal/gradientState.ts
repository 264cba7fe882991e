/**
 * The plain-data state and fixed settings of the gradient-subspace mode of the subspace trust-region estimator.
 *
 * @internal
 */

/** Fixed settings of the gradient-subspace mode. */
export interface GradientConfig {
  /** Subspace dimension p: the gradient and the last p − 1 steps. */
  readonly p: number;
  readonly rhoBeg: number | { readonly relative: number };
  readonly rhoEnd: number | { readonly relative: number };
  readonly lower: Float64Array | undefined;
  readonly upper: Float64Array | undefined;
}

/** What the pending query of the gradient mode is for. */
export type GradientPendingKind = 'centre' | 'repeat' | 'difference' | 'curvature' | 'trial';

/** State of the gradient-subspace mode: plain data. */
export interface GradientState {
  readonly mode: 'gradient';
  readonly dim: number;
  readonly p: number;
  /** Seed captured from the first step and the common noise key. */
  readonly seed: number;
  readonly noiseKey: number;
  /** The current point (float32 values, held as float64) and f there. */
  readonly x: Float64Array;
  readonly fx: number;
  /** Best value so far (= fx: the point moves only to better points). */
  readonly fopt: number;
  /**
   * The forward-difference gradient being assembled at x, and the one of the previous centre. `grad` is filled
   * one coordinate per query: successive states share the buffer (copying d numbers per query would cost more
   * than the query), `gradStamp[0]` is the buffer's version and `gradVersion` this state's; a state whose
   * version is behind (an older state used again) copies the buffer before writing.
   */
  readonly grad: Float64Array;
  readonly gradStamp: Float64Array;
  readonly gradVersion: number;
  readonly gradPrev: Float64Array | null;
  /** The last step taken (x − previous centre), waiting for its secant once ĝ at x is complete. */
  readonly lastStep: Float64Array | null;
  /** Where ĝ was taken, once x has moved on within the same subspace model (else null: at x). */
  readonly gradAt: Float64Array | null;
  /** Up to p − 1 kept (step, secant) pairs, newest first. */
  readonly kept: readonly Float64Array[];
  readonly secants: readonly Float64Array[];
  /** Next coordinate to difference, and the difference step. */
  readonly index: number;
  readonly h: number;
  /** Trust radius and its floor; ρ_beg for restarts. */
  readonly delta: number;
  readonly rhoBeg: number;
  readonly rhoEnd: number;
  /** The subspace model: orthonormal rows Q (q × d), gradient Qĝ and Hessian B (q × q). */
  readonly basis: Float64Array | null;
  readonly q: number;
  readonly gq: Float64Array | null;
  readonly bq: Float64Array | null;
  /** The pending query: kind and, for a trial, the step in subspace coordinates and its predicted change. */
  readonly pending: { readonly kind: GradientPendingKind; readonly s: Float64Array; readonly predicted: number; readonly t: number };
  /** Steps taken (queries answered). */
  readonly steps: number;
  /**
   * Noise: Σ of squared deviations of repeated evaluations and their degrees of freedom (0: evaluations are
   * taken as exact, forward differences); the evaluations averaged in `fx`; the noise radius h_σ; and f at
   * x + h⁺ (with the realised step h⁺) waiting for its central partner.
   */
  readonly noiseSum: number;
  readonly noiseCount: number;
  readonly fxCount: number;
  readonly hNoise: number;
  /** Cap of the difference step once f was found not quadratic at its scale (0: none). */
  readonly hMax: number;
  /** Largest difference step and initial radius under noise with bounds: a quarter of the narrowest range (0: no bounds). */
  readonly hBox: number;
  readonly fPlus: number;
  readonly hPlus: number;
}
