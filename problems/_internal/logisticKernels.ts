/*
 * Float64 kernels of the L2-regularised logistic regression objective
 *   f(w) = (1/n) Σ_j softplus(−y_j a_jᵀw) + (l2/2)‖w‖²,
 * with features A (n × d, row-major) and labels y_j ∈ {−1, +1}. Shared by `logisticRegression` (value and
 * gradient) and its Newton–CG solver. Every kernel is one pass over the rows of A.
 */

/** The data of one logistic regression instance. */
export interface LogisticData {
  readonly dim: number;
  readonly samples: number;
  /** n × d features, row-major. */
  readonly features: Float64Array;
  /** ±1 labels. */
  readonly labels: Int8Array;
  readonly l2: number;
}

/** softplus(t) = log(1 + eᵗ), stable for all t. */
export function softplus(t: number): number {
  return (t > 0 ? t : 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

/** σ(t) = 1 / (1 + e⁻ᵗ), stable for all t. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

function rowDot(a: Float64Array, o: number, w: Float64Array, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += a[o + i]! * w[i]!;
    s1 += a[o + i + 1]! * w[i + 1]!;
    s2 += a[o + i + 2]! * w[i + 2]!;
    s3 += a[o + i + 3]! * w[i + 3]!;
  }
  for (; i < d; i++) s0 += a[o + i]! * w[i]!;
  return s0 + s1 + (s2 + s3);
}

function rowAxpy(c: number, a: Float64Array, o: number, out: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) out[i] = out[i]! + c * a[o + i]!;
}

function halfSquaredNorm(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
  return 0.5 * s;
}

/** f(w); writes the margins m = A w into `m`. */
export function lossAndMargins(data: LogisticData, w: Float64Array, m: Float64Array): number {
  const { dim: d, samples: n, features: a, labels: y, l2 } = data;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const mj = rowDot(a, j * d, w, d);
    m[j] = mj;
    s += softplus(-y[j]! * mj);
  }
  return s / n + l2 * halfSquaredNorm(w);
}

/** f(w) and ∇f(w) → `grad`, with the margins m = A w → `m`, in one fused pass over A. */
export function lossGradAndMargins(data: LogisticData, w: Float64Array, m: Float64Array, grad: Float64Array): number {
  const { dim: d, samples: n, features: a, labels: y, l2 } = data;
  for (let i = 0; i < d; i++) grad[i] = l2 * w[i]!;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const o = j * d;
    const mj = rowDot(a, o, w, d);
    m[j] = mj;
    const t = -y[j]! * mj;
    s += softplus(t);
    rowAxpy((-y[j]! * sigmoid(t)) / n, a, o, grad, d);
  }
  return s / n + l2 * halfSquaredNorm(w);
}

/** out ← (Aᵀ diag(h) A + l2 I) v in one fused pass over A (h: per-sample Hessian weights). */
export function hessianTimes(data: LogisticData, h: Float64Array, v: Float64Array, out: Float64Array): void {
  const { dim: d, samples: n, features: a, l2 } = data;
  for (let i = 0; i < d; i++) out[i] = l2 * v[i]!;
  for (let j = 0; j < n; j++) {
    const o = j * d;
    const c = h[j]! * rowDot(a, o, v, d);
    if (c !== 0) rowAxpy(c, a, o, out, d);
  }
}
