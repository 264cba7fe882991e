import { InvalidInput } from '../../errors.js';

/**
 * Throws `InvalidInput` unless the dense update `blocks` has one block per parameter block, of the same length
 * as `like` (the parameters or a state buffer built from them by `init`).
 */
export function checkLayout(
  transform: string,
  blocks: readonly Float32Array[],
  like: readonly { readonly length: number }[],
): void {
  const fix = `Pass ${transform} a dense update with one Float32Array per parameter block, and the parameters it was initialised with.`;
  if (blocks.length !== like.length) {
    throw new InvalidInput('update.blocks', `${blocks.length} blocks against ${like.length} parameter blocks`, fix);
  }
  for (let b = 0; b < blocks.length; b++) {
    if (blocks[b]!.length !== like[b]!.length) {
      throw new InvalidInput(
        'update.blocks',
        `block ${b} has ${blocks[b]!.length} elements against ${like[b]!.length}`,
        fix,
      );
    }
  }
}
