import type { Seed } from '../src/types.js';
import type { Problem } from './problem.js';
import { uniformVector } from './_internal/draws.js';
import { purposeKey, purposes } from './_internal/purposes.js';
import { checkInteger, checkLength, checkSeed } from './_internal/validate.js';
import { streams } from '../src/rng/streams.js';

/** Options of {@link sphere}. */
export interface SphereOptions {
  /** Dimension d ≥ 1. */
  readonly dim: number;
}

/** The problem returned by {@link sphere}. */
export interface SphereProblem extends Problem {
  readonly optimum: { readonly value: number; readonly x: Float64Array };
  grad(x: Float32Array, out: Float32Array): void;
}

/**
 * The sphere function f(x) = Σᵢ xᵢ², the simplest smooth convex objective.
 *
 * - Gradient: ∇f(x) = 2x. Hessian 2I (condition number 1).
 * - Optimum: f* = 0 at x* = 0.
 * - `initialPoint(seed)`: i.i.d. uniform in [−1, 1]^d from the counter-based RNG (deterministic in `seed`).
 * - Cost of one evaluation (value or gradient): d multiply-adds in float64, no allocation.
 *
 * @example
 * ```ts
 * const p = sphere({ dim: 3 });
 * p.value(new Float32Array([1, 2, 3])); // 14
 * const g = new Float32Array(3);
 * p.grad(new Float32Array([1, 2, 3]), g); // g = [2, 4, 6]
 * ```
 */
export function sphere(options: SphereOptions): SphereProblem {
  const dim = checkInteger('dim', options.dim, 1);
  const name = 'sphere';
  return {
    name,
    dim,
    optimum: { value: 0, x: new Float64Array(dim) },
    initialPoint(seed: Seed): Float32Array {
      checkSeed('seed', seed);
      return uniformVector(purposeKey(seed, streams.data, purposes.initialPoint, 0), dim, -1, 1);
    },
    value(x: Float32Array): number {
      checkLength('x', x, dim, name);
      let s = 0;
      for (let i = 0; i < dim; i++) s += x[i]! * x[i]!;
      return s;
    },
    grad(x: Float32Array, out: Float32Array): void {
      checkLength('x', x, dim, name);
      checkLength('out', out, dim, name);
      for (let i = 0; i < dim; i++) out[i] = 2 * x[i]!;
    },
  };
}
