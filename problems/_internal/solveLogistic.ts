import type { LogisticData } from './logisticKernels.js';
import { hessianTimes, lossGradAndMargins, sigmoid } from './logisticKernels.js';

/** The result of {@link solveLogistic}. */
export interface LogisticSolution {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradNorm: number;
  readonly newtonSteps: number;
  /** Passes over the features (each about 2nd flops). */
  readonly passes: number;
}

/**
 * Minimises the (strongly convex) logistic objective by a line-search Newton–CG method in float64, from w = 0.
 *
 * Each Newton step solves H p = −g by conjugate gradients with the Hessian–vector product
 * H v = Aᵀ diag(σ(m)σ(−m)/n) A v + l2 v (one fused pass over A, never forming H) to the relative residual
 * min(½, √‖g‖) (superlinear convergence), then backtracks (Armijo) from the full step; once the predicted
 * decrease is below the float64 resolution of f, full steps are taken and judged by ‖∇f‖ instead. It stops
 * when ‖∇f‖₂ ≤ `tolerance`, when a step no longer lowers ‖∇f‖ (the float64 rounding floor; the best point
 * is kept), or after 100 Newton steps.
 *
 * Cost: one pass over A (about 2nd flops) per Hessian–vector product and per line-search trial; about 50
 * passes in all for the data of `logisticRegression`.
 */
export function solveLogistic(data: LogisticData, tolerance = 1e-12): LogisticSolution {
  const { dim: d, samples: n } = data;
  let w = new Float64Array(d);
  let m = new Float64Array(n);
  let g = new Float64Array(d);
  let wt = new Float64Array(d);
  let mt = new Float64Array(n);
  let gt = new Float64Array(d);
  const h = new Float64Array(n);
  const p = new Float64Array(d);
  const r = new Float64Array(d);
  const q = new Float64Array(d);
  const hq = new Float64Array(d);
  const best = new Float64Array(d);
  let bestGn = Infinity;
  let passes = 1;
  let f = lossGradAndMargins(data, w, m, g);
  let steps = 0;
  for (; steps < 100; steps++) {
    const gn = norm(g);
    if (!(gn < bestGn)) {
      w.set(best); // the last step made no progress: float64 rounding is the floor
      break;
    }
    best.set(w);
    bestGn = gn;
    if (gn <= tolerance) break;
    for (let j = 0; j < n; j++) h[j] = (sigmoid(m[j]!) * sigmoid(-m[j]!)) / n;
    // Conjugate gradients on H p = −g from p = 0.
    p.fill(0);
    for (let i = 0; i < d; i++) r[i] = -g[i]!;
    q.set(r);
    let rr = dot(r, r);
    const stop = Math.min(0.5, Math.sqrt(gn)) * gn;
    for (let k = 0; k < 2 * d + 10 && Math.sqrt(rr) > stop; k++) {
      hessianTimes(data, h, q, hq);
      passes++;
      const alpha = rr / dot(q, hq);
      for (let i = 0; i < d; i++) {
        p[i] = p[i]! + alpha * q[i]!;
        r[i] = r[i]! - alpha * hq[i]!;
      }
      const rrNew = dot(r, r);
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < d; i++) q[i] = r[i]! + beta * q[i]!;
    }
    // Backtracking (Armijo) line search from the full Newton step.
    const slope = dot(g, p);
    const local = -slope <= 1e-10 * Math.max(1, Math.abs(f));
    let accepted = false;
    for (let t = 1; t > 1e-12 && !accepted; t *= 0.5) {
      for (let i = 0; i < d; i++) wt[i] = w[i]! + t * p[i]!;
      const ft = lossGradAndMargins(data, wt, mt, gt);
      passes++;
      if (local || ft <= f + 1e-4 * t * slope) {
        accepted = true;
        f = ft;
        [w, wt] = [wt, w];
        [m, mt] = [mt, m];
        [g, gt] = [gt, g];
      }
    }
    if (!accepted) break;
  }
  const value = lossGradAndMargins(data, w, m, g);
  return { x: w, value, gradNorm: norm(g), newtonSteps: steps, passes };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
