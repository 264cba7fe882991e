import { ALIGN } from './wasmHeap.js';
import type { WasmAllocator } from './wasmHeap.js';

/** Bytes of the scratch arena reserved at creation (dot partial sums, low-rank Vᵀ and U rows). */
export const ARENA_BYTES = 256 * 1024;

/**
 * Short-lived scratch memory for one operation. Requests that fit in the arena reserved at creation never
 * allocate, so they can neither grow the memory (which would detach views a caller holds) nor show in the
 * allocation counters; larger ones are allocated for the call and released after it.
 */
export class Scratch {
  private readonly heap: WasmAllocator;
  private readonly arena: number;

  constructor(heap: WasmAllocator) {
    this.heap = heap;
    this.arena = heap.alloc(ARENA_BYTES);
  }

  /** Runs `fn` with one pointer per size in `bytes` (each 64-byte aligned). Not re-entrant. */
  with<T>(bytes: readonly number[], fn: (ptrs: readonly number[]) => T): T {
    const sizes = bytes.map((b) => Math.max(ALIGN, Math.ceil(b / ALIGN) * ALIGN));
    const total = sizes.reduce((s, b) => s + b, 0);
    if (total <= ARENA_BYTES) {
      const ptrs: number[] = [];
      let at = this.arena;
      for (const s of sizes) {
        ptrs.push(at);
        at += s;
      }
      return fn(ptrs);
    }
    const ptrs = sizes.map((s) => this.heap.alloc(s));
    try {
      return fn(ptrs);
    } finally {
      for (const p of ptrs) this.heap.release(p);
    }
  }
}
