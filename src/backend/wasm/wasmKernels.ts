import { ZerothError } from '../../errors.js';
import { sharedKernelsBase64, simdKernelsBase64 } from './kernels.generated.js';
import { fromBase64, isShared, wasmApi } from './_internal/wasmApi.js';
import type { WasmMemory, WasmModule } from './_internal/wasmApi.js';

/**
 * The wasm kernels, bound to one memory. Pointers are byte offsets into that memory; lengths and indices count
 * float32 elements. Every perturbation kernel takes the element range `[start, end)` of a block and the address
 * `dst` of element `start` (element `i` lives at `dst + 4 (i − start)`), so any split of a range is exact.
 * `ctx` is the address of the context table (`contextBytes` bytes, 16-byte aligned) written once by
 * `initContext(ctx)`.
 */
export interface WasmKernels {
  /** `x_i ← f32(x_i + f32(alpha · z_i))`, z the canonical Gaussian stream of keys (k1, k2). */
  gaussian(dst: number, k1: number, k2: number, start: number, end: number, alpha: number, ctx: number): void;
  /** `x_i ← f32(x_i ± f32(alpha))`, the sign from bit `i & 31` of stream word `i >>> 5`. */
  rademacher(dst: number, k1: number, k2: number, start: number, end: number, alpha: number): void;
  /**
   * `X ← X + alpha · U Vᵀ` on elements `[start, end)` of an m × n block; `vt` = Vᵀ (rank × n), `u` scratch
   * for `rank` floats (one per thread), U from the stream (k1, k2).
   */
  lowRank(
    dst: number, start: number, end: number, n: number, rank: number, vt: number, u: number,
    k1: number, k2: number, alpha: number, ctx: number,
  ): void;
  /** `y_i ← f32(y_i + f32(a · x_i))` for `i < n`; `x` may equal `y`. */
  axpy(y: number, x: number, n: number, a: number): void;
  /** `x_i ← f32(a · x_i)` for `i < n`. */
  scale(x: number, n: number, a: number): void;
  /** float64 sums of the chunks `[c0, c1)` of `dotChunk` elements of x·y into `out[c]` (float64 slots). */
  dotChunks(x: number, y: number, n: number, c0: number, c1: number, out: number): void;
  /** Σ of `count` float64 values at `out`, in index order. */
  sumF64(out: number, count: number): number;
  /** memmove of `n` float32 values. */
  copy(dst: number, src: number, n: number): void;
  /** `n` float32 zeros at `dst`. */
  zero(dst: number, n: number): void;
  /** Writes the context table at `ctx`. */
  initContext(ctx: number): void;
  /** Bytes of the context table. */
  readonly contextBytes: number;
  /** Elements per chunk of `dotChunks`. */
  readonly dotChunk: number;
}

/** The exported functions of the kernel module, in the order of their job op codes (see the worker pool). */
export const KERNEL_NAMES = ['gaussian', 'rademacher', 'lowRank', 'axpy', 'scale', 'dotChunks', 'copy', 'zero'] as const;

/** A kernel that can run as a job on a worker: one of {@link KERNEL_NAMES}. */
export type KernelName = (typeof KERNEL_NAMES)[number];

const modules: { simd?: WasmModule; shared?: WasmModule } = {};

/**
 * The compiled kernel module for plain (`shared = false`) or shared memories. Compiled once per process and
 * cached; a `WasmModule` can be posted to workers.
 */
export function wasmKernelModule(shared: boolean): WasmModule {
  const api = wasmApi();
  if (api === undefined) throw new ZerothError('WASM_UNAVAILABLE', 'This engine has no WebAssembly. Use cpuBackend().');
  const key = shared ? 'shared' : 'simd';
  let mod = modules[key];
  if (mod === undefined) {
    mod = new api.Module(fromBase64(shared ? sharedKernelsBase64 : simdKernelsBase64));
    modules[key] = mod;
  }
  return mod;
}

/**
 * Instantiates the embedded kernel module on `memory` (synchronously: the module is about 6 KB, and browsers
 * allow synchronous compilation of modules that size on the main thread since Chrome 114). The module has
 * no data segment and uses no stack, so it can run on any memory, including tfjs-wasm's heap
 * (`tf.backend().wasm.asm.memory`); it never writes outside the pointers it is given.
 *
 * Cost: compiles the 6 KB module once per process (about a millisecond), then one instantiation per call.
 *
 * @example
 * ```ts
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const k = instantiateWasmKernels(memory);
 * k.initContext(1024);                                   // 512 bytes of constants at 1024
 * new Float32Array(memory.buffer, 2048, 100).fill(1);
 * k.gaussian(2048, 0x1234, 0x5678, 0, 100, 1e-3, 1024); // x ← x + 1e-3 · z
 * ```
 */
export function instantiateWasmKernels(memory: WasmMemory): WasmKernels {
  const api = wasmApi();
  if (api === undefined) throw new ZerothError('WASM_UNAVAILABLE', 'This engine has no WebAssembly. Use cpuBackend().');
  const instance = new api.Instance(wasmKernelModule(isShared(memory)), { env: { memory } });
  const e = instance.exports as unknown as Omit<WasmKernels, 'contextBytes' | 'dotChunk'> & {
    CONTEXT_BYTES: { value: number };
    DOT_CHUNK: { value: number };
  };
  return {
    gaussian: e.gaussian,
    rademacher: e.rademacher,
    lowRank: e.lowRank,
    axpy: e.axpy,
    scale: e.scale,
    dotChunks: e.dotChunks,
    sumF64: e.sumF64,
    copy: e.copy,
    zero: e.zero,
    initContext: e.initContext,
    contextBytes: e.CONTEXT_BYTES.value,
    dotChunk: e.DOT_CHUNK.value,
  };
}
