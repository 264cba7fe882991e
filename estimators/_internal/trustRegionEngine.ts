/**
 * The iteration of the subspace trust-region estimator: Powell's NEWUOA logic (least-Frobenius-norm updates
 * of a quadratic interpolation model with m = 2p + 1 points, truncated-CG trust-region steps, model
 * improvement steps, the Δ/ρ radius rules) run in a p-dimensional subspace of the parameters, one
 * evaluation at a time. `advance` takes the value of the pending point and returns the next state, whose
 * `pending` is the next point to evaluate.
 *
 * @internal
 */
import { buildModel, setH, setValue } from './interpolationModel.js';
import { kktInverse } from './kktInverse.js';
import { subspaceBasis } from './subspaceBasis.js';
import { initPoint, newSubspace } from './subspaceStart.js';
import type { EngineConfig } from './trustRegionConfig.js';
import { afterGeometry, afterTrust, reduceRho, trustStep } from './trustRegionIteration.js';
import { fullPoint } from './trustRegionPoints.js';
import { copyState, type Pending, type InterpolationState, type Work } from './trustRegionState.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';

export type { EngineConfig } from './trustRegionConfig.js';
export { bestS, fullPoint } from './trustRegionPoints.js';

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
