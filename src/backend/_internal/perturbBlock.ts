import { InvalidInput } from '../../errors.js';
import { checkSeed } from '../../rng/checkSeed.js';
import { perturbGaussianRange } from '../../rng/perturbGaussian.js';
import { perturbRademacherRange } from '../../rng/perturbRademacher.js';
import { streamKey } from '../../rng/streamKey.js';
import { streams } from '../../rng/streams.js';
import type { Block, Direction } from '../../types.js';

const f = Math.fround;

/**
 * Refuses a seeded direction whose seed is not a uint32 (outside [0, 2³²), not an integer, NaN): a seed is never
 * reduced modulo 2³². Checked by every backend before anything else, also for a zero step.
 */
export function checkDirectionSeed(direction: Direction): void {
  if (direction.kind === 'gaussian' || direction.kind === 'rademacher' || direction.kind === 'lowRank') checkSeed(direction.seed, 'direction.seed');
}

/**
 * True when a perturbation by `alpha` leaves x untouched: `f32(alpha)` is ±0 (alpha = ±0, or so small that it
 * rounds to zero in float32). The definition then changes no bit — not even a −0 element, which x + (+0) would
 * turn into +0 — and regenerates no direction.
 */
export function isZeroStep(alpha: number): boolean {
  return f(alpha) === 0;
}

/**
 * The reference perturbation of one block: `x ← x + alpha · d` restricted to block `b`, for elements
 * `[start, end)`. Shared by the cpu backend and the TypeScript paths of the other backends. A zero step
 * ({@link isZeroStep}) changes nothing; a seed that is not a uint32 is refused ({@link checkDirectionSeed}).
 */
export function perturbBlockRange(
  direction: Direction,
  alpha: number,
  block: Block,
  b: number,
  start: number,
  end: number,
): void {
  const data = block.data;
  checkDirectionSeed(direction);
  if (isZeroStep(alpha)) return;
  switch (direction.kind) {
    case 'none':
      return;
    case 'gaussian': {
      const { k1, k2 } = streamKey(direction.seed, streams.gaussian, b);
      perturbGaussianRange(data, k1, k2, start, end, alpha);
      return;
    }
    case 'rademacher': {
      const { k1, k2 } = streamKey(direction.seed, streams.rademacher, b);
      perturbRademacherRange(data, k1, k2, start, end, alpha);
      return;
    }
    case 'coordinate': {
      if (direction.block === b && direction.index >= start && direction.index < end) {
        if (direction.index >= data.length) {
          throw new InvalidInput('direction.index', `${direction.index} is outside block ${b}`, 'Use an index below the block length.');
        }
        data[direction.index] = f(data[direction.index]! + f(alpha));
      }
      return;
    }
    case 'dense': {
      const v = denseEntry(direction.blocks, b, data.length);
      if (v === undefined) return;
      const a = f(alpha);
      for (let i = start; i < end; i++) data[i] = f(data[i]! + f(a * v[i]!));
      return;
    }
    case 'params': {
      if (direction.blocks !== undefined && direction.blocks[b] !== true) return;
      const a = f(alpha);
      for (let i = start; i < end; i++) data[i] = f(data[i]! + f(a * data[i]!));
      return;
    }
    case 'lowRank': {
      const v = direction.v[b];
      if (v === undefined || block.shape.length !== 2) {
        if (direction.others === 'none') return;
        const { k1, k2 } = streamKey(direction.seed, streams.gaussian, b);
        perturbGaussianRange(data, k1, k2, start, end, alpha);
        return;
      }
      lowRankRange(direction.seed, direction.rank, v, alpha, block, b, start, end, direction.u?.[b]);
      return;
    }
  }
}

/**
 * `X ← X + alpha · U Vᵀ` on rows/elements `[start, end)` of an m × n block: U (m × r) from the `lowRankU`
 * stream of `(seed, b)`, element (i, j) at stream index i·r + j, or the explicit `u` (m × r, row-major) when
 * given; V (n × r) row-major. Canonical order:
 * acc = Σ_j f32(u_ij · v_cj) summed in j order in float32, then x = f32(x + f32(alpha · acc)).
 */
export function lowRankRange(
  seed: number,
  rank: number,
  v: Float32Array,
  alpha: number,
  block: Block,
  b: number,
  start: number,
  end: number,
  explicitU?: Float32Array,
): void {
  const m = block.shape[0]!;
  const n = block.shape[1]!;
  if (v.length !== n * rank) {
    throw new InvalidInput('direction.v', `V of block ${b} has ${v.length} elements, expected ${n}·${rank}`, 'Give V as n × rank, row-major.');
  }
  if (explicitU !== undefined && explicitU.length !== m * rank) {
    throw new InvalidInput('direction.u', `U of block ${b} has ${explicitU.length} elements, expected ${m}·${rank}`, 'Give U as m × rank, row-major.');
  }
  const data = block.data;
  const a = f(alpha);
  const { k1, k2 } = streamKey(seed, streams.lowRankU, b);
  const u = new Float32Array(rank);
  const rowStart = Math.floor(start / n);
  const rowEnd = Math.min(m, Math.ceil(end / n));
  for (let i = rowStart; i < rowEnd; i++) {
    if (explicitU !== undefined) u.set(explicitU.subarray(i * rank, (i + 1) * rank));
    else fillGaussian(u, k1, k2, i * rank);
    const c0 = Math.max(0, start - i * n);
    const c1 = Math.min(n, end - i * n);
    for (let c = c0; c < c1; c++) {
      let acc = 0;
      for (let j = 0; j < rank; j++) acc = f(acc + f(u[j]! * v[c * rank + j]!));
      const k = i * n + c;
      data[k] = f(data[k]! + f(a * acc));
    }
  }
}

/** out[j] = z_{offset + j} of the Gaussian stream (k1, k2). */
export function fillGaussian(out: Float32Array, k1: number, k2: number, offset: number): void {
  out.fill(0);
  perturbGaussianRange(out, k1, k2, offset, offset + out.length, 1, offset);
}

/**
 * The values of block `b` of a dense direction (`undefined`: zero), checked against the block's length.
 *
 * @throws InvalidInput when the entry is missing or has the wrong length
 */
export function denseEntry(blocks: readonly (Float32Array | undefined)[], b: number, length: number): Float32Array | undefined {
  if (b >= blocks.length) {
    throw new InvalidInput('direction.blocks', `block ${b} is missing`, 'Give one entry per parameter block (undefined for zero).');
  }
  const v = blocks[b];
  if (v !== undefined && v.length !== length) {
    throw new InvalidInput('direction.blocks', `block ${b} has ${v.length} values for ${length} parameters`, 'Give one array per parameter block.');
  }
  return v;
}
