import { InvalidHyperparameter } from '../src/errors.js';
import { streams } from '../src/rng/streams.js';
import type { Seed } from '../src/types.js';
import type { Problem } from './problem.js';
import { gaussianVector, uniformVector } from './_internal/draws.js';
import { purposeKey, purposes } from './_internal/purposes.js';
import { checkInteger, checkLength, checkSeed } from './_internal/validate.js';

/** Options of {@link lowRankMatrix}. */
export interface LowRankMatrixOptions {
  /** Rows m of the matrix W. */
  readonly rows: number;
  /** Columns n of the matrix W. */
  readonly cols: number;
  /** k: the rank of the gradient (everywhere) and of the target W*; 1 ≤ k ≤ min(m, n). */
  readonly rank: number;
  /** Seed of the instance (A, B and W*). @defaultValue 0 */
  readonly seed?: Seed;
}

/** The problem returned by {@link lowRankMatrix}. */
export interface LowRankMatrixProblem extends Problem {
  /** `[rows, cols]`: x is W, row-major. */
  readonly shape: readonly [number, number];
  /** The gradient rank k. */
  readonly rank: number;
  /** f* = 0, attained at the rank-k target W* (row-major). */
  readonly optimum: { readonly value: number; readonly x: Float64Array };
  /** The left factor A (m × k, row-major, float64). */
  readonly left: Float64Array;
  /** The right factor B (n × k, row-major, float64). */
  readonly right: Float64Array;
  grad(x: Float32Array, out: Float32Array): void;
}

/*
 * The factors are drawn from stream blocks of their own purpose (`purposes.lowRankFactors`).
 */
const FACTORS = purposes.lowRankFactors;
const A_BLOCK = 0;
const B_BLOCK = 1;
const L_BLOCK = 2;
const R_BLOCK = 3;

/**
 * A matrix objective whose gradient has rank ≤ k at every point: a two-sided low-rank least-squares problem
 *
 * f(W) = ½ ‖Aᵀ (W − W*) B‖²_F,   W ∈ ℝ^{m×n}, A ∈ ℝ^{m×k}, B ∈ ℝ^{n×k}, W* = L Rᵀ / √k (rank k),
 *
 * with A, B, L, R i.i.d. Gaussian from `seed` (A's entries N(0, 1/m), B's N(0, 1/n), so AᵀA ≈ I_k ≈ BᵀB; L, R
 * entries N(0, 1)). This is the setting LOZO is designed for: the loss only sees the k × k sketch AᵀWB.
 *
 * - Gradient: ∇f(W) = A S Bᵀ with S = Aᵀ (W − W*) B (k × k), so rank ∇f ≤ k everywhere, with column space
 *   ⊆ span(A) and row space ⊆ span(B). Hessian: E ↦ AAᵀ E BBᵀ, of rank k² (zero on the rest of ℝ^{m×n}).
 * - Optimum: f* = 0 at W* (and on all of W* + {E : AᵀEB = 0}).
 * - `initialPoint(seed)`: i.i.d. uniform in [−1, 1]^{m×n} from the counter-based RNG (deterministic in `seed`).
 * - Cost of one evaluation: about 2kmn flops in float64 (value), about 4kmn (gradient), no allocation.
 *   Memory: A and B ((m + n)k float64), W* (mn float64) and a (n + k)k float64 work buffer.
 *
 * `shape` is `[rows, cols]`, so `minimize` and the optimizers hand estimators a 2-D block (LOZO needs it).
 *
 * @example
 * ```ts
 * const p = lowRankMatrix({ rows: 6, cols: 5, rank: 2, seed: 1 });
 * p.value(Float32Array.from(p.optimum.x)); // ≈ 0 (up to the float32 rounding of W*)
 * const g = new Float32Array(p.dim);
 * p.grad(p.initialPoint(0), g);           // a 6 × 5 matrix of rank ≤ 2
 * ```
 */
export function lowRankMatrix(options: LowRankMatrixOptions): LowRankMatrixProblem {
  const m = checkInteger('rows', options.rows, 1);
  const n = checkInteger('cols', options.cols, 1);
  const k = checkInteger('rank', options.rank, 1);
  if (k > Math.min(m, n)) throw new InvalidHyperparameter('rank', k, `must be ≤ min(rows, cols) = ${Math.min(m, n)}`);
  const seed = checkSeed('seed', options.seed ?? 0);
  const dim = m * n;
  const name = 'lowRankMatrix';

  const draw = (block: number, length: number, scale: number): Float64Array =>
    Float64Array.from(gaussianVector(purposeKey(seed, streams.data, FACTORS, block), length), (v) => v * scale);
  const a = draw(A_BLOCK, m * k, 1 / Math.sqrt(m));
  const b = draw(B_BLOCK, n * k, 1 / Math.sqrt(n));
  const l = draw(L_BLOCK, m * k, 1);
  const r = draw(R_BLOCK, n * k, 1 / Math.sqrt(k));
  const target = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += l[i * k + j]! * r[c * k + j]!;
      target[i * n + c] = s;
    }
  }

  const t = new Float64Array(k * n); // Aᵀ (W − W*)
  const sk = new Float64Array(k * k); // S = Aᵀ (W − W*) B

  /** Fills `sk` with S for x and returns ½‖S‖². */
  function sketch(x: Float32Array): number {
    t.fill(0);
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) {
        const d = x[i * n + c]! - target[i * n + c]!;
        for (let j = 0; j < k; j++) t[j * n + c] = t[j * n + c]! + a[i * k + j]! * d;
      }
    }
    let f = 0;
    for (let j = 0; j < k; j++) {
      for (let q = 0; q < k; q++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += t[j * n + c]! * b[c * k + q]!;
        sk[j * k + q] = s;
        f += s * s;
      }
    }
    return 0.5 * f;
  }

  return {
    name,
    dim,
    shape: [m, n],
    rank: k,
    left: a,
    right: b,
    optimum: { value: 0, x: target },
    initialPoint(s: Seed): Float32Array {
      checkSeed('seed', s);
      return uniformVector(purposeKey(s, streams.data, purposes.initialPoint, 0), dim, -1, 1);
    },
    value(x: Float32Array): number {
      checkLength('x', x, dim, name);
      return sketch(x);
    },
    grad(x: Float32Array, out: Float32Array): void {
      checkLength('x', x, dim, name);
      checkLength('out', out, dim, name);
      sketch(x);
      // ∇f = A (S Bᵀ): first S Bᵀ (k × n) into t, then A times it.
      for (let j = 0; j < k; j++) {
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let q = 0; q < k; q++) s += sk[j * k + q]! * b[c * k + q]!;
          t[j * n + c] = s;
        }
      }
      for (let i = 0; i < m; i++) {
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let j = 0; j < k; j++) s += a[i * k + j]! * t[j * n + c]!;
          out[i * n + c] = s;
        }
      }
    },
  };
}
