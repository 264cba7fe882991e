/**
 * The trust-region iterations of the interpolation mode: the truncated-CG step of the model within Δ, the
 * acceptance of its value (ratio, the point it replaces), model-improvement (geometry) steps for far points,
 * and NEWUOA's Δ/ρ radius rules, with a reproducibility check of the best value before ρ shrinks.
 *
 * @internal
 */
import { kktOrder, replacementDenominator, replacementTerms } from './kktInverse.js';
import { lagrangeStep } from './lagrangeStep.js';
import { modelHessianTimes, modelValue } from './quadraticModel.js';
import { replace, shiftBase } from './interpolationModel.js';
import { onConverged } from './subspaceStart.js';
import type { EngineConfig } from './trustRegionConfig.js';
import { bestS, boxAbout, distSq, feasibleFraction } from './trustRegionPoints.js';
import type { Work } from './trustRegionState.js';
import { trustRegionStep } from './trustRegionStep.js';

/** Truncated CG stops when an iteration adds at most this share to the model's reduction (NEWUOA's TRSAPP). */
const CG_REDUCTION_SHARE = 0.01;

/**
 * The next trust-region step from s_opt (truncated CG on the model within Δ, inside the bounds); a step
 * shorter than ρ/2 shrinks Δ and turns to a geometry step or a smaller ρ.
 */
export function trustStep(w: Work, config: EngineConfig, depth: number): void {
  if (depth > 50) {
    // The radius rules always make progress (Δ or ρ shrinks); this guards against a rounding loop.
    onConverged(w, config);
    return;
  }
  const { p, m } = w;
  const model = w.model!;
  const sopt = bestS(w);
  const grad = new Float64Array(p);
  modelHessianTimes(model, w.points, m, p, sopt, grad);
  for (let k = 0; k < p; k++) grad[k] = grad[k]! + model.g[k]!;
  const bounds = boxAbout(w, sopt, config);
  const hv = (v: Float64Array, out: Float64Array): Float64Array => modelHessianTimes(model, w.points, m, p, v, out);
  const step = trustRegionStep(grad, hv, w.delta, { ...bounds, reductionShare: CG_REDUCTION_SHARE });
  const d = step.d;
  if (bounds === undefined && config.lower !== undefined) {
    const t = feasibleFraction(w, sopt, d, config);
    if (t < 1) for (let k = 0; k < p; k++) d[k] = d[k]! * t;
  }
  let dsq = 0;
  for (let k = 0; k < p; k++) dsq += d[k]! * d[k]!;
  const dnorm = Math.min(w.delta, Math.sqrt(dsq));
  if (dnorm < 0.5 * w.rho) {
    w.delta = 0.1 * w.delta;
    w.ratio = -1;
    if (w.delta <= 1.5 * w.rho) w.delta = w.rho;
    const errors = Math.max(w.diffs[0]!, w.diffs[1]!, w.diffs[2]!);
    if (w.nf <= w.nfsav + 2 || 0.125 * step.crvmin * w.rho * w.rho <= errors) {
      geometryOrReduce(w, config, dnorm, depth + 1);
    } else {
      reduceRho(w, config, depth + 1);
    }
    return;
  }
  let xoptsq = 0;
  for (let k = 0; k < p; k++) xoptsq += sopt[k]! * sopt[k]!;
  let s = new Float64Array(p);
  for (let k = 0; k < p; k++) s[k] = sopt[k]! + d[k]!;
  if (dsq <= 1e-3 * xoptsq) {
    shiftBase(w);
    s = d.slice();
  }
  // The model change is unaffected by the shift: q(s_opt + d) − q(s_opt).
  w.pending = { kind: 'trust', s, knew: -1, predicted: step.predicted, dnorm };
}

/**
 * Takes f at a trust step: the ratio of actual to predicted decrease sets Δ, the step replaces the point with
 * the largest weighted denominator, then another trust step, or a geometry step or a smaller ρ.
 */
