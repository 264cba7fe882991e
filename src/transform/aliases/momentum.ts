import type { EmptyState } from '../identity.js';
import { chain } from '../chain.js';
import { materialize } from '../materialize.js';
import type { ScaleByLearningRateState } from '../scaleByLearningRate.js';
import { scaleByLearningRate } from '../scaleByLearningRate.js';
import type { TraceState } from '../trace.js';
import { trace } from '../trace.js';
import type { Schedule, Transform } from '../transform.js';

/**
 * SGD with heavy-ball momentum (torch convention, no dampening): `b ← β·b + g`, `x ← x − η(k)·b`.
 * `chain(materialize(), trace({ decay }), scaleByLearningRate(learningRate))` — ZO-Bench's ZO-SGD-MMT when fed
 * a zeroth-order estimate.
 *
 * Cost: extra memory: 2× params (1× momentum buffer, 1× the materialised update at each step).
 *
 * @param learningRate - η, a finite number > 0, or a schedule `k ↦ η(k)`
 * @param decay - β, in [0, 1); default 0.9
 * @throws InvalidHyperparameter (parameters `learningRate`, `decay`)
 *
 * @example
 * ```ts
 * const opt = momentum(1e-2, 0.9);
 * let state = opt.init(params);
 * [step, state] = opt.update(estimate, state, params);
 * applyUpdates(cpuBackend(), step, params);
 * ```
 */
export function momentum(
  learningRate: number | Schedule,
  decay = 0.9,
): Transform<readonly [EmptyState, TraceState, ScaleByLearningRateState]> {
  return chain(materialize(), trace({ decay }), scaleByLearningRate(learningRate));
}
