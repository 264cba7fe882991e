import type { EvalContext, Seed } from '../../src/types.js';
import type { Problem } from '../problem.js';
import { streams } from '../../src/rng/streams.js';
import { gaussianVector, uniformAt } from '../_internal/draws.js';
import { defineLazyOptimum } from '../_internal/lazyOptimum.js';
import { purposeKey, purposes } from '../_internal/purposes.js';
import { checkLength, checkSeed } from '../_internal/validate.js';

/** The problem returned by {@link shifted}. */
export interface ShiftedProblem extends Problem {
  /** The wrapped problem f. */
  readonly inner: Problem;
  /** The shift s (float32-representable values): this problem is x ↦ f(x − s). */
  readonly shift: Float64Array;
  /** The seed of s. */
  readonly seed: Seed;
}

/**
 * Shifts a problem: g(x) = f(x − s) with a seeded shift s, so that the optimum no longer sits at the origin or on
 * a symmetric point (the nevergrad/BBOB trick that keeps tests from being biased by x* = 0).
 *
 * The shift s (from the counter-based RNG, deterministic in `seed`, each sᵢ rounded to float32):
 * - f bounded with known minimiser x*_f: the new minimiser x*_f + s is i.i.d. uniform in the central 80 % of
 *   the box, [lower + 0.1w, upper − 0.1w] with w = upper − lower (f's optimum is read at construction);
 * - f bounded, minimiser unknown: sᵢ i.i.d. uniform in [−0.1w, 0.1w];
 * - f unbounded: sᵢ i.i.d. standard normal (the canonical Gaussian).
 *
 * x − s is computed in float64 and rounded to float32 before f sees it: g(x) = f(f32(x − s)).
 *
 * - Gradient (when f has one): ∇g(x) = ∇f(x − s).
 * - Optimum: the same value f*, at x* = x*_f + s (when f's minimiser is known). Bounds and `shape`: f's.
 * - `initialPoint(seed)`: f32(x₀ + s) with x₀ = f's `initialPoint(seed)` (the same start relative to the
 *   landscape), clipped to the bounds when there are any.
 * - Cost of one evaluation: d subtractions plus f. Memory: 2d numbers. Not reentrant (one internal buffer).
 *
 * @param problem - the problem f to shift
 * @param seed - uint32 seed of s
 *
 * @example
 * ```ts
 * const p = shifted(sphere({ dim: 3 }), 5);
 * p.value(Float32Array.from(p.shift));   // 0: the optimum moved to s
 * ```
 */
export function shifted(problem: Problem, seed: Seed): ShiftedProblem {
  const inner = problem;
  const dim = inner.dim;
  const key = purposeKey(checkSeed('seed', seed), streams.data, purposes.shift, 0);
  const bounds = inner.bounds;
  const shift = new Float64Array(dim);
  if (bounds === undefined) {
    shift.set(gaussianVector(key, dim));
  } else {
    const w = bounds.upper - bounds.lower;
    const center = inner.optimum?.x;
    for (let i = 0; i < dim; i++) {
      const u = uniformAt(key, i);
      const s = center === undefined ? (u - 0.5) * 0.2 * w : bounds.lower + 0.1 * w + 0.8 * w * u - center[i]!;
      shift[i] = Math.fround(s);
    }
  }
  const y = new Float32Array(dim);

  function unshift(x: Float32Array): Float32Array {
    checkLength('x', x, dim, `shifted(${inner.name})`);
    for (let i = 0; i < dim; i++) y[i] = x[i]! - shift[i]!;
    return y;
  }

  const grad = inner.grad;
  const wrapped: ShiftedProblem = {
    name: `shifted(${inner.name})`,
    dim,
    inner,
    shift,
    seed,
    ...(bounds === undefined ? {} : { bounds }),
    ...(inner.shape === undefined ? {} : { shape: inner.shape }),
    initialPoint(s: Seed): Float32Array {
      const x0 = inner.initialPoint(s);
      const out = new Float32Array(dim);
      for (let i = 0; i < dim; i++) {
        const v = x0[i]! + shift[i]!;
        out[i] = bounds === undefined ? v : Math.min(Math.max(v, bounds.lower), bounds.upper);
      }
      return out;
    },
    value(x: Float32Array, context?: EvalContext): number {
      return inner.value(unshift(x), context);
    },
    ...(grad === undefined
      ? {}
      : {
          grad(x: Float32Array, out: Float32Array): void {
            grad.call(inner, unshift(x), out);
          },
        }),
  };
  return defineLazyOptimum(wrapped, inner, (o) => {
    const x = o.x;
    if (x === undefined) return { value: o.value };
    return { value: o.value, x: Float64Array.from(x, (v, i) => v + shift[i]!) };
  });
}
