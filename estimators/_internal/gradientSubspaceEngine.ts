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
import { trustRegionStep } from './trustRegionStep.js';

/** Fixed settings of the gradient-subspace mode. */
export interface GradientConfig {
  /** Subspace dimension p: the gradient and the last p − 1 steps. */
  readonly p: number;
  readonly rhoBeg: number | { readonly relative: number };
  readonly rhoEnd: number | { readonly relative: number };
  readonly lower: Float64Array | undefined;
  readonly upper: Float64Array | undefined;
}

export type GradientPendingKind = 'centre' | 'repeat' | 'difference' | 'curvature' | 'trial';

/** Relative accuracy of the curvature along ĝ that sets the noise radius h_σ. */
const CURVATURE_ACCURACY = 1 / 100;
/** Differences from the model within this many noise sds (of a difference of two values) are noise. */
const NOISE_BAND = 3;

/** State of the gradient-subspace mode: plain data. */
export interface GradientState {
  readonly mode: 'gradient';
  readonly dim: number;
  readonly p: number;
  /** Seed captured from the first step and the common noise key. */
  readonly seed: number;
  readonly noiseKey: number;
  /** The current point (float32 values, held as float64) and f there. */
  readonly x: Float64Array;
  readonly fx: number;
  /** Best value so far (= fx: the point moves only to better points). */
  readonly fopt: number;
  /**
   * The forward-difference gradient being assembled at x, and the one of the previous centre. `grad` is filled
   * one coordinate per query: successive states share the buffer (copying d numbers per query would cost more
   * than the query), `gradStamp[0]` is the buffer's version and `gradVersion` this state's; a state whose
   * version is behind (an older state used again) copies the buffer before writing.
   */
  readonly grad: Float64Array;
  readonly gradStamp: Float64Array;
  readonly gradVersion: number;
  readonly gradPrev: Float64Array | null;
  /** The last step taken (x − previous centre), waiting for its secant once ĝ at x is complete. */
  readonly lastStep: Float64Array | null;
  /** Where ĝ was taken, once x has moved on within the same subspace model (else null: at x). */
  readonly gradAt: Float64Array | null;
  /** Up to p − 1 kept (step, secant) pairs, newest first. */
  readonly kept: readonly Float64Array[];
  readonly secants: readonly Float64Array[];
  /** Next coordinate to difference, and the difference step. */
  readonly index: number;
  readonly h: number;
  /** Trust radius and its floor; ρ_beg for restarts. */
  readonly delta: number;
  readonly rhoBeg: number;
  readonly rhoEnd: number;
  /** The subspace model: orthonormal rows Q (q × d), gradient Qĝ and Hessian B (q × q). */
  readonly basis: Float64Array | null;
  readonly q: number;
  readonly gq: Float64Array | null;
  readonly bq: Float64Array | null;
  /** The pending query: kind and, for a trial, the step in subspace coordinates and its predicted change. */
  readonly pending: { readonly kind: GradientPendingKind; readonly s: Float64Array; readonly predicted: number; readonly t: number };
  /** Steps taken (queries answered). */
  readonly steps: number;
  /**
   * Noise: Σ of squared deviations of repeated evaluations and their degrees of freedom (0: evaluations are
   * taken as exact, forward differences); the evaluations averaged in `fx`; the noise radius h_σ; and f at
   * x + h⁺ (with the realised step h⁺) waiting for its central partner.
   */
  readonly noiseSum: number;
  readonly noiseCount: number;
  readonly fxCount: number;
  readonly hNoise: number;
  /** Cap of the difference step once f was found not quadratic at its scale (0: none). */
  readonly hMax: number;
  /** Largest difference step and initial radius under noise with bounds: a quarter of the narrowest range (0: no bounds). */
  readonly hBox: number;
  readonly fPlus: number;
  readonly hPlus: number;
}

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

/** The noise sd estimated from repeated evaluations (0 in the exact mode). */
export function gradientNoiseSd(state: GradientState): number {
  return state.noiseCount > 0 ? Math.sqrt(state.noiseSum / state.noiseCount) : 0;
}

/** The signed difference step for coordinate i (towards the inside of the box). */
export function differenceStep(state: GradientState, i: number, config: GradientConfig): number {
  const x = state.x[i]!;
  let h = state.h;
  if (state.noiseCount > 0) {
    // Central differences: +h then −h, each shortened at the box.
    const minus = state.pending.t < 0;
    if (minus) h = config.lower === undefined ? -h : -Math.min(h, x - config.lower[i]!);
    else if (config.upper !== undefined) h = Math.min(h, config.upper[i]! - x);
    return Math.fround(x + h) - x;
  }
  if (config.upper !== undefined && x + h > config.upper[i]!) h = -h;
  // The realised float32 step (x + h rounded), so the divisor is exact.
  return Math.fround(x + h) - x;
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

function startDifferences(s: GradientState): GradientState {
  // Under noise the centre is evaluated again first (its mean value and the noise estimate).
  if (s.noiseCount > 0) return { ...s, pending: { kind: 'repeat', s: new Float64Array(0), predicted: 0, t: 0 } };
  return differencesFrom(s);
}

/** Under noise: h = max(Δ, h_σ), at most the cap found by the third-order check and a quarter of the box. */
function differenceScale(s: GradientState): number {
  let h = Math.max(s.delta, s.hNoise);
  if (s.hMax > 0) h = Math.min(h, s.hMax);
  return s.hBox > 0 ? Math.min(h, s.hBox) : h;
}

function differencesFrom(s: GradientState): GradientState {
  const noisy = s.noiseCount > 0;
  return { ...s, index: 0, h: noisy ? differenceScale(s) : s.h, grad: new Float64Array(s.dim), gradStamp: new Float64Array(1), gradVersion: 0, pending: { kind: 'difference', s: new Float64Array(0), predicted: 0, t: noisy ? 1 : 0 } };
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

/** Orthonormalises [ĝ, s₁ …] and forms the subspace model with curvature c along ĝ/‖ĝ‖. */
function buildModel(s: GradientState, c: number, config: GradientConfig): GradientState {
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

/** The trust-region step of the subspace model as the next query (restart when Δ fell below ρ_end). */
function trial(s: GradientState, config: GradientConfig): GradientState {
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

function afterTrial(s: GradientState, f: number, at: Float64Array, config: GradientConfig): GradientState {
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
function fullStep(s: GradientState, sub: Float64Array): Float64Array {
  const out = new Float64Array(s.dim);
  const basis = s.basis!;
  for (let a = 0; a < s.q; a++) {
    const c = sub[a]!;
    const o = a * s.dim;
    for (let i = 0; i < s.dim; i++) out[i] = out[i]! + c * basis[o + i]!;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]! * b[i]!;
  return t;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
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
