import type { EmptyState } from '../identity.js';
import { chain } from '../chain.js';
import { materialize } from '../materialize.js';
import type { ScaleByLearningRateState } from '../scaleByLearningRate.js';
import { scaleByLearningRate } from '../scaleByLearningRate.js';
import { scaleBySign } from '../scaleBySign.js';
import type { Schedule, Transform } from '../transform.js';

/**
 * signSGD: `x ← x − η(k)·sign(g)`, elementwise. `chain(materialize(), scaleBySign(), scaleByLearningRate(lr))`.
 * The step is invariant to scaling `f` by any c > 0.
 *
 * Cost: extra memory: 1× params (the materialised update at each step).
 *
 * @see J. Bernstein et al., "signSGD: Compressed Optimisation for Non-Convex Problems", ICML 2018.
 * @param learningRate - η, a finite number > 0, or a schedule `k ↦ η(k)`
 * @throws InvalidHyperparameter (parameter `learningRate`)
 *
 * @example
 * ```ts
 * const opt = signSgd(1e-4);
 * let state = opt.init(params);
 * [step, state] = opt.update(estimate, state, params);
 * applyUpdates(cpuBackend(), step, params);
 * ```
 */
export function signSgd(
  learningRate: number | Schedule,
): Transform<readonly [EmptyState, EmptyState, ScaleByLearningRateState]> {
  return chain(materialize(), scaleBySign(), scaleByLearningRate(learningRate));
}
