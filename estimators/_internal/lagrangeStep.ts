/**
 * The model-improvement ("geometry") step of Powell's methods: a point y within distance `radius` of the best
 * point x_opt where the Lagrange function ℓ_k of the point k about to be replaced is large in magnitude, so
 * the new interpolation set stays well poised (|ℓ_k(y)| bounds the growth of the update's denominator).
 *
 * Like BOBYQA's ALTMOV, ℓ_k is maximised along the lines from x_opt through every other interpolation point
 * (where ℓ_k is a quadratic in the step length known from ℓ_k(x_opt) = 0, ℓ_k(yⱼ) = δ_kj and its slope at
 * x_opt) and along its gradient at x_opt; the best candidate wins. Cost O(m p).
 *
 * @internal
 */
import { kktOrder } from './kktInverse.js';

export interface LagrangeCandidate {
  /** The step from x_opt. */
  readonly d: Float64Array;
  /** ℓ_k(x_opt + d). */
  readonly value: number;
}

/**
 * @param h - the KKT inverse; column k holds ℓ_k's weights λ (m), constant and gradient at the base (p)
 * @param points - m × p points relative to the base; `xopt` = points[kopt]
 * @param clip - optional: the largest t ∈ [0, 1] such that x_opt + t·d stays feasible (bounds)
 */
export function lagrangeStep(
  h: Float64Array,
  points: Float64Array,
  m: number,
  p: number,
  k: number,
  kopt: number,
  radius: number,
  clip?: (d: Float64Array) => number,
): LagrangeCandidate {
  const n = kktOrder(m, p);
  const lam = new Float64Array(m);
  for (let i = 0; i < m; i++) lam[i] = h[i * n + k]!;
  const xopt = points.subarray(kopt * p, kopt * p + p);
  // ∇ℓ_k(x_opt) = g_k + Σᵢ λᵢ (yᵢᵀ x_opt) yᵢ.
  const grad = new Float64Array(p);
  for (let a = 0; a < p; a++) grad[a] = h[(m + 1 + a) * n + k]!;
  for (let i = 0; i < m; i++) {
    const o = i * p;
    let t = 0;
    for (let a = 0; a < p; a++) t += points[o + a]! * xopt[a]!;
    t *= lam[i]!;
    for (let a = 0; a < p; a++) grad[a] = grad[a]! + t * points[o + a]!;
  }
  const base = k === kopt ? 1 : 0; // ℓ_k(x_opt)
  let bestValue = base;
  let bestU: Float64Array | undefined;
  let bestT = 0;
  const consider = (u: Float64Array, slope: number, curv: number): boolean => {
    // ℓ(t) = base + slope·t + ½ curv·t² along x_opt + t·u, |t|·‖u‖ ≤ radius.
    let uu = 0;
    for (let a = 0; a < p; a++) uu += u[a]! * u[a]!;
    if (!(uu > 0)) return false;
    const tmax = radius / Math.sqrt(uu);
    let won = false;
    const tryT = (t0: number): void => {
      let t = t0;
      if (clip !== undefined) {
        const d = new Float64Array(p);
        for (let a = 0; a < p; a++) d[a] = u[a]! * t0;
        t = t0 * clip(d);
      }
      const value = base + slope * t + 0.5 * curv * t * t;
      if (Math.abs(value) > Math.abs(bestValue)) {
        bestValue = value;
        bestT = t;
        won = true;
      }
    };
    tryT(tmax);
    tryT(-tmax);
    if (curv !== 0) {
      const ts0 = -slope / curv;
      if (Math.abs(ts0) < tmax) tryT(ts0);
    }
    return won;
  };
  const u = new Float64Array(p);
  for (let j = 0; j < m; j++) {
    if (j === kopt) continue;
    let slope = 0;
    for (let a = 0; a < p; a++) {
      u[a] = points[j * p + a]! - xopt[a]!;
      slope += grad[a]! * u[a]!;
    }
    // ℓ(1) = δ_kj fixes the curvature along this line.
    const curv = 2 * ((j === k ? 1 : 0) - base - slope);
    if (consider(u, slope, curv)) bestU = u.slice();
  }
  // Along the gradient: curvature uᵀ∇²ℓ u with ∇²ℓ_k = Σᵢ λᵢ yᵢyᵢᵀ.
  let gg = 0;
  for (let a = 0; a < p; a++) gg += grad[a]! * grad[a]!;
  if (gg > 0) {
    let curv = 0;
    for (let i = 0; i < m; i++) {
      let t = 0;
      for (let a = 0; a < p; a++) t += points[i * p + a]! * grad[a]!;
      curv += lam[i]! * t * t;
    }
    if (consider(grad, gg, curv)) bestU = grad;
  }
  const d = new Float64Array(p);
  if (bestU !== undefined) for (let a = 0; a < p; a++) d[a] = bestU[a]! * bestT;
  return { d, value: bestValue };
}
