/**
 * The gradient-subspace mode of the subspace trust-region estimator, for large d: each iteration fits a linear
 * model by forward differences along the coordinates (d queries, each an O(1) in-place probe), then a
 * quadratic model in the subspace spanned by that gradient ĝ and the last p − 1 steps sⱼ, and takes a
 * trust-region step there. The model's curvature on the kept steps comes from the secants yⱼ = ĝⱼ₊₁ − ĝⱼ
 * (sₐᵀHs_b ≈ sₐᵀy_b, ĝᵀHs_b ≈ ĝᵀy_b, exact on quadratics, as in limited-memory quasi-Newton methods), and
 * along ĝ from one probe f(x − t ĝ/‖ĝ‖). A rejected step corrects the model by the least-Frobenius-norm
 * rank-one change that makes it interpolate the rejected point, then retries with a smaller radius. On a
 * quadratic the step minimises f over x + span{ĝ, s₁ … s_{p−1}} — conjugate gradients' subspace — so it
 * needs about as many iterations as CG.
 *
 * Noisy evaluations (the interpolation mode switches here once it found them): the gradient is taken by
 * central differences, (f(x + h eᵢ) − f(x − h eᵢ)) / 2h — exact on quadratics whatever h, so the step can
 * be as large as the model is trusted — and h = max(Δ, h_σ) never shrinks below the noise radius
 * h_σ = √(√6 σ / (ε c)), where the central second difference along ĝ (two probes at ±h) measures the
 * curvature c to a relative accuracy ε = 1 % against noise of sd σ. The centre is evaluated again before
 * each gradient: the mean of its evaluations is f(x) and their spread estimates σ. A trial whose value differs
 * from the model's prediction by less than the noise (3·√2·σ) does not shrink Δ (Δ ≥ h_σ), and a rejected
 * trial asks for a new gradient (fresh noise) instead of refitting the model to a noisy value. A third-order
 * check caps h at half its value when the central difference along ĝ and ĝ's own slope disagree by more
 * than their noise (f is not quadratic at that scale), and relaxes the cap again while they agree.
 * Under noise an iteration costs 2d + 4 queries (the repeat, 2d differences, two curvature probes, a trial).
 *
 * Cost per query O(1) for the difference probes and O(d p + p³) per iteration (d + 2 queries): O(p) per
 * query on average. Memory: 2(p − 1) vectors of d float64 (steps and secants) and the gradient.
 *
 * @internal
 */
import { norm } from './denseVector.js';
import { CURVATURE_ACCURACY, differenceStep, differencesFrom, gradientNoiseSd, NOISE_BAND, startDifferences } from './gradientDifferences.js';
import type { GradientConfig, GradientState } from './gradientState.js';
import { buildModel } from './gradientSubspaceModel.js';
import { afterTrial, fullStep } from './gradientTrial.js';

export type { GradientConfig, GradientPendingKind, GradientState } from './gradientState.js';
export { differenceStep, gradientNoiseSd } from './gradientDifferences.js';

