/// <reference types="@webgpu/types" />

/**
 * The storage of one parameter block of the `webgpu` backend: `length` float32 values in a `GPUBuffer` (usage
 * STORAGE | COPY_SRC | COPY_DST, at least 4 bytes). Blocks of the backend are `Block<WebGpuData>`: read their
 * values with `await backend.read(block)`.
 */
export class WebGpuData {
  /** The buffer; bind it in your own pipelines as `array<f32>` (read it only after the backend's work, in queue order). */
  readonly buffer: GPUBuffer;
  /** Number of float32 values. */
  readonly length: number;
  /** The device the buffer belongs to. */
  readonly device: GPUDevice;
  private released = false;

  constructor(device: GPUDevice, length: number, buffer?: GPUBuffer) {
    this.device = device;
    this.length = length;
    this.buffer = buffer ?? device.createBuffer({ size: Math.max(4, length * 4), usage: 0x80 | 0x4 | 0x8 });
  }

  /** Bytes of data (4 · length). */
  get byteLength(): number {
    return this.length * 4;
  }

  /** Whether {@link WebGpuData.destroy} was called. */
  get destroyed(): boolean {
    return this.released;
  }

  /** Destroys the buffer (idempotent). */
  destroy(): void {
    if (this.released) return;
    this.released = true;
    this.buffer.destroy();
  }
}
