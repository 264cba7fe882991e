import type { Seed } from '../src/types.js';
import type { Problem } from './problem.js';
import type { Rotation } from './haarRotation.js';
import { haarRotation } from './haarRotation.js';
import { uniformVector } from './_internal/draws.js';
import { purposeKey, purposes } from './_internal/purposes.js';
import { checkInteger, checkLength, checkNumber, checkSeed } from './_internal/validate.js';
import { streams } from '../src/rng/streams.js';

/** Options of {@link quadratic}. */
export interface QuadraticOptions {
  /** Dimension d ≥ 1. */
  readonly dim: number;
  /** Condition number κ ≥ 1 of the Hessian: λ_{d−1} / λ_0. Default 1. */
  readonly condition?: number;
  /**
   * When given, the eigenbasis is the seeded Haar rotation {@link haarRotation}(dim, seed) instead of the
   * coordinate axes: H = Qᵀ Λ Q. Absent: H = Λ (axis-aligned).
   */
  readonly seed?: Seed;
}

/** The problem returned by {@link quadratic}. */
export interface QuadraticProblem extends Problem {
  readonly optimum: { readonly value: number; readonly x: Float64Array };
  /** λ_0 … λ_{d−1}: log-spaced from 1 to `condition`. */
  readonly eigenvalues: Float64Array;
  /** The eigenbasis Q (H = Qᵀ Λ Q), present only when `seed` was given. */
  readonly basis?: Rotation;
  /** `out ← H v` in float64; returns `out` (a new Float64Array when omitted). */
  hessianTimes(v: ArrayLike<number>, out?: Float64Array): Float64Array;
  grad(x: Float32Array, out: Float32Array): void;
}

/**
 * The ill-conditioned convex quadratic f(x) = ½ Σᵢ λᵢ yᵢ², y = x (or y = Qx when `seed` is given), with
 * eigenvalues log-spaced from 1 to κ = `condition`: λᵢ = κ^{i/(d−1)} (λ_0 = 1, λ_{d−1} = κ; λ_0 = 1 when d = 1).
 *
 * - Gradient: ∇f(x) = H x with H = diag(λ) (or Qᵀ diag(λ) Q); exact, so central differences of any step equal it.
 * - Optimum: f* = 0 at x* = 0.
 * - `initialPoint(seed)`: i.i.d. uniform in [−1, 1]^d from the counter-based RNG (deterministic in `seed`).
 * - Cost of one evaluation: d multiply-adds (axis-aligned) or about 2d² flops (seeded basis, one
 *   rotation; the gradient needs two). Memory: d float64, plus d(d+1)/2 float64 for a seeded basis.
 *
 * @example
 * ```ts
 * const p = quadratic({ dim: 3, condition: 100 });
 * p.eigenvalues;                             // [1, 10, 100]
 * p.value(new Float32Array([1, 1, 1]));      // ½(1 + 10 + 100) = 55.5
 * ```
 */
export function quadratic(options: QuadraticOptions): QuadraticProblem {
  const dim = checkInteger('dim', options.dim, 1);
  const condition = checkNumber('condition', options.condition ?? 1, 1);
  const basis = options.seed === undefined ? undefined : haarRotation(dim, checkSeed('seed', options.seed));
  const eigenvalues = new Float64Array(dim);
  for (let i = 0; i < dim; i++) eigenvalues[i] = dim === 1 ? 1 : condition ** (i / (dim - 1));
  const name = 'quadratic';
  const y = new Float64Array(dim);
  const hy = new Float64Array(dim);

  function rotate(x: Float32Array): Float64Array {
    if (basis === undefined) {
      for (let i = 0; i < dim; i++) y[i] = x[i]!;
      return y;
    }
    return basis.apply(x, y);
  }

  function hessianTimes(v: ArrayLike<number>, out: Float64Array = new Float64Array(dim)): Float64Array {
    checkLength('v', v, dim, name);
    checkLength('out', out, dim, name);
    if (basis === undefined) {
      for (let i = 0; i < dim; i++) out[i] = eigenvalues[i]! * v[i]!;
      return out;
    }
    const w = basis.apply(v);
    for (let i = 0; i < dim; i++) w[i] = eigenvalues[i]! * w[i]!;
    return basis.applyTranspose(w, out);
  }

  return {
    name,
    dim,
    optimum: { value: 0, x: new Float64Array(dim) },
    eigenvalues,
    ...(basis === undefined ? {} : { basis }),
    hessianTimes,
    initialPoint(seed: Seed): Float32Array {
      checkSeed('seed', seed);
      return uniformVector(purposeKey(seed, streams.data, purposes.initialPoint, 0), dim, -1, 1);
    },
    value(x: Float32Array): number {
      checkLength('x', x, dim, name);
      const r = rotate(x);
      let s = 0;
      for (let i = 0; i < dim; i++) s += eigenvalues[i]! * r[i]! * r[i]!;
      return 0.5 * s;
    },
    grad(x: Float32Array, out: Float32Array): void {
      checkLength('x', x, dim, name);
      checkLength('out', out, dim, name);
      const r = rotate(x);
      if (basis === undefined) {
        for (let i = 0; i < dim; i++) out[i] = eigenvalues[i]! * r[i]!;
        return;
      }
      for (let i = 0; i < dim; i++) r[i] = eigenvalues[i]! * r[i]!;
      basis.applyTranspose(r, hy);
      for (let i = 0; i < dim; i++) out[i] = hy[i]!;
    },
  };
}
