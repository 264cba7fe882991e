import { InvalidHyperparameter, ZerothError } from '../../errors.js';
import type { Block, Direction, Params } from '../../types.js';
import type { Backend } from '../backend.js';
import { arrays, checkSameLayout } from '../_internal/checks.js';
import { checkDirectionSeed, isZeroStep } from '../_internal/perturbBlock.js';
import { instantiateWasmKernels } from './wasmKernels.js';
import type { WasmKernels } from './wasmKernels.js';
import type { WasmPool } from './wasmPool.js';
import { runner } from './_internal/runner.js';
import { Scratch } from './_internal/scratch.js';
import { STAGE, Stager } from './_internal/staging.js';
import { PAGE_BYTES, isShared, wasmApi } from './_internal/wasmApi.js';
import type { WasmMemory } from './_internal/wasmApi.js';
import { WasmBlock } from './_internal/wasmBlock.js';
import { WasmHeap } from './_internal/wasmHeap.js';
import type { WasmHeapStats } from './_internal/wasmHeap.js';
import { axpyArrays, liveData, perturbBlockWasm } from './_internal/wasmPerturb.js';
import type { WasmEnv } from './_internal/wasmPerturb.js';

export type { WasmMemory } from './_internal/wasmApi.js';
export type { WasmHeapStats } from './_internal/wasmHeap.js';

/** Options of {@link wasmBackend}. */
export interface WasmBackendOptions {
  /**
   * The memory to allocate blocks in; by default a new one. Pass a shared memory (`shared: true`) to use a
   * `pool`. The backend assumes it is the only allocator on this memory (it uses it from byte 1024 up).
   */
  readonly memory?: WasmMemory;
  /**
   * Initial size of a new memory in bytes (default 4 MiB). Reserve the size of everything you will allocate to
   * avoid growth, which detaches the views of a plain (non-shared) memory.
   */
  readonly initialBytes?: number;
  /** Largest size the memory may grow to, in bytes (default and maximum 4 GiB, wasm32's limit). */
  readonly maximumBytes?: number;
  /** Threads to split large ranges across (requires a shared memory); see `createWasmThreads` in `zeroth/node`. */
  readonly pool?: WasmPool;
}

/** The `wasm` backend: a {@link Backend} over one `WebAssembly.Memory`, plus memory management. */
export interface WasmBackend extends Backend {
  readonly name: 'wasm';
  /** Threads that large ranges are split across (1 without a pool). */
  readonly threads: number;
  /** The memory blocks live in. */
  readonly memory: WasmMemory;
  /** The kernels bound to {@link WasmBackend.memory}. */
  readonly kernels: WasmKernels;
  /** Address of the kernels' context table in {@link WasmBackend.memory} (the `ctx` argument of the kernels). */
  readonly context: number;
  /**
   * Copies `params` into wasm memory (the same as {@link Backend.copy}); perturb the returned blocks from then
   * on. Their `data` is a getter that follows memory growth: read `block.data` again after any allocation
   * (`copy`, `zerosLike`, `toWasmParams`) instead of keeping an old view, or reserve memory with `initialBytes`.
   */
  toWasmParams(params: Params): Params;
  /**
   * `x ← x + alpha · d` on elements `[start, end)` of block `b` only: the same bits as that part of
   * {@link Backend.perturbInPlace} (any split of a block gives the whole-block result).
   */
  perturbRangeInPlace(direction: Direction, alpha: number, block: Block, b: number, start: number, end: number): void;
  /** Whether `data` is a view on this backend's memory (kernels run on it in place, without staging). */
  owns(data: Float32Array): boolean;
  /** Allocation counters in bytes (for tests and memory accounting). */
  memoryStats(): WasmHeapStats;
  /** Restarts the peak of {@link WasmBackend.memoryStats} from the current allocation. */
  resetPeak(): void;
}

const CONTEXT_AT = 1024;
const HEAP_BASE = 2048;
const MAX_BYTES = 65536 * PAGE_BYTES;

