import type { EvalContext, Seed } from '../../src/types.js';
import type { Problem } from '../problem.js';
import type { Rotation } from '../haarRotation.js';
import { haarRotation } from '../haarRotation.js';
import { defineLazyOptimum } from '../_internal/lazyOptimum.js';
import { checkSeed } from '../_internal/validate.js';

/** The problem returned by {@link rotated}. */
export interface RotatedProblem extends Problem {
  /** The wrapped problem f. */
  readonly inner: Problem;
  /** The rotation Q: this problem is x ↦ f(Qx). */
  readonly rotation: Rotation;
  /** The seed of Q. */
  readonly seed: Seed;
}

/**
 * Rotates a problem: g(x) = f(Qx), with Q = {@link haarRotation}(d, seed) a seeded Haar-random orthogonal matrix.
 * Breaks the axis alignment that separable problems (sphere, quadratic, Rastrigin) offer to coordinate-wise
 * methods, while keeping every rotation-invariant property (values, condition number, optimum value).
 *
 * Qx is computed in float64 and rounded to float32 before f sees it (f's inputs are `Float32Array`s), so
 * g(x) = f(f32(Qx)) exactly: the rounding is a relative perturbation of about 6e-8 of Qx.
 *
 * - Gradient (when f has one): ∇g(x) = Qᵀ ∇f(Qx), in float64 from f's float32 gradient.
 * - Optimum: the same value f*, at x* = Qᵀ x*_f (when f's minimiser is known). Read lazily from f.
 * - Bounds: f's box, kept as the natural domain of x (the rotated box is not a box; Rastrigin's optimum 0 stays
 *   inside). f's `shape` is not kept: Q mixes all coordinates, so x is a flat vector.
 * - `initialPoint(seed)`: f32(Qᵀ x₀) with x₀ = f's `initialPoint(seed)`, so g starts at f's starting value
 *   (clipped to the bounds when there are any).
 * - Cost of one evaluation: one rotation, about 2d² flops (≈ 2 ms at d = 1000), plus f; the gradient adds a
 *   second rotation. Memory: d(d+1)/2 float64 for Q (4 MB at d = 1000), built in O(d²) at construction.
 *   `value` and `grad` reuse internal buffers: not reentrant, and f must not keep the array it is given.
 *
 * @param problem - the problem f to rotate
 * @param seed - uint32 seed of Q
 *
 * @example
 * ```ts
 * const p = rotated(quadratic({ dim: 100, condition: 100 }), 1);
 * p.name;                                           // 'rotated(quadratic)'
 * p.value(new Float32Array(100).fill(1));           // f(Q·1)
 * ```
 */
export function rotated(problem: Problem, seed: Seed): RotatedProblem {
  const inner = problem;
  const dim = inner.dim;
  const rotation = haarRotation(dim, checkSeed('seed', seed));
  const y64 = new Float64Array(dim);
  const y32 = new Float32Array(dim);
  const g32 = new Float32Array(dim);
  const bounds = inner.bounds;

  function rotate(x: Float32Array): Float32Array {
    rotation.apply(x, y64);
    for (let i = 0; i < dim; i++) y32[i] = y64[i]!;
    return y32;
  }

  const grad = inner.grad;
  const wrapped: RotatedProblem = {
    name: `rotated(${inner.name})`,
    dim,
    inner,
    rotation,
    seed,
    ...(bounds === undefined ? {} : { bounds }),
    initialPoint(s: Seed): Float32Array {
      const back = rotation.applyTranspose(inner.initialPoint(s));
      const out = Float32Array.from(back);
      if (bounds !== undefined) {
        for (let i = 0; i < dim; i++) out[i] = Math.min(Math.max(out[i]!, bounds.lower), bounds.upper);
      }
      return out;
    },
    value(x: Float32Array, context?: EvalContext): number {
      return inner.value(rotate(x), context);
    },
    ...(grad === undefined
      ? {}
      : {
          grad(x: Float32Array, out: Float32Array): void {
            grad.call(inner, rotate(x), g32);
            rotation.applyTranspose(g32, y64);
            for (let i = 0; i < dim; i++) out[i] = y64[i]!;
          },
        }),
  };
  return defineLazyOptimum(wrapped, inner, (o) =>
    o.x === undefined ? { value: o.value } : { value: o.value, x: rotation.applyTranspose(o.x) },
  );
}
