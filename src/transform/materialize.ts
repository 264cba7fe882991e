import { cpuBackend } from '../backend/cpuBackend.js';
import type { Backend } from '../backend/backend.js';
import type { Params, Update } from '../types.js';
import { emptyState } from './_internal/emptyState.js';
import type { EmptyState } from './identity.js';
import type { Transform } from './transform.js';

/**
 * Turns an implicit update into a dense one: `u ← Σᵢ cᵢ·dᵢ`, computed as zeros followed, term by term in
 * order, by `u ← u + cᵢ·dᵢ` with `backend.perturbInPlace` (so each seeded direction is regenerated exactly as
 * `applyUpdates` would). A `params` direction term adds `cᵢ·θ` for the parameters `θ` passed to `update` (the
 * values before the step — what `applyUpdates` uses when that term comes first, as `addDecayedWeights` puts
 * it). Dense updates pass through unchanged.
 *
 * This is the visible memory cost of running momentum, Adam, sign or clipping on a zeroth-order estimate:
 * put it first in the chain, before every transform that needs dense updates.
 *
 * Cost: extra memory: 1× params (a new dense array per block at every step).
 *
 * @param backend - the backend that regenerates the directions; default `cpuBackend()`
 *
 * @example
 * ```ts
 * const t = materialize();
 * const [dense] = t.update({ kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 3 }, coeff: 0.5 }] }, t.init(params), params);
 * // dense.kind === 'dense': 0.5·z(3), one Float32Array per block
 * ```
 */
export function materialize(backend: Backend = cpuBackend()): Transform<EmptyState> {
  return {
    name: 'materialize',
    options: {},
    init(_params: Params): EmptyState {
      return emptyState;
    },
    update(update: Update, state: EmptyState, params: Params): readonly [Update, EmptyState] {
      if (update.kind === 'dense') return [update, state];
      const acc = backend.zerosLike(params);
      for (const term of update.terms) {
        const d = term.direction;
        if (d.kind !== 'params') {
          backend.perturbInPlace(d, term.coeff, acc);
          continue;
        }
        for (let b = 0; b < acc.length; b++) {
          if (d.blocks !== undefined && d.blocks[b] !== true) continue;
          backend.axpyInPlace(term.coeff, [params[b]!.data], [acc[b]!]);
        }
      }
      const blocks = acc.map((b) => backend.read(b));
      // Host backends hand back the block's own storage; others return a copy, so their blocks can go.
      if (blocks.some((data, b) => data !== acc[b]!.data)) backend.dispose(acc);
      return [{ kind: 'dense', blocks }, state];
    },
  };
}