/**
 * The `wasm` backend: AssemblyScript simd128 kernels (embedded, about 6 KB) over a `WebAssembly.Memory`,
 * optionally split across a worker pool. Perturbations reproduce the cpu backend bit for bit (same float32
 * operations in the same order); `dot` sums in float64 in a fixed chunked order (see {@link WasmKernels}), so it
 * is deterministic and independent of the thread count, and within `(2n + 8) · 2⁻⁵³ · Σ|xᵢyᵢ|` of the cpu sum.
 *
 * Blocks made by `copy`, `zerosLike` or `toWasmParams` live in the wasm memory and are perturbed in place.
 * Blocks that live elsewhere (plain `Float32Array`s) are accepted too: they are streamed through two 64 KiB
 * staging buffers (same bits, about two extra copies per element).
 *
 * Cost (d = 1e7, 2 vCPU, one thread): Gaussian perturbation ≈ 3–4 ns/element, Rademacher ≈ 0.5 ns/element,
 * axpy at memory bandwidth. Extra memory: a 256 KiB scratch arena and 128 KiB of staging, reserved at creation;
 * a perturbation allocates nothing else (low-rank: Vᵀ beyond the arena).
 *
 * @example
 * ```ts
 * const be = wasmBackend();
 * const x = be.toWasmParams([{ name: 'w', shape: [1000], data: new Float32Array(1000) }]);
 * be.perturbInPlace({ kind: 'gaussian', seed: 7 }, 1e-3, x);
 * be.perturbInPlace({ kind: 'gaussian', seed: 7 }, -1e-3, x); // back to zeros (up to float32 rounding)
 * be.dispose(x);
 * ```
 */
