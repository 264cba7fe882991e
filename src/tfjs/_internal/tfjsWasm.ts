/* zeroth's wasm kernels instantiated on tfjs-wasm's own WebAssembly memory, so variables are perturbed in place on
 * tfjs's heap with the same code (and bits) as the `wasm` backend. Scratch and staging memory come from tfjs's
 * malloc; views are made from the memory's current buffer at every use, so heap growth never leaves one stale. */
import { runner } from '../../backend/wasm/_internal/runner.js';
import { Scratch } from '../../backend/wasm/_internal/scratch.js';
import { Stager } from '../../backend/wasm/_internal/staging.js';
import { ALIGN, type WasmAllocator } from '../../backend/wasm/_internal/wasmHeap.js';
import type { WasmEnv } from '../../backend/wasm/_internal/wasmPerturb.js';
import { instantiateWasmKernels } from '../../backend/wasm/wasmKernels.js';
import type { TfWasmBackend } from './storage.js';

const envs = new WeakMap<TfWasmBackend, WasmEnv>();

/**
 * The kernels and scratch memory for one tfjs-wasm backend (created once, about 400 KiB of its heap).
 *
 * tfjsParams creates it, before the model's first forward pass: taken later (at the first write), it is carved
 * out of the free space the forward pass keeps for its activations. tfjs-wasm's allocator (emmalloc) then puts the
 * next forward's activations into the holes that the dropped packed weights leave (the smallest free region that
 * fits), and one repacked layer no longer fits where it was: the heap grows by one packed layer (64 MB for a
 * 4096×4096 dense layer) for good. Writes themselves allocate nothing on tfjs's heap.
 */
export function wasmEnvOf(be: TfWasmBackend): WasmEnv {
  let env = envs.get(be);
  if (env === undefined) {
    const memory = be.wasm.asm.memory;
    const heap = tfjsAllocator(be);
    const k = instantiateWasmKernels(memory);
    const ctx = heap.alloc(k.contextBytes);
    k.initContext(ctx);
    env = { heap, k, run: runner(k, undefined), stager: new Stager(heap), scratch: new Scratch(heap), ctx };
    envs.set(be, env);
  }
  return env;
}

/** A float32 view of the `length` elements at byte `offset` of tfjs-wasm's heap, on its current buffer. */
export function heapView(be: TfWasmBackend, offset: number, length: number): Float32Array {
  return new Float32Array(be.wasm.asm.memory.buffer, offset, length);
}

/**
 * Drops what tfjs-wasm derived from a tensor's values: XNNPACK packs the weights (and bias) of a matMul or conv
 * into an operator cached per tensor id, so a forward pass would not see an in-place write. Unregistering and
 * registering the id again (the memory stays where it is) deletes those operators; the next forward pass repacks.
 */
export function invalidateDerived(be: TfWasmBackend, id: number, size: number, offset: number): void {
  be.wasm.tfjs.disposeData(id);
  be.wasm.tfjs.registerTensor(id, size, offset);
}

/** tfjs's malloc/free as a {@link WasmAllocator} (allocations aligned to {@link ALIGN} bytes). */
function tfjsAllocator(be: TfWasmBackend): WasmAllocator {
  const raw = new Map<number, number>();
  const memory = be.wasm.asm.memory;
  return {
    owns: (array) => array.buffer === memory.buffer,
    view: (offset, length) => new Float32Array(memory.buffer, offset, length),
    alloc(bytes) {
      const p = be.wasm._malloc(bytes + ALIGN) >>> 0;
      if (p === 0) throw new RangeError(`tfjs-wasm could not allocate ${bytes} bytes`);
      const aligned = Math.ceil(p / ALIGN) * ALIGN;
      raw.set(aligned, p);
      return aligned;
    },
    release(offset) {
      const p = raw.get(offset);
      if (p === undefined) return false;
      raw.delete(offset);
      be.wasm._free(p);
      return true;
    },
  };
}
