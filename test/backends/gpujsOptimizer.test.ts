import { GPU } from 'gpu.js';
import { afterAll, describe, expect, test } from 'vitest';
import { cge } from '../../estimators/cge.js';
import { spsa } from '../../estimators/spsa.js';
import { haarRotation } from '../../problems/haarRotation.js';
import { rosenbrock } from '../../problems/rosenbrock.js';
import { gpujsBatchOracle, type GpujsBatchOracle, type GpujsKernelThis } from '../../src/backend/gpujs/index.js';
import type { Estimator } from '../../src/estimator.js';
import { optimizer } from '../../src/optimizer.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Params } from '../../src/types.js';

// End-to-end: optimizer(...) with CGE and SPSA on a gpu.js batch oracle against the same run on a plain TypeScript
// value oracle, same seed. The probes, directions and seeds are identical; only the objective's values differ, by
// the float32 evaluation error, so the two trajectories agree up to that error propagated through the steps.

const modes = (['cpu', 'webasm'] as const).filter((m) => m === 'cpu' || GPU.isWebAssemblySupported);
if (modes.length < 2) {
  console.warn(`\n${'!'.repeat(72)}\n!! gpujs optimizer runs SKIPPED for webasm: gpu.js reports no WebAssembly support\n${'!'.repeat(72)}\n`);
  test.skip('gpujs optimizer runs in webasm mode — SKIPPED: gpu.js reports no WebAssembly support', () => {});
}

type QuadConstants = { readonly A: number[][] };
const quadKernel = function (this: GpujsKernelThis<QuadConstants>, points: number[][], _dim: number): number {
  let s = 0;
  for (let i = 0; i < this.constants.dim; i++) {
    let r = 0;
    for (let j = 0; j < this.constants.dim; j++) r += this.constants.A[i]![j]! * points[this.thread.x]![j]!;
    s += points[this.thread.x]![i]! * r;
  }
  return 0.5 * s;
};

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

/** ½ xᵀAx with A = Qᵀ diag(λ) Q (Haar Q, λ log-spaced in [1, κ]): the matrix, and the float64 TS value. */
function rotatedQuadratic(d: number, kappa: number, seed: number): { A: number[][]; value: (x: Float32Array) => number } {
  const q = haarRotation(d, seed);
  const lambda = Array.from({ length: d }, (_, i) => kappa ** (i / (d - 1)));
  const A = Array.from({ length: d }, (_, j) => {
    const e = new Float64Array(d);
    e[j] = 1;
    return Array.from(q.applyTranspose(q.apply(e).map((v, i) => lambda[i]! * v)));
  });
  return { A, value: (x) => q.apply(x).reduce((s, v, i) => s + lambda[i]! * v * v, 0) / 2 };
}

interface Trajectory {
  readonly xs: Float32Array[];
  readonly values: number[];
}

async function run<S>(estimator: Estimator<S>, lr: number, x0: Float32Array, oracle: Oracle<Params>, steps: number): Promise<Trajectory> {
  const x: Params = [{ name: 'x', shape: [x0.length], data: x0.slice() }];
  const opt = optimizer({ estimator, update: sgd(lr) });
  let state = opt.init(x, 2024);
  const xs: Float32Array[] = [];
  const values: number[] = [];
  for (let k = 0; k < steps; k++) {
    const r = await opt.step(x, oracle, state);
    state = r.state;
    values.push(r.value);
    xs.push(x[0]!.data.slice());
  }
  return { xs, values };
}

/** max over steps and coordinates of |a − b|. */
function deviation(a: Trajectory, b: Trajectory): number {
  let worst = 0;
  a.xs.forEach((x, k) => x.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b.xs[k]![i]!)))));
  return worst;
}

