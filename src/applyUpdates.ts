import type { Backend } from './backend/backend.js';
import { NonFiniteValue } from './errors.js';
import { sameDirection } from './eval/sameDirection.js';
import type { ParamWrite, Params, Update } from './types.js';

/** Options of {@link applyUpdates}. */
export interface ApplyOptions {
  /**
   * A write still owed to the parameters (the restore of the last probe, left out by the evaluation so it can be
   * fused): applied first. When the step is implicit and its first term lies along the same direction, the two
   * become one pass, `x ← x + (pending.alpha + coeff) · d` (MeZO's restore + update, +(ε − η·p)·z).
   */
  readonly pending?: ParamWrite;
  /** Receives every write made, in order (for the seed log). Dense blocks are referenced, not copied. */
  readonly writes?: ParamWrite[];
}

/**
 * Adds a step to the parameters: `x ← x + update`. The only function in zeroth that writes parameters.
 *
 * - `implicit`: for each term in order, `backend.perturbInPlace(term.direction, term.coeff, x)`, regenerating
 *   each seeded direction (MeZO's `zo_update`, generalised); a backend with `perturbTermsInPlace` (webgpu)
 *   applies the writes in one pass per block, with the same bits.
 * - `dense`: `backend.axpyInPlace(1, update.blocks, x)` (the same bits as perturbing along the dense direction
 *   with alpha 1).
 *
 * A step with a non-finite coefficient or element is refused before anything is written (a pending write is
 * still applied, so the parameters are back at the base point).
 *
 * Cost: one pass over the parameters per term (the pending write fused into the first term when it can be).
 *
 * @throws NonFiniteValue if the step holds NaN or ±Infinity
 *
 * @example
 * ```ts
 * const be = cpuBackend();
 * const x = [{ name: 'x', shape: [3], data: new Float32Array(3) }];
 * applyUpdates(be, { kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 7 }, coeff: -0.1 }] }, x);
 * ```
 */
export function applyUpdates<B = Float32Array>(backend: Backend<B>, update: Update, params: Params<B>, options: ApplyOptions = {}): void {
  const writes = options.writes;
  const write = (w: ParamWrite): void => {
    if (w.direction.kind === 'none' || w.alpha === 0) return;
    backend.perturbInPlace(w.direction, w.alpha, params);
    writes?.push(w);
  };
  let pending = options.pending;
  try {
    if (update.kind === 'implicit') {
      for (const t of update.terms) {
        if (!Number.isFinite(t.coeff)) throw new NonFiniteValue(t.coeff, 'an update coefficient');
      }
      const list: ParamWrite[] = [];
      update.terms.forEach((t, i) => {
        if (i === 0 && pending !== undefined && sameDirection(pending.direction, t.direction)) {
          list.push({ direction: t.direction, alpha: pending.alpha + t.coeff });
          pending = undefined;
          return;
        }
        if (pending !== undefined) {
          list.push(pending);
          pending = undefined;
        }
        list.push({ direction: t.direction, alpha: t.coeff });
      });
      const live = list.filter((w) => w.direction.kind !== 'none' && w.alpha !== 0);
      if (backend.perturbTermsInPlace !== undefined && live.length > 1) {
        backend.perturbTermsInPlace(live.map((w) => ({ direction: w.direction, coeff: w.alpha })), params);
        writes?.push(...live);
      } else live.forEach(write);
      return;
    }
    for (const block of update.blocks) {
      for (let i = 0; i < block.length; i++) {
        if (!Number.isFinite(block[i]!)) throw new NonFiniteValue(block[i]!, `element ${i} of a dense update`);
      }
    }
    if (pending !== undefined) {
      const p = pending;
      pending = undefined;
      write(p);
    }
    backend.axpyInPlace(1, update.blocks, params);
    writes?.push({ direction: { kind: 'dense', blocks: update.blocks }, alpha: 1 });
  } finally {
    if (pending !== undefined) write(pending);
  }
}
