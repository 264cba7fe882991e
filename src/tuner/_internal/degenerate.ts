import { sameDirection } from '../../eval/sameDirection.js';
import type { Round } from './machine.js';

/**
 * True when the round of a value estimator holds a difference that measures nothing: for some direction, all
 * its probes — with the round's base point x, if it has one (a `none` probe) — landed on one point after
 * clipping (both probes of a central pair shortened to x, or a forward probe shortened onto its base). The
 * estimator would divide a zero difference by a zero realised step and give a non-finite estimate.
 */
export function degenerate(round: Round): boolean {
  const probes = round.batch.probes;
  const base = probes.findIndex((p) => p.direction.kind === 'none');
  const seen = new Uint8Array(probes.length);
  for (let i = 0; i < probes.length; i++) {
    if (seen[i] === 1 || probes[i]!.direction.kind === 'none') continue;
    const group = [i];
    for (let j = i + 1; j < probes.length; j++) {
      if (seen[j] === 0 && sameDirection(probes[i]!.direction, probes[j]!.direction)) {
        group.push(j);
        seen[j] = 1;
      }
    }
    if (base >= 0) group.push(base);
    if (group.length >= 2 && group.every((j) => samePoint(round.points[j]!, round.points[i]!))) return true;
  }
  return false;
}

function samePoint(a: Float32Array, b: Float32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
