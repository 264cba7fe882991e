/* Directions ⇄ their JSON form in a seed log: seeded directions as seeds, explicit arrays as base64 of their
 * little-endian float32 bytes. Decoding checks every field against the layout, so a decoded direction can be
 * applied without further checks. */
import { InvalidInput, SeedLogCorrupt } from '../../errors.js';
import { lowRankFactor } from '../../rng/lowRankFactor.js';
import { fromBase64, toBase64 } from '../../tuner/_internal/codec.js';
import type { Direction } from '../../types.js';
import { sizeOf, type LayoutBlock } from './layout.js';

/** Per-block arrays: base64 of float32 little-endian bytes, `null` for a block without an entry. */
export type EncodedArrays = readonly (string | null)[];

/** A direction in a seed log. */
export type EncodedDirection =
  | readonly ['gaussian', number]
  | readonly ['rademacher', number]
  | readonly ['coordinate', number, number]
  | readonly ['lowRank', number, number, 'gaussian' | 'none', { readonly seed: number } | EncodedArrays, EncodedArrays | null]
  | readonly ['dense', EncodedArrays]
  | readonly ['params', string | null];

type LowRank = Extract<Direction, { kind: 'lowRank' }>;

/** V arrays whose `vSeed` claim was checked, with the claim they satisfy (`vSeed:rank`). */
const verified = new WeakMap<object, string>();

/** The JSON form of `direction` for parameters of layout `blocks`. */
export function encodeDirection(direction: Direction, blocks: readonly LayoutBlock[]): EncodedDirection {
  switch (direction.kind) {
    case 'gaussian':
    case 'rademacher':
      return [direction.kind, direction.seed];
    case 'coordinate':
      return ['coordinate', direction.block, direction.index];
    case 'dense':
      return ['dense', encodeArrays(direction.blocks, blocks.length)];
    case 'params':
      return ['params', direction.blocks === undefined ? null : blocks.map((_, b) => (direction.blocks![b] === true ? '1' : '0')).join('')];
    case 'lowRank': {
      const v = direction.vSeed !== undefined && seededV(direction, blocks) ? { seed: direction.vSeed } : encodeArrays(direction.v, blocks.length);
      const u = direction.u === undefined ? null : encodeArrays(direction.u, blocks.length);
      return ['lowRank', direction.seed, direction.rank, direction.others ?? 'gaussian', v, u];
    }
    case 'none':
      throw new InvalidInput('direction', "a 'none' direction writes nothing", 'Leave it out of the writes.');
  }
}

/** True when `v` is what `vSeed` claims; throws InvalidInput when the claim is false. */
function seededV(direction: LowRank, blocks: readonly LayoutBlock[]): boolean {
  const claim = `${direction.vSeed}:${direction.rank}`;
  if (verified.get(direction.v) === claim) return true;
  blocks.forEach((block, b) => {
    const v = direction.v[b];
    const ok =
      block.shape.length === 2
        ? v !== undefined && sameBits(v, lowRankFactor(direction.vSeed!, b, block.shape[1]!, direction.rank))
        : v === undefined;
    if (!ok) {
      throw new InvalidInput(
        'direction.vSeed',
        `V of block ${b} ("${block.name}") is not the factor seeded by ${direction.vSeed}`,
        'Set vSeed only when v[b] = lowRankFactor(vSeed, b, n, rank) for every 2-D block (undefined for the others).',
      );
    }
  });
  verified.set(direction.v, claim);
  return true;
}

