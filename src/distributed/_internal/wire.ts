import { createHash, randomBytes } from 'node:crypto';
import { InvalidInput } from '../../errors.js';
import { decodeData, encodeData, type Json } from '../../tuner/_internal/codec.js';
import type { Direction, Params, Probe } from '../../types.js';

/**
 * The wire format of zeroth's jobs: compact JSON arrays, so that a probe of a seeded direction is a few dozen
 * bytes whatever the parameter count.
 *
 * - trial job `t`: `{ x, c }` — the decoded point and the trial's context;
 * - probe job `p`: `[run, version, shard, shards, step, probes]`, `probes` = `[[direction, scale, noiseKey], …]`;
 *   a direction is `0` (none), `['g', seed]`, `['r', seed]`, `['c', block, index]`, `['j', encoded]` for
 *   the described directions that carry arrays (lowRank, dense, params), or `1`: the previous probe's direction
 *   (the second probe of an antithetic pair);
 * - replies: a number, or an array of numbers, each a JSON number or one of the strings `NaN`, `Infinity`,
 *   `-Infinity`, `-0` (JSON has no spelling for them).
 */
export type WireNumber = number | string;

/** Job names. */
export const TRIAL_JOB = 't';
export const PROBE_JOB = 'p';

/** The data of a probe job. */
export type ProbeJob = [run: string, version: number, shard: number, shards: number, step: number, probes: WireProbe[]];
export type WireProbe = [direction: Json, scale: WireNumber, noiseKey: number];

/** A number as JSON, exactly (non-finite and −0 as strings). */
export function encodeNumber(v: number): WireNumber {
  if (Number.isFinite(v) && !Object.is(v, -0)) return v;
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Inverse of {@link encodeNumber}; anything else is NaN. */
export function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === '-0') return -0;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

/** A direction on the wire. */
export function encodeDirection(d: Direction): Json {
  switch (d.kind) {
    case 'none':
      return 0;
    case 'gaussian':
      return ['g', d.seed];
    case 'rademacher':
      return ['r', d.seed];
    case 'coordinate':
      return ['c', d.block, d.index];
    default:
      return ['j', encodeData(d, 'direction')];
  }
}

/** Inverse of {@link encodeDirection}. */
export function decodeDirection(j: Json): Direction {
  if (j === 0) return { kind: 'none' };
  if (Array.isArray(j)) {
    const [tag, a, b] = j;
    if (tag === 'g' && typeof a === 'number') return { kind: 'gaussian', seed: a };
    if (tag === 'r' && typeof a === 'number') return { kind: 'rademacher', seed: a };
    if (tag === 'c' && typeof a === 'number' && typeof b === 'number') return { kind: 'coordinate', block: a, index: b };
    if (tag === 'j' && a !== undefined) return decodeData(a) as Direction;
  }
  throw new InvalidInput('job', `a direction on the wire is malformed (${JSON.stringify(j).slice(0, 80)})`, 'Run coordinator and workers with the same version of zeroth.');
}

/** Probes on the wire; `sameAsPrevious[i]` marks a probe whose direction is the one before it. */
export function encodeProbes(probes: readonly Probe[], sameAsPrevious: readonly boolean[]): WireProbe[] {
  return probes.map((p, i) => [sameAsPrevious[i] === true ? 1 : encodeDirection(p.direction), encodeNumber(p.scale), p.noiseKey]);
}

/** Inverse of {@link encodeProbes}. */
export function decodeProbes(ws: readonly WireProbe[]): Probe[] {
  const out: Probe[] = [];
  for (const w of ws) {
    const prev = out.at(-1);
    const direction = w[0] === 1 && prev !== undefined ? prev.direction : decodeDirection(w[0]);
    out.push({ direction, scale: decodeNumber(w[1]), noiseKey: w[2] });
  }
  return out;
}

/** A fresh run id: 11 URL-safe characters (64 random bits). */
export function newRunId(): string {
  return randomBytes(8).toString('base64url');
}

/** The layout of parameters: names and shapes, in block order. */
export type Layout = { readonly name: string; readonly shape: readonly number[] }[];

/** The parameters as bytes: the float32 values of every block, concatenated (little-endian). */
export function paramsBytes(blocks: readonly Float32Array[]): Buffer {
  return Buffer.concat(blocks.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
}

/** Parameters of `layout` from {@link paramsBytes}. */
export function paramsFromBytes(layout: Layout, bytes: Buffer): Params {
  const total = layout.reduce((n, l) => n + l.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.length !== 4 * total) {
    throw new InvalidInput('parameters', `Redis holds ${bytes.length} bytes of parameters where the layout needs ${4 * total}`, 'Restart the run: its keys in Redis are damaged or from another run.');
  }
  let at = 0;
  return layout.map((l) => {
    const n = l.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    new Uint8Array(data.buffer).set(bytes.subarray(at, at + 4 * n));
    at += 4 * n;
    return { name: l.name, shape: [...l.shape], data };
  });
}

/** A fingerprint of parameter values (SHA-256 of their bytes, 12 hex digits): equal iff bit-identical (practically). */
export function paramsHash(blocks: readonly Float32Array[]): string {
  const h = createHash('sha256');
  for (const b of blocks) h.update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return h.digest('hex').slice(0, 12);
}
