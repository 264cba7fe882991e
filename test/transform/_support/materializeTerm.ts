import { cpuBackend } from '../../../src/backend/cpuBackend.js';
import type { Params, UpdateTerm } from '../../../src/types.js';

const cpu = cpuBackend();

/**
 * |c·d| of one seeded/coordinate term, elementwise, as one Float32Array per block: the size of what the term
 * adds, used to scale float32 tolerances.
 */
export function materializeTerm(term: UpdateTerm, like: Params): Float32Array[] {
  const z = cpu.zerosLike(like);
  cpu.perturbInPlace(term.direction, term.coeff, z);
  return z.map((b) => b.data.map(Math.abs));
}
