import { GPU, Input } from 'gpu.js';
import { afterAll, describe, expect, test } from 'vitest';
import { cge } from '../../estimators/cge.js';
import { spsa } from '../../estimators/spsa.js';
import { haarRotation } from '../../problems/haarRotation.js';
import { rosenbrock } from '../../problems/rosenbrock.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import {
  defaultGpujsMode,
  gpujsBackend,
  gpujsBatchOracle,
  type GpujsBatchOracle,
  type GpujsBatchOracleOptions,
  type GpujsConstants,
  type GpujsKernelMode,
  type GpujsKernelThis,
} from '../../src/backend/gpujs/index.js';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { optimizer } from '../../src/optimizer.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { EvalContext, Params } from '../../src/types.js';

// Which gpu.js modes run here. The others are skipped loudly, with the reason.
const available: GpujsKernelMode[] = ['cpu'];
const skipped: [string, string][] = [];
if (GPU.isWebAssemblySupported) available.push('webasm');
else skipped.push(['webasm', 'gpu.js reports no WebAssembly support in this engine']);
if (GPU.isHeadlessGLSupported) available.push('headlessgl');
else skipped.push(['headlessgl', 'no headless-gl context: the native `gl` addon is not built (npm does not run its install script) or there is no X server']);
for (const mode of ['webgl2', 'webgl'] as const) {
  if (GPU.isWebGL2Supported && mode === 'webgl2') available.push(mode);
  else if (GPU.isWebGLSupported && mode === 'webgl') available.push(mode);
  else skipped.push([mode, 'no browser WebGL context in Node']);
}
skipped.push(['webgpu', 'gpu.js creates no navigator.gpu under Node, and the bundled Dawn binary needs glibc ≥ 2.38 (see reference/performance.md §1)']);
skipped.push(['gpu (a real GPU)', 'this machine has no GPU']);
console.warn(`\n${'!'.repeat(72)}\n!! gpujs modes SKIPPED:\n${skipped.map(([m, r]) => `!!   - ${m}: ${r}`).join('\n')}\n${'!'.repeat(72)}\n`);

/**
 * Tolerance of a float32 kernel value g against the float64 TypeScript value t: |g − t| ≤ 2e-5 · (|t| + 1e-3).
 * Why: webasm (and the GL modes) round every product and the running sum to float32 (unit roundoff u = 6e-8), and
 * every mode returns a float32; a sum of n terms of one sign is off by at most about n·u relative (6e-6 at
 * n = 100) and typically √n·u. The quadratic xᵀAx of an SPD matrix has terms of both signs, but its value bounds
 * them here (κ = 100, d = 30). Observed: at most 4e-7 relative in webasm, 6e-8 (the output rounding alone) in cpu
 * mode, which computes in float64 JavaScript and rounds only its output.
 */
const RTOL = 2e-5;

// ---- the objectives, each as a gpu.js kernel and as plain float64 TypeScript ----

const sphereKernel = function (this: GpujsKernelThis, points: number[][], _dim: number): number {
  let s = 0;
  for (let i = 0; i < this.constants.dim; i++) {
    const v = points[this.thread.x]![i]! - 0.5;
    s += v * v;
  }
  return s;
};
const sphereTs = (x: Float32Array): number => x.reduce((s, v) => s + (v - 0.5) * (v - 0.5), 0);

type QuadConstants = { readonly A: number[][] };
/** ½ xᵀAx with a constant matrix A compiled into the kernel. */
const quadKernel = function (this: GpujsKernelThis<QuadConstants>, points: number[][], _dim: number): number {
  let s = 0;
  for (let i = 0; i < this.constants.dim; i++) {
    let r = 0;
    for (let j = 0; j < this.constants.dim; j++) r += this.constants.A[i]![j]! * points[this.thread.x]![j]!;
    s += points[this.thread.x]![i]! * r;
  }
  return 0.5 * s;
};
/** The same with A passed as an extra kernel argument. */
const quadArgKernel = function (this: GpujsKernelThis, points: number[][], _dim: number, M: number[][]): number {
  let s = 0;
  for (let i = 0; i < this.constants.dim; i++) {
    let r = 0;
    for (let j = 0; j < this.constants.dim; j++) r += M[i]![j]! * points[this.thread.x]![j]!;
    s += points[this.thread.x]![i]! * r;
  }
  return 0.5 * s;
};

