/// <reference types="@webgpu/types" />
import { InvalidInput } from '../../errors.js';
import type { Block, Direction, Params, UpdateTerm } from '../../types.js';
import type { Backend } from '../backend.js';
import { checkDirectionSeed, isZeroStep } from '../_internal/perturbBlock.js';
import { GpuKernels } from './_internal/gpuKernels.js';
import { exactDot, fusable, implicitBlock, perturbBlock } from './_internal/gpuOps.js';
import type { WgslBuild } from './_internal/wgslKernels.js';
import { WebGpuData } from './webgpuData.js';
import { requestWebGpuDevice, type WebGpuDeviceOptions } from './webgpuDevice.js';

/** Parameters of the `webgpu` backend: blocks whose data is a {@link WebGpuData} (a `GPUBuffer`). */
export type WebGpuParams = Params<WebGpuData>;

/** Options of {@link webgpuBackend}. */
export interface WebGpuBackendOptions extends WebGpuDeviceOptions {
  /** A device to run on (you own it). Default: one requested from the adapter (see {@link requestWebGpuDevice}). */
  readonly device?: GPUDevice;
  /** @internal How the kernels are assembled; tests only. */
  readonly build?: WgslBuild;
}

/** The `webgpu` backend: every {@link Backend} primitive on blocks held in `GPUBuffer`s. */
export interface WebGpuBackend extends Backend<WebGpuData> {
  readonly name: 'webgpu';
  /** The device the blocks and kernels live on. */
  readonly device: GPUDevice;
  /** The adapter's description (`vendor`, `architecture`, `device`, `description`), when known. */
  readonly adapter: string;
  /** `x ← x + Σ coeffᵢ · dᵢ`: Gaussian, Rademacher and `params` terms in one dispatch per block (same bits as one `perturbInPlace` per term). */
  perturbTermsInPlace(terms: readonly UpdateTerm[], x: WebGpuParams): void;
  /** The values of every block, read back in one submission. */
  readAll(params: WebGpuParams): Promise<Float32Array[]>;
  /** Resolves when the work submitted so far has finished. */
  finished(): Promise<void>;
  /** @internal The compiled kernels (the batch oracle and the tests run their own kernels beside them). */
  readonly kernels: GpuKernels;
}

/**
 * The `webgpu` backend: parameters live in `GPUBuffer`s and every primitive is a WGSL compute dispatch, so
 * parameters stay on the GPU across steps and a step reads back only the values it needs (`read` and `dot`
 * are asynchronous; everything else is enqueued and returns at once, executed in queue order).
 *
 * **Bits.** Perturbations, `axpyInPlace` and `scaleInPlace` reproduce the `cpu` backend bit for bit on any
 * conforming WebGPU implementation, although WGSL does not promise IEEE binary32 arithmetic: products and sums
 * use the native operation only when operands and result are normal (read on their bit patterns), and an exact
 * integer software operation otherwise (subnormals, zeros, infinities); every product leaves through a xor with
 * a runtime zero, so no implementation can fuse it into the next addition; division and square root take the
 * native result as an estimate and correct it by exact 64-bit integer comparisons with the midpoints to its
 * neighbours (falling back to a bisection over bit patterns). `dot` is exact, rounded once to float64. NaN
 * payloads are not preserved (any NaN stays NaN).
 *
 * Cost: one dispatch per block per primitive; an implicit update of Gaussian, Rademacher and `params` terms is
 * one dispatch per block (`perturbTermsInPlace`). A Gaussian pair costs two hashes, about 30 checked float
 * operations and two integer-corrected operations.
 *
 * @example
 * ```ts
 * const gpu = await webgpuBackend();                 // throws WebGpuUnavailable without an adapter
 * const x = gpu.copy([{ name: 'w', shape: [1000], data: new Float32Array(1000) }]);
 * gpu.perturbInPlace({ kind: 'gaussian', seed: 7 }, 1e-3, x);
 * const w = await gpu.read(x[0]!);                   // the cpu backend's bits
 * gpu.dispose(x);
 * ```
 */
export async function webgpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const { device, adapter } = options.device !== undefined ? { device: options.device, adapter: 'user device' } : await requestWebGpuDevice(options);
  const k = await GpuKernels.create(device, options.build);
  return makeBackend(k, adapter);
}

