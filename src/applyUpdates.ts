import type { Backend } from './backend/backend.js';
import { NonFiniteValue } from './errors.js';
import type { Params, Update } from './types.js';

/**
 * Adds a step to the parameters: `x ← x + update`. The only function in zeroth that writes parameters.
 *
 * - `implicit`: for each term in order, `backend.perturbInPlace(term.direction, term.coeff, x)`, regenerating
 *   each seeded direction (MeZO's `zo_update`, generalised); backends with `perturbTermsInPlace` (webgpu) apply
 *   the terms in one pass per block, with the same bits.
 * - `dense`: `backend.axpyInPlace(1, update.blocks, x)`.
 *
 * A step with a non-finite coefficient or element is refused before anything is written.
 *
 * @throws NonFiniteValue if the step holds NaN or ±Infinity
 */
export function applyUpdates<B = Float32Array>(backend: Backend<B>, update: Update, params: Params<B>): void {
  if (update.kind === 'implicit') {
    for (const t of update.terms) {
      if (!Number.isFinite(t.coeff)) throw new NonFiniteValue(t.coeff, 'an update coefficient');
    }
    if (backend.perturbTermsInPlace !== undefined) backend.perturbTermsInPlace(update.terms, params);
    else for (const t of update.terms) backend.perturbInPlace(t.direction, t.coeff, params);
    return;
  }
  for (const block of update.blocks) {
    for (let i = 0; i < block.length; i++) {
      if (!Number.isFinite(block[i]!)) throw new NonFiniteValue(block[i]!, `element ${i} of a dense update`);
    }
  }
  backend.axpyInPlace(1, update.blocks, params);
}
