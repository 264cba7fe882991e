import { recordOptions } from '../_internal/recordOptions.js';
import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import { scaleUpdate } from './_internal/scaleUpdate.js';
import type { Schedule, Transform } from './transform.js';

/** The state of {@link scaleByLearningRate}: the number of updates done so far (the step `k` of the next one). */
export interface ScaleByLearningRateState {
  readonly count: number;
}

const requirement = 'must be a finite number > 0';

/**
 * Turns a gradient estimate into a descent step: `u ← −η(k) · u`, with `η(k)` the learning rate (or schedule
 * value) at step `k = 0, 1, 2, …` (`state.count`). `applyUpdates` then adds the step: `x ← x − η(k) · g`.
 *
 * - implicit: every coefficient is multiplied by `−η(k)` into a new update; the directions are shared, so a
 *   MeZO step stays a list of `(seed, coefficient)` pairs.
 * - dense: the given arrays are scaled in place (`uᵢ ← f32(−η(k) · uᵢ)`) and returned.
 *
 * Cost: extra memory: none (the state is one counter).
 *
 * @param learningRate - a finite number > 0, or a {@link Schedule} `k ↦ η(k)` whose value must be a finite
 *   number ≥ 0 at every step it is used (checked at that step; 0 makes that step a no-op)
 * @throws InvalidHyperparameter (parameter `learningRate`) at construction for a bad number, and from `update`
 *   when the schedule returns a bad value
 *
 * @example
 * ```ts
 * const t = scaleByLearningRate(0.1);
 * const [step] = t.update({ kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 7 }, coeff: 2 }] }, t.init(params), params);
 * // step.terms[0].coeff === -0.2
 * ```
 */
export function scaleByLearningRate(learningRate: number | Schedule): Transform<ScaleByLearningRateState> {
  if (typeof learningRate === 'number') {
    checkLearningRate(learningRate, undefined);
  } else if (typeof learningRate !== 'function') {
    throw new InvalidHyperparameter('learningRate', learningRate, `${requirement}, or a schedule (step: number) => number`);
  }
  const rate: Schedule = typeof learningRate === 'number' ? () => learningRate : learningRate;
  return {
    name: 'scaleByLearningRate',
    options: recordOptions({ learningRate }),
    readsValues: false,
    init(_params: Params): ScaleByLearningRateState {
      return { count: 0 };
    },
    update(update: Update, state: ScaleByLearningRateState, _params: Params): readonly [Update, ScaleByLearningRateState] {
      const k = state.count;
      const lr = rate(k);
      checkLearningRate(lr, k);
      return [scaleUpdate(update, -lr), { count: k + 1 }];
    },
  };
}

function checkLearningRate(lr: number, step: number | undefined): void {
  if (step === undefined) {
    if (typeof lr === 'number' && Number.isFinite(lr) && lr > 0) return;
    throw new InvalidHyperparameter('learningRate', lr, requirement);
  }
  // A schedule may reach 0 (warm-up from 0, cosine decay to 0): that step leaves the parameters unchanged.
  if (typeof lr === 'number' && Number.isFinite(lr) && lr >= 0) return;
  throw new InvalidHyperparameter('learningRate', lr, `must be a finite number ≥ 0 when given by a schedule (the schedule returned it at step ${step})`);
}
