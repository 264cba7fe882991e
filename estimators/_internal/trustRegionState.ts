/**
 * The plain-data state of the subspace trust-region estimator and its deep copy (combine never mutates the
 * state it is given: the optimizer and the tuner keep it to retry a failed step).
 *
 * @internal
 */
import type { QuadraticModel } from './quadraticModel.js';

/** What the next query is for. */
export type PendingKind = 'init' | 'trust' | 'geometry' | 'check';

/** The point the next step evaluates, in subspace coordinates relative to the base. */
export interface Pending {
  readonly kind: PendingKind;
  readonly s: Float64Array;
  /** The interpolation point it replaces (geometry steps), else −1. */
  readonly knew: number;
  /** q(s) − q(s_opt) for trust steps (≤ 0), else 0. */
  readonly predicted: number;
  /** min(Δ, ‖s − s_opt‖) for trust steps, else 0. */
  readonly dnorm: number;
}

/** State of the interpolation mode of `subspaceTrustRegion`: plain data (numbers, typed arrays, plain objects). */
export interface InterpolationState {
  readonly mode: 'interpolation';
  /** Number of parameters d. */
  readonly dim: number;
  /** Subspace dimension p. */
  readonly p: number;
  /** Interpolation points m = 2p + 1. */
  readonly m: number;
  /** Seed captured from the first step (subspace draws derive from it), and the common noise key. */
  readonly seed: number;
  readonly noiseKey: number;
  /** Subspaces (and restarts) started so far. */
  readonly epoch: number;
  /** p × d orthonormal rows, or null for the coordinate axes (p = d). */
  readonly basis: Float64Array | null;
  /** The base point in parameter space (float64, length d). */
  readonly xbase: Float64Array;
  /** m × p interpolation points relative to the base, and their values. */
  readonly points: Float64Array;
  readonly values: Float64Array;
  /** Points of the current subspace evaluated so far (initialisation runs until filled = m). */
  readonly filled: number;
  readonly model: QuadraticModel | null;
  /**
   * The KKT inverse (see kktInverse.ts; N² entries, row-major) followed by one entry holding its version, or
   * null during initialisation. Updating H costs O(N²) and so would copying it: successive states share the
   * buffer and `advance` updates it in place, bumping the version; a state whose `hVersion` no longer matches
   * the buffer's (an older state used again, e.g. a step retried) rebuilds H from its points.
   */
  readonly h: Float64Array | null;
  readonly hVersion: number;
  /** Index of the best point of the local search and its value (0 until its first point is evaluated). */
  readonly kopt: number;
  readonly fopt: number;
  /** ρ (lower bound of the radius), Δ (trust radius), the starting ρ of a subspace and the final ρ. */
  readonly rho: number;
  readonly delta: number;
  readonly rhoBeg: number;
  readonly rhoEnd: number;
  readonly pending: Pending;
  /** The last three absolute model errors |f − q| of trust steps. */
  readonly diffs: Float64Array;
  /** Evaluations in this subspace, and the count at the last step longer than ρ. */
  readonly nf: number;
  readonly nfsav: number;
  /** The last trust-region ratio (actual / predicted reduction). */
  readonly ratio: number;
  /** Progress directions of earlier subspaces kept in the next one (p < d), each of length d. */
  readonly memory: readonly Float64Array[];
  /** The best point when the current subspace started (for the progress direction), length d. */
  readonly epochStart: Float64Array;
  readonly fEpochStart: number;
  /**
   * Noise. `noisy` once a repeated evaluation of the best point disagreed (checked whenever ρ would shrink;
   * the estimator then goes on in its gradient mode with central differences); `noiseStats` = (Σ squared
   * deviations from point means, degrees of freedom) of the repeated evaluations, so σ² = noiseStats[0] /
   * noiseStats[1].
   */
  readonly noisy: boolean;
  /** True once a repeated evaluation of the best point reproduced its value (then it is not checked again). */
  readonly reproducible: boolean;
  readonly noiseStats: Float64Array;
  /** The float32 point at which f_opt was evaluated (length d), so the estimator can return to it exactly. */
  readonly bestPoint: Float64Array;
  /**
   * The best value of the whole run and its float32 point: the parameters stay there (f_opt and the best
   * point above belong to the current local search, which a random restart begins afresh).
   */
  readonly globalBest: number;
  readonly globalPoint: Float64Array;
  /** False until the first evaluation (globalBest is 0 until then; the state holds no NaN). */
  readonly hasGlobal: boolean;
  /** Steps taken (queries answered). */
  readonly steps: number;
}

/** A deep copy whose typed arrays can be written. */
export type Work = { -readonly [K in keyof InterpolationState]: InterpolationState[K] };

/** Copies every array of the state except H (shared, versioned: see `h`). */
export function copyState(s: InterpolationState): Work {
  return {
    ...s,
    basis: s.basis,
    xbase: s.xbase.slice(),
    points: s.points.slice(),
    values: s.values.slice(),
    model: s.model === null ? null : { c: s.model.c, g: s.model.g.slice(), gamma: s.model.gamma.slice(), mu: s.model.mu.slice() },
    h: s.h,
    diffs: s.diffs.slice(),
    noiseStats: s.noiseStats.slice(),
    memory: s.memory,
    epochStart: s.epochStart,
  };
}
