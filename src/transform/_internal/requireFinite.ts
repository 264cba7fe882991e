import { NonFiniteValue } from '../../errors.js';
import type { DenseUpdate } from './requireDense.js';

/**
 * Throws `NonFiniteValue` if a dense update holds NaN or ±Infinity. Stateful transforms call it before touching
 * their state, so a non-finite estimate (e.g. from an overflowing objective) never poisons their buffers.
 */
export function requireFinite(transform: string, update: DenseUpdate): void {
  for (let b = 0; b < update.blocks.length; b++) {
    const g = update.blocks[b]!;
    for (let i = 0; i < g.length; i++) {
      if (!Number.isFinite(g[i]!)) {
        throw new NonFiniteValue(g[i]!, `element ${i} of block ${b} of the update given to ${transform} (its state was left unchanged)`);
      }
    }
  }
}