function makeBackend(k: GpuKernels, adapter: string): WebGpuBackend {
  const device = k.device;
  const own = (params: readonly Block<unknown>[], what: string): WebGpuParams => {
    params.forEach((b, i) => {
      if (!(b.data instanceof WebGpuData)) {
        throw new InvalidInput(what, `block ${i} (${b.name}) is not on the GPU`, 'Move parameters to the GPU once with backend.copy(params) and pass the returned blocks.');
      }
      if (b.data.device !== device) throw new InvalidInput(what, `block ${i} (${b.name}) belongs to another GPUDevice`, 'Use blocks created by this backend.');
      if (b.data.destroyed) throw new InvalidInput(what, `block ${i} (${b.name}) was disposed`, 'Do not use blocks after dispose().');
    });
    return params as WebGpuParams;
  };
  const layout = (a: readonly { length: number }[], b: readonly { length: number }[], what: string): void => {
    if (a.length !== b.length) throw new InvalidInput(what, `${a.length} blocks against ${b.length}`, 'Pass blocks of the same layout as the parameters.');
    a.forEach((x, i) => {
      if (x.length !== b[i]!.length) {
        throw new InvalidInput(what, `block ${i} has ${x.length} elements against ${b[i]!.length}`, 'Pass blocks of the same layout as the parameters.');
      }
    });
  };
  const dataOf = (x: readonly Float32Array[] | readonly Block<unknown>[]): (Float32Array | WebGpuData)[] =>
    x.map((b, i) => {
      const d = b instanceof Float32Array ? b : b.data;
      if (d instanceof Float32Array || d instanceof WebGpuData) return d;
      throw new InvalidInput('x', `block ${i} holds neither a Float32Array nor GPU data`, 'Pass host arrays or blocks of this backend.');
    });
  const onGpu = (d: Float32Array | WebGpuData): WebGpuData => (d instanceof WebGpuData ? d : new WebGpuData(device, d.length, k.upload(d)));
  const alloc = (params: readonly Block<unknown>[]): WebGpuParams =>
    params.map((b) => ({ name: b.name, shape: [...b.shape], data: new WebGpuData(device, (b.data as { length: number }).length) }));

  const backend: WebGpuBackend = {
    name: 'webgpu',
    device,
    adapter,
    kernels: k,
    zerosLike(params) {
      return alloc(params);
    },
    copy(params) {
      const out = alloc(params);
      backend.assignInPlace(params, out);
      return out;
    },
    assignInPlace(src, dst) {
      const d = own(dst, 'dst');
      const s = dataOf(src);
      layout(s, d.map((b) => b.data), 'src');
      s.forEach((v, i) => {
        const target = d[i]!.data;
        if (v instanceof WebGpuData) k.copy(v.buffer, target.buffer, v.byteLength);
        else if (v.length > 0) device.queue.writeBuffer(target.buffer, 0, v.buffer, v.byteOffset, v.byteLength);
      });
      k.flush();
    },
    async read(block) {
      const [data] = own([block], 'block');
      return new Float32Array(await k.read(data!.data.buffer, data!.data.byteLength));
    },
    async readAll(params) {
      return Promise.all(own(params, 'params').map((b) => backend.read(b)));
    },
    perturbInPlace(direction: Direction, alpha: number, x) {
      const blocks = own(x, 'x');
      checkDirectionSeed(direction);
      if (direction.kind === 'none' || isZeroStep(alpha)) return;
      blocks.forEach((block, b) => perturbBlock(k, direction, alpha, block, b));
      k.flush();
    },
    perturbTermsInPlace(terms: readonly UpdateTerm[], x) {
      const blocks = own(x, 'x');
      for (const t of terms) checkDirectionSeed(t.direction);
      let i = 0;
      while (i < terms.length) {
        let j = i;
        while (j < terms.length && fusable(terms[j]!.direction)) j++;
        if (j > i) {
          const run = terms.slice(i, j);
          blocks.forEach((block, b) => implicitBlock(k, run, block, b));
          i = j;
        } else {
          backend.perturbInPlace(terms[i]!.direction, terms[i]!.coeff, x);
          i++;
        }
      }
      k.flush();
    },
    axpyInPlace(alpha, x, y) {
      const ys = own(y, 'y');
      const xs = dataOf(x);
      layout(xs, ys.map((b) => b.data), 'x');
      const a = Math.fround(alpha);
      xs.forEach((v, i) => {
        const n = v.length;
        if (n > 0) k.run('axpy', n, { n, a }, [ys[i]!.data.buffer, v instanceof WebGpuData ? v.buffer : k.upload(v)]);
      });
      k.flush();
    },
    scaleInPlace(alpha, x) {
      const a = Math.fround(alpha);
      for (const b of own(x, 'x')) if (b.data.length > 0) k.run('scale', b.data.length, { n: b.data.length, a }, [b.data.buffer]);
      k.flush();
    },
    dot(x, y) {
      // layouts are checked before the promise, so a malformed call throws at once
      const xs = dataOf(x);
      const ys = dataOf(y);
      layout(xs, ys, 'x');
      return exactDot(k, xs.map((v, i) => [onGpu(v), onGpu(ys[i]!)] as const));
    },
    dispose(params) {
      for (const b of params) if (b.data instanceof WebGpuData && b.data.device === device) b.data.destroy();
    },
    async finished() {
      k.flush();
      await device.queue.onSubmittedWorkDone();
    },
  };
  return backend;
}
