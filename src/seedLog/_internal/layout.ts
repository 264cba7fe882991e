import { SeedLogMismatch } from '../../errors.js';
import type { Params } from '../../types.js';

/** One block of a parameter layout: its name and shape. */
export interface LayoutBlock {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The layout a seed log was written for: the blocks in order, and a fingerprint of them. */
export interface ParamsLayout {
  /** 16 hex digits: two 32-bit FNV-1a hashes of the names and shapes, in order. */
  readonly fingerprint: string;
  readonly blocks: readonly LayoutBlock[];
}

/** The layout of `params`. */
export function layoutOf(params: Params | readonly LayoutBlock[]): ParamsLayout {
  const blocks = params.map((b) => ({ name: b.name, shape: [...b.shape] }));
  return { fingerprint: fingerprintOf(blocks), blocks };
}

/** The fingerprint of a block list (names and shapes, in order). */
export function fingerprintOf(blocks: readonly LayoutBlock[]): string {
  const text = blocks.map((b) => `${b.name.length}:${b.name}[${b.shape.join(',')}]`).join(';');
  return hex(fnv1a(text, 0x811c9dc5)) + hex(fnv1a(text, 0x050c5d1f));
}

/**
 * Throws SeedLogMismatch unless `params` has the blocks of `layout` (same count, names and shapes, in order),
 * naming the first difference.
 */
export function checkLayout(layout: ParamsLayout, params: Params): void {
  const want = layout.blocks;
  if (want.length !== params.length) {
    throw new SeedLogMismatch(`the log was written for ${want.length} blocks, the parameters have ${params.length}`);
  }
  want.forEach((w, b) => {
    const got = params[b]!;
    const same = got.name === w.name && got.shape.length === w.shape.length && got.shape.every((s, i) => s === w.shape[i]);
    if (!same) {
      throw new SeedLogMismatch(
        `block ${b} is "${got.name}" [${got.shape.join(', ')}] in the parameters but "${w.name}" [${w.shape.join(', ')}] in the log`,
      );
    }
  });
}

/** Number of elements of a block. */
export function sizeOf(block: LayoutBlock): number {
  return block.shape.reduce((a, s) => a * s, 1);
}

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