export function afterTrust(w: Work, f: number, s: Float64Array, config: EngineConfig): void {
  const { p, m } = w;
  const pending = w.pending;
  const fsave = w.fopt;
  const qNew = modelValue(w.model!, w.points, m, p, s);
  const qOpt = modelValue(w.model!, w.points, m, p, bestS(w));
  const vquad = qNew - qOpt;
  const diff = f - fsave - vquad;
  w.diffs[2] = w.diffs[1]!;
  w.diffs[1] = w.diffs[0]!;
  w.diffs[0] = Math.abs(diff);
  if (pending.dnorm > w.rho) w.nfsav = w.nf;
  const dnorm = pending.dnorm;
  const ratio = vquad < 0 ? (fsave - f) / -vquad : -1;
  w.ratio = ratio;
  if (ratio <= 0.1) w.delta = 0.5 * dnorm;
  else if (ratio <= 0.7) w.delta = Math.max(0.5 * w.delta, dnorm);
  else w.delta = Math.max(0.5 * w.delta, 2 * dnorm);
  if (w.delta <= 1.5 * w.rho) w.delta = w.rho;
  // The point to drop: the largest |σ_t|, weighted by (distance / max(Δ/10, ρ))⁶ beyond that distance.
  const r = replacementTerms(w.h!, w.points, m, p, s);
  const n = kktOrder(m, p);
  const rsq = Math.max(0.1 * w.delta, w.rho) ** 2;
  const sopt = bestS(w);
  let knew = -1;
  let detrat = f >= fsave ? 1 : 0;
  for (let k = 0; k < m; k++) {
    if (f >= fsave && k === w.kopt) continue;
    let temp = Math.abs(replacementDenominator(w.h!, n, k, r));
    const dist = distSq(w.points, p, k, sopt);
    if (dist > rsq) temp *= (dist / rsq) ** 3;
    if (temp > detrat) {
      detrat = temp;
      knew = k;
    }
  }
  if (knew >= 0) {
    replace(w, knew, s, f, r);
    if (f < fsave) {
      w.kopt = knew;
      w.fopt = f;
    }
  }
  if (f <= fsave + 0.1 * vquad) {
    trustStep(w, config, 0);
    return;
  }
  geometryOrReduce(w, config, dnorm, 0);
}

/** A far point (beyond 2Δ) is replaced by a model-improvement step; else another trust step or a smaller ρ. */
function geometryOrReduce(w: Work, config: EngineConfig, dnorm: number, depth: number): void {
  const { p, m } = w;
  const sopt = bestS(w);
  let far = 4 * w.delta * w.delta;
  let knew = -1;
  for (let k = 0; k < m; k++) {
    const dist = distSq(w.points, p, k, sopt);
    if (dist > far) {
      far = dist;
      knew = k;
    }
  }
  if (knew >= 0) {
    const dstep = Math.max(Math.min(0.1 * Math.sqrt(far), 0.5 * w.delta), w.rho);
    const clip = config.lower === undefined ? undefined : (d: Float64Array) => feasibleFraction(w, sopt, d, config);
    const cand = lagrangeStep(w.h!, w.points, m, p, knew, w.kopt, dstep, clip);
    const s = new Float64Array(p);
    for (let k = 0; k < p; k++) s[k] = sopt[k]! + cand.d[k]!;
    w.pending = { kind: 'geometry', s, knew, predicted: 0, dnorm: 0 };
    return;
  }
  if (w.ratio > 0 || Math.max(w.delta, dnorm) > w.rho) {
    trustStep(w, config, depth + 1);
    return;
  }
  reduceRho(w, config, depth + 1);
}

/** Takes f at a model-improvement step: it replaces the far point, then another trust step. */
export function afterGeometry(w: Work, f: number, s: Float64Array, config: EngineConfig): void {
  const { p, m } = w;
  const knew = w.pending.knew;
  const r = replacementTerms(w.h!, w.points, m, p, s);
  const fsave = w.fopt;
  // The model's error at this point joins the last three errors, as a trust step's does (NEWUOA's DIFFA–C):
  // they decide whether ρ may shrink when the next trust step is short.
  const vquad = modelValue(w.model!, w.points, m, p, s) - modelValue(w.model!, w.points, m, p, bestS(w));
  w.diffs[2] = w.diffs[1]!;
  w.diffs[1] = w.diffs[0]!;
  w.diffs[0] = Math.abs(f - fsave - vquad);
  replace(w, knew, s, f, r);
  if (f < fsave) {
    w.kopt = knew;
    w.fopt = f;
  }
  trustStep(w, config, 0);
}

/**
 * Shrinks ρ by NEWUOA's rule (first checking once that the best value is reproducible), or ends the local
 * search once ρ reached ρ_end.
 */
export function reduceRho(w: Work, config: EngineConfig, depth: number, checked = false): void {
  if (!checked && !w.noisy && !w.reproducible) {
    // Before the radius shrinks: is the best value reproducible?
    w.pending = { kind: 'check', s: bestS(w), knew: -1, predicted: 0, dnorm: 0 };
    return;
  }
  if (w.rho > w.rhoEnd) {
    w.delta = 0.5 * w.rho;
    const ratio = w.rho / w.rhoEnd;
    w.rho = ratio <= 16 ? w.rhoEnd : ratio <= 250 ? Math.sqrt(ratio) * w.rhoEnd : 0.1 * w.rho;
    w.delta = Math.max(w.delta, w.rho);
    w.nfsav = w.nf;
    trustStep(w, config, depth);
    return;
  }
  onConverged(w, config);
}
