import type { Seed } from '../src/types.js';
import type { Problem } from './problem.js';
import { uniformVector } from './_internal/draws.js';
import { purposeKey, purposes } from './_internal/purposes.js';
import { checkInteger, checkLength, checkSeed } from './_internal/validate.js';
import { streams } from '../src/rng/streams.js';

/** Options of {@link rosenbrock}. */
export interface RosenbrockOptions {
  /** Dimension d ≥ 2. Default 2. */
  readonly dim?: number;
}

/** The problem returned by {@link rosenbrock}. */
export interface RosenbrockProblem extends Problem {
  readonly optimum: { readonly value: number; readonly x: Float64Array };
  grad(x: Float32Array, out: Float32Array): void;
}

/**
 * The (chained) Rosenbrock function f(x) = Σ_{i=0}^{d−2} 100 (x_{i+1} − xᵢ²)² + (1 − xᵢ)², a curved narrow
 * valley that punishes methods without curvature information.
 *
 * - Gradient: ∂f/∂xᵢ = −400 xᵢ (x_{i+1} − xᵢ²) − 2 (1 − xᵢ) [i < d−1] + 200 (xᵢ − x_{i−1}²) [i > 0].
 * - Optimum: f* = 0 at x* = (1, …, 1). (For 4 ≤ d ≤ 7 there is also a local minimum near x₀ = −1.)
 * - `initialPoint(seed)`: the classic start (−1.2, 1, −1.2, 1, …) when `seed` = 0; otherwise i.i.d. uniform
 *   in [−2, 2]^d from the counter-based RNG (deterministic in `seed`).
 * - Cost of one evaluation (value or gradient): O(d), about 6d flops in float64, no allocation.
 *
 * @example
 * ```ts
 * const p = rosenbrock();                        // d = 2
 * p.value(new Float32Array([1, 1]));             // 0
 * p.value(p.initialPoint(0));                    // ≈ 24.2 at (−1.2, 1)
 * ```
 */
export function rosenbrock(options: RosenbrockOptions = {}): RosenbrockProblem {
  const dim = checkInteger('dim', options.dim ?? 2, 2);
  const name = 'rosenbrock';
  return {
    name,
    dim,
    optimum: { value: 0, x: new Float64Array(dim).fill(1) },
    initialPoint(seed: Seed): Float32Array {
      checkSeed('seed', seed);
      if (seed === 0) return Float32Array.from({ length: dim }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
      return uniformVector(purposeKey(seed, streams.data, purposes.initialPoint, 0), dim, -2, 2);
    },
    value(x: Float32Array): number {
      checkLength('x', x, dim, name);
      let s = 0;
      for (let i = 0; i < dim - 1; i++) {
        const xi = x[i]!;
        const a = x[i + 1]! - xi * xi;
        const b = 1 - xi;
        s += 100 * a * a + b * b;
      }
      return s;
    },
    grad(x: Float32Array, out: Float32Array): void {
      checkLength('x', x, dim, name);
      checkLength('out', out, dim, name);
      let prev = 0; // 200 (xᵢ − x_{i−1}²), the term from the previous summand
      for (let i = 0; i < dim; i++) {
        const xi = x[i]!;
        let g = prev;
        if (i < dim - 1) {
          const a = x[i + 1]! - xi * xi;
          g += -400 * xi * a - 2 * (1 - xi);
          prev = 200 * a;
        }
        out[i] = g;
      }
    },
  };
}
