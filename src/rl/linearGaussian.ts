import { InvalidHyperparameter } from '../errors.js';
import { checkFinite, checkSize } from './_internal/checkSize.js';
import { gaussianPolicy } from './_internal/gaussianPolicy.js';
import { mlp } from './_internal/mlp.js';
import type { Policy } from './policy.js';

/** Options of {@link linearGaussian}. */
export interface LinearGaussianOptions {
  readonly observationSize: number;
  /** Values per action. @defaultValue 1 */
  readonly actionSize?: number;
  /** The action bounds the environment clips to (kept for checks against the environment). @defaultValue −∞, +∞ */
  readonly low?: number;
  readonly high?: number;
  /** Initial log σ of every action dimension. @defaultValue 0 */
  readonly initialLogStd?: number;
}

/**
 * The linear-Gaussian policy for continuous actions: π(a | s) = N(W s + b, diag(σ²)) with a learned,
 * state-independent log σ. Blocks: `policy/w0` [actionSize, observationSize], `policy/b0` [actionSize] (zero
 * at `init`) and `policy/logStd` [actionSize].
 *
 * Score function, with z = (a − μ)/σ: ∇_μ log π = z/σ (then ∇_W = (z/σ) sᵀ, ∇_b = z/σ),
 * ∂ log π/∂ log σ = z² − 1; entropy H = Σ (log σ + ½ log 2πe), ∂H/∂ log σ = 1.
 * Cost of one row: O(actionSize · observationSize).
 *
 * @see R. J. Williams, "Simple statistical gradient-following algorithms for connectionist reinforcement
 * learning", Machine Learning 8, 1992.
 *
 * @example
 * ```ts
 * import { linearGaussian } from 'zeroth';
 * const policy = linearGaussian({ observationSize: 3, low: -2, high: 2, initialLogStd: -0.5 }); // Pendulum
 * const params = policy.init(0); // [policy/w0, policy/b0, policy/logStd]
 * ```
 */
export function linearGaussian(options: LinearGaussianOptions): Policy {
  const obs = checkSize('observationSize', options?.observationSize);
  const size = checkSize('actionSize', options.actionSize ?? 1);
  const low = options.low ?? -Infinity;
  const high = options.high ?? Infinity;
  if (typeof low !== 'number' || typeof high !== 'number' || Number.isNaN(low) || Number.isNaN(high) || !(low < high)) {
    throw new InvalidHyperparameter('low', low, `must be a number below high (${String(high)})`);
  }
  const logStd = checkFinite('initialLogStd', options.initialLogStd ?? 0);
  return gaussianPolicy('linearGaussian', mlp('policy', [obs, size]), { size, low, high }, logStd, 0, 0);
}