/** The initial state at x0 (rounded to float32, clipped to the bounds): the first query is x0 itself. */
export function gradientInitial(x0: Float64Array, config: GradientConfig): GradientState {
  const d = x0.length;
  let scale = 1;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(x0[i]!));
  const rhoBeg = typeof config.rhoBeg === 'number' ? config.rhoBeg : config.rhoBeg.relative * scale;
  const rhoEnd = Math.min(rhoBeg, typeof config.rhoEnd === 'number' ? config.rhoEnd : config.rhoEnd.relative * scale);
  const x = Float64Array.from(x0, (v) => Math.fround(v));
  if (config.lower !== undefined && config.upper !== undefined) {
    for (let i = 0; i < d; i++) x[i] = Math.fround(Math.min(config.upper[i]!, Math.max(config.lower[i]!, x[i]!)));
  }
  return {
    mode: 'gradient',
    dim: d,
    p: Math.max(1, config.p),
    seed: 0,
    noiseKey: 0,
    x,
    fx: 0,
    fopt: 0,
    grad: new Float64Array(d),
    gradStamp: new Float64Array(1),
    gradVersion: 0,
    gradPrev: null,
    lastStep: null,
    gradAt: null,
    kept: [],
    secants: [],
    index: 0,
    h: 1e-3 * scale,
    delta: rhoBeg,
    rhoBeg,
    rhoEnd,
    basis: null,
    q: 0,
    gq: null,
    bq: null,
    pending: { kind: 'centre', s: new Float64Array(0), predicted: 0, t: 0 },
    steps: 0,
    noiseSum: 0,
    noiseCount: 0,
    fxCount: 1,
    hNoise: 0,
    hMax: 0,
    hBox: 0,
    fPlus: 0,
    hPlus: 0,
  };
}

/**
 * The gradient mode for noisy evaluations, started at x (float32 values) whose value fx is the mean of
 * `fxCount` evaluations; `noiseSum` / `noiseCount` estimate σ²; `delta` is the initial trust radius.
 */
export function gradientNoisyInitial(
  x: Float64Array,
  fx: number,
  noise: { readonly fxCount: number; readonly noiseSum: number; readonly noiseCount: number },
  delta: number,
  config: GradientConfig,
): GradientState {
  const s = gradientInitial(x, config);
  let hBox = 0;
  if (config.lower !== undefined && config.upper !== undefined) {
    hBox = Infinity;
    for (let i = 0; i < x.length; i++) hBox = Math.min(hBox, 0.25 * (config.upper[i]! - config.lower[i]!));
  }
  return startDifferences({ ...s, fx, fopt: fx, ...noise, hBox, delta: hBox > 0 ? Math.min(delta, hBox) : delta, steps: 1 });
}

/** The full-space point of the pending query (float64). */
export function gradientTarget(state: GradientState, config: GradientConfig): Float64Array {
  const out = Float64Array.from(state.x);
  const pd = state.pending;
  if (pd.kind === 'difference') out[state.index] = out[state.index]! + differenceStep(state, state.index, config);
  else if (pd.kind === 'curvature') {
    const g = state.grad;
    const gn = norm(g);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! - (pd.t * g[i]!) / gn;
  } else if (pd.kind === 'trial') {
    const step = fullStep(state, pd.s);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + step[i]!;
  }
  if (config.lower !== undefined && config.upper !== undefined && pd.kind !== 'difference') {
    for (let i = 0; i < out.length; i++) out[i] = Math.min(config.upper[i]!, Math.max(config.lower[i]!, out[i]!));
  }
  return out;
}

/**
 * Takes f at the pending point and returns the next state. `at()` gives the point actually evaluated; for a
 * difference query only its coordinate `coordinate` is needed (O(1) instead of O(d)).
 */
