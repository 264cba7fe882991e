import type { ScaleByLearningRateState } from '../scaleByLearningRate.js';
import { scaleByLearningRate } from '../scaleByLearningRate.js';
import type { Schedule, Transform } from '../transform.js';

/**
 * Stochastic gradient descent: `x ← x − η(k)·g`. The same transform as `scaleByLearningRate(learningRate)`.
 *
 * Works on implicit updates without materialising them, so MeZO-SGD keeps inference memory: the step stays a
 * list of `(seed, −η·coefficient)` terms.
 *
 * Cost: extra memory: none.
 *
 * @param learningRate - a finite number > 0, or a schedule `k ↦ η(k)` (k = 0 at the first step)
 * @throws InvalidHyperparameter (parameter `learningRate`) if the learning rate is not a finite number > 0
 *
 * @example
 * ```ts
 * const opt = sgd(1e-3);
 * let state = opt.init(params);
 * [step, state] = opt.update(estimate, state, params);
 * applyUpdates(cpuBackend(), step, params);
 * ```
 */
export function sgd(learningRate: number | Schedule): Transform<ScaleByLearningRateState> {
  return scaleByLearningRate(learningRate);
}