/** A = Qᵀ diag(λ) Q with a Haar rotation Q and λ log-spaced in [1, κ]; the TS value is ½ Σ λᵢ (Qx)ᵢ². */
function rotatedQuadratic(d: number, kappa: number, seed: number): { A: number[][]; ts: (x: Float32Array) => number } {
  const q = haarRotation(d, seed);
  const lambda = Array.from({ length: d }, (_, i) => kappa ** (d === 1 ? 0 : i / (d - 1)));
  const A = Array.from({ length: d }, (_, j) => {
    const e = new Float64Array(d);
    e[j] = 1;
    const qe = q.apply(e);
    return Array.from(q.applyTranspose(qe.map((v, i) => lambda[i]! * v)));
  });
  const ts = (x: Float32Array): number => q.apply(x).reduce((s, v, i) => s + lambda[i]! * v * v, 0) / 2;
  return { A, ts };
}

const rosenbrockKernel = function (this: GpujsKernelThis, points: number[][], _dim: number): number {
  let s = 0;
  for (let i = 0; i < this.constants.dim - 1; i++) {
    const xi = points[this.thread.x]![i]!;
    const a = points[this.thread.x]![i + 1]! - xi * xi;
    const b = 1 - xi;
    s += 100 * a * a + b * b;
  }
  return s;
};

// ---- helpers ----

const cpu = cpuBackend();

function vector(d: number, values: ArrayLike<number> | number): Params {
  const data = typeof values === 'number' ? new Float32Array(d).fill(values) : Float32Array.from(values);
  return [{ name: 'x', shape: [d], data }];
}

/** n seeded points of dimension d, split into two blocks (so packing crosses a block boundary). */
function points(n: number, d: number, seed: number, scale = 1): Params[] {
  return Array.from({ length: n }, (_, p) => {
    const x = vector(d, 0.25);
    cpu.perturbInPlace({ kind: 'gaussian', seed: seed + p }, scale, x);
    const data = x[0]!.data;
    const cut = Math.floor(d / 3);
    return [
      { name: 'a', shape: [cut], data: data.slice(0, cut) },
      { name: 'b', shape: [d - cut], data: data.slice(cut) },
    ];
  });
}

const flat = (x: Params): Float32Array => {
  const out = new Float32Array(x.reduce((s, b) => s + b.data.length, 0));
  let o = 0;
  for (const b of x) {
    out.set(b.data, o);
    o += b.data.length;
  }
  return out;
};

const contexts = (n: number): EvalContext[] => Array.from({ length: n }, () => ({ noiseSeed: 0, step: 0 }));

async function expectClose(oracle: GpujsBatchOracle, xs: Params[], ts: (x: Float32Array) => number): Promise<number> {
  const got = Float64Array.from(await oracle.values(xs, contexts(xs.length)));
  expect(got.length).toBe(xs.length);
  let worst = 0;
  xs.forEach((x, p) => {
    const want = ts(flat(x));
    const err = Math.abs(got[p]! - want) / (Math.abs(want) + 1e-3);
    worst = Math.max(worst, err);
    expect(err, `probe ${p}: kernel ${got[p]} vs TypeScript ${want}`).toBeLessThanOrEqual(RTOL);
  });
  return worst;
}

/** A GPU whose kernels count their launches and record each launch's number of probes. */
function countingGpu(mode: GpujsKernelMode): { gpu: GPU; launches: number[] } {
  const gpu = new GPU({ mode });
  const launches: number[] = [];
  const create = gpu.createKernel.bind(gpu) as (...a: unknown[]) => (...args: unknown[]) => unknown;
  (gpu as unknown as { createKernel: unknown }).createKernel = (...a: unknown[]) =>
    new Proxy(create(...a), {
      apply(target, self, args: unknown[]) {
        launches.push((args[0] as Input).size[1]!);
        return Reflect.apply(target, self, args);
      },
    });
  return { gpu, launches };
}

for (const [mode, reason] of skipped) test.skip(`gpujs mode ${mode} — SKIPPED: ${reason}`, () => {});

