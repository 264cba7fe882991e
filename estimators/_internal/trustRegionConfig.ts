/**
 * The fixed settings of one instance of the subspace trust-region estimator's interpolation mode.
 *
 * @internal
 */

/** Fixed settings of one estimator instance. */
export interface EngineConfig {
  /** Subspace dimension, or undefined for p = d. */
  readonly subspaceDim: number | undefined;
  /** Initial radius: a number, or relative to x0 (`scale · max(1, ‖x0‖∞)`). */
  readonly rhoBeg: number | { readonly relative: number };
  readonly rhoEnd: number | { readonly relative: number };
  /** Coordinate bounds of the parameters (flattened), or undefined. */
  readonly lower: Float64Array | undefined;
  readonly upper: Float64Array | undefined;
  /** Trust steps per subspace before it is switched (p < d). */
  readonly switchEvery: number;
  /** Subspace directions carried over from earlier subspaces (p < d). */
  readonly memory: number;
  /** Interpolation points m as a function of p (p + 2 ≤ m ≤ (p + 1)(p + 2)/2). */
  readonly numPoints: (p: number) => number;
  /**
   * Where to start again once ρ reached ρ_end: about the best point in a rotated subspace ('best'), or at a
   * seeded uniform point of the box ('random', needs bounds: a multi-start search once the local one is done).
   */
  readonly restart: 'best' | 'random';
}
