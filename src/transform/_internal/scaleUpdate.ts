import type { Update } from '../../types.js';

/** `factor · update`: new coefficients for implicit updates, in place for dense ones. */
export function scaleUpdate(update: Update, factor: number): Update {
  if (update.kind === 'implicit') {
    return { kind: 'implicit', terms: update.terms.map((t) => ({ direction: t.direction, coeff: factor * t.coeff })) };
  }
  for (const block of update.blocks) {
    for (let i = 0; i < block.length; i++) block[i] = factor * block[i]!;
  }
  return update;
}
