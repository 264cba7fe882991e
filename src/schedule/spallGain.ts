import { InvalidHyperparameter } from '../errors.js';
import type { Schedule } from '../transform/transform.js';

/** Options of {@link spallGain}. */
export interface SpallGainOptions {
  /** The gain numerator a, finite and > 0. */
  readonly a: number;
  /** The stability constant A, finite and ≥ 0; Spall suggests about 10% of the planned iterations. Default 0. */
  readonly A?: number;
  /** The decay exponent α, finite and ≥ 0; default 0.602 (Spall's practical value; 1 is asymptotically optimal). */
  readonly alpha?: number;
}

/**
 * Spall's SPSA gain sequence (the learning rate): `a_k = a / (A + k + 1)^α` for `k = 0, 1, 2, …`, so
 * `a_0 = a / (A + 1)^α`. Non-increasing in k.
 *
 * Spall's guideline for `a`: choose it so that `a_0` times the typical size of the first gradient estimate's
 * elements is the smallest change of θ you want early on.
 *
 * @see J. C. Spall, "Implementation of the simultaneous perturbation algorithm for stochastic optimization",
 *   IEEE Trans. Aerospace and Electronic Systems 34(3):817–823, 1998.
 * @throws InvalidHyperparameter if `a` is not a finite number > 0, or `A` or `alpha` not a finite number ≥ 0
 *
 * @example
 * ```ts
 * const gain = spallGain({ a: 0.16, A: 10 }); // gain(0) = 0.16 / 11^0.602
 * const opt = sgd(gain);
 * ```
 */
export function spallGain(options: SpallGainOptions): Schedule {
  const { a, A = 0, alpha = 0.602 } = options;
  if (!(Number.isFinite(a) && a > 0)) {
    throw new InvalidHyperparameter('a', a, 'must be a finite number > 0 (the SPSA gain numerator)');
  }
  if (!(Number.isFinite(A) && A >= 0)) {
    throw new InvalidHyperparameter('A', A, 'must be a finite number ≥ 0 (about 10% of the planned iterations)');
  }
  if (!(Number.isFinite(alpha) && alpha >= 0)) {
    throw new InvalidHyperparameter('alpha', alpha, 'must be a finite number ≥ 0 (0.602 is usual)');
  }
  return (k) => a / (A + k + 1) ** alpha;
}
