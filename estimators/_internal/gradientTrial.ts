/**
 * The trust-region step of the gradient-subspace model and its outcome: the step within Δ as the next query
 * (a restart once Δ fell below ρ_end), the radius rules on the ratio of actual to predicted decrease (a value
 * within the noise of the prediction does not shrink Δ), moving on in the same subspace after a very good
 * step, a new gradient after an accepted one or a rejected one under noise, and otherwise the rank-one
 * correction that makes the model interpolate the rejected point.
 *
 * @internal
 */
import { dot, norm } from './denseVector.js';
import { gradientNoiseSd, NOISE_BAND, startDifferences } from './gradientDifferences.js';
import type { GradientConfig, GradientState } from './gradientState.js';
import { trustRegionStep } from './trustRegionStep.js';

/** The trust-region step of the subspace model as the next query (restart when Δ fell below ρ_end). */
export function trial(s: GradientState, config: GradientConfig): GradientState {
  if (s.delta < s.rhoEnd) {
    return startDifferences({ ...s, delta: s.rhoBeg, kept: [], secants: [], lastStep: null, gradPrev: null });
  }
  const q = s.q;
  const bq = s.bq!;
  const hv = (v: Float64Array, out: Float64Array): Float64Array => {
    for (let a = 0; a < q; a++) {
      let t = 0;
      for (let b = 0; b < q; b++) t += bq[a * q + b]! * v[b]!;
      out[a] = t;
    }
    return out;
  };
  const step = trustRegionStep(s.gq!, hv, s.delta, { tolerance: 1e-8 });
  if (!(step.predicted < 0)) {
    // No predicted decrease in the subspace: a fresh gradient (and memory) is all that can help.
    return startDifferences({ ...s, kept: [], secants: [], lastStep: null, gradPrev: null, delta: Math.max(s.rhoEnd, 0.5 * s.delta) });
  }
  void config;
  return { ...s, pending: { kind: 'trial', s: step.d, predicted: step.predicted, t: 0 } };
}

/**
 * Takes f at the trial point `at`: Δ by the ratio, then a move (in the same subspace, or to a new gradient) or,
 * after a rejected step, a model correction and another trial.
 */
export function afterTrial(s: GradientState, f: number, at: Float64Array, config: GradientConfig): GradientState {
  const pd = s.pending;
  const dnorm = norm(pd.s);
  const ratio = (s.fx - f) / -pd.predicted;
  let delta = s.delta;
  const sd = gradientNoiseSd(s);
  // Under noise a value within the noise of the model's prediction is no evidence against the model.
  const withinNoise = sd > 0 && Math.abs(f - s.fx - pd.predicted) <= NOISE_BAND * Math.SQRT2 * sd;
  if (ratio < 0.25 && !withinNoise) delta = 0.25 * dnorm;
  else if (ratio > 0.75 && dnorm >= 0.99 * s.delta) delta = 2 * s.delta;
  if (f < s.fx && ratio > 1e-4) {
    const x = Float64Array.from(at, (v) => Math.fround(v));
    // The step from the point where ĝ was taken (several trials may have moved x since).
    const origin = s.gradAt ?? s.x;
    const step = new Float64Array(s.dim);
    for (let i = 0; i < s.dim; i++) step[i] = x[i]! - origin[i]!;
    if (ratio > 0.75 && dnorm >= 0.99 * s.delta) {
      // The model is good up to its boundary: keep going in this subspace from the new point with 2Δ (one
      // query) before paying d queries for a new gradient. Re-centre the model: g ← g + B s.
      const q = s.q;
      const gq = s.gq!.slice();
      for (let a = 0; a < q; a++) {
        let t = 0;
        for (let b = 0; b < q; b++) t += s.bq![a * q + b]! * pd.s[b]!;
        gq[a] = gq[a]! + t;
      }
      return trial({ ...s, x, fx: f, fopt: f, fxCount: 1, delta, gq, gradAt: origin }, config);
    }
    return startDifferences({ ...s, x, fx: f, fopt: f, fxCount: 1, delta, gradPrev: s.grad, lastStep: step, gradAt: null });
  }
  if (sd > 0) {
    // Under noise a rejected step asks for a new gradient (fresh noise; the model's own values are noisy),
    // keeping the secant of the steps taken since the last one.
    const origin = s.gradAt;
    const step = origin === null ? null : Float64Array.from(s.x, (v, i) => v - origin[i]!);
    return startDifferences({ ...s, delta, gradPrev: step === null ? s.gradPrev : s.grad, lastStep: step, gradAt: null });
  }
  // Rejected: make the model interpolate f there (rank-one, least Frobenius norm), shrink Δ and retry.
  const q = s.q;
  const bq = s.bq!.slice();
  const ss = dot(pd.s, pd.s);
  if (ss > 0) {
    const cst = (2 * (f - s.fx - pd.predicted)) / (ss * ss);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) bq[a * q + b] = bq[a * q + b]! + cst * pd.s[a]! * pd.s[b]!;
  }
  return trial({ ...s, bq, delta }, config);
}

/** Qᵀ s: a subspace step in parameter space. */
export function fullStep(s: GradientState, sub: Float64Array): Float64Array {
  const out = new Float64Array(s.dim);
  const basis = s.basis!;
  for (let a = 0; a < s.q; a++) {
    const c = sub[a]!;
    const o = a * s.dim;
    for (let i = 0; i < s.dim; i++) out[i] = out[i]! + c * basis[o + i]!;
  }
  return out;
}
