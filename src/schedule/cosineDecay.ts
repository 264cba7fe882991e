import { InvalidHyperparameter } from '../errors.js';
import type { Schedule } from '../transform/transform.js';

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** The value at step 0, finite and > 0. */
  readonly init: number;
  /** The number of steps of the decay, a positive integer; the value stays at `final` from step `steps` on. */
  readonly steps: number;
  /** The value reached at step `steps`, finite and ≥ 0. Default 0. */
  readonly final?: number;
}

/**
 * Cosine decay (SGDR without restarts, optax's `cosine_decay_schedule`):
 * `k ↦ final + (init − final) · ½(1 + cos(π · min(k, steps) / steps))`, k = 0 at the first step.
 *
 * With the default `final = 0` the value is 0 from step `steps` on, which `scaleByLearningRate` refuses (a
 * learning rate must be > 0): run at most `steps` steps, or give a small `final`.
 *
 * @see I. Loshchilov, F. Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
 * @throws InvalidHyperparameter if `init` is not a finite number > 0, `steps` not a positive integer, or
 *   `final` not a finite number ≥ 0
 *
 * @example
 * ```ts
 * const lr = cosineDecay({ init: 0.1, steps: 1000, final: 1e-4 }); // lr(0) = 0.1, lr(500) ≈ 0.05, lr(1000) = 1e-4
 * const opt = sgd(lr);
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  const { init, steps, final = 0 } = options;
  if (!(Number.isFinite(init) && init > 0)) {
    throw new InvalidHyperparameter('init', init, 'must be a finite number > 0');
  }
  if (!(Number.isInteger(steps) && steps > 0)) {
    throw new InvalidHyperparameter('steps', steps, 'must be a positive integer number of steps');
  }
  if (!(Number.isFinite(final) && final >= 0)) {
    throw new InvalidHyperparameter('final', final, 'must be a finite number ≥ 0');
  }
  return (k) => final + (init - final) * 0.5 * (1 + Math.cos((Math.PI * Math.min(k, steps)) / steps));
}
