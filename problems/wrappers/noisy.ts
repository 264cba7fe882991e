import type { EvalContext, Seed } from '../../src/types.js';
import type { Problem } from '../problem.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { streams } from '../../src/rng/streams.js';
import { defineLazyOptimum } from '../_internal/lazyOptimum.js';
import { purposes } from '../_internal/purposes.js';
import { checkNumber } from '../_internal/validate.js';

/** The problem returned by {@link noisy}. */
export interface NoisyProblem extends Problem {
  /** The wrapped, noise-free problem. */
  readonly inner: Problem;
  /** Standard deviation of the additive noise. */
  readonly sd: number;
  /** ξ(noiseSeed): the standard-normal draw that `value` adds, times `sd`. */
  noiseAt(noiseSeed: number): number;
}

/**
 * Additive Gaussian evaluation noise: value(x, context) = f(x) + sd · ξ, ξ ~ N(0, 1).
 *
 * ξ is a pure function of `context.noiseSeed` (reduced to a uint32 with `>>> 0`): it is element 0 of the
 * canonical Gaussian stream of that seed on the `noise` stream tag (see `src/rng/`). Equal noise seeds give
 * equal noise — common random numbers, so the two probes of an antithetic pair (which share a noise key) see the
 * same ξ and it cancels in their difference — and distinct seeds give independent draws. Without a context the
 * noise seed is 0, so a bare `value(x)` is deterministic too. ξ does not depend on x, so with a fixed noise seed
 * the noisy function has the gradient of f: `grad` (present when the inner problem has one) forwards ∇f. Nested
 * `noisy` wrappers draw the same ξ for the same noise seed (their noise adds up, fully correlated).
 *
 * - Optimum: that of f, i.e. of the expected value E[f(x) + sd·ξ] = f(x). Bounds, `shape` and `initialPoint`
 *   are f's.
 * - Cost of one evaluation: one evaluation of f plus one Gaussian draw (O(1)).
 *
 * @param problem - the noise-free problem
 * @param sd - noise standard deviation, finite and ≥ 0
 *
 * @example
 * ```ts
 * const p = noisy(sphere({ dim: 2 }), 0.1);
 * const x = new Float32Array([1, 1]);
 * p.value(x, { noiseSeed: 7, step: 0 }) === p.value(x, { noiseSeed: 7, step: 3 }); // true: same seed, same noise
 * p.value(x, { noiseSeed: 8, step: 0 });  // 2 + 0.1·ξ(8)
 * ```
 */
export function noisy(problem: Problem, sd: number): NoisyProblem {
  const sigma = checkNumber('sd', sd, 0);
  const inner = problem;
  const noiseAt = (noiseSeed: number): number =>
    sigma * gaussianAt(noiseSeed >>> 0, purposes.noise * 0x1000000, 0, streams.noise);
  const grad = inner.grad;
  const wrapped: NoisyProblem = {
    name: `noisy(${inner.name})`,
    dim: inner.dim,
    inner,
    sd: sigma,
    noiseAt,
    ...(inner.bounds === undefined ? {} : { bounds: inner.bounds }),
    ...(inner.shape === undefined ? {} : { shape: inner.shape }),
    initialPoint(seed: Seed): Float32Array {
      return inner.initialPoint(seed);
    },
    value(x: Float32Array, context?: EvalContext): number {
      const f = inner.value(x, context);
      return sigma === 0 ? f : f + noiseAt(context?.noiseSeed ?? 0);
    },
    ...(grad === undefined ? {} : { grad: (x: Float32Array, out: Float32Array): void => grad.call(inner, x, out) }),
  };
  return defineLazyOptimum(wrapped, inner, (o) => o);
}
