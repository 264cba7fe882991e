import { InvalidHyperparameter } from '../errors.js';
import type { Schedule } from '../transform/transform.js';

/** Options of {@link spallPerturbation}. */
export interface SpallPerturbationOptions {
  /** The initial perturbation size c, finite and > 0; Spall suggests about the noise standard deviation of f. */
  readonly c: number;
  /** The decay exponent γ, finite and ≥ 0; default 0.101 (Spall's practical value; 1/6 is asymptotically optimal). */
  readonly gamma?: number;
}

/**
 * Spall's SPSA perturbation sequence (the `sigma` of step k): `c_k = c / (k + 1)^γ` for `k = 0, 1, 2, …`, so
 * `c_0 = c`. Non-increasing in k.
 *
 * @see J. C. Spall, "Implementation of the simultaneous perturbation algorithm for stochastic optimization",
 *   IEEE Trans. Aerospace and Electronic Systems 34(3):817–823, 1998.
 * @throws InvalidHyperparameter if `c` is not a finite number > 0, or `gamma` not a finite number ≥ 0
 *
 * @example
 * ```ts
 * const sigma = spallPerturbation({ c: 0.1 }); // sigma(0) = 0.1, sigma(9) = 0.1 / 10^0.101
 * ```
 */
export function spallPerturbation(options: SpallPerturbationOptions): Schedule {
  const { c, gamma = 0.101 } = options;
  if (!(Number.isFinite(c) && c > 0)) {
    throw new InvalidHyperparameter('c', c, 'must be a finite number > 0 (about the noise standard deviation of f)');
  }
  if (!(Number.isFinite(gamma) && gamma >= 0)) {
    throw new InvalidHyperparameter('gamma', gamma, 'must be a finite number ≥ 0 (0.101 is usual)');
  }
  return (k) => c / (k + 1) ** gamma;
}
