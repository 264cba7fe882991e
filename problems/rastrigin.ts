import type { Seed } from '../src/types.js';
import type { Problem } from './problem.js';
import { uniformVector } from './_internal/draws.js';
import { purposeKey, purposes } from './_internal/purposes.js';
import { checkInteger, checkLength, checkSeed } from './_internal/validate.js';
import { streams } from '../src/rng/streams.js';

/** Options of {@link rastrigin}. */
export interface RastriginOptions {
  /** Dimension d ≥ 1. */
  readonly dim: number;
}

/** The problem returned by {@link rastrigin}. */
export interface RastriginProblem extends Problem {
  readonly bounds: { readonly lower: number; readonly upper: number };
  readonly optimum: { readonly value: number; readonly x: Float64Array };
  grad(x: Float32Array, out: Float32Array): void;
}

const TWO_PI = 2 * Math.PI;

/**
 * The Rastrigin function f(x) = 10d + Σᵢ (xᵢ² − 10 cos 2πxᵢ): a sphere with a regular lattice of about 10^d
 * local minima, the standard multimodal test.
 *
 * - Gradient: ∂f/∂xᵢ = 2xᵢ + 20π sin 2πxᵢ.
 * - Optimum: f* = 0 at x* = 0. Bounds: [−5.12, 5.12]^d.
 * - `initialPoint(seed)`: i.i.d. uniform in the bounds [−5.12, 5.12]^d from the counter-based RNG.
 * - Cost of one evaluation: d cosines (the gradient: d sines) in float64, no allocation.
 *
 * @example
 * ```ts
 * const p = rastrigin({ dim: 2 });
 * p.value(new Float32Array([0, 0]));   // 0
 * p.value(new Float32Array([1, 1]));   // 2 (a local minimum near every integer point)
 * ```
 */
export function rastrigin(options: RastriginOptions): RastriginProblem {
  const dim = checkInteger('dim', options.dim, 1);
  const name = 'rastrigin';
  const bounds = { lower: -5.12, upper: 5.12 };
  return {
    name,
    dim,
    bounds,
    optimum: { value: 0, x: new Float64Array(dim) },
    initialPoint(seed: Seed): Float32Array {
      checkSeed('seed', seed);
      const key = purposeKey(seed, streams.data, purposes.initialPoint, 0);
      return uniformVector(key, dim, bounds.lower, bounds.upper);
    },
    value(x: Float32Array): number {
      checkLength('x', x, dim, name);
      let s = 10 * dim;
      for (let i = 0; i < dim; i++) {
        const xi = x[i]!;
        s += xi * xi - 10 * Math.cos(TWO_PI * xi);
      }
      return s;
    },
    grad(x: Float32Array, out: Float32Array): void {
      checkLength('x', x, dim, name);
      checkLength('out', out, dim, name);
      for (let i = 0; i < dim; i++) {
        const xi = x[i]!;
        out[i] = 2 * xi + 20 * Math.PI * Math.sin(TWO_PI * xi);
      }
    },
  };
}
