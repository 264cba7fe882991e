/**
 * The quadratic interpolation model of the trust-region engine and the inverse KKT matrix H behind it:
 * built from scratch (with a prior Hessian), a point's value changed, a point replaced by Powell's update of
 * H and the least-Frobenius-norm correction of the model, and the base moved to the best point. H lives in a
 * versioned buffer so that a state sharing it with a later one rebuilds its own.
 *
 * @internal
 */
import { kktInverse, kktOrder, replacementDenominator, replacePointInPlace, shiftKktInPlace, type replacementTerms } from './kktInverse.js';
import { modelValue, shiftModel, type QuadraticModel } from './quadraticModel.js';
import type { Work } from './trustRegionState.js';
import { bestS, fullPoint } from './trustRegionPoints.js';

/** Changes the value of point k, and the model by the same change times ℓ_k. */
export function setValue(w: Work, k: number, v: number): void {
  const { p, m } = w;
  const change = v - w.values[k]!;
  w.values[k] = v;
  if (w.model === null || w.h === null) return;
  const n = kktOrder(m, p);
  const h = w.h;
  const model = w.model;
  for (let i = 0; i < m; i++) model.mu[i] = model.mu[i]! + change * h[i * n + k]!;
  for (let a = 0; a < p; a++) model.g[a] = model.g[a]! + change * h[(m + 1 + a) * n + k]!;
  w.model = { ...model, c: model.c + change * h[m * n + k]! };
}

/** H from scratch and the model interpolating the points, with prior Hessian `gamma0` (zero if absent). */
export function buildModel(w: Work, gamma0: Float64Array | undefined): boolean {
  const { p, m, points, values } = w;
  const h = kktInverse(points, m, p);
  if (h === undefined) return false;
  const n = kktOrder(m, p);
  const gamma = gamma0 !== undefined && gamma0.length === p * p ? Float64Array.from(gamma0) : new Float64Array(p * p);
  const prior: QuadraticModel = { c: 0, g: new Float64Array(p), gamma, mu: new Float64Array(m) };
  const r = new Float64Array(m);
  for (let j = 0; j < m; j++) r[j] = values[j]! - modelValue(prior, points, m, p, points.subarray(j * p, j * p + p));
  const sol = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    const o = i * n;
    for (let j = 0; j < m; j++) t += h[o + j]! * r[j]!;
    sol[i] = t;
  }
  setH(w, h);
  w.model = { c: sol[m]!, g: sol.slice(m + 1, n), gamma, mu: sol.slice(0, m) };
  return true;
}

/** Installs a freshly built H (N² entries) in a new versioned buffer. */
export function setH(w: Work, h: Float64Array): void {
  const buf = new Float64Array(h.length + 1);
  buf.set(h);
  w.hVersion++;
  buf[h.length] = w.hVersion;
  w.h = buf;
}

/** Marks an in-place change of H (states that share the buffer with an older version rebuild theirs). */
function bumpH(w: Work): void {
  w.hVersion++;
  w.h![w.h!.length - 1] = w.hVersion;
}

/**
 * Replaces point t by s (value f): H by Powell's update, the model by its least-Frobenius-norm correction
 * (f − q(s)) · ℓₜ. Rebuilds H from scratch when the update's denominator is too small.
 */
export function replace(w: Work, t: number, s: Float64Array, f: number, r: ReturnType<typeof replacementTerms>): void {
  const { p, m } = w;
  const model = w.model!;
  const n = kktOrder(m, p);
  const diff = f - modelValue(model, w.points, m, p, s);
  // The implicit Hessian term of the leaving point becomes explicit.
  const mt = model.mu[t]!;
  if (mt !== 0) {
    const o = t * p;
    for (let a = 0; a < p; a++) {
      const ya = mt * w.points[o + a]!;
      for (let b = 0; b < p; b++) model.gamma[a * p + b] = model.gamma[a * p + b]! + ya * w.points[o + b]!;
    }
    model.mu[t] = 0;
  }
  const sigma = replacementDenominator(w.h!, n, t, r);
  w.points.set(s, t * p);
  w.values[t] = f;
  let ok = Math.abs(sigma) > 1e-12 * Math.max(1, Math.abs(w.h![t * n + t]! * r.beta));
  if (ok) {
    replacePointInPlace(w.h!, n, t, r);
    bumpH(w);
  } else {
    const h = kktInverse(w.points, m, p);
    ok = h !== undefined;
    if (h !== undefined) setH(w, h);
  }
  if (!ok) {
    // Degenerate set: refit from the values (the model keeps interpolating the old points elsewhere).
    return;
  }
  const h = w.h!;
  let c = model.c;
  for (let i = 0; i < m; i++) model.mu[i] = model.mu[i]! + diff * h[i * n + t]!;
  c += diff * h[m * n + t]!;
  for (let a = 0; a < p; a++) model.g[a] = model.g[a]! + diff * h[(m + 1 + a) * n + t]!;
  w.model = { ...model, c };
}

/** Diagnostic counters (`shiftBase` counts its base shifts). */
export const COUNTERS = { shifts: 0, inverts: 0 };
/** Moves the base to the best point: model and points shifted, H re-expressed (see shiftKktInPlace). */
export function shiftBase(w: Work): void {
  COUNTERS.shifts++;
  const { p, m } = w;
  const delta = bestS(w);
  shiftKktInPlace(w.h!, w.points, m, p, delta);
  bumpH(w);
  w.model = shiftModel(w.model!, w.points, m, p, delta);
  w.xbase = fullPoint(w, delta);
  for (let j = 0; j < m; j++) for (let k = 0; k < p; k++) w.points[j * p + k] = w.points[j * p + k]! - delta[k]!;
}
