import { InvalidInput } from '../../../errors.js';
import { streamKey } from '../../../rng/streamKey.js';
import { streams } from '../../../rng/streams.js';
import type { Block, Direction } from '../../../types.js';
import { checkDirectionSeed, denseEntry, isZeroStep, perturbBlockRange } from '../../_internal/perturbBlock.js';
import type { WasmKernels } from '../wasmKernels.js';
import type { Runner } from './runner.js';
import type { Scratch } from './scratch.js';
import type { Stager } from './staging.js';
import { ALIGN } from './wasmHeap.js';
import type { WasmAllocator } from './wasmHeap.js';

/** Everything the wasm operations need: the heap, the kernels, the runner, staging, scratch, the context table. */
export interface WasmEnv {
  readonly heap: WasmAllocator;
  readonly k: WasmKernels;
  readonly run: Runner;
  readonly stager: Stager;
  readonly scratch: Scratch;
  /** Address of the kernels' context table. */
  readonly ctx: number;
}

/** Split granularity of element ranges: whole Gaussian pairs, Rademacher words and cache lines. */
const GRAIN = 64;

/** The data of block `b`, checked to be a live view of the right length. */
export function liveData(block: Block, b: number): Float32Array {
  const data = block.data;
  if (data.length === 0 && block.shape.length > 0 && block.shape.every((s) => s > 0)) {
    throw new InvalidInput(
      `block ${b} ("${block.name}")`,
      'its data is empty or detached (a plain wasm memory detaches old views when it grows)',
      'Re-read block.data after allocating (copy, zerosLike, toWasmParams), or reserve memory with initialBytes.',
    );
  }
  return data;
}

/**
 * `x ← x + alpha · d` on elements `[start, end)` of block `b` (the whole block by default), on the wasm
 * kernels; bit-identical to the cpu backend.
 */
export function perturbBlockWasm(
  env: WasmEnv, direction: Direction, alpha: number, block: Block, b: number, start = 0, end = block.data.length,
): void {
  const data = liveData(block, b);
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= data.length)) {
    throw new InvalidInput('range', `[${start}, ${end}) is not inside block ${b} of ${data.length} elements`, 'Give 0 ≤ start ≤ end ≤ length.');
  }
  checkDirectionSeed(direction);
  if (end <= start || isZeroStep(alpha)) return;
  switch (direction.kind) {
    case 'none':
      return;
    case 'gaussian':
      gaussianRange(env, direction.seed, alpha, data, b, start, end);
      return;
    case 'rademacher': {
      const { k1, k2 } = streamKey(direction.seed, streams.rademacher, b);
      const a = Math.fround(alpha);
      if (env.heap.owns(data)) {
        const p0 = data.byteOffset;
        env.run.run('rademacher', start, end, GRAIN, 0.25, (s, e) => [p0 + 4 * s, k1, k2, s, e, a]);
      } else {
        env.stager.run(start, end, [{ data, write: true }], ([p], s, e) => env.k.rademacher(p!, k1, k2, s, e, a));
      }
      return;
    }
    case 'coordinate':
      perturbBlockRange(direction, alpha, block, b, start, end);
      return;
    case 'dense': {
      const v = denseEntry(direction.blocks, b, data.length);
      if (v === undefined) return;
      axpyArrays(env, alpha, v, data, start, end);
      return;
    }
    case 'params':
      if (direction.blocks !== undefined && direction.blocks[b] !== true) return;
      axpyArrays(env, alpha, data, data, start, end);
      return;
    case 'lowRank': {
      const v = direction.v[b];
      if (v === undefined || block.shape.length !== 2) {
        if (direction.others === 'none') return;
        gaussianRange(env, direction.seed, alpha, data, b, start, end);
        return;
      }
      if (direction.u?.[b] !== undefined) {
        // An explicit U (LOZO-M's momentum factor) is rare and small: the TypeScript reference does it.
        perturbBlockRange(direction, alpha, block, b, start, end);
        return;
      }
      lowRankRange(env, direction.seed, direction.rank, v, alpha, block, data.length, b, start, end);
      return;
    }
  }
}

