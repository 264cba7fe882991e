/// <reference types="@webgpu/types" />
import { InvalidHyperparameter, InvalidInput } from '../../errors.js';
import type { BatchOracle } from '../../oracle/oracle.js';
import { streamKey } from '../../rng/streamKey.js';
import { streams } from '../../rng/streams.js';
import type { Block, EvalContext, Params, Probe } from '../../types.js';
import { integerAtLeast } from '../../validate.js';
import { GpuKernels } from './_internal/gpuKernels.js';
import { floatBits } from './_internal/gpuOps.js';
import { oracleKernel } from './_internal/oracleKernel.js';
import type { WebGpuBackend } from './webgpuBackend.js';
import { WebGpuData } from './webgpuData.js';

/** Options of {@link webgpuBatchOracle}. */
export interface WebGpuBatchOracleOptions {
  /** The backend whose device runs the kernel and whose blocks hold the parameters. */
  readonly backend: WebGpuBackend;
  /**
   * WGSL defining `fn f() -> f32`, the objective at one point. It reads the point with `coord(i)` for
   * `i < dim()` (blocks concatenated in order), may call `probe_index()` and `noise_seed()`, and reads each entry of
   * `buffers` as a `array<f32>` of that name. Use the WGSL operators freely here: only the points' bits are
   * guaranteed (they are those of the backend), the objective is yours.
   */
  readonly wgsl: string;
  /** Number of coordinates of a point: the total length of the parameter blocks. */
  readonly dim: number;
  /** Read-only data for `f` (a matrix, targets): host arrays are uploaded once. Names must be WGSL identifiers. */
  readonly buffers?: Readonly<Record<string, Float32Array | WebGpuData>>;
}

/** A batch oracle whose probe points are generated on the GPU and evaluated in one dispatch. */
export interface WebGpuBatchOracle extends BatchOracle<Params<WebGpuData> | Params> {
  readonly dim: number;
  /** Dispatches of the evaluation kernel so far. */
  readonly dispatches: number;
  /** Bytes read back from the GPU so far (the values only: 4 per point). */
  readonly bytesRead: number;
  /** f at `x + scaleᵢ · dᵢ` for every probe, from one dispatch (Gaussian, Rademacher, coordinate and none directions). */
  probeValues(x: Params<WebGpuData> | Params, probes: readonly Probe[], contexts: readonly EvalContext[]): Promise<Float64Array>;
  /** f at materialised points (one dispatch each). */
  values(xs: readonly (Params<WebGpuData> | Params)[], contexts: readonly EvalContext[]): Promise<Float64Array>;
  /** Releases the uploaded buffers. */
  dispose(): void;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['u', 'f', 'coord', 'dim', 'probe_index', 'noise_seed', 'kz']);

/**
 * A batch oracle for objectives written in WGSL: every probe point of a step — the 2q points of SPSA, the 2d of
 * CGE, the m candidates of ZO-RankSGD — is generated on the GPU from the base parameters, the probe's seed and its
 * scale, and evaluated in ONE compute dispatch (one invocation per probe); only the values are read back (4 bytes
 * per probe), nothing of the size of the parameters crosses to the CPU. `evaluateProbes` calls
 * {@link WebGpuBatchOracle.probeValues} for it, so with the `webgpu` backend a MeZO/SPSA step (perturb,
 * evaluate, update) reads back only its values.
 *
 * Coordinate `i` of a probe point has the bits of `backend.perturbInPlace(d, scale, copy)` (same kernels), so the
 * oracle agrees with every other backend up to f itself. Directions other than Gaussian, Rademacher, coordinate
 * and none (low-rank, dense, params) are materialised with the backend first and evaluated as points.
 *
 * Cost per call: one dispatch of `probes` invocations, each evaluating f once (a Gaussian coordinate costs half a
 * Box–Muller pair); multi-block parameters are first packed by a GPU-side copy (dim floats).
 *
 * @throws InvalidHyperparameter for a bad `dim`, `wgsl` or buffer name; the WGSL compiler's messages when `f`
 * does not compile (a ZerothError with code WEBGPU_COMPILE)
 *
 * @example
 * ```ts
 * const gpu = await webgpuBackend();
 * const sphere = await webgpuBatchOracle({
 *   backend: gpu, dim: 1_000_000,
 *   wgsl: `fn f() -> f32 { var s = 0.0; for (var i = 0u; i < dim(); i++) { let v = coord(i); s += v * v; } return s; }`,
 * });
 * const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(1e-4), backend: gpu });
 * ```
 */
