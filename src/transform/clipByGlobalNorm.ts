import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import { emptyState } from './_internal/emptyState.js';
import { requireDense } from './_internal/requireDense.js';
import type { EmptyState } from './identity.js';
import type { Transform } from './transform.js';

/**
 * Rescales the whole update so that its global L2 norm is at most `maxNorm`: with `‖u‖ = √(Σ_blocks Σ_i uᵢ²)`,
 * `u ← u · maxNorm/‖u‖` when `‖u‖ > maxNorm`, else unchanged. The direction is kept.
 *
 * Dense updates only: put `materialize()` before it for implicit ones. The norm is accumulated in float64;
 * the scaled elements are rounded to float32, so the norm of the result is `maxNorm` up to float32 rounding
 * (a relative excess of at most ~6e-8). The output is written into the given update's arrays.
 *
 * Cost: extra memory: none.
 *
 * @see R. Pascanu, T. Mikolov, Y. Bengio, "On the difficulty of training recurrent neural networks", ICML 2013.
 * @throws InvalidHyperparameter if `maxNorm` is not a finite number > 0
 * @throws UnsupportedUpdate from `update` for an implicit update
 *
 * @example
 * ```ts
 * const t = clipByGlobalNorm(1);
 * const [out] = t.update({ kind: 'dense', blocks: [Float32Array.of(3, 4)] }, t.init(params), params);
 * // out.blocks[0] is [0.6, 0.8]
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): Transform<EmptyState> {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new InvalidHyperparameter('maxNorm', maxNorm, 'must be a finite number > 0');
  }
  return {
    name: 'clipByGlobalNorm',
    options: { maxNorm },
    readsValues: false,
    init(_params: Params): EmptyState {
      return emptyState;
    },
    update(update: Update, state: EmptyState, _params: Params): readonly [Update, EmptyState] {
      requireDense('clipByGlobalNorm', update);
      let sum = 0;
      for (const g of update.blocks) {
        for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
      }
      const norm = Math.sqrt(sum);
      if (norm > maxNorm) {
        const factor = maxNorm / norm;
        for (const g of update.blocks) {
          for (let i = 0; i < g.length; i++) g[i] = g[i]! * factor;
        }
      }
      return [update, state];
    },
  };
}
