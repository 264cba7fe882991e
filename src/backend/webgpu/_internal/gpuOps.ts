/// <reference types="@webgpu/types" />
import { InvalidInput } from '../../../errors.js';
import { streamKey } from '../../../rng/streamKey.js';
import { streams } from '../../../rng/streams.js';
import type { Block, Direction, UpdateTerm } from '../../../types.js';
import { denseEntry, isZeroStep } from '../../_internal/perturbBlock.js';
import type { WebGpuData } from '../webgpuData.js';
import type { GpuKernels } from './gpuKernels.js';
import { DOT_CHUNK, WORKGROUP } from './wgslKernels.js';

const f = Math.fround;

/** The kinds of terms the `implicit` kernel applies in one pass. */
export type FusableKind = 'gaussian' | 'rademacher' | 'params';

/** Whether a term can go into the one-pass kernel for block `b`. */
export function fusable(d: Direction): d is Extract<Direction, { kind: FusableKind }> {
  return d.kind === 'gaussian' || d.kind === 'rademacher' || d.kind === 'params';
}

/**
 * `x ← x + Σ cᵢ dᵢ` on block `b` for fusable terms, in one dispatch of the `implicit` kernel (zero steps, whose
 * f32 coefficient is ±0, and a `params` term masked off for this block are skipped as `perturbInPlace` skips them).
 */
export function implicitBlock(k: GpuKernels, terms: readonly UpdateTerm[], block: Block<WebGpuData>, b: number, offset = 0): void {
  const n = block.data.length;
  const words: number[] = [];
  for (const t of terms) {
    const d = t.direction;
    if (isZeroStep(t.coeff) || !fusable(d)) continue;
    if (d.kind === 'params' && d.blocks !== undefined && d.blocks[b] !== true) continue;
    const key = d.kind === 'params' ? { k1: 0, k2: 0 } : streamKey(d.seed, d.kind === 'gaussian' ? streams.gaussian : streams.rademacher, b);
    words.push(key.k1, key.k2, floatBits(t.coeff), d.kind === 'gaussian' ? 0 : d.kind === 'rademacher' ? 1 : 2);
  }
  if (words.length === 0 || n === 0) return;
  const termBuffer = k.upload(Uint32Array.from(words));
  k.run('implicit', Math.ceil((n + (offset & 1)) / 2), { n, p0: offset, p1: words.length / 4 }, [block.data.buffer, termBuffer]);
}

/** `x ← x + alpha · d` on block `b` of the backend's blocks (alpha ≠ 0, direction not `none`). */
export function perturbBlock(k: GpuKernels, direction: Direction, alpha: number, block: Block<WebGpuData>, b: number): void {
  const data = block.data;
  const n = data.length;
  switch (direction.kind) {
    case 'none':
      return;
    case 'gaussian':
    case 'params':
      implicitBlock(k, [{ direction, coeff: alpha }], block, b);
      return;
    case 'rademacher': {
      if (n === 0) return;
      const { k1, k2 } = streamKey(direction.seed, streams.rademacher, b);
      k.run('rademacher', Math.ceil(n / 4), { n, k1, k2, a: f(alpha) }, [data.buffer]);
      return;
    }
    case 'coordinate':
      if (direction.block === b && direction.index >= 0 && direction.index < n) {
        k.run('coordinate', 1, { n, a: f(alpha), p0: direction.index }, [data.buffer]);
      }
      return;
    case 'dense': {
      const v = denseEntry(direction.blocks, b, n);
      if (v === undefined || n === 0) return;
      k.run('axpy', n, { n, a: f(alpha) }, [data.buffer, k.upload(v)]);
      return;
    }
    case 'lowRank': {
      const v = direction.v[b];
      if (v === undefined || block.shape.length !== 2) {
        if (direction.others !== 'none') implicitBlock(k, [{ direction: { kind: 'gaussian', seed: direction.seed }, coeff: alpha }], block, b);
        return;
      }
      lowRankBlock(k, direction, alpha, block, b, v);
      return;
    }
  }
}

function lowRankBlock(k: GpuKernels, d: Extract<Direction, { kind: 'lowRank' }>, alpha: number, block: Block<WebGpuData>, b: number, v: Float32Array): void {
  const m = block.shape[0]!;
  const n = block.shape[1]!;
  const rank = d.rank;
  if (v.length !== n * rank) {
    throw new InvalidInput('direction.v', `V of block ${b} has ${v.length} elements, expected ${n}·${rank}`, 'Give V as n × rank, row-major.');
  }
  const explicit = d.u?.[b];
  if (explicit !== undefined && explicit.length !== m * rank) {
    throw new InvalidInput('direction.u', `U of block ${b} has ${explicit.length} elements, expected ${m}·${rank}`, 'Give U as m × rank, row-major.');
  }
  if (m * n === 0) return;
  let u: GPUBuffer;
  if (explicit !== undefined) {
    u = k.upload(explicit);
  } else {
    // U = 0 + f32(1 · z) over the lowRankU stream, as the cpu backend fills it
    u = k.scratch(m * rank * 4);
    const { k1, k2 } = streamKey(d.seed, streams.lowRankU, b);
    const words = k.upload(Uint32Array.from([k1, k2, floatBits(1), 0]));
    k.run('implicit', Math.ceil((m * rank) / 2), { n: m * rank, p0: 0, p1: 1 }, [u, words]);
  }
  k.run('lowRank', m * n, { n: m * n, a: f(alpha), p0: n, p1: rank }, [block.data.buffer, u, k.upload(v)]);
}

/**
 * Σ xᵢ yᵢ over pairs of device buffers, exactly rounded to float64: the `dot` kernel's digits of every workgroup
 * are added on the host with integers and rounded once (so the result does not depend on the order of anything).
 */
export async function exactDot(k: GpuKernels, pairs: readonly (readonly [WebGpuData, WebGpuData])[]): Promise<number> {
  const groupsOf = pairs.map(([x]) => Math.ceil(x.length / DOT_CHUNK));
  const total = groupsOf.reduce((s, g) => s + g, 0);
  if (total === 0) return 0;
  const out = k.scratch(total * 40 * 4);
  let first = 0;
  pairs.forEach(([x, y], i) => {
    k.run('dot', groupsOf[i]! * WORKGROUP, { n: x.length, p0: first }, [x.buffer, y.buffer, out]);
    first += groupsOf[i]!;
  });
  const digits = new Int32Array(await k.read(out, total * 40 * 4));
  const sums = new Float64Array(38);
  let flags = 0;
  for (let g = 0; g < total; g++) {
    for (let d = 0; d < 38; d++) sums[d] = sums[d]! + digits[g * 40 + d]!;
    flags |= digits[g * 40 + 38]!;
  }
  if ((flags & 4) !== 0 || (flags & 3) === 3) return NaN;
  if ((flags & 1) !== 0) return Infinity;
  if ((flags & 2) !== 0) return -Infinity;
  let exact = 0n;
  for (let d = 37; d >= 0; d--) exact = (exact << 16n) + BigInt(sums[d]!);
  return Number(exact) * 2 ** -298;
}

const word = new Float32Array(1);
const wordBits = new Uint32Array(word.buffer);

/** The bits of f32(v). */
export function floatBits(v: number): number {
  word[0] = v;
  return wordBits[0]!;
}