/** Decodes and checks a direction; `where` names the place in errors. `cache` shares seeded V between entries. */
export function decodeDirection(json: unknown, blocks: readonly LayoutBlock[], where: string, cache: Map<string, LowRank['v']>): Direction {
  const bad = (problem: string): SeedLogCorrupt => new SeedLogCorrupt(where, problem);
  if (!Array.isArray(json) || typeof json[0] !== 'string') throw bad('a direction is not an array starting with its kind');
  const d = json as readonly unknown[];
  const uint = (i: number, what: string, below = 2 ** 32): number => {
    const x = d[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= below) throw bad(`${what} is ${JSON.stringify(x)}, not an integer in [0, ${below})`);
    return x;
  };
  const arity = (n: number): void => {
    if (d.length !== n) throw bad(`a ${String(d[0])} direction has ${d.length} fields, not ${n}`);
  };
  switch (d[0]) {
    case 'gaussian':
    case 'rademacher':
      arity(2);
      return { kind: d[0], seed: uint(1, 'the seed') };
    case 'coordinate': {
      arity(3);
      const block = uint(1, 'the block', blocks.length);
      return { kind: 'coordinate', block, index: uint(2, 'the index', sizeOf(blocks[block]!)) };
    }
    case 'dense':
      arity(2);
      return { kind: 'dense', blocks: decodeArrays(d[1], blocks.map(sizeOf), bad) };
    case 'params': {
      arity(2);
      const mask = d[1];
      if (mask === null) return { kind: 'params' };
      if (typeof mask !== 'string' || mask.length !== blocks.length || !/^[01]*$/.test(mask)) throw bad('a params mask is not a string of 0/1 per block');
      return { kind: 'params', blocks: [...mask].map((c) => c === '1') };
    }
    case 'lowRank': {
      arity(6);
      const seed = uint(1, 'the seed');
      const rank = uint(2, 'the rank');
      if (rank < 1) throw bad('the rank is 0');
      const others = d[3];
      if (others !== 'gaussian' && others !== 'none') throw bad(`"others" is ${JSON.stringify(others)}`);
      const vJson = d[4];
      let v: LowRank['v'];
      let vSeed: number | undefined;
      if (vJson !== null && typeof vJson === 'object' && !Array.isArray(vJson)) {
        const s = (vJson as { seed?: unknown }).seed;
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= 2 ** 32) throw bad('the V seed is not a uint32');
        vSeed = s;
        const key = `${s}:${rank}`;
        v = cache.get(key) ?? blocks.map((block, b) => (block.shape.length === 2 ? lowRankFactor(s, b, block.shape[1]!, rank) : undefined));
        cache.set(key, v);
      } else {
        v = decodeArrays(vJson, blocks.map((block) => (block.shape.length === 2 ? block.shape[1]! * rank : -1)), bad);
      }
      const uJson = d[5];
      const u = uJson === null ? undefined : decodeArrays(uJson, blocks.map((block) => (block.shape.length === 2 ? block.shape[0]! * rank : -1)), bad);
      return { kind: 'lowRank', seed, rank, v, others, ...(vSeed === undefined ? {} : { vSeed }), ...(u === undefined ? {} : { u }) };
    }
    default:
      throw bad(`unknown direction kind ${JSON.stringify(d[0])}`);
  }
}

function encodeArrays(arrays: readonly (Float32Array | undefined)[], count: number): EncodedArrays {
  const out: (string | null)[] = [];
  for (let b = 0; b < count; b++) {
    const a = arrays[b];
    out.push(a === undefined ? null : toBase64(littleEndianBytes(a)));
  }
  return out;
}

/** Decodes per-block arrays; `lengths[b]` is the required length (−1: the block may have no entry only). */
function decodeArrays(json: unknown, lengths: readonly number[], bad: (problem: string) => SeedLogCorrupt): (Float32Array | undefined)[] {
  if (!Array.isArray(json) || json.length !== lengths.length) throw bad(`per-block arrays are not a list of ${lengths.length} entries`);
  return json.map((entry: unknown, b) => {
    if (entry === null) return undefined;
    if (typeof entry !== 'string') throw bad(`the array of block ${b} is not base64 text or null`);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(entry);
    } catch {
      throw bad(`the array of block ${b} is not valid base64`);
    }
    const n = lengths[b]!;
    if (n < 0 || bytes.length !== n * 4) throw bad(`the array of block ${b} has ${bytes.length} bytes, expected ${Math.max(0, n) * 4}`);
    return fromLittleEndian(bytes);
  });
}

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(a: Float32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  if (!LITTLE) for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  return bytes;
}

function fromLittleEndian(bytes: Uint8Array): Float32Array {
  const copy = bytes.slice();
  if (!LITTLE) for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse();
  return new Float32Array(copy.buffer, 0, copy.length / 4);
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
