/**
 * The iteration of the subspace trust-region estimator: Powell's NEWUOA logic (least-Frobenius-norm updates
 * of a quadratic interpolation model with m = 2p + 1 points, truncated-CG trust-region steps, model
 * improvement steps, the Δ/ρ radius rules) run in a p-dimensional subspace of the parameters, one
 * evaluation at a time. `advance` takes the value of the pending point and returns the next state, whose
 * `pending` is the next point to evaluate.
 *
 * @internal
 */
import { kktInverse, kktOrder, replacementDenominator, replacementTerms, replacePointInPlace, shiftKktInPlace } from './kktInverse.js';
import { lagrangeStep } from './lagrangeStep.js';
import { modelHessianTimes, modelValue, shiftModel, type QuadraticModel } from './quadraticModel.js';
import { subspaceBasis } from './subspaceBasis.js';
import { copyState, type Pending, type InterpolationState, type Work } from './trustRegionState.js';
import { trustRegionStep } from './trustRegionStep.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';

/** Fixed settings of one estimator instance. */
export interface EngineConfig {
  /** Subspace dimension, or undefined for p = d. */
  readonly subspaceDim: number | undefined;
  /** Initial radius: a number, or relative to x0 (`scale · max(1, ‖x0‖∞)`). */
  readonly rhoBeg: number | { readonly relative: number };
  readonly rhoEnd: number | { readonly relative: number };
  /** Coordinate bounds of the parameters (flattened), or undefined. */
  readonly lower: Float64Array | undefined;
  readonly upper: Float64Array | undefined;
  /** Trust steps per subspace before it is switched (p < d). */
  readonly switchEvery: number;
  /** Subspace directions carried over from earlier subspaces (p < d). */
  readonly memory: number;
  /** Interpolation points m as a function of p (p + 2 ≤ m ≤ (p + 1)(p + 2)/2). */
  readonly numPoints: (p: number) => number;
  /**
   * Where to start again once ρ reached ρ_end: about the best point in a rotated subspace ('best'), or at a
   * seeded uniform point of the box ('random', needs bounds: a multi-start search once the local one is done).
   */
  readonly restart: 'best' | 'random';
}

/** Initial radius after noise was found, relative to ρ_beg. */
const NOISY_RADIUS = 10;
const NONE: Pending = { kind: 'init', s: new Float64Array(0), knew: -1, predicted: 0, dnorm: 0 };

/** The initial state at x0 (the first pending point is x0 itself). */
export function initialState(x0: Float64Array, config: EngineConfig): InterpolationState {
  const d = x0.length;
  const p = Math.min(config.subspaceDim ?? d, d);
  const m = Math.min(Math.max(config.numPoints(p), p + 2), ((p + 1) * (p + 2)) / 2);
  let scale = 1;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(x0[i]!));
  let rhoBeg = typeof config.rhoBeg === 'number' ? config.rhoBeg : config.rhoBeg.relative * scale;
  const rhoEnd = Math.min(rhoBeg, typeof config.rhoEnd === 'number' ? config.rhoEnd : config.rhoEnd.relative * scale);
  const { lower, upper } = config;
  const xbase = Float64Array.from(x0);
  if (lower !== undefined && upper !== undefined) {
    let range = Infinity;
    for (let i = 0; i < d; i++) {
      range = Math.min(range, upper[i]! - lower[i]!);
      xbase[i] = Math.min(upper[i]!, Math.max(lower[i]!, xbase[i]!));
    }
    rhoBeg = Math.min(rhoBeg, 0.25 * range);
  }
  return {
    mode: 'interpolation',
    dim: d,
    p,
    m,
    seed: 0,
    noiseKey: 0,
    epoch: 0,
    basis: null,
    xbase,
    points: new Float64Array(m * p),
    values: new Float64Array(m),
    filled: 0,
    model: null,
    h: null,
    hVersion: 0,
    kopt: 0,
    fopt: 0,
    rho: rhoBeg,
    delta: rhoBeg,
    rhoBeg,
    rhoEnd,
    pending: { ...NONE, s: new Float64Array(p) },
    diffs: new Float64Array(3),
    nf: 0,
    nfsav: 0,
    ratio: 0,
    memory: [],
    epochStart: Float64Array.from(xbase),
    fEpochStart: 0,
    noisy: false,
    reproducible: false,
    noiseStats: new Float64Array(2),
    bestPoint: Float64Array.from(xbase, (v) => Math.fround(v)),
    globalBest: 0,
    hasGlobal: false,
    globalPoint: Float64Array.from(xbase, (v) => Math.fround(v)),
    steps: 0,
  };
}

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

