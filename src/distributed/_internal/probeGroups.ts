import { sameDirection } from '../../eval/sameDirection.js';
import type { Probe } from '../../types.js';

/**
 * The probes of one call split into groups that travel and are evaluated together: an antithetic pair
 * (consecutive probes of one direction), or a lone probe. Coordinator and workers group alike.
 */
export function probeGroups(probes: readonly Probe[]): number[][] {
  const groups: number[][] = [];
  probes.forEach((p, i) => {
    const last = groups.at(-1);
    if (last !== undefined && last.length < 2 && sameDirection(probes[last[0]!]!.direction, p.direction)) last.push(i);
    else groups.push([i]);
  });
  return groups;
}
