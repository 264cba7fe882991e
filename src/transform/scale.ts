import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import { emptyState } from './_internal/emptyState.js';
import { scaleUpdate } from './_internal/scaleUpdate.js';
import type { EmptyState } from './identity.js';
import type { Transform } from './transform.js';

/**
 * Multiplies the update by a constant: `u ← factor · u`.
 *
 * - implicit: every coefficient is multiplied (`cᵢ ← factor · cᵢ`) into a new update; the directions are shared.
 * - dense: the given arrays are scaled in place (`uᵢ ← f32(factor · uᵢ)`) and returned.
 *
 * Cost: extra memory: none.
 *
 * @param factor - any finite number (negative flips the direction; `scale(-lr)` is plain SGD)
 * @throws InvalidHyperparameter if `factor` is not finite
 *
 * @example
 * ```ts
 * const t = scale(0.5);
 * const [out] = t.update({ kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 1 }, coeff: 4 }] }, t.init(params), params);
 * // out.terms[0].coeff === 2
 * ```
 */
export function scale(factor: number): Transform<EmptyState> {
  if (!Number.isFinite(factor)) {
    throw new InvalidHyperparameter('factor', factor, 'must be a finite number');
  }
  return {
    name: 'scale',
    options: { factor },
    readsValues: false,
    init(_params: Params): EmptyState {
      return emptyState;
    },
    update(update: Update, state: EmptyState, _params: Params): readonly [Update, EmptyState] {
      return [scaleUpdate(update, factor), state];
    },
  };
}