/**
 * Takes f at the pending point (`s` is where it was actually evaluated, in subspace coordinates, when the
 * caller had to move it, e.g. shortened at a bound) and returns the next state.
 */
/**
 * @param at - the float32 point actually evaluated (to keep the best one exactly); `s` its subspace coordinates
 */
export function advance(state: InterpolationState, f: number, config: EngineConfig, s: Float64Array = state.pending.s, at?: Float64Array): InterpolationState {
  const w = copyState(state);
  if (w.h !== null && w.h[w.h.length - 1] !== w.hVersion) {
    // H was advanced past this state by a later step (the state is being reused): rebuild it.
    const h = kktInverse(w.points, w.m, w.p);
    if (h === undefined) {
      newSubspace(w, config, Math.max(w.rho, w.rhoEnd));
      return w;
    }
    setH(w, h);
  }
  w.steps++;
  const pending = state.pending;
  w.nf++;
  const kind = pending.kind;
  const before = w.fopt;
  // The first point of a local search (x0, or a random restart) has no value to compare with yet.
  const firstOfSearch = pending.kind === 'init' && state.filled === 0;
  if (kind === 'check') {
    // Conclusive only at exactly the same float32 point as f_opt's evaluation.
    const same = at === undefined || at.every((v, i) => v === state.bestPoint[i]);
    afterCheck(w, f, config, same);
  } else if (kind === 'init') afterInit(w, f, s, config);
  else if (kind === 'trust') afterTrust(w, f, s, config);
  else afterGeometry(w, f, s, config);
  if (at !== undefined && kind !== 'check' && (w.fopt < before || firstOfSearch)) w.bestPoint = Float64Array.from(at);
  if (kind !== 'check' && (!w.hasGlobal || f < w.globalBest)) {
    w.globalBest = f;
    w.hasGlobal = true;
    w.globalPoint = at !== undefined ? Float64Array.from(at) : Float64Array.from(fullPoint(state, s), (v) => Math.fround(v));
  }
  return w;
}

/**
 * The best point evaluated again (when ρ was about to shrink): a different value means the evaluations are
 * noisy (an oracle that ignores the noise key, or a non-deterministic objective). The state is then marked
 * `noisy` with ρ = Δ = max(ρ, 10 ρ_beg): interpolating noisy values is over, and the estimator goes on in its
 * gradient mode (central differences at a step above the noise, from the best point with the mean of its
 * two values and this first estimate of σ).
 */
function afterCheck(w: Work, f: number, config: EngineConfig, samePoint: boolean): void {
  const fopt = w.fopt;
  const d = f - fopt;
  if (!samePoint) {
    // Not the same float32 point (the parameters were moved by rounding or by the caller): no conclusion.
    reduceRho(w, config, 0, true);
    return;
  }
  if (Math.abs(d) <= 1e-13 * Math.abs(fopt)) {
    w.reproducible = true;
    reduceRho(w, config, 0, true);
    return;
  }
  w.noisy = true;
  w.noiseStats[0] = w.noiseStats[0]! + 0.5 * d * d;
  w.noiseStats[1] = w.noiseStats[1]! + 1;
  // The best value is now the mean of both evaluations.
  setValue(w, w.kopt, 0.5 * (fopt + f));
  w.fopt = w.values[w.kopt]!;
  newSubspace(w, config, Math.max(w.rho, NOISY_RADIUS * w.rhoBeg));
}

