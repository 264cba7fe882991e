/**
 * The quadratic model of the gradient-subspace mode: an orthonormal basis Q of [ĝ, s₁ … s_{p−1}] (Gram–Schmidt,
 * nearly dependent vectors dropped), the gradient Qĝ, and the Hessian B_Q = R⁻¹ B_K R⁻ᵀ from the curvature c
 * along ĝ and the secants of the kept steps. Its trust-region step is the next query.
 *
 * @internal
 */
import { dot, norm } from './denseVector.js';
import type { GradientConfig, GradientState } from './gradientState.js';
import { trial } from './gradientTrial.js';

/** Orthonormalises [ĝ, s₁ …] and forms the subspace model with curvature c along ĝ/‖ĝ‖. */
export function buildModel(s: GradientState, c: number, config: GradientConfig): GradientState {
  const d = s.dim;
  const vecs = [s.grad, ...s.kept];
  const k = vecs.length;
  // B_V[a][b] = v_aᵀ H v_b from the secants: (ĝ, ĝ) = c‖ĝ‖², (ĝ, s_b) = ĝᵀy_b, (s_a, s_b) = ½(s_aᵀy_b + y_aᵀs_b).
  const bv = new Float64Array(k * k);
  const gn = norm(s.grad);
  bv[0] = c * gn * gn;
  for (let b = 1; b < k; b++) {
    const v = dot(s.grad, s.secants[b - 1]!);
    bv[b] = v;
    bv[b * k] = v;
    for (let a = 1; a <= b; a++) {
      const w = 0.5 * (dot(s.kept[a - 1]!, s.secants[b - 1]!) + dot(s.secants[a - 1]!, s.kept[b - 1]!));
      bv[a * k + b] = w;
      bv[b * k + a] = w;
    }
  }
  // Gram–Schmidt: v_a = Σ_{b ≤ a} R_ab q_b; drop nearly dependent vectors.
  const rows: Float64Array[] = [];
  const r = new Float64Array(k * k);
  const kept: number[] = [];
  for (let a = 0; a < k; a++) {
    const v = Float64Array.from(vecs[a]!);
    const n0 = norm(v);
    for (let pass = 0; pass < 2; pass++) {
      rows.forEach((qb, b) => {
        const t = dot(qb, v);
        r[a * k + b] = r[a * k + b]! + t;
        for (let i = 0; i < d; i++) v[i] = v[i]! - t * qb[i]!;
      });
    }
    const n1 = norm(v);
    if (!(n1 > 1e-6 * n0)) continue;
    r[a * k + rows.length] = n1;
    for (let i = 0; i < d; i++) v[i] = v[i]! / n1;
    rows.push(v);
    kept.push(a);
  }
  const q = rows.length;
  // Restrict to the kept vectors: R_K (q × q, lower triangular in the kept order), B_K.
  const rk = new Float64Array(q * q);
  const bk = new Float64Array(q * q);
  kept.forEach((a, i) => {
    for (let b = 0; b < q; b++) rk[i * q + b] = r[a * k + b]!;
    kept.forEach((a2, j) => (bk[i * q + j] = bv[a * k + a2]!));
  });
  // B_Q = R⁻¹ B_K R⁻ᵀ by two triangular solves.
  const tmp = lowerSolve(rk, q, bk);
  const bq = transpose(lowerSolve(rk, q, transpose(tmp, q)), q);
  const gq = new Float64Array(q);
  for (let a = 0; a < q; a++) gq[a] = dot(rows[a]!, s.grad);
  const basis = new Float64Array(q * d);
  rows.forEach((v, a) => basis.set(v, a * d));
  return trial({ ...s, basis, q, gq, bq }, config);
}

/** Solves L X = M for lower-triangular L (q × q) and M (q × q), both row-major. */
function lowerSolve(l: Float64Array, q: number, mtx: Float64Array): Float64Array {
  const out = new Float64Array(q * q);
  for (let c = 0; c < q; c++) {
    for (let i = 0; i < q; i++) {
      let t = mtx[i * q + c]!;
      for (let j = 0; j < i; j++) t -= l[i * q + j]! * out[j * q + c]!;
      out[i * q + c] = t / l[i * q + i]!;
    }
  }
  return out;
}

function transpose(a: Float64Array, q: number): Float64Array {
  const out = new Float64Array(q * q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) out[j * q + i] = a[i * q + j]!;
  return out;
}
