import { InvalidHyperparameter } from '../errors.js';
import type { Schedule } from '../transform/transform.js';

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** The value at step 0, finite and > 0. */
  readonly init: number;
  /** The factor applied every `every` steps, finite and > 0 (< 1 decays, > 1 grows). */
  readonly rate: number;
  /** The number of steps over which the value is multiplied by `rate`, finite and > 0. */
  readonly every: number;
  /** Multiply in whole jumps every `every` steps (torch's `StepLR`) instead of smoothly. Default `false`. */
  readonly staircase?: boolean;
}

/**
 * Exponential decay: `k ↦ init · rate^(k / every)`, or `init · rate^⌊k / every⌋` with `staircase` (optax's
 * `exponential_decay` and torch's `StepLR`). k = 0 at the first step.
 *
 * @throws InvalidHyperparameter if `init`, `rate` or `every` is not a finite number > 0, or `staircase` is not a boolean
 *
 * @example
 * ```ts
 * const lr = exponentialDecay({ init: 0.1, rate: 0.5, every: 100 }); // lr(0) = 0.1, lr(100) = 0.05
 * const opt = sgd(lr);
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const { init, rate, every, staircase = false } = options;
  if (!(Number.isFinite(init) && init > 0)) {
    throw new InvalidHyperparameter('init', init, 'must be a finite number > 0');
  }
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw new InvalidHyperparameter('rate', rate, 'must be a finite number > 0 (< 1 to decay)');
  }
  if (!(Number.isFinite(every) && every > 0)) {
    throw new InvalidHyperparameter('every', every, 'must be a finite number of steps > 0');
  }
  if (typeof staircase !== 'boolean') {
    throw new InvalidHyperparameter('staircase', staircase, 'must be true or false');
  }
  return staircase ? (k) => init * rate ** Math.floor(k / every) : (k) => init * rate ** (k / every);
}
