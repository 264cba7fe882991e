import { InvalidHyperparameter } from '../errors.js';
import type { Schedule } from '../transform/transform.js';

/**
 * The schedule that never changes: `k ↦ value`.
 *
 * @param value - a finite number (a learning rate must also be > 0; that is checked where it is used)
 * @throws InvalidHyperparameter if `value` is not finite
 *
 * @example
 * ```ts
 * const opt = sgd(constant(1e-3)); // the same as sgd(1e-3)
 * ```
 */
export function constant(value: number): Schedule {
  if (!Number.isFinite(value)) {
    throw new InvalidHyperparameter('value', value, 'must be a finite number');
  }
  return () => value;
}
