import { recordOptions } from '../_internal/recordOptions.js';
import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import { checkLayout } from './_internal/checkLayout.js';
import { emptyState } from './_internal/emptyState.js';
import type { EmptyState } from './identity.js';
import type { Transform } from './transform.js';

/** Chooses the parameter blocks a transform applies to, from their name and shape: `true` = apply. */
export type BlockMask = (block: { readonly name: string; readonly shape: readonly number[] }) => boolean;

/**
 * Adds weight decay to the gradient estimate: `g ← g + λ·θ` on the blocks the mask selects (all by default).
 * Put it before `scaleByLearningRate(η)` for `x ← x − η(g + λθ)`; put it after `scaleByAdam` for AdamW
 * (decoupled weight decay, as in MeZO's and ZO2's `zo_update`).
 *
 * - implicit: prepends the term `{ direction: { kind: 'params', blocks }, coeff: λ }` (the `blocks` flags are
 *   omitted when every block is selected), so `applyUpdates` applies the decay first, with the old θ, then the
 *   rest of the step — memory-free, the MeZO way. Nothing is added when λ = 0 or no block is selected.
 * - dense: `gᵢ ← f32(gᵢ + λ·θᵢ)` in place in the given arrays, for the selected blocks.
 *
 * Cost: extra memory: none.
 *
 * @see I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 * @param weightDecay - λ, a finite number ≥ 0
 * @param mask - which blocks to decay; default all. {@link noDecayForBiasAndNorm} skips biases and norms.
 * @throws InvalidHyperparameter if `weightDecay` is not a finite number ≥ 0, or `mask` is not a function
 *
 * @example
 * ```ts
 * const t = chain(addDecayedWeights(0.1, noDecayForBiasAndNorm), scaleByLearningRate(1e-3)); // MeZO-SGD with weight decay
 * const [step] = t.update(mezoEstimate, t.init(params), params);
 * applyUpdates(cpuBackend(), step, params);
 * ```
 */
export function addDecayedWeights(weightDecay: number, mask?: BlockMask): Transform<EmptyState> {
  if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw new InvalidHyperparameter('weightDecay', weightDecay, 'must be a finite number ≥ 0 (0 turns it off)');
  }
  if (mask !== undefined && typeof mask !== 'function') {
    throw new InvalidHyperparameter('mask', mask, 'must be a function (block: { name, shape }) => boolean, or be left out');
  }
  const selected = (params: Params): boolean[] =>
    params.map((b) => (mask === undefined ? true : mask({ name: b.name, shape: b.shape }) === true));
  return {
    name: 'addDecayedWeights',
    options: recordOptions({ weightDecay, mask }),
    init(_params: Params): EmptyState {
      return emptyState;
    },
    update(update: Update, state: EmptyState, params: Params): readonly [Update, EmptyState] {
      if (weightDecay === 0) return [update, state];
      const blocks = selected(params);
      if (update.kind === 'implicit') {
        if (!blocks.includes(true)) return [update, state];
        const direction = blocks.includes(false)
          ? ({ kind: 'params', blocks } as const)
          : ({ kind: 'params' } as const);
        return [{ kind: 'implicit', terms: [{ direction, coeff: weightDecay }, ...update.terms] }, state];
      }
      checkLayout('addDecayedWeights', update.blocks, params.map((b) => b.data));
      for (let k = 0; k < update.blocks.length; k++) {
        if (!blocks[k]) continue;
        const g = update.blocks[k]!;
        const theta = params[k]!.data;
        for (let i = 0; i < g.length; i++) g[i] = g[i]! + weightDecay * theta[i]!;
      }
      return [update, state];
    },
  };
}
