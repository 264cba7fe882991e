import { InvalidInput } from '../../src/errors.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';
import type { Block, Params } from '../../src/types.js';
import type { CgeBlockMask, CgeMask } from '../cge.js';
import { cgeSample } from './cgeSample.js';

/** The active coordinates of one block: ascending element indices, or `null` for every element. */
export type CgeActiveBlock = Int32Array | null;

/** The resolved sparsity options. */
export interface CgeSparsityRule {
  readonly ratio: number;
  readonly refreshEvery: number;
  readonly mode: 'magnitude' | 'random';
  readonly seed: number;
}

const MASK = 2;

/** Number of elements of a block (product of its shape). */
export function cgeBlockSize(block: Pick<Block, 'shape'>): number {
  return block.shape.reduce((a, b) => a * b, 1);
}

/** Number of active coordinates. */
export function cgeCountActive(active: readonly CgeActiveBlock[] | null, params: Params): number {
  let count = 0;
  params.forEach((block, b) => {
    const a = active?.[b];
    count += a === undefined || a === null ? cgeBlockSize(block) : a.length;
  });
  return count;
}

/** Coordinates kept per block by a sparsity ratio: round((1 − ratio)·n), at least one (n ≥ 1). */
export function cgeKeepCount(n: number, ratio: number): number {
  return Math.min(n, Math.max(1, Math.round((1 - ratio) * n)));
}

/** A user mask resolved to active indices per block, checked against the parameter layout. */
export function cgeResolveMask(mask: CgeMask, params: Params): CgeActiveBlock[] {
  if (typeof mask !== 'function' && mask.length !== params.length) {
    throw new InvalidInput('mask', `it has ${mask.length} entries for ${params.length} parameter blocks`, 'Give one entry per block (true, false, or one flag per element).');
  }
  return params.map((block, b) => {
    const entry: CgeBlockMask | undefined = typeof mask === 'function' ? mask({ name: block.name, shape: block.shape }, b) : mask[b];
    const n = cgeBlockSize(block);
    if (entry === true) return null;
    if (entry === false) return new Int32Array(0);
    if (entry === undefined || entry === null || typeof entry !== 'object' || typeof entry.length !== 'number') {
      throw new InvalidInput('mask', `the entry of block ${b} ("${block.name}") is ${entry === null ? 'null' : typeof entry}`, 'Give true, false, a boolean[] or a Uint8Array per block.');
    }
    if (entry.length !== n) {
      throw new InvalidInput('mask', `the entry of block ${b} ("${block.name}") has ${entry.length} flags for ${n} elements`, 'Give one flag per element of the block.');
    }
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (entry[i]) out.push(i);
    return Int32Array.from(out);
  });
}

/**
 * The sparsity mask of refresh `refreshIndex`: per block, the `cgeKeepCount(n, ratio)` coordinates of largest
 * |x| (ties to the lower index) in `'magnitude'` mode, or a uniformly random subset of that size drawn from
 * `(rule.seed, refreshIndex, block)` in `'random'` mode. Indices ascending.
 */
export function cgeSparseMask(params: Params, rule: CgeSparsityRule, refreshIndex: number): Int32Array[] {
  const seed = derivedSeed(rule.seed, refreshIndex, MASK);
  return params.map((block, b) => {
    const n = cgeBlockSize(block);
    const k = cgeKeepCount(n, rule.ratio);
    if (rule.mode === 'random') return cgeSample(seed, b, n, k);
    const x = block.data;
    if (!(x instanceof Float32Array)) {
      throw new InvalidInput('sparsity', `magnitude masks read the values of block ${b}, which is on a device`, "Use mode: 'random', or a host backend (cpu, wasm).");
    }
    const order = Int32Array.from({ length: n }, (_, i) => i);
    order.sort((i, j) => Math.abs(x[j]!) - Math.abs(x[i]!) || i - j);
    return order.slice(0, k).sort();
  });
}