export function wasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const api = wasmApi();
  if (api === undefined) throw new ZerothError('WASM_UNAVAILABLE', 'This engine has no WebAssembly. Use cpuBackend().');
  const maxBytes = Math.min(MAX_BYTES, options.maximumBytes ?? MAX_BYTES);
  const initialBytes = options.initialBytes ?? 4 * 1024 * 1024;
  if (!(initialBytes > 0) || !(maxBytes >= initialBytes)) {
    throw new InvalidHyperparameter('initialBytes', initialBytes, `must be positive and at most maximumBytes (${maxBytes})`);
  }
  const memory = options.memory ?? new api.Memory({ initial: Math.ceil(initialBytes / PAGE_BYTES) });
  const pool = options.pool;
  if (pool !== undefined && !isShared(memory)) {
    throw new InvalidHyperparameter('memory', 'a plain memory', 'must be a shared WebAssembly.Memory when a pool is given');
  }
  const k = instantiateWasmKernels(memory);
  if (k.dotChunk !== STAGE) throw new ZerothError('WASM_MISMATCH', 'The kernel module does not match this build; run npm run build:wasm.');
  const heap = new WasmHeap(memory, HEAP_BASE, maxBytes);
  k.initContext(CONTEXT_AT);
  const run = runner(k, pool);
  const env: WasmEnv = { heap, k, run, stager: new Stager(heap), scratch: new Scratch(heap), ctx: CONTEXT_AT };

  /** Allocates one block per block of `params` (all before any view is read, since allocation may grow). */
  const allocLike = (params: Params): WasmBlock[] =>
    params.map((b) => new WasmBlock(heap, heap.alloc(b.data.length * 4), b.data.length, b.name, [...b.shape]));

  /** Copies `src` into `dst`, in parallel when both live in this memory. */
  const copyArray = (src: Float32Array, dst: Float32Array): void => {
    if (heap.owns(src) && heap.owns(dst) && run.threads > 1) {
      const ps = src.byteOffset;
      const pd = dst.byteOffset;
      run.run('copy', 0, dst.length, 64, 0.25, (s, e) => [pd + 4 * s, ps + 4 * s, e - s]);
    } else {
      dst.set(src);
    }
  };

  const backend: WasmBackend = {
    name: 'wasm',
    threads: run.threads,
    memory,
    kernels: k,
    context: CONTEXT_AT,
    zerosLike(params: Params): Params {
      const out = allocLike(params);
      for (const b of out) run.run('zero', 0, b.length, 64, 0.25, (s, e) => [b.offset + 4 * s, e - s]);
      return out;
    },
    copy(params: Params): Params {
      const out = allocLike(params);
      out.forEach((b, i) => copyArray(liveData(params[i]!, i), b.data));
      return out;
    },
    toWasmParams(params: Params): Params {
      return backend.copy(params);
    },
    assignInPlace(src: Params, dst: Params): void {
      const s = arrays(src);
      const d = arrays(dst);
      checkSameLayout(s, d, 'src');
      for (let i = 0; i < d.length; i++) copyArray(s[i]!, d[i]!);
    },
    read(block: Block): Float32Array {
      return liveData(block, 0);
    },
    perturbInPlace(direction: Direction, alpha: number, x: Params): void {
      checkDirectionSeed(direction);
      if (direction.kind === 'none' || isZeroStep(alpha)) return;
      for (let b = 0; b < x.length; b++) perturbBlockWasm(env, direction, alpha, x[b]!, b);
    },
    perturbRangeInPlace(direction: Direction, alpha: number, block: Block, b: number, start: number, end: number): void {
      checkDirectionSeed(direction);
      if (direction.kind === 'none' || isZeroStep(alpha)) return;
      perturbBlockWasm(env, direction, alpha, block, b, start, end);
    },
    axpyInPlace(alpha: number, x: readonly Float32Array[] | Params, y: Params): void {
      const xs = arrays(x);
      const ys = arrays(y);
      checkSameLayout(xs, ys, 'x');
      for (let b = 0; b < ys.length; b++) axpyArrays(env, alpha, xs[b]!, ys[b]!);
    },
    scaleInPlace(alpha: number, x: Params): void {
      const a = Math.fround(alpha);
      for (let b = 0; b < x.length; b++) {
        const d = liveData(x[b]!, b);
        if (heap.owns(d)) {
          const p0 = d.byteOffset;
          run.run('scale', 0, d.length, 64, 0.25, (s, e) => [p0 + 4 * s, e - s, a]);
        } else {
          env.stager.run(0, d.length, [{ data: d, write: true }], ([p], s, e) => k.scale(p!, e - s, a));
        }
      }
    },
    dot(x: readonly Float32Array[] | Params, y: readonly Float32Array[] | Params): number {
      const xs = arrays(x);
      const ys = arrays(y);
      checkSameLayout(xs, ys, 'x');
      const chunks = xs.map((a) => Math.ceil(a.length / STAGE));
      return env.scratch.with([Math.max(0, ...chunks) * 8], ([out]) => {
        let total = 0;
        for (let b = 0; b < xs.length; b++) {
          const u = xs[b]!;
          const v = ys[b]!;
          const n = u.length;
          if (heap.owns(u) && heap.owns(v)) {
            const pu = u.byteOffset;
            const pv = v.byteOffset;
            run.run('dotChunks', 0, chunks[b]!, 1, STAGE / 4, (c0, c1) => [pu, pv, n, c0, c1, out!]);
          } else {
            env.stager.run(0, n, [{ data: u, write: false }, { data: v, write: false }], ([pu, pv], s, e) =>
              k.dotChunks(pu!, pv!, e - s, 0, 1, out! + (s / STAGE) * 8),
            );
          }
          total += k.sumF64(out!, chunks[b]!);
        }
        return total;
      });
    },
    dispose(params: Params): void {
      for (const b of params) {
        if (b instanceof WasmBlock) {
          if (b.isIn(heap) && heap.release(b.offset)) b.markDisposed();
          continue;
        }
        const d = b.data;
        if (d.length > 0 && heap.owns(d) && (heap.sizeOf(d.byteOffset) ?? 0) >= d.byteLength) heap.release(d.byteOffset);
      }
    },
    owns(data: Float32Array): boolean {
      return heap.owns(data);
    },
    memoryStats(): WasmHeapStats {
      return heap.stats();
    },
    resetPeak(): void {
      heap.resetPeak();
    },
  };
  return backend;
}
