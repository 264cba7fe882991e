/// <reference types="@webgpu/types" />
import { ZerothError } from '../../../errors.js';
import { WORKGROUP, exactBuild, kernelBodies, twoPass, wgslModule, type KernelName, type WgslBuild } from './wgslKernels.js';

/** The per-dispatch words of the uniform block (see wgslKernels.ts). */
export interface Uniforms {
  readonly n: number;
  readonly k1?: number;
  readonly k2?: number;
  readonly a?: number;
  readonly p0?: number;
  readonly p1?: number;
}

const MAX_GROUPS = 65535;
export const STORAGE_USAGE = 0x80 | 0x4 | 0x8; // STORAGE | COPY_SRC | COPY_DST

/**
 * The compiled kernels of one device and one build, and the plumbing to run them: one uniform buffer per
 * dispatch slot, a bind group per dispatch, dispatches recorded into one command encoder that is submitted by
 * {@link GpuKernels.flush} (or by any read). Work is executed in queue order, so the primitives are sequential.
 */
export class GpuKernels {
  readonly device: GPUDevice;
  readonly build: WgslBuild;
  private readonly pipelines: Map<KernelName | string, GPUComputePipeline>;
  private encoder: GPUCommandEncoder | undefined;
  private pending: GPUBuffer[] = [];
  /** Bytes read back to the host so far. */
  bytesRead = 0;
  /** Validation or out-of-memory errors reported by the device since the last read. */
  private errors: string[] = [];

  private constructor(device: GPUDevice, build: WgslBuild, pipelines: Map<string, GPUComputePipeline>) {
    this.device = device;
    this.build = build;
    this.pipelines = pipelines;
    device.addEventListener('uncapturederror', (event) => {
      this.errors.push((event as GPUUncapturedErrorEvent).error.message);
    });
  }

  /**
   * Compiles the kernels of `build` on `device` (asynchronously, so compile errors surface here): every kernel of
   * the backend, or those named in `only`, plus the `extra` bodies.
   */
  static async create(
    device: GPUDevice,
    build: WgslBuild = exactBuild,
    extra: Readonly<Record<string, string>> = {},
    only?: readonly KernelName[],
  ): Promise<GpuKernels> {
    const own = Object.entries(kernelBodies).filter(([name]) => only === undefined || only.includes(name as KernelName));
    const bodies: [string, string][] = [];
    for (const [name, body] of [...own, ...Object.entries(extra)]) {
      const passes = twoPass(body);
      if (passes === undefined) bodies.push([name, body]);
      else bodies.push([name, passes.fast], [`${name}:full`, passes.full]);
    }
    const pipelines = new Map<string, GPUComputePipeline>();
    await Promise.all(
      bodies.map(async ([name, body]) => {
        pipelines.set(name, await compile(device, wgslModule(body, build), name));
      }),
    );
    return new GpuKernels(device, build, pipelines);
  }

