import type { WasmAllocator } from './wasmHeap.js';

/** Elements per staged chunk (64 KiB of float32: stays in L2). Equal to the dot chunk of the kernels. */
export const STAGE = 16384;

/** One array taking part in a staged operation. */
export interface StagedArray {
  readonly data: Float32Array;
  /** Copied back after each chunk. */
  readonly write: boolean;
}

/**
 * Runs `fn` over `[start, end)` in chunks of {@link STAGE} elements (from `start`), giving it one pointer per array: the array
 * itself when it lives in the heap's memory, else a staging buffer the chunk is copied into (and out of, for
 * written arrays). Extra memory: two staging buffers of 64 KiB, allocated once when the backend is created, so
 * staging never grows the memory.
 */
export class Stager {
  private readonly heap: WasmAllocator;
  private readonly buffers: readonly number[];

  constructor(heap: WasmAllocator) {
    this.heap = heap;
    this.buffers = [heap.alloc(STAGE * 4), heap.alloc(STAGE * 4)];
  }

  /** At most two arrays. */
  run(
    start: number,
    end: number,
    arrays: readonly [StagedArray] | readonly [StagedArray, StagedArray],
    fn: (ptrs: readonly number[], s: number, e: number) => void,
  ): void {
    const heap = this.heap;
    const owned = arrays.map((a) => heap.owns(a.data));
    const ptrs: number[] = new Array<number>(arrays.length).fill(0);
    for (let s = start; s < end; s += STAGE) {
      const e = Math.min(end, s + STAGE);
      for (let i = 0; i < arrays.length; i++) {
        const a = arrays[i]!;
        if (owned[i]) {
          ptrs[i] = a.data.byteOffset + 4 * s;
        } else {
          ptrs[i] = this.buffers[i]!;
          heap.view(ptrs[i]!, e - s).set(a.data.subarray(s, e));
        }
      }
      fn(ptrs, s, e);
      for (let i = 0; i < arrays.length; i++) {
        const a = arrays[i]!;
        if (!owned[i] && a.write) a.data.set(heap.view(ptrs[i]!, e - s), s);
      }
    }
  }
}
