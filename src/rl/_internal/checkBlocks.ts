import { InvalidInput } from '../../errors.js';
import type { Params } from '../../types.js';

/** Checks that params[offset …] holds the weight and bias blocks of a network with layer sizes `sizes`. */
export function checkBlocks(params: Params, offset: number, sizes: readonly number[], prefix: string): void {
  const layers = sizes.length - 1;
  if (params.length < offset + 2 * layers) {
    throw new InvalidInput('params', `${prefix} needs ${2 * layers} blocks from block ${offset} but there are ${params.length - offset}`, `Create the parameters with ${prefix}'s init(seed).`);
  }
  for (let l = 0; l < layers; l++) {
    const w = params[offset + 2 * l]!;
    const b = params[offset + 2 * l + 1]!;
    if (w.data.length !== sizes[l]! * sizes[l + 1]! || b.data.length !== sizes[l + 1]!) {
      throw new InvalidInput(
        'params',
        `block ${offset + 2 * l} ("${w.name}") or ${offset + 2 * l + 1} ("${b.name}") has the wrong size for layer ${l} of ${prefix} (${sizes[l]} → ${sizes[l + 1]})`,
        `Create the parameters with ${prefix}'s init(seed).`,
      );
    }
  }
}