describe.each(available)('gpujs batch oracle, mode %s', (mode) => {
  const oracles: GpujsBatchOracle[] = [];
  const make = <C extends GpujsConstants>(options: Omit<GpujsBatchOracleOptions<C>, 'mode'>): GpujsBatchOracle => {
    const o = gpujsBatchOracle({ mode, ...options });
    oracles.push(o);
    return o;
  };
  afterAll(async () => {
    for (const o of oracles) await o.dispose();
  });

  test('sphere matches float64 TypeScript (d = 100, 37 points in one launch) and reports the mode that ran', async () => {
    const o = make({ dim: 100, kernel: sphereKernel });
    expect(o.activeMode).toBeUndefined();
    await expectClose(o, points(37, 100, 1), sphereTs);
    expect(o.launches).toBe(1);
    expect(o.activeMode).toBe(mode);
    expect(o.fallbackReason).toBeNull();
  });

  test('rotated quadratic with a constant matrix (d = 30, κ = 100), as constants and as an argument', async () => {
    const { A, ts } = rotatedQuadratic(30, 100, 7);
    const xs = points(20, 30, 11, 2);
    await expectClose(make({ dim: 30, kernel: quadKernel, constants: { A } }), xs, ts);
    const arg = new Input(Float32Array.from(A.flat()) as unknown as number[], [30, 30]);
    await expectClose(make({ dim: 30, kernel: quadArgKernel, args: [arg] }), xs, ts);
  });

  test('Rosenbrock (d = 50) matches problems/rosenbrock, also for one point and at a second launch size', async () => {
    const r = rosenbrock({ dim: 50 });
    const o = make({ dim: 50, kernel: rosenbrockKernel });
    await expectClose(o, points(16, 50, 3, 0.5), (x) => r.value(x));
    await expectClose(o, points(1, 50, 5, 0.5), (x) => r.value(x));
    await expectClose(o, points(16, 50, 9, 0.5), (x) => r.value(x));
    expect(o.launches).toBe(3);
  });

  test('loops bounded by an argument run past gpu.js’s default cap of 1000 iterations (d = 1500)', async () => {
    const kernel = function (this: GpujsKernelThis, points: number[][], dim: number): number {
      let s = 0;
      for (let i = 0; i < dim; i++) s += points[this.thread.x]![i]!;
      return s;
    };
    const xs = [vector(1500, 1), vector(1500, 2)];
    expect(Array.from(await make({ dim: 1500, kernel }).values(xs, contexts(2)))).toEqual([1500, 3000]);
  });

  test('CGE (central, d = 12): all 24 coordinate probes of a step in one launch', async () => {
    const { gpu, launches } = countingGpu(mode);
    const o = gpujsBatchOracle({ gpu, dim: 12, kernel: sphereKernel });
    const x = vector(12, 2);
    const opt = optimizer({ estimator: cge({ sigma: 1e-2 }), update: sgd(0.1) });
    let state = opt.init(x, 3);
    for (let k = 0; k < 4; k++) state = (await opt.step(x, o, state)).state;
    expect(launches).toEqual([24, 24, 24, 24]);
    expect(o.launches).toBe(4);
    await o.dispose();
    await gpu.destroy();
  });

  test('SPSA (q = 5): all 10 probes of a step in one launch', async () => {
    const { gpu, launches } = countingGpu(mode);
    const o = gpujsBatchOracle({ gpu, dim: 8, kernel: rosenbrockKernel });
    const x = vector(8, 0.5);
    const opt = optimizer({ estimator: spsa({ numProbes: 5, sigma: 1e-2 }), update: sgd(1e-4) });
    let state = opt.init(x, 3);
    for (let k = 0; k < 3; k++) state = (await opt.step(x, o, state)).state;
    expect(launches).toEqual([10, 10, 10]);
    await o.dispose();
    await gpu.destroy();
  });
});