/** Changes the value of point k, and the model by the same change times ℓ_k. */
function setValue(w: Work, k: number, v: number): void {
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

// ---------------------------------------------------------------------------------------------------------
// Initialisation of a subspace: x_opt (known, or x0 itself), then x_opt ± ρ qₖ for k = 1 … p.

function afterInit(w: Work, f: number, s: Float64Array, config: EngineConfig): void {
  const { p, m } = w;
  const j = w.filled;
  w.points.set(s, j * p);
  w.values[j] = f;
  w.filled = j + 1;
  if (j === 0) {
    w.fopt = f;
    w.fEpochStart = f;
    if (w.basis === null && w.p < w.dim) w.basis = subspaceBasis(w.dim, w.p, derivedSeed(w.seed, 0, 0x7b)).basis;
  }
  if (f < w.fopt) {
    w.fopt = f;
    w.kopt = j;
  }
  if (w.filled < m) {
    w.pending = { kind: 'init', s: initPoint(w, w.filled, config), knew: -1, predicted: 0, dnorm: 0 };
    return;
  }
  if (!buildModel(w, w.model?.gamma)) {
    // Not poised (e.g. points collapsed onto a bound): start this subspace again with a new basis.
    newSubspace(w, config, Math.max(w.rho, w.rhoEnd));
    return;
  }
  w.delta = w.rho;
  w.nfsav = w.nf;
  trustStep(w, config, 0);
}

/**
 * The k-th initial point (k ≥ 1) about the subspace's centre s = 0: +ρ qᵢ for k ≤ p, −ρ qᵢ for k ≤ 2p, then
 * (NEWUOA's order) ±ρ qᵢ ± ρ qⱼ for pairs i < j, each sign towards the lower of the two values along qᵢ.
 */
function initPoint(w: Work, k: number, config: EngineConfig): Float64Array {
  const { p, rho } = w;
  if (k > 2 * p) return pairPoint(w, k, config);
  const i = (k - 1) % p;
  const plus = k <= p;
  const s = new Float64Array(p);
  if (w.basis === null && config.lower !== undefined && config.upper !== undefined) {
    const x = w.xbase[i]!;
    const up = config.upper[i]! - x;
    const dn = x - config.lower[i]!;
    let a: number;
    if (up >= rho && dn >= rho) a = plus ? rho : -rho;
    else if (up >= dn) a = (plus ? 1 : 2) * Math.min(rho, up / 2);
    else a = -(plus ? 1 : 2) * Math.min(rho, dn / 2);
    s[i] = a;
    return s;
  }
  s[i] = plus ? rho : -rho;
  if (config.lower !== undefined) {
    const t = feasibleFraction(w, new Float64Array(p), s, config);
    if (t < 1) {
      const flip = Float64Array.from(s, (v) => -v);
      const t2 = feasibleFraction(w, new Float64Array(p), flip, config);
      if (t2 > t) return Float64Array.from(flip, (v) => v * t2);
      return Float64Array.from(s, (v) => v * t);
    }
  }
  return s;
}

function pairPoint(w: Work, k: number, config: EngineConfig): Float64Array {
  const { p } = w;
  // Pairs in NEWUOA's order: for the offset t = 1, 2, … the pairs (i, i + t mod p).
  const q = k - 2 * p - 1;
  const t = 1 + Math.floor(q / p);
  let i = q % p;
  let j = (i + t) % p;
  if (i > j) [i, j] = [j, i];
  const s = new Float64Array(p);
  const along = (a: number): number => {
    const plus = w.points[(1 + a) * p + a]!;
    const minus = w.points[(1 + p + a) * p + a]!;
    return w.values[1 + p + a]! < w.values[1 + a]! ? minus : plus;
  };
  s[i] = along(i);
  s[j] = along(j);
  if (config.lower !== undefined) {
    const tt = feasibleFraction(w, new Float64Array(p), s, config);
    if (tt < 1) for (let a = 0; a < p; a++) s[a] = s[a]! * tt;
  }
  return s;
}

/** H from scratch and the model interpolating the points, with prior Hessian `gamma0` (zero if absent). */
function buildModel(w: Work, gamma0: Float64Array | undefined): boolean {
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
function setH(w: Work, h: Float64Array): void {
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

// ---------------------------------------------------------------------------------------------------------
// Trust-region iterations.

function trustStep(w: Work, config: EngineConfig, depth: number): void {
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
  const step = trustRegionStep(grad, hv, w.delta, bounds ?? {});
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

function afterTrust(w: Work, f: number, s: Float64Array, config: EngineConfig): void {
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

function afterGeometry(w: Work, f: number, s: Float64Array, config: EngineConfig): void {
  const { p, m } = w;
  const knew = w.pending.knew;
  const r = replacementTerms(w.h!, w.points, m, p, s);
  const fsave = w.fopt;
  replace(w, knew, s, f, r);
  if (f < fsave) {
    w.kopt = knew;
    w.fopt = f;
  }
  trustStep(w, config, 0);
}

function reduceRho(w: Work, config: EngineConfig, depth: number, checked = false): void {
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

/** ρ reached its floor: restart about the best point in a new subspace (a rotated basis when p = d). */
function onConverged(w: Work, config: EngineConfig): void {
  if (config.restart === 'random' && config.lower !== undefined && config.upper !== undefined) {
    randomRestart(w, config);
    return;
  }
  newSubspace(w, config, w.rhoBeg);
}

/** A new local search from a seeded uniform point of the box (its value unknown: it is evaluated first). */
function randomRestart(w: Work, config: EngineConfig): void {
  const { dim: d, p } = w;
  w.epoch++;
  const centre = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const u = derivedSeed(derivedSeed(w.seed, w.epoch, 0x3e), i, 0x3f) / 4294967296;
    centre[i] = Math.fround(config.lower![i]! + u * (config.upper![i]! - config.lower![i]!));
  }
  if (p < d) w.basis = subspaceBasis(d, p, derivedSeed(w.seed, w.epoch, 0x7b)).basis;
  w.xbase = centre;
  w.epochStart = centre.slice();
  w.fopt = 0;
  w.fEpochStart = 0;
  w.points = new Float64Array(w.m * p);
  w.values = new Float64Array(w.m);
  w.kopt = 0;
  w.filled = 0;
  w.model = null;
  w.h = null;
  w.rho = w.rhoBeg;
  w.delta = w.rhoBeg;
  w.nf = 0;
  w.nfsav = 0;
  w.diffs.fill(0);
  w.pending = { kind: 'init', s: new Float64Array(p), knew: -1, predicted: 0, dnorm: 0 };
}

/**
 * Replaces point t by s (value f): H by Powell's update, the model by its least-Frobenius-norm correction
 * (f − q(s)) · ℓₜ. Rebuilds H from scratch when the update's denominator is too small.
 */
function replace(w: Work, t: number, s: Float64Array, f: number, r: ReturnType<typeof replacementTerms>): void {
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

export const COUNTERS = { shifts: 0, inverts: 0 };
/** Moves the base to the best point: model and points shifted, H re-expressed (see shiftKktInPlace). */
function shiftBase(w: Work): void {
  COUNTERS.shifts++;
  const { p, m } = w;
  const delta = bestS(w);
  shiftKktInPlace(w.h!, w.points, m, p, delta);
  bumpH(w);
  w.model = shiftModel(w.model!, w.points, m, p, delta);
  w.xbase = fullPoint(w, delta);
  for (let j = 0; j < m; j++) for (let k = 0; k < p; k++) w.points[j * p + k] = w.points[j * p + k]! - delta[k]!;
}

/**
 * Starts a subspace about the best point with radius ρ: a new basis (kept directions first when p < d, a
 * random rotation for restarts when p = d), the known best value as its first point.
 */
function newSubspace(w: Work, config: EngineConfig, rho: number): void {
  const { dim: d, p } = w;
  const sopt = bestS(w);
  const centre = fullPoint(w, sopt);
  const progress = new Float64Array(d);
  let moved = 0;
  for (let i = 0; i < d; i++) {
    progress[i] = centre[i]! - w.epochStart[i]!;
    moved += progress[i]! * progress[i]!;
  }
  const memory = moved > 0 ? [progress, ...w.memory].slice(0, config.memory) : w.memory.slice(0, config.memory);
  w.epoch++;
  const seed = derivedSeed(w.seed, w.epoch, 0x7b);
  const { basis } = subspaceBasis(d, p, seed, p < d ? memory : []);
  w.basis = basis;
  w.memory = memory;
  w.xbase = centre;
  w.epochStart = centre.slice();
  w.fEpochStart = w.fopt;
  w.points = new Float64Array(w.m * p);
  w.values = new Float64Array(w.m);
  w.values[0] = w.fopt;
  w.kopt = 0;
  w.filled = 1;
  w.model = null;
  w.h = null;
  w.rho = rho;
  w.delta = rho;
  w.nf = 0;
  w.nfsav = 0;
  w.diffs.fill(0);
  w.pending = { kind: 'init', s: initPoint(w, 1, config), knew: -1, predicted: 0, dnorm: 0 };
}

// ---------------------------------------------------------------------------------------------------------
// Bounds.

/** Coordinate bounds on the step from s_opt, when the basis is the coordinate axes; else undefined. */
function boxAbout(w: Work, sopt: Float64Array, config: EngineConfig): { lo: Float64Array; hi: Float64Array } | undefined {
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
function feasibleFraction(w: Work, s: Float64Array, d: Float64Array, config: EngineConfig): number {
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

function distSq(points: Float64Array, p: number, k: number, s: Float64Array): number {
  let t = 0;
  const o = k * p;
  for (let a = 0; a < p; a++) {
    const v = points[o + a]! - s[a]!;
    t += v * v;
  }
  return t;
}
