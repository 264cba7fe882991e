import type { Direction } from '../types.js';

/** True when two direction descriptions denote the same vector (seeded ones by seed, others by identity). */
export function sameDirection(a: Direction, b: Direction): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'none':
      return b.kind === 'none';
    case 'gaussian':
    case 'rademacher':
      return b.kind === a.kind && b.seed === a.seed;
    case 'coordinate':
      return b.kind === 'coordinate' && b.block === a.block && b.index === a.index;
    case 'lowRank':
      return (
        b.kind === 'lowRank' &&
        b.seed === a.seed &&
        b.rank === a.rank &&
        b.v.length === a.v.length &&
        a.v.every((v, i) => v === b.v[i]) &&
        (a.others ?? 'gaussian') === (b.others ?? 'gaussian') &&
        a.u === b.u
      );
    case 'dense':
      return b.kind === 'dense' && b.blocks.length === a.blocks.length && a.blocks.every((v, i) => v === b.blocks[i]);
    case 'params':
      return false;
  }
}