export function gradientAdvance(state: GradientState, f: number, at: () => Float64Array, coordinate: number, config: GradientConfig): GradientState {
  const pd = state.pending;
  const next = { ...state, steps: state.steps + 1 };
  switch (pd.kind) {
    case 'centre': {
      next.fx = f;
      next.fopt = f;
      return startDifferences(next);
    }
    case 'repeat': {
      // x evaluated again: its mean value, and one more degree of freedom for σ².
      const n = state.fxCount;
      const dev = f - state.fx;
      next.noiseSum = state.noiseSum + (dev * dev * n) / (n + 1);
      next.noiseCount = state.noiseCount + 1;
      next.fx = (n * state.fx + f) / (n + 1);
      next.fopt = next.fx;
      next.fxCount = n + 1;
      return differencesFrom(next);
    }
    case 'difference': {
      const i = state.index;
      const noisy = state.noiseCount > 0;
      if (noisy && pd.t > 0) {
        return { ...next, fPlus: f, hPlus: coordinate - state.x[i]!, pending: { ...pd, t: -1 } };
      }
      let grad = state.grad;
      let stamp = state.gradStamp;
      if (stamp[0] !== state.gradVersion) {
        grad = grad.slice();
        stamp = new Float64Array(1);
      }
      grad[i] = noisy ? (state.fPlus - f) / (state.hPlus - (coordinate - state.x[i]!)) : (f - state.fx) / (coordinate - state.x[i]!);
      stamp[0] = state.gradVersion + 1;
      next.grad = grad;
      next.gradStamp = stamp;
      next.gradVersion = state.gradVersion + 1;
      if (i + 1 < state.dim) return { ...next, index: i + 1, pending: noisy ? { ...pd, t: 1 } : pd };
      return afterGradient(next);
    }
    case 'curvature': {
      if (state.noiseCount > 0) {
        // Central second difference along u = ĝ/‖ĝ‖: f(x − tu) first (kept in fPlus), then f(x + tu).
        if (pd.t > 0) return { ...next, fPlus: f, pending: { ...pd, t: -pd.t } };
        const t = -pd.t;
        const c = (state.fPlus + f - 2 * state.fx) / (t * t);
        const sd = gradientNoiseSd(state);
        // Third-order check: on a quadratic the central difference along u has mean ∇fᵀu, and ĝᵀu = ‖ĝ‖ (the
        // coordinate differences at the same step) has mean ∇fᵀu + E[eᵀu] ≈ ∇fᵀu + d·v/‖ĝ‖ (u is built from
        // the gradient's own noise e, of variance v = σ²/2h² per coordinate); both agree up to noise of sd
        // σ/t. Beyond that f is not quadratic at scale t: the step is capped at t/2 (relaxed again, doubling,
        // while they agree).
        const slope = (f - state.fPlus) / (2 * t);
        const gn = norm(state.grad);
        const v = (sd * sd) / (2 * state.h * state.h);
        const agree = !(Math.abs(slope - (gn - (state.dim * v) / gn)) > NOISE_BAND * (sd / t));
        let hNoise = c > 0 && sd > 0 ? Math.sqrt((Math.sqrt(6) * sd) / (CURVATURE_ACCURACY * c)) : state.hNoise;
        let hMax = agree ? 2 * state.hMax : 0.5 * t;
        if (hMax >= Math.max(state.delta, hNoise)) hMax = 0;
        if (hMax > 0) hNoise = Math.min(hNoise, hMax);
        return buildModel({ ...next, hNoise, hMax }, c, config);
      }
      // f(x − t u) = f + (−t) ĝᵀu + ½ t² c  ⇒  c = 2 (f(x − tu) − f + t‖ĝ‖) / t².
      const gn = norm(state.grad);
      const t = pd.t;
      const c = (2 * (f - state.fx + t * gn)) / (t * t);
      return buildModel(next, c, config);
    }
    case 'trial':
      return afterTrial(next, f, at(), config);
  }
}

function afterGradient(s: GradientState): GradientState {
  let kept = s.kept;
  let secants = s.secants;
  if (s.lastStep !== null && s.gradPrev !== null) {
    const y = new Float64Array(s.dim);
    for (let i = 0; i < s.dim; i++) y[i] = s.grad[i]! - s.gradPrev[i]!;
    kept = [s.lastStep, ...kept].slice(0, s.p - 1);
    secants = [y, ...secants].slice(0, s.p - 1);
  }
  const gn = norm(s.grad);
  if (!(gn > 0)) {
    // A flat point: nothing to model; difference again after a restart of the memory.
    return startDifferences({ ...s, kept: [], secants: [], lastStep: null, gradPrev: null });
  }
  return { ...s, kept, secants, lastStep: null, pending: { kind: 'curvature', s: new Float64Array(0), predicted: 0, t: s.noiseCount > 0 ? s.h : s.delta } };
}
