import type { Params, Update } from '../types.js';
import { emptyState } from './_internal/emptyState.js';
import type { Transform } from './transform.js';

/** The state of a stateless transform (`identity`, `scale`, `scaleBySign`, `materialize`, …): an empty object. */
export type EmptyState = Readonly<Record<string, never>>;

/**
 * The transform that changes nothing: `u ← u`. The neutral element of {@link chain}.
 *
 * Works on implicit and dense updates and returns the update it was given.
 *
 * Cost: extra memory: none.
 *
 * @example
 * ```ts
 * const t = identity();
 * const [out] = t.update(update, t.init(params), params); // out === update
 * ```
 */
export function identity(): Transform<EmptyState> {
  return {
    name: 'identity',
    options: {},
    readsValues: false,
    init(_params: Params): EmptyState {
      return emptyState;
    },
    update(update: Update, state: EmptyState, _params: Params): readonly [Update, EmptyState] {
      return [update, state];
    },
  };
}
