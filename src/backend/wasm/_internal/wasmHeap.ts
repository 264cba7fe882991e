import { ZerothError } from '../../../errors.js';
import { PAGE_BYTES, isShared } from './wasmApi.js';
import type { WasmMemory } from './wasmApi.js';

/** Alignment of every allocation: one cache line (and a multiple of the 16 bytes of a v128). */
export const ALIGN = 64;

interface Span {
  start: number;
  size: number;
}

/** Allocation counters of a {@link WasmHeap}, in bytes. */
export interface WasmHeapStats {
  /** Bytes currently allocated (rounded up to {@link ALIGN}). */
  readonly allocatedBytes: number;
  /** The largest `allocatedBytes` seen since creation or the last `resetPeak()`. */
  readonly peakAllocatedBytes: number;
  /** Size of the memory now. */
  readonly memoryBytes: number;
  /** Number of live allocations. */
  readonly liveAllocations: number;
}

/**
 * What the wasm operations need from the memory they run on: views, ownership and short-lived allocations.
 * {@link WasmHeap} is zeroth's own; `zeroth/tfjs` adapts tfjs-wasm's `malloc`/`free` to it.
 */
export interface WasmAllocator {
  /** Whether `array` is a live view on this memory (kernels may run on it in place). */
  owns(array: Float32Array): boolean;
  /** A float32 view of `length` elements at byte `offset`, on the current buffer. */
  view(offset: number, length: number): Float32Array;
  /** Allocates `bytes` and returns the byte offset ({@link ALIGN}-aligned). May grow the memory. */
  alloc(bytes: number): number;
  /** Frees the allocation that starts at `offset`; returns false if there is none. */
  release(offset: number): boolean;
}

/**
 * A first-fit allocator with coalescing over one `WebAssembly.Memory`, from byte `base` up. It grows the memory
 * when no free span fits (by at least half its size, up to `maxBytes`), keeps the set of buffers the memory has
 * had (after growth a shared memory hands out a new `SharedArrayBuffer` object over the same bytes; a plain
 * memory detaches the old one), and makes views on demand.
 */
export class WasmHeap implements WasmAllocator {
  readonly memory: WasmMemory;
  readonly shared: boolean;
  readonly maxBytes: number;
  private readonly spans: Span[] = [];
  private readonly live = new Map<number, number>();
  private readonly known = new WeakSet<object>();
  private current: ArrayBuffer | SharedArrayBuffer;
  private allocated = 0;
  private peak = 0;

  constructor(memory: WasmMemory, base: number, maxBytes: number) {
    this.memory = memory;
    this.shared = isShared(memory);
    this.maxBytes = maxBytes;
    this.current = memory.buffer;
    this.known.add(this.current);
    const start = alignUp(base);
    if (this.current.byteLength < start) {
      memory.grow(Math.ceil((start - this.current.byteLength) / PAGE_BYTES));
      this.buffer();
    }
    this.spans.push({ start, size: this.current.byteLength - start });
  }

  /** The memory's buffer now (recorded as one of ours). */
  buffer(): ArrayBuffer | SharedArrayBuffer {
    const b = this.memory.buffer;
    if (b !== this.current) {
      this.current = b;
      this.known.add(b);
    }
    return b;
  }

  /** Whether `array` is a live view on this memory. */
  owns(array: Float32Array): boolean {
    const b = array.buffer;
    return b === this.buffer() || (this.shared && this.known.has(b));
  }

  /** A float32 view of `length` elements at byte `offset`, on the current buffer. */
  view(offset: number, length: number): Float32Array {
    return new Float32Array(this.buffer(), offset, length);
  }

  /**
   * Allocates `bytes` (at least one alignment unit) and returns the byte offset. The contents are not cleared.
   * May grow the memory: views on a plain memory made before are then detached.
   */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    let i = this.spans.findIndex((s) => s.size >= size);
    if (i < 0) i = this.grow(size);
    const span = this.spans[i]!;
    const start = span.start;
    span.start += size;
    span.size -= size;
    if (span.size === 0 && i < this.spans.length - 1) this.spans.splice(i, 1);
    this.live.set(start, size);
    this.allocated += size;
    if (this.allocated > this.peak) this.peak = this.allocated;
    return start;
  }

  /** Frees the allocation that starts at `offset`; returns false if there is none. */
  release(offset: number): boolean {
    const size = this.live.get(offset);
    if (size === undefined) return false;
    this.live.delete(offset);
    this.allocated -= size;
    let i = 0;
    while (i < this.spans.length && this.spans[i]!.start < offset) i++;
    this.spans.splice(i, 0, { start: offset, size });
    const next = this.spans[i + 1];
    if (next !== undefined && offset + size === next.start) {
      this.spans[i]!.size += next.size;
      this.spans.splice(i + 1, 1);
    }
    const prev = this.spans[i - 1];
    if (prev !== undefined && prev.start + prev.size === offset) {
      prev.size += this.spans[i]!.size;
      this.spans.splice(i, 1);
    }
    return true;
  }

  /** Size of the live allocation at `offset`, or undefined. */
  sizeOf(offset: number): number | undefined {
    return this.live.get(offset);
  }

  stats(): WasmHeapStats {
    return {
      allocatedBytes: this.allocated,
      peakAllocatedBytes: this.peak,
      memoryBytes: this.buffer().byteLength,
      liveAllocations: this.live.size,
    };
  }

  resetPeak(): void {
    this.peak = this.allocated;
  }

  /** Grows the memory so that the last span holds `size` bytes; returns that span's index. */
  private grow(size: number): number {
    const last = this.spans[this.spans.length - 1]!;
    const end = last.start + last.size;
    const have = this.buffer().byteLength;
    const tailFree = end === have ? last.size : 0;
    const need = size - tailFree;
    const target = Math.min(this.maxBytes, Math.max(have + need, Math.floor(have * 1.5)));
    const pages = Math.ceil((target - have) / PAGE_BYTES);
    if (have + need > this.maxBytes || pages <= 0) throw outOfMemory(size, this.maxBytes);
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw outOfMemory(size, this.maxBytes, cause);
    }
    const added = this.buffer().byteLength - have;
    if (end === have) {
      last.size += added;
      return this.spans.length - 1;
    }
    this.spans.push({ start: have, size: added });
    return this.spans.length - 1;
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function outOfMemory(size: number, max: number, cause?: unknown): ZerothError {
  return new ZerothError(
    'WASM_OUT_OF_MEMORY',
    `The wasm memory cannot hold ${size} more bytes (maximum ${max} bytes). ` +
      'Dispose blocks you no longer need, or create the backend with a larger maximumBytes.',
    cause === undefined ? undefined : { cause },
  );
}