describe.each(modes)('optimizer on a gpujs batch oracle (mode %s) follows the value-oracle run', (mode) => {
  const oracles: GpujsBatchOracle[] = [];
  afterAll(async () => {
    for (const o of oracles) await o.dispose();
  });

  // Tolerance of the trajectories. A value off by δ (float32: δ ≲ 4e-7·|f| in webasm, 6e-8·|f| in cpu mode)
  // moves a central difference quotient by up to δ/σ: on the quadratics (σ = 1e-2, |f| ≤ 130) ≤ 5e-3 per
  // coordinate, times the learning rate, per step. On a contraction (sgd with lr·λ < 2) the deviations do not
  // compound beyond (per-step error)/(lr·λ_min) ≈ 5e-3 in the worst case; the errors are mostly of random sign
  // and shrink with |f|. Observed: at most 1.5e-4 (webasm) and 6e-5 (cpu), Rosenbrock included.
  const XTOL = 2e-3;

  test('CGE (central, d = 20, 40 probes per launch) on a rotated quadratic, κ = 10', async () => {
    const d = 20;
    const { A, value } = rotatedQuadratic(d, 10, 3);
    const x0 = new Float32Array(d).fill(2);
    const o = gpujsBatchOracle({ mode, dim: d, kernel: quadKernel, constants: { A } });
    oracles.push(o);
    const steps = 60;
    const gpu = await run(cge({ sigma: 1e-2 }), 0.1, x0, o, steps);
    const ref = await run(cge({ sigma: 1e-2 }), 0.1, x0, valueOracle((p: Params) => value(p[0]!.data)), steps);
    expect(o.launches).toBe(steps);
    expect(o.activeMode).toBe(mode);
    expect(deviation(gpu, ref)).toBeLessThanOrEqual(XTOL);
    const f0 = value(x0);
    const fGpu = value(gpu.xs.at(-1)!);
    const fRef = value(ref.xs.at(-1)!);
    expect(fRef).toBeLessThan(1e-3 * f0);
    expect(fGpu).toBeLessThan(1e-3 * f0);
    expect(Math.abs(fGpu - fRef)).toBeLessThanOrEqual(1e-3 * f0);
    gpu.values.forEach((v, k) => expect(Math.abs(v - ref.values[k]!)).toBeLessThanOrEqual(1e-4 * f0));
  });

  test('SPSA (q = 8, 16 probes per launch) on a rotated quadratic, κ = 10', async () => {
    const d = 20;
    const { A, value } = rotatedQuadratic(d, 10, 5);
    const x0 = new Float32Array(d).fill(2);
    const o = gpujsBatchOracle({ mode, dim: d, kernel: quadKernel, constants: { A } });
    oracles.push(o);
    const steps = 150;
    const est = (): Estimator<unknown> => spsa({ numProbes: 8, sigma: 1e-2 }) as Estimator<unknown>;
    const gpu = await run(est(), 0.02, x0, o, steps);
    const ref = await run(est(), 0.02, x0, valueOracle((p: Params) => value(p[0]!.data)), steps);
    expect(o.launches).toBe(steps);
    expect(deviation(gpu, ref)).toBeLessThanOrEqual(XTOL);
    const f0 = value(x0);
    expect(value(ref.xs.at(-1)!)).toBeLessThan(0.05 * f0);
    expect(Math.abs(value(gpu.xs.at(-1)!) - value(ref.xs.at(-1)!))).toBeLessThanOrEqual(1e-3 * f0);
  });

  test('SPSA (q = 4) on Rosenbrock (d = 6): the same descent, step for step', async () => {
    const r = rosenbrock({ dim: 6 });
    const x0 = r.initialPoint(0);
    const o = gpujsBatchOracle({ mode, dim: 6, kernel: rosenbrockKernel });
    oracles.push(o);
    const steps = 200;
    const est = (): Estimator<unknown> => spsa({ numProbes: 4, sigma: 1e-3, distribution: 'gaussian' }) as Estimator<unknown>;
    const gpu = await run(est(), 2e-4, x0, o, steps);
    const ref = await run(est(), 2e-4, x0, valueOracle((p: Params) => r.value(p[0]!.data)), steps);
    expect(deviation(gpu, ref)).toBeLessThanOrEqual(XTOL);
    expect(r.value(ref.xs.at(-1)!)).toBeLessThan(0.5 * r.value(x0));
    expect(Math.abs(r.value(gpu.xs.at(-1)!) - r.value(ref.xs.at(-1)!))).toBeLessThanOrEqual(1e-3 * r.value(x0));
  });
});
