import type { Params, Update } from '../types.js';
import { emptyState } from './_internal/emptyState.js';
import { requireDense } from './_internal/requireDense.js';
import type { EmptyState } from './identity.js';
import type { Transform } from './transform.js';

/**
 * Elementwise sign: `uᵢ ← sign(uᵢ)` (1, −1, or 0 for ±0). Followed by `scaleByLearningRate(η)` it is signSGD,
 * `x ← x − η·sign(g)`: the step does not depend on the size of `g`, so it is invariant to scaling `f` by any
 * c > 0.
 *
 * Dense updates only: put `materialize()` before it for implicit ones. (This is the *elementwise* sign of the
 * materialised estimate, not ZO-Bench's `zo_sign_opt`, which takes the sign of the scalar projected gradient.)
 * The output is written into the given update's arrays.
 *
 * Cost: extra memory: none.
 *
 * @see J. Bernstein et al., "signSGD: Compressed Optimisation for Non-Convex Problems", ICML 2018.
 * @throws UnsupportedUpdate from `update` for an implicit update
 *
 * @example
 * ```ts
 * const t = scaleBySign();
 * const [out] = t.update({ kind: 'dense', blocks: [Float32Array.of(-3, 0, 0.2)] }, t.init(params), params);
 * // out.blocks[0] is [-1, 0, 1]
 * ```
 */
export function scaleBySign(): Transform<EmptyState> {
  return {
    name: 'scaleBySign',
    options: {},
    readsValues: false,
    init(_params: Params): EmptyState {
      return emptyState;
    },
    update(update: Update, state: EmptyState, _params: Params): readonly [Update, EmptyState] {
      requireDense('scaleBySign', update);
      for (const g of update.blocks) {
        for (let i = 0; i < g.length; i++) g[i] = Math.sign(g[i]!);
      }
      return [update, state];
    },
  };
}
