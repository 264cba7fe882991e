import type { EvalContext, Seed } from '../src/types.js';

/**
 * An objective to minimise, with what is known about it. `value` may use `context.noiseSeed` to draw
 * evaluation noise or a minibatch deterministically (common random numbers: equal seeds, equal noise).
 */
export interface Problem {
  /** Registry-style name, e.g. `'rosenbrock'` or `'noisy(sphere)'`. */
  readonly name: string;
  /** Dimension d of x. */
  readonly dim: number;
  /**
   * The shape of x when it is a matrix or tensor (row-major, product = `dim`), e.g. `[rows, cols]`; absent
   * for a flat vector. `minimize` gives its parameter block this shape (LOZO perturbs 2-D blocks low-rank).
   */
  readonly shape?: readonly number[];
  /** Box bounds when the problem has a natural domain. */
  readonly bounds?: { readonly lower: number; readonly upper: number };
  /** The minimum value f* and a minimiser when known. */
  readonly optimum?: { readonly value: number; readonly x?: Float64Array };
  /** A reproducible starting point. */
  initialPoint(seed: Seed): Float32Array;
  /** f(x). Pure apart from `context.noiseSeed`-driven noise. */
  value(x: Float32Array, context?: EvalContext): number;
  /** ∇f(x) written into `out` (float64 accumulation, float32 result), when f is differentiable. */
  grad?(x: Float32Array, out: Float32Array): void;
}
