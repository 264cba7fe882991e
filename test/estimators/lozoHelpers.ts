/* Shared helpers of the LOZO / LOZO-M tests: matrix layouts, objectives, materialised directions and the
 * projection onto the complement of a V subspace. */
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Estimator } from '../../src/estimator.js';
import { optimizer } from '../../src/optimizer.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Direction, Params } from '../../src/types.js';

const be = cpuBackend();

/** Blocks of the given shapes, element i of block b = fill(b, i). */
export function blocks(shapes: readonly (readonly number[])[], fill: (b: number, i: number) => number = () => 0): Params {
  return shapes.map((shape, b) => {
    const n = shape.reduce((a, c) => a * c, 1);
    return { name: `b${b}`, shape: [...shape], data: Float32Array.from({ length: n }, (_, i) => fill(b, i)) };
  });
}

/** A deterministic pseudo-random number in about [−1, 1] (canonical Gaussian of (seed, b, i), scaled). */
export function noise(seed: number, b: number, i: number): number {
  return 0.5 * gaussianAt(seed, b, i);
}

/** f(x) = Σ_b Σ_i g_b,i · x_b,i on params, with g given per block (a linear objective: ∇f = g). */
export function linear(g: readonly Float64Array[]): (p: Params) => number {
  return (p) => {
    let s = 0;
    p.forEach((block, b) => block.data.forEach((v, i) => (s += g[b]![i]! * v)));
    return s;
  };
}

/** f(x) = Σ ½ a_i (x_i − t_i)² + c_i x_i over all blocks: a separable quadratic with seeded coefficients. */
export function quadratic(seed: number): (p: Params) => number {
  return (p) => {
    let s = 0;
    p.forEach((block, b) =>
      block.data.forEach((v, i) => {
        const a = 1 + Math.abs(noise(seed, 10 + b, i));
        const t = noise(seed, 20 + b, i);
        s += 0.5 * a * (v - t) ** 2 + noise(seed, 30 + b, i) * v;
      }),
    );
    return s;
  };
}

/** The direction materialised on zeros shaped like `params`, one Float64Array per block. */
export function materialise(direction: Direction, params: Params, alpha = 1): Float64Array[] {
  const z = be.zerosLike(params);
  be.perturbInPlace(direction, alpha, z);
  return z.map((b) => Float64Array.from(b.data));
}

/** ‖A (I − V(VᵀV)⁻¹Vᵀ)‖_F for A (m × n) and V (n × r), both row-major, in float64. */
export function offSubspace(a: ArrayLike<number>, m: number, n: number, v: ArrayLike<number>, r: number): number {
  // G = VᵀV (r × r); for each row x of A: x − V G⁻¹ Vᵀ x.
  const g = new Float64Array(r * r);
  for (let c = 0; c < n; c++) for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) g[i * r + j] = g[i * r + j]! + v[c * r + i]! * v[c * r + j]!;
  let total = 0;
  for (let row = 0; row < m; row++) {
    const vx = new Float64Array(r);
    for (let c = 0; c < n; c++) for (let j = 0; j < r; j++) vx[j] = vx[j]! + v[c * r + j]! * a[row * n + c]!;
    const y = solve(g, vx, r);
    for (let c = 0; c < n; c++) {
      let proj = 0;
      for (let j = 0; j < r; j++) proj += v[c * r + j]! * y[j]!;
      total += (a[row * n + c]! - proj) ** 2;
    }
  }
  return Math.sqrt(total);
}

/** Solves G y = b (r × r, Gaussian elimination with partial pivoting). */
function solve(g: Float64Array, b: Float64Array, r: number): Float64Array {
  const a = Float64Array.from(g);
  const y = Float64Array.from(b);
  for (let k = 0; k < r; k++) {
    let piv = k;
    for (let i = k + 1; i < r; i++) if (Math.abs(a[i * r + k]!) > Math.abs(a[piv * r + k]!)) piv = i;
    for (let j = 0; j < r; j++) [a[k * r + j], a[piv * r + j]] = [a[piv * r + j]!, a[k * r + j]!];
    [y[k], y[piv]] = [y[piv]!, y[k]!];
    for (let i = k + 1; i < r; i++) {
      const f = a[i * r + k]! / a[k * r + k]!;
      for (let j = k; j < r; j++) a[i * r + j] = a[i * r + j]! - f * a[k * r + j]!;
      y[i] = y[i]! - f * y[k]!;
    }
  }
  for (let k = r - 1; k >= 0; k--) {
    let s = y[k]!;
    for (let j = k + 1; j < r; j++) s -= a[k * r + j]! * y[j]!;
    y[k] = s / a[k * r + k]!;
  }
  return y;
}

/** Frobenius norm. */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! ** 2;
  return Math.sqrt(s);
}

/** a − b elementwise, in float64. */
export function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
}

/**
 * L-3 for one run: with plain sgd (no weight decay), the cumulative change of the matrix block over each lazy
 * window [jν, (j+1)ν) satisfies ΔW (I − V(VᵀV)⁻¹Vᵀ) = 0 up to float32 rounding, for the V of that window;
 * over two windows it does not (the subspace moved). Returns nothing; throws on failure.
 */
export async function checkLazyWindows(
  build: (rank: number, resampleEvery: number) => Estimator<unknown>,
  m: number,
  n: number,
  rank: number,
  nu: number,
  seed: number,
): Promise<void> {
  const opt = optimizer({ estimator: build(rank, nu), update: sgd(0.02) });
  const p = blocks([[m, n], [3]], (b, i) => noise(seed, b, i));
  const f = valueOracle(quadratic(seed));
  let state = opt.init(p, seed);
  const snapshots: Float64Array[] = [Float64Array.from(p[0]!.data)];
  const factors: Float32Array[] = [];
  for (let k = 0; k < 2 * nu; k++) {
    const est = state.estimator as { readonly v: readonly (Float32Array | undefined)[] };
    state = (await opt.step(p, f, state)).state;
    const v = (state.estimator as { readonly v: readonly (Float32Array | undefined)[] }).v[0]!;
    if (k % nu === 0) factors.push(v);
    else if (v !== est.v[0]) throw new Error(`V changed at step ${k}, inside a window`);
    if ((k + 1) % nu === 0) snapshots.push(Float64Array.from(p[0]!.data));
  }
  for (let w = 0; w < 2; w++) {
    const dw = minus(snapshots[w + 1]!, snapshots[w]!);
    const off = offSubspace(dw, m, n, factors[w]!, rank);
    const tol = 2e-6 * nu * (norm(snapshots[w]!) + norm(dw)) * rank;
    if (!(off <= tol)) throw new Error(`window ${w}: ‖ΔW(I − P_V)‖ = ${off} > ${tol} (‖ΔW‖ = ${norm(dw)})`);
  }
  const both = minus(snapshots[2]!, snapshots[0]!);
  if (!(offSubspace(both, m, n, factors[0]!, rank) > 1e-4 * norm(both))) throw new Error('the change over two windows stayed in the first subspace');
}