  /** Runs `kernel` with `threads` invocations over `buffers` (bindings 1, 2, …). */
  run(kernel: KernelName | string, threads: number, uniforms: Uniforms, buffers: readonly GPUBuffer[]): void {
    if (threads <= 0) return;
    const pipeline = this.pipelines.get(kernel);
    if (pipeline === undefined) throw new ZerothError('WEBGPU_KERNEL', `no kernel named ${kernel}`);
    const groups = Math.ceil(threads / WORKGROUP);
    const gx = Math.min(groups, MAX_GROUPS);
    const gy = Math.ceil(groups / gx);
    const words = new ArrayBuffer(48);
    const w = new Uint32Array(words);
    w[0] = uniforms.n;
    w[1] = uniforms.k1 ?? 0;
    w[2] = uniforms.k2 ?? 0;
    new Float32Array(words, 12, 1)[0] = uniforms.a ?? 0;
    w[4] = 0;
    w[5] = gx;
    w[6] = uniforms.p0 ?? 0;
    w[7] = uniforms.p1 ?? 0;
    w[8] = gy;
    const uniform = this.device.createBuffer({ size: 48, usage: 0x40 | 0x8, mappedAtCreation: true }); // UNIFORM | COPY_DST
    new Uint8Array(uniform.getMappedRange()).set(new Uint8Array(words));
    uniform.unmap();
    this.pending.push(uniform);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform } }, ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } }))];
    const full = this.pipelines.get(`${kernel}:full`);
    let mask: GPUBuffer | undefined;
    let args: GPUBuffer | undefined;
    if (full !== undefined) {
      // the second pass of a two-pass kernel (wgslKernels.ts): a bit per thread, indirect arguments (0, 0, 1)
      mask = this.scratch(Math.ceil((gx * gy * WORKGROUP) / 32) * 4);
      args = this.device.createBuffer({ size: 16, usage: 0x80 | 0x100, mappedAtCreation: true }); // STORAGE | INDIRECT
      new Uint32Array(args.getMappedRange()).set([0, 0, 1, 0]);
      args.unmap();
      this.pending.push(args);
      entries.push({ binding: 8, resource: { buffer: mask } }, { binding: 9, resource: { buffer: args } });
    }
    const pass = this.commands().beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    if (full !== undefined) {
      const second = this.commands().beginComputePass();
      second.setPipeline(full);
      second.setBindGroup(0, this.device.createBindGroup({ layout: full.getBindGroupLayout(0), entries: entries.slice(0, -1) }));
      second.dispatchWorkgroupsIndirect(args!, 0);
      second.end();
    }
    if (this.pending.length >= 64) this.flush();
  }

  /** Records a buffer-to-buffer copy. */
  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number, srcOffset = 0, dstOffset = 0): void {
    if (bytes > 0) this.commands().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** A temporary storage buffer holding `data`, released after the next flush. */
  upload(data: ArrayBufferView): GPUBuffer {
    const size = Math.max(16, Math.ceil(data.byteLength / 4) * 4);
    const buffer = this.device.createBuffer({ size, usage: STORAGE_USAGE, mappedAtCreation: true });
    new Uint8Array(buffer.getMappedRange(), 0, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buffer.unmap();
    this.pending.push(buffer);
    return buffer;
  }

  /** A temporary zero-filled storage buffer of `bytes`, released after the next flush. */
  scratch(bytes: number): GPUBuffer {
    const buffer = this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: STORAGE_USAGE });
    this.pending.push(buffer);
    return buffer;
  }

  /** Submits what was recorded and releases the temporaries of those commands. */
  flush(): void {
    if (this.encoder === undefined) return;
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    for (const b of this.pending) b.destroy();
    this.pending = [];
  }

  /** Reads `bytes` of `src` back to the host (flushes first). */
  async read(src: GPUBuffer, bytes: number, srcOffset = 0): Promise<ArrayBuffer> {
    if (bytes === 0) return new ArrayBuffer(0);
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: 0x1 | 0x8 }); // MAP_READ | COPY_DST
    this.commands().copyBufferToBuffer(src, srcOffset, staging, 0, Math.ceil(bytes / 4) * 4);
    this.flush();
    try {
      await staging.mapAsync(0x1);
      const out = staging.getMappedRange().slice(0, bytes);
      this.bytesRead += bytes;
      this.throwErrors();
      return out;
    } finally {
      staging.destroy();
    }
  }

  /** Throws the device errors reported since the last check. */
  throwErrors(): void {
    if (this.errors.length === 0) return;
    const errors = this.errors;
    this.errors = [];
    throw new ZerothError('WEBGPU_ERROR', `the GPU reported ${errors.length} error(s): ${errors.slice(0, 3).join(' | ')}`);
  }

  private commands(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }
}

async function compile(device: GPUDevice, code: string, name: string): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ code, label: name });
  try {
    return await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: name });
  } catch (e) {
    const info = await module.getCompilationInfo();
    const messages = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    throw new ZerothError('WEBGPU_COMPILE', `WGSL kernel ${name} did not compile: ${messages.join('; ') || String(e)}`, { cause: e });
  }
}