function gaussianRange(env: WasmEnv, seed: number, alpha: number, data: Float32Array, b: number, start: number, end: number): void {
  const { k1, k2 } = streamKey(seed, streams.gaussian, b);
  const a = Math.fround(alpha);
  const ctx = env.ctx;
  if (env.heap.owns(data)) {
    const p0 = data.byteOffset;
    env.run.run('gaussian', start, end, GRAIN, 1, (s, e) => [p0 + 4 * s, k1, k2, s, e, a, ctx]);
  } else {
    env.stager.run(start, end, [{ data, write: true }], ([p], s, e) => env.k.gaussian(p!, k1, k2, s, e, a, ctx));
  }
}

/** `y ← y + alpha · x` on elements `[start, end)` (whole arrays by default; same lengths; `x` may be `y`). */
export function axpyArrays(env: WasmEnv, alpha: number, x: Float32Array, y: Float32Array, start = 0, end = y.length): void {
  const a = Math.fround(alpha);
  const heap = env.heap;
  if (heap.owns(y) && heap.owns(x)) {
    const py = y.byteOffset;
    const px = x.byteOffset;
    env.run.run('axpy', start, end, GRAIN, 0.25, (s, e) => [py + 4 * s, px + 4 * s, e - s, a]);
  } else if (x === y) {
    env.stager.run(start, end, [{ data: y, write: true }], ([p], s, e) => env.k.axpy(p!, p!, e - s, a));
  } else {
    env.stager.run(start, end, [{ data: y, write: true }, { data: x, write: false }], ([py, px], s, e) => env.k.axpy(py!, px!, e - s, a));
  }
}

/**
 * `X ← X + alpha · U Vᵀ` on an m × n block. Vᵀ (rank × n) and one U row (rank floats) per thread live in
 * scratch memory for the duration of the call (`(n + threads) · rank` floats: never the block's size unless
 * rank ≥ m); the block's view is re-read after the scratch is taken, in case the memory grew.
 */
function lowRankRange(
  env: WasmEnv, seed: number, rank: number, v: Float32Array, alpha: number, block: Block, len: number, b: number,
  start: number, end: number,
): void {
  const m = block.shape[0]!;
  const n = block.shape[1]!;
  if (v.length !== n * rank) {
    throw new InvalidInput('direction.v', `V of block ${b} has ${v.length} elements, expected ${n}·${rank}`, 'Give V as n × rank, row-major.');
  }
  if (m * n !== len) {
    throw new InvalidInput(`block ${b} ("${block.name}")`, `shape [${m}, ${n}] does not match its ${len} elements`, 'Give the block its true 2-D shape.');
  }
  const { heap, k, run, ctx } = env;
  const a = Math.fround(alpha);
  const { k1, k2 } = streamKey(seed, streams.lowRankU, b);
  const uStride = Math.ceil((rank * 4) / ALIGN) * ALIGN;
  env.scratch.with([n * rank * 4, uStride * run.threads], ([vt, u]) => {
    const t = heap.view(vt!, n * rank);
    for (let c = 0; c < n; c++) for (let j = 0; j < rank; j++) t[j * n + c] = v[c * rank + j]!;
    const data = liveData(block, b);
    if (heap.owns(data)) {
      const p0 = data.byteOffset;
      run.run('lowRank', start, end, GRAIN, rank, (s, e, part) => [p0 + 4 * s, s, e, n, rank, vt!, u! + part * uStride, k1, k2, a, ctx]);
    } else {
      env.stager.run(start, end, [{ data, write: true }], ([p], s, e) => k.lowRank(p!, s, e, n, rank, vt!, u!, k1, k2, a, ctx));
    }
  });
}