export async function webgpuBatchOracle(options: WebGpuBatchOracleOptions): Promise<WebGpuBatchOracle> {
  const backend = options.backend;
  if (backend === undefined || backend.name !== 'webgpu') throw new InvalidHyperparameter('backend', backend, "must be a webgpu backend (await webgpuBackend())");
  const dim = integerAtLeast('dim', options.dim, 1);
  if (typeof options.wgsl !== 'string' || !/\bfn\s+f\s*\(\s*\)/.test(options.wgsl)) {
    throw new InvalidHyperparameter('wgsl', options.wgsl, 'must be WGSL source defining fn f() -> f32 (read the point with coord(i), i < dim())');
  }
  const device = backend.device;
  const entries = Object.entries(options.buffers ?? {});
  for (const [name, data] of entries) {
    if (!NAME.test(name) || RESERVED.has(name) || name.startsWith('z_')) {
      throw new InvalidHyperparameter(`buffers.${name}`, name, "must be a WGSL identifier (not a reserved word such as target or meta) other than u, f, coord, dim, probe_index, noise_seed, kz, not starting with z_");
    }
    if (!(data instanceof Float32Array) && !(data instanceof WebGpuData)) throw new InvalidHyperparameter(`buffers.${name}`, data, 'must be a Float32Array or a webgpu block');
  }
  const userBuffers = entries.map(([, data]) => (data instanceof WebGpuData ? data : new WebGpuData(device, data.length, upload(device, data))));
  const owned = userBuffers.filter((b, i) => b !== entries[i]![1]);
  const decls = entries.map(([name], i) => `@group(0) @binding(${4 + i}) var<storage, read> ${name}: array<f32>;`).join('\n');
  const kernels = new Map<number, GpuKernels>();
  const kernelFor = async (blocks: number): Promise<GpuKernels> => {
    let k = kernels.get(blocks);
    if (k === undefined) {
      k = await GpuKernels.create(device, undefined, { evaluate: oracleKernel(blocks, decls, options.wgsl) }, []);
      kernels.set(blocks, k);
    }
    return k;
  };
  await kernelFor(1);
  let dispatches = 0;
  let bytesRead = 0;

  /** Runs f for `records` (one per probe) on the base point `x`; returns the float32 values. */
  const evaluate = async (x: readonly Block<unknown>[], records: number[][], keysFor: (p: number) => number[]): Promise<Float64Array> => {
    const lengths = x.map((b) => (b.data as { length: number }).length);
    const total = lengths.reduce((s, n) => s + n, 0);
    if (total !== dim) throw new InvalidInput('x', `the point has ${total} coordinates, the oracle was created with dim ${dim}`, `Create the oracle with dim: ${total}.`);
    const k = await kernelFor(x.length);
    const offsets = [0];
    for (const n of lengths) offsets.push(offsets[offsets.length - 1]! + n);
    const meta: number[] = [...offsets];
    records.forEach((r, p) => meta.push(...r, ...keysFor(p)));
    let base: GPUBuffer;
    const onDevice = x.every((b) => b.data instanceof WebGpuData);
    if (x.length === 1 && onDevice) base = (x[0]!.data as WebGpuData).buffer;
    else {
      base = k.scratch(dim * 4);
      let at = 0;
      for (const b of x) {
        const d = b.data as WebGpuData | Float32Array;
        if (d instanceof WebGpuData) k.copy(d.buffer, base, d.byteLength, 0, at);
        else if (d instanceof Float32Array) device.queue.writeBuffer(base, at, d.buffer, d.byteOffset, d.byteLength);
        else throw new InvalidInput('x', 'a block holds neither a Float32Array nor GPU data', 'Pass host arrays or blocks of the webgpu backend.');
        at += d.length * 4;
      }
    }
    const n = records.length;
    const out = k.scratch(n * 4);
    k.run('evaluate', n, { n, p0: 0, p1: offsets.length }, [k.upload(Uint32Array.from(meta)), base, out, ...userBuffers.map((b) => b.buffer)]);
    dispatches++;
    const values = new Float32Array(await k.read(out, n * 4));
    bytesRead += n * 4;
    return Float64Array.from(values);
  };

  const oracle: WebGpuBatchOracle = {
    kind: 'batch',
    dim,
    get dispatches() {
      return dispatches;
    },
    get bytesRead() {
      return bytesRead;
    },
    async probeValues(x, probes, contexts) {
      const out = new Float64Array(probes.length);
      const direct: number[] = [];
      const records: number[][] = [];
      const keys: number[][] = [];
      probes.forEach((p, i) => {
        const d = p.direction;
        const s = Math.fround(p.scale);
        const noise = (contexts[i]?.noiseSeed ?? 0) >>> 0;
        let rec: number[] | undefined;
        let key: number[] = [];
        if (d.kind === 'none' || s === 0) rec = [0, 0, 0, 0, noise];
        else if (d.kind === 'gaussian' || d.kind === 'rademacher') {
          const stream = d.kind === 'gaussian' ? streams.gaussian : streams.rademacher;
          rec = [d.kind === 'gaussian' ? 1 : 2, floatBits(s), 0, 0, noise];
          key = x.flatMap((_, b) => {
            const k = streamKey(d.seed, stream, b);
            return [k.k1, k.k2];
          });
        } else if (d.kind === 'coordinate') rec = [3, floatBits(s), d.block, d.index, noise];
        if (rec === undefined) return;
        while (key.length < 2 * x.length) key.push(0, 0);
        direct.push(i);
        records.push(rec);
        keys.push(key);
      });
      if (records.length > 0) {
        const got = await evaluate(x, records, (p) => keys[p]!);
        direct.forEach((i, j) => (out[i] = got[j]!));
      }
      // other directions: materialised on the GPU by the backend, then evaluated as points
      const evaluated = new Set(direct);
      const rest = probes.map((_, i) => i).filter((i) => !evaluated.has(i));
      for (const i of rest) {
        const point = backend.copy(x);
        try {
          backend.perturbInPlace(probes[i]!.direction, probes[i]!.scale, point);
          out[i] = (await evaluate(point, [[0, 0, 0, 0, (contexts[i]?.noiseSeed ?? 0) >>> 0]], () => new Array<number>(2 * x.length).fill(0)))[0]!;
        } finally {
          backend.dispose(point);
        }
      }
      return out;
    },
    async values(xs, contexts) {
      const out = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        out[i] = (await evaluate(x, [[0, 0, 0, 0, (contexts[i]?.noiseSeed ?? 0) >>> 0]], () => new Array<number>(2 * x.length).fill(0)))[0]!;
      }
      return out;
    },
    dispose() {
      for (const b of owned) b.destroy();
    },
  };
  return oracle;
}

function upload(device: GPUDevice, data: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.max(4, data.byteLength), usage: 0x80 | 0x4 | 0x8, mappedAtCreation: true });
  new Float32Array(buffer.getMappedRange(), 0, data.length).set(data);
  buffer.unmap();
  return buffer;
}
