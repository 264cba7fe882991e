/// <reference types="@webgpu/types" />
/*
 * The page of `npm run bench:webgpu`: runs inside Chromium (bundled by esbuild) and exposes `globalThis.__zeroth`.
 * Each kernel is timed as wall-clock time from submission to `onSubmittedWorkDone` over `reps` back-to-back
 * dispatches, interleaved with the copy kernel in the same run, median of `rounds` rounds.
 */
import { mezo } from '../../estimators/mezo.js';
import { webgpuBackend, type WebGpuBackend } from '../../src/backend/webgpu/webgpuBackend.js';
import { webgpuBatchOracle } from '../../src/backend/webgpu/webgpuBatchOracle.js';
import { requestWebGpuDevice } from '../../src/backend/webgpu/webgpuDevice.js';
import { optimizer } from '../../src/optimizer.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Direction, Probe } from '../../src/types.js';

/** One kernel's figures. */
export interface KernelFigure {
  readonly kernel: string;
  /** Median elements per second. */
  readonly elementsPerSecond: number;
  /** Median of (kernel elements/s) / (copy elements/s) over rounds, each pair measured back to back. */
  readonly ratioToCopy: number;
}

let backend: WebGpuBackend;
let adapter = '';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeIt(be: WebGpuBackend, reps: number, run: () => void): Promise<number> {
  await be.finished();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) run();
  await be.finished();
  return (performance.now() - t0) / 1000;
}

const api = {
  async init(): Promise<string> {
    const found = await requestWebGpuDevice();
    adapter = found.adapter;
    backend = await webgpuBackend({ device: found.device });
    return adapter;
  },
  /** Kernel throughput against the copy kernel at n elements. */
  async kernels(n: number, reps: number, rounds: number): Promise<KernelFigure[]> {
    const be = backend;
    const host = [{ name: 'x', shape: [n], data: Float32Array.from({ length: n }, (_, i) => Math.sin(i)) }];
    const x = be.copy(host);
    const y = be.copy(host);
    const cols = 1024;
    const mat = be.copy([{ name: 'm', shape: [n / cols, cols], data: host[0]!.data }]);
    const v = Float32Array.from({ length: cols * 4 }, (_, i) => Math.cos(i));
    const k = be.kernels;
    const copy = (): void => {
      k.run('copy', n, { n }, [y[0]!.data.buffer, x[0]!.data.buffer]);
      k.flush();
    };
    const gaussian = (seed: number): Direction => ({ kind: 'gaussian', seed });
    const cases: [string, () => void][] = [
      ['rademacher perturb', () => be.perturbInPlace({ kind: 'rademacher', seed: 3 }, 1e-3, x)],
      ['gaussian perturb', () => be.perturbInPlace(gaussian(3), 1e-3, x)],
      ['gaussian update, 4 terms in one pass', () => be.perturbTermsInPlace([1, 2, 3, 4].map((s) => ({ direction: gaussian(s), coeff: 1e-4 })), x)],
      ['axpy', () => be.axpyInPlace(0.5, y, x)],
      ['scale', () => be.scaleInPlace(1, x)],
      ['lowRank perturb (rank 4, U generated)', () => be.perturbInPlace({ kind: 'lowRank', seed: 3, rank: 4, v: [v] }, 1e-3, mat)],
    ];
    const out: KernelFigure[] = [];
    for (const [name, run] of cases) {
      const rates: number[] = [];
      const ratios: number[] = [];
      run();
      copy();
      for (let r = 0; r < rounds; r++) {
        const tc = await timeIt(be, reps, copy);
        const tk = await timeIt(be, reps, run);
        rates.push((n * reps) / tk);
        ratios.push(tc / tk);
      }
      out.push({ kernel: name, elementsPerSecond: median(rates), ratioToCopy: median(ratios) });
    }
    const copyRates: number[] = [];
    for (let r = 0; r < rounds; r++) copyRates.push((n * reps) / (await timeIt(be, reps, copy)));
    out.unshift({ kernel: 'copy (reference)', elementsPerSecond: median(copyRates), ratioToCopy: 1 });
    be.dispose([...x, ...y, ...mat]);
    return out;
  },
  /** Batch oracle: probes per second for m Gaussian probes of a d-dimensional sphere, one dispatch per call. */
  async oracle(d: number, m: number, rounds: number): Promise<{ probesPerSecond: number; dispatchesPerCall: number; bytesPerCall: number }> {
    const be = backend;
    const oracle = await webgpuBatchOracle({
      backend: be,
      dim: d,
      wgsl: 'fn f() -> f32 { var s = 0.0; for (var i = 0u; i < dim(); i++) { let v = coord(i); s += v * v; } return s; }',
    });
    const x = be.zerosLike([{ name: 'x', shape: [d], data: new Float32Array(d) }]);
    const probes: Probe[] = Array.from({ length: m }, (_, i) => ({ direction: { kind: 'gaussian', seed: i }, scale: 1e-3, noiseKey: i }));
    const contexts = probes.map((p) => ({ noiseSeed: p.noiseKey, step: 0 }));
    await oracle.probeValues(x, probes, contexts);
    const d0 = oracle.dispatches;
    const b0 = oracle.bytesRead;
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await oracle.probeValues(x, probes, contexts);
      rates.push(m / ((performance.now() - t0) / 1000));
    }
    const result = { probesPerSecond: median(rates), dispatchesPerCall: (oracle.dispatches - d0) / rounds, bytesPerCall: (oracle.bytesRead - b0) / rounds };
    be.dispose(x);
    oracle.dispose();
    return result;
  },
  /** A MeZO step (perturb, evaluate, update) at dimension d on a WGSL quadratic: bytes read back and seconds. */
  async mezoStep(d: number, steps: number): Promise<{ bytesPerStep: number; secondsPerStep: number; valueBefore: number; valueAfter: number }> {
    const be = backend;
    const oracle = await webgpuBatchOracle({
      backend: be,
      dim: d,
      wgsl: 'fn f() -> f32 { var s = 0.0; for (var i = 0u; i < dim(); i++) { let v = coord(i) - 1.0; s += v * v; } return s; }',
    });
    const x = be.zerosLike([{ name: 'w', shape: [d], data: new Float32Array(d) }]);
    const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(1e-7), backend: be });
    let s = opt.init(x, 1);
    const read0 = oracle.bytesRead + be.kernels.bytesRead;
    const t0 = performance.now();
    let first = NaN;
    let last = NaN;
    for (let k = 0; k < steps; k++) {
      const r = await opt.step(x, oracle, s);
      s = r.state;
      if (k === 0) first = r.value;
      last = r.value;
    }
    await be.finished();
    const seconds = (performance.now() - t0) / 1000 / steps;
    const bytes = (oracle.bytesRead + be.kernels.bytesRead - read0) / steps;
    be.dispose(x);
    oracle.dispose();
    return { bytesPerStep: bytes, secondsPerStep: seconds, valueBefore: first, valueAfter: last };
  },
};

(globalThis as { __zeroth?: typeof api }).__zeroth = api;

/** The API of the bench page. */
export type BenchPage = typeof api;
