import { InvalidInput } from '../../../errors.js';
import type { Block } from '../../../types.js';
import type { WasmHeap } from './wasmHeap.js';

/**
 * A parameter block allocated in wasm memory. `data` is a getter that re-creates its view when the memory
 * has grown (a plain memory detaches old views), so reading `block.data` again always gives a live view.
 */
export class WasmBlock implements Block {
  readonly name: string;
  readonly shape: readonly number[];
  /** Byte offset of element 0 in the wasm memory. */
  readonly offset: number;
  readonly length: number;
  private readonly heap: WasmHeap;
  private view: Float32Array | undefined;
  private disposed = false;

  constructor(heap: WasmHeap, offset: number, length: number, name: string, shape: readonly number[]) {
    this.heap = heap;
    this.offset = offset;
    this.length = length;
    this.name = name;
    this.shape = shape;
  }

  get data(): Float32Array {
    if (this.disposed) {
      throw new InvalidInput(`block "${this.name}"`, 'it was disposed', 'Do not use blocks after backend.dispose(...).');
    }
    const buffer = this.heap.buffer();
    if (this.view === undefined || this.view.buffer !== buffer) this.view = new Float32Array(buffer, this.offset, this.length);
    return this.view;
  }

  /** Whether the block was allocated by `heap`. */
  isIn(heap: WasmHeap): boolean {
    return this.heap === heap;
  }

  /** Marks the block disposed (its memory has been released). */
  markDisposed(): void {
    this.disposed = true;
    this.view = undefined;
  }
}
