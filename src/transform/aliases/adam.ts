import type { EmptyState } from '../identity.js';
import { chain } from '../chain.js';
import { materialize } from '../materialize.js';
import type { ScaleByAdamOptions, ScaleByAdamState } from '../scaleByAdam.js';
import { scaleByAdam } from '../scaleByAdam.js';
import type { ScaleByLearningRateState } from '../scaleByLearningRate.js';
import { scaleByLearningRate } from '../scaleByLearningRate.js';
import type { Schedule, Transform } from '../transform.js';

/**
 * Adam: `m ← b1·m + (1−b1)·g`, `v ← b2·v + (1−b2)·g²`, `x ← x − η(k)·m̂/(√v̂ + eps)` with bias-corrected
 * `m̂`, `v̂`. `chain(materialize(), scaleByAdam(options), scaleByLearningRate(learningRate))` — ZO-Adam when
 * fed a zeroth-order estimate, `torch.optim.Adam` when fed exact gradients.
 *
 * Cost: extra memory: 3× params (2× for `m` and `v`, 1× the materialised update at each step).
 *
 * @see D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 * @param learningRate - η, a finite number > 0, or a schedule `k ↦ η(k)`
 * @param options - `b1` (0.9), `b2` (0.999), `eps` (1e-8)
 * @throws InvalidHyperparameter (parameters `learningRate`, `b1`, `b2`, `eps`)
 *
 * @example
 * ```ts
 * const opt = adam(1e-3, { b2: 0.99 });
 * let state = opt.init(params);
 * [step, state] = opt.update(estimate, state, params);
 * applyUpdates(cpuBackend(), step, params);
 * ```
 */
export function adam(
  learningRate: number | Schedule,
  options: ScaleByAdamOptions = {},
): Transform<readonly [EmptyState, ScaleByAdamState, ScaleByLearningRateState]> {
  return chain(materialize(), scaleByAdam(options), scaleByLearningRate(learningRate));
}
