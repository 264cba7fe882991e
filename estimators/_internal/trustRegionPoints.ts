/**
 * Points of the interpolation mode: subspace coordinates s to the full-space point x_base + Q s, the best
 * interpolation point, squared distances between points, and the coordinate bounds seen from the subspace
 * (the box about s_opt when the basis is the coordinate axes, the feasible fraction of a step otherwise).
 *
 * @internal
 */
import type { EngineConfig } from './trustRegionConfig.js';
import type { InterpolationState, Work } from './trustRegionState.js';

/** The full-space point x_base + Q s (float64). */
export function fullPoint(state: InterpolationState, s: Float64Array, out = new Float64Array(state.dim)): Float64Array {
  const { dim: d, p, basis, xbase } = state;
  out.set(xbase);
  if (basis === null) {
    // The coordinate axes (p = d), or the first point of a subspace not drawn yet (s = 0).
    for (let i = 0; i < Math.min(p, d); i++) out[i] = out[i]! + s[i]!;
    return out;
  }
  for (let k = 0; k < p; k++) {
    const sk = s[k]!;
    if (sk === 0) continue;
    const o = k * d;
    for (let i = 0; i < d; i++) out[i] = out[i]! + sk * basis[o + i]!;
  }
  return out;
}

/** The best point in subspace coordinates. */
export function bestS(state: InterpolationState): Float64Array {
  return state.points.slice(state.kopt * state.p, state.kopt * state.p + state.p);
}

/** Coordinate bounds on the step from s_opt, when the basis is the coordinate axes; else undefined. */
export function boxAbout(w: Work, sopt: Float64Array, config: EngineConfig): { lo: Float64Array; hi: Float64Array } | undefined {
  if (w.basis !== null || config.lower === undefined || config.upper === undefined) return undefined;
  const { p } = w;
  const lo = new Float64Array(p);
  const hi = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const x = w.xbase[i]! + sopt[i]!;
    lo[i] = Math.min(0, config.lower[i]! - x);
    hi[i] = Math.max(0, config.upper[i]! - x);
  }
  return { lo, hi };
}

/** The largest t ∈ [0, 1] with x(s + t·d) inside the bounds (1 without bounds). */
export function feasibleFraction(w: Work, s: Float64Array, d: Float64Array, config: EngineConfig): number {
  const { lower, upper } = config;
  if (lower === undefined || upper === undefined) return 1;
  const x = fullPoint(w, s);
  const dx = fullPoint({ ...w, xbase: new Float64Array(w.dim) }, d);
  let t = 1;
  for (let i = 0; i < w.dim; i++) {
    const v = dx[i]!;
    if (v > 0) t = Math.min(t, Math.max(0, (upper[i]! - x[i]!) / v));
    else if (v < 0) t = Math.min(t, Math.max(0, (lower[i]! - x[i]!) / v));
  }
  return t;
}

/** ‖y_k − s‖²: the squared distance from interpolation point k to s. */
export function distSq(points: Float64Array, p: number, k: number, s: Float64Array): number {
  let t = 0;
  const o = k * p;
  for (let a = 0; a < p; a++) {
    const v = points[o + a]! - s[a]!;
    t += v * v;
  }
  return t;
}
