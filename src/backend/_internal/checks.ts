import { InvalidInput } from '../../errors.js';
import type { Params } from '../../types.js';

/** Data of a block list or raw array list, as `Float32Array`s. */
export function arrays(x: readonly Float32Array[] | Params): readonly Float32Array[] {
  return x.map((b) => (b instanceof Float32Array ? b : b.data));
}

/** Throws unless `a` and `b` have the same number of blocks with equal lengths. */
export function checkSameLayout(a: readonly Float32Array[], b: readonly Float32Array[], what: string): void {
  if (a.length !== b.length) {
    throw new InvalidInput(what, `${a.length} blocks against ${b.length}`, 'Pass blocks of the same layout as the parameters.');
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.length !== b[i]!.length) {
      throw new InvalidInput(
        what,
        `block ${i} has ${a[i]!.length} elements against ${b[i]!.length}`,
        'Pass blocks of the same layout as the parameters.',
      );
    }
  }
}
