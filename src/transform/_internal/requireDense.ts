import { UnsupportedUpdate } from '../../errors.js';
import type { Update } from '../../types.js';

/** The dense form of an {@link Update}. */
export type DenseUpdate = Extract<Update, { kind: 'dense' }>;

/**
 * Throws `UnsupportedUpdate` unless `update` is dense, naming `materialize()` as the fix. Shared by every
 * transform that needs the elements of the update (`trace`, `scaleByAdam`, `scaleBySign`, `clipByGlobalNorm`).
 */
export function requireDense(transform: string, update: Update): asserts update is DenseUpdate {
  if (update.kind !== 'dense') {
    throw new UnsupportedUpdate(
      transform,
      update.kind,
      `Put materialize() before it in the chain, e.g. chain(materialize(), ${transform}(…)); ` +
        'materialize() turns the implicit update into a dense one at a cost of 1× params of extra memory.',
    );
  }
}