describe('gpujs batch oracle: validation and errors', () => {
  const parameterOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidHyperparameter);
      return (e as InvalidHyperparameter).parameter;
    }
    throw new Error('expected InvalidHyperparameter');
  };

  test('options are validated at construction, naming the option', () => {
    expect(parameterOf(() => gpujsBatchOracle({ mode: 'cpu', dim: 0, kernel: sphereKernel }))).toBe('dim');
    expect(parameterOf(() => gpujsBatchOracle({ mode: 'tpu' as never, dim: 2, kernel: sphereKernel }))).toBe('mode');
    expect(parameterOf(() => gpujsBatchOracle({ mode: 'cpu', dim: 2, kernel: 42 as never }))).toBe('kernel');
    expect(parameterOf(() => gpujsBatchOracle({ mode: 'cpu', dim: 2, kernel: sphereKernel, constants: { dim: 3 } as never }))).toBe('constants.dim');
    expect(parameterOf(() => gpujsBatchOracle({ mode: 'cpu', dim: 2, kernel: sphereKernel, args: [1] }))).toBe('kernel');
    const gpu = new GPU({ mode: 'cpu' });
    expect(parameterOf(() => gpujsBatchOracle({ gpu, mode: 'cpu', dim: 2, kernel: sphereKernel }))).toBe('mode');
    void gpu.destroy();
  });

  test('an unavailable mode is refused at construction with the fix', () => {
    if (GPU.isHeadlessGLSupported) return;
    expect(() => gpujsBatchOracle({ mode: 'headlessgl', dim: 2, kernel: sphereKernel })).toThrow(/pin 'webasm' or 'cpu'/);
  });

  test('a closure, or points of the wrong dimension, fail with InvalidInput naming the fix', async () => {
    const outside = 3;
    const closure = function (this: GpujsKernelThis, points: number[][], _dim: number): number {
      return points[this.thread.x]![0]! * outside;
    };
    for (const mode of available.filter((m) => m === 'cpu' || m === 'webasm')) {
      const o = gpujsBatchOracle({ mode, dim: 2, kernel: closure });
      await expect(o.values([vector(2, 1)], contexts(1))).rejects.toThrow(/no closures/);
      await o.dispose();
      const s = gpujsBatchOracle({ mode, dim: 3, kernel: sphereKernel });
      const err = await s.values([vector(2, 1)], contexts(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInput);
      expect((err as Error).message).toMatch(/dim: 2/);
      await s.dispose();
      await expect(s.values([vector(3, 1)], contexts(1))).rejects.toThrow(/disposed/);
    }
  });

  test("the default mode, and mode 'gpu' (gpu.js chooses): activeMode reports what actually ran", async () => {
    const gl = GPU.isWebGL2Supported || GPU.isWebGLSupported || GPU.isHeadlessGLSupported;
    expect(defaultGpujsMode()).toBe(gl ? 'gpu' : 'webasm');
    for (const o of [gpujsBatchOracle({ dim: 3, kernel: sphereKernel }), gpujsBatchOracle({ mode: 'gpu', dim: 3, kernel: sphereKernel })]) {
      await expectClose(o, points(4, 3, 8), sphereTs);
      if (!gl && GPU.isWebAssemblySupported) expect(o.activeMode).toBe('webasm');
      console.info(`gpujs: mode '${o.mode}' ran as '${o.activeMode}'`);
      await o.dispose();
    }
  });

  test('a kernel given as source text works too', async () => {
    const o = gpujsBatchOracle({ mode: 'cpu', dim: 2, kernel: 'function (p, dim) { return p[this.thread.x][0] + 10 * p[this.thread.x][1]; }' });
    expect(Array.from(await o.values([vector(2, [1, 2]), vector(2, [3, 4])], contexts(2)))).toEqual([21, 43]);
    await o.dispose();
  });
});

describe('gpujsBackend', () => {
  test('its primitives are the cpu reference, bit for bit, and its batch oracle shares its GPU', async () => {
    const be = gpujsBackend({ mode: available.includes('webasm') ? 'webasm' : 'cpu' });
    expect(be.name).toBe('gpujs');
    const a = vector(257, 0.5);
    const b = be.copy(a);
    for (const d of [{ kind: 'gaussian', seed: 9 }, { kind: 'rademacher', seed: 4 }, { kind: 'coordinate', block: 0, index: 5 }] as const) {
      cpu.perturbInPlace(d, 1e-3, a);
      be.perturbInPlace(d, 1e-3, b);
    }
    be.axpyInPlace(0.25, a, b);
    cpu.axpyInPlace(0.25, a, a);
    expect(Array.from(b[0]!.data)).toEqual(Array.from(a[0]!.data));
    const o = be.batchOracle({ dim: 257, kernel: sphereKernel });
    await expectClose(o, points(3, 257, 2), sphereTs);
    expect(o.mode).toBe(be.mode);
    await o.dispose();
    await be.destroy();
  });

  test('an optimizer on the gpujs backend with its batch oracle follows the cpu-backend run with a value oracle', async () => {
    const be = gpujsBackend({ mode: 'cpu' });
    const o = be.batchOracle({ dim: 6, kernel: sphereKernel });
    const x = vector(6, 2);
    const y = vector(6, 2);
    const run = optimizer({ estimator: spsa({ numProbes: 2, sigma: 1e-2 }), update: sgd(0.1), backend: be });
    const ref = optimizer({ estimator: spsa({ numProbes: 2, sigma: 1e-2 }), update: sgd(0.1) });
    let s = run.init(x, 5);
    let r = ref.init(y, 5);
    const f = valueOracle((p: Params) => sphereTs(p[0]!.data));
    for (let k = 0; k < 20; k++) {
      s = (await run.step(x, o, s)).state;
      r = (await ref.step(y, f, r)).state;
    }
    for (let i = 0; i < 6; i++) expect(x[0]!.data[i]!).toBeCloseTo(y[0]!.data[i]!, 4);
    await be.destroy();
  });
});
