import type { Combined, Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import type { Direction, Params, ProbeBatch, Responses, Update } from '../src/types.js';
import { recordOptions } from '../src/_internal/recordOptions.js';
import { integerAtLeast, positive } from '../src/validate.js';
import { differenceStep, gradientAdvance, gradientInitial, gradientNoisyInitial, gradientTarget, type GradientConfig, type GradientState } from './_internal/gradientSubspaceEngine.js';
import { advance, bestS, fullPoint, initialState, type EngineConfig } from './_internal/trustRegionEngine.js';
import type { InterpolationState } from './_internal/trustRegionState.js';

export type { GradientState } from './_internal/gradientSubspaceEngine.js';
export type { InterpolationState } from './_internal/trustRegionState.js';

/** State of {@link subspaceTrustRegion}: plain data, one of its two modes. */
export type SubspaceTrustRegionState = InterpolationState | GradientState;

/** Coordinate bounds: one number for every coordinate, or one per coordinate (flattened over the blocks). */
export interface TrustRegionBounds {
  readonly lower: number | ArrayLike<number>;
  readonly upper: number | ArrayLike<number>;
}

/** Options of {@link subspaceTrustRegion}. */
export interface SubspaceTrustRegionOptions {
  /**
   * Which subspace the quadratic model lives in:
   * - `'random'`: Powell's interpolation model (NEWUOA) in the span of p seeded directions — the coordinate
   *   axes when p = d — switched for a new subspace (keeping the progress of the last ones) when the model
   *   in the current one is exhausted;
   * - `'gradient'`: the span of a forward-difference gradient (d queries) and the last p − 1 steps, with
   *   secant curvature (conjugate gradients' subspace): O(p) work per query, for large d.
   * @defaultValue 'random' when d ≤ 100, else 'gradient'
   */
  readonly subspace?: 'random' | 'gradient';
  /**
   * p: the dimension of that subspace. With `'random'`, p = d (all parameters) is NEWUOA's method, and p < d
   * makes work and memory per query O(d p + p²) instead of O(d²).
   * @defaultValue d with 'random' (at most 100), 8 with 'gradient'
   */
  readonly subspaceDim?: number;
  /**
   * ρ_beg: the initial trust radius and spacing of the first interpolation points, in parameter units.
   * @defaultValue a quarter of the narrowest range with `bounds` (0.5 in the tuner's [−1, 1] box), else
   * 0.1 · max(1, ‖x0‖∞)
   */
  readonly radius?: number;
  /**
   * ρ_end: the smallest radius; when the model cannot make progress at this radius, the estimator restarts (see
   * `restart`). @defaultValue 1/2000 of the narrowest range with `bounds` (10⁻³ in the tuner's box), else
   * 1e-6 · max(1, ‖x0‖∞)
   */
  readonly minRadius?: number;
  /** Keep every query inside a box (BOBYQA-style for p = d; steps are shortened at the box otherwise). */
  readonly bounds?: TrustRegionBounds;
  /**
   * What to do once the radius reached `minRadius` (the local search has converged): `'best'` starts again
   * about the best point at `radius` in a rotated subspace; `'random'` starts a new local search at a seeded
   * uniform point of the box (multi-start; needs `bounds`). The parameters stay at the best point of the run.
   * @defaultValue 'random' with bounds, else 'best'
   */
  readonly restart?: 'best' | 'random';
  /** Directions of progress of earlier subspaces kept in the next one (p < d). @defaultValue min(2, p − 1) */
  readonly memory?: number;
  /**
   * Every query gets the same noise key (common random numbers: one minibatch or noise draw for the whole
   * run, so the model sees one consistent function). When false each query gets its own. @defaultValue true
   */
  readonly commonRandomNumbers?: boolean;
}

const NOISE = 1;

/**
 * A model-based trust-region estimator in random subspaces: Powell's NEWUOA method — a quadratic model
 * interpolating m = 2p + 1 evaluated points, updated by the least Frobenius norm change of its Hessian when
 * a point is replaced, trust-region steps that minimise the model within a radius Δ, model-improvement steps
 * that keep the points well poised, and the Δ/ρ radius rules — run in a p-dimensional subspace of the
 * parameters. There is no learning rate: the radius adapts to how well the model predicts f.
 *
 * One query per step. Each step evaluates one point (an initial interpolation point, a trust-region step
 * x_opt + d with ‖d‖ ≤ Δ minimising q, or a model-improvement step) and replaces an interpolation point by it;
 * the update is `final` and moves the parameters to the best point evaluated so far (x ← x_opt), so f(x)
 * never increases and the transform passed as `update` is not used (pass `identity()`).
 *
 *   q(s) = c + gᵀs + ½ sᵀ(Γ + Σⱼ μⱼ yⱼyⱼᵀ)s,   qᵤ(yⱼ) = f(yⱼ) for all j, ‖∇²q − ∇²q_old‖_F minimal;
 *   d = argmin { q(s_opt + d) : ‖d‖ ≤ Δ },   ratio = (f(x_opt) − f(x_opt + d)) / (q(s_opt) − q(s_opt + d)),
 *   Δ ← ½‖d‖ (ratio ≤ 0.1), max(½Δ, ‖d‖) (≤ 0.7), max(½Δ, 2‖d‖) (else), never below ρ; ρ ↓ when stuck.
 *
 * With p = d on the coordinate axes it follows NEWUOA (points x0 ± ρ_beg eᵢ first, 2d + 1 queries before the
 * first model step). With p < d, a subspace spanned by the progress of the last `memory` subspaces and fresh
 * seeded Gaussian directions is drawn whenever ρ would shrink in the current one, and its model starts from
 * the previous model's curvature on the kept directions.
 *
 * Noisy evaluations (a fresh noise draw per query, or an oracle that ignores the noise key) are found when the
 * best point, evaluated again before ρ would shrink, gives a different value. Interpolating noisy values is
 * then over: the estimator goes on from the best point in its gradient mode with central differences
 * (f(x + h eᵢ) − f(x − h eᵢ)) / 2h, whose noise error σ/(√2 h) falls as h grows while their error on a
 * quadratic is zero — so h is as large as the model is trusted, h = max(Δ, h_σ), not below the noise
 * radius h_σ = √(√6 σ / (ε c)) (unless capped, see below) at which the central second difference measures the curvature c along the
 * gradient to ε = 1 %. σ is estimated from the best point evaluated again before every gradient (its
 * value is the mean of those evaluations), Δ does not shrink for trial values within the noise of the
 * model's prediction, and a third-order check (the central difference along the gradient against the
 * gradient's own slope, corrected for its noise) caps h where f is not quadratic at that scale; with `bounds`, h
 * and the first radius are at most a quarter of the narrowest range (probes are kept in the box). With common
 * random numbers one key serves the whole run, the function is consistent and none of this happens.
 *
 * Cost per query: O(d p) to place the point, O((m + p)²) for the model update (with m = 2p + 1: about
 * 9p² + 6dp flops); a subspace switch or a shift of the model's base O((m + p)³). Memory: the KKT inverse,
 * (3p + 2)² float64, plus the basis p × d float64 when p < d. Value reported: f(x_opt), the best value seen.
 *
 * @see M. J. D. Powell, "The NEWUOA software for unconstrained optimization without derivatives", 2006;
 * "Least Frobenius norm updating of quadratic models that satisfy interpolation conditions", Math. Program.
 * 100 (2004); BOBYQA (2009) for the bounds.
 *
 * @example
 * ```ts
 * import { identity, minimize } from 'zeroth';
 * import { subspaceTrustRegion } from 'zeroth/estimators';
 * const f = (x: Float32Array) => (x[0]! - 1) ** 2 + 10 * (x[1]! + x[0]!) ** 2;
 * const r = await minimize(f, [0, 0], { estimator: subspaceTrustRegion(), update: identity(), budget: { queries: 60 } });
 * r.x; // ≈ [1, −1]
 * ```
 */
export function subspaceTrustRegion(options: SubspaceTrustRegionOptions = {}): Estimator<SubspaceTrustRegionState> {
  const name = 'subspaceTrustRegion';
  if (options === null || typeof options !== 'object') throw new InvalidHyperparameter('options', options, 'must be an object');
  const subspaceDim = options.subspaceDim === undefined ? undefined : integerAtLeast('subspaceDim', options.subspaceDim, 1);
  const radius = options.radius === undefined ? undefined : positive('radius', options.radius);
  const minRadius = options.minRadius === undefined ? undefined : positive('minRadius', options.minRadius);
  if (radius !== undefined && minRadius !== undefined && minRadius > radius) {
    throw new InvalidHyperparameter('minRadius', minRadius, `must be ≤ radius (${radius})`);
  }
  const memoryOption = options.memory === undefined ? undefined : integerAtLeast('memory', options.memory, 0);
  const restartOption = options.restart;
  if (restartOption !== undefined && restartOption !== 'best' && restartOption !== 'random') {
    throw new InvalidHyperparameter('restart', restartOption, "must be 'best' or 'random'");
  }
  if (restartOption === 'random' && options.bounds === undefined) {
    throw new InvalidHyperparameter('restart', restartOption, "needs bounds: random restarts draw points of the box (pass bounds, or restart: 'best')");
  }
  const crn = options.commonRandomNumbers ?? true;
  if (typeof crn !== 'boolean') throw new InvalidHyperparameter('commonRandomNumbers', crn, 'must be true or false');
  const bounds = options.bounds;
  if (bounds !== undefined && (bounds === null || typeof bounds !== 'object')) {
    throw new InvalidHyperparameter('bounds', bounds, 'must be { lower, upper } with numbers or arrays');
  }

  const subspace = options.subspace;
  if (subspace !== undefined && subspace !== 'random' && subspace !== 'gradient') {
    throw new InvalidHyperparameter('subspace', subspace, "must be 'random' or 'gradient'");
  }
  const modeFor = (d: number): 'random' | 'gradient' => subspace ?? (d <= 100 ? 'random' : 'gradient');
  const gradientConfigs = new Map<number, GradientConfig>();
  const gradientConfigFor = (d: number): GradientConfig => {
    let c = gradientConfigs.get(d);
    if (c === undefined) {
      const [lower, upper] = bounds === undefined ? [undefined, undefined] : boundsFor(bounds, d);
      c = { p: Math.min(subspaceDim ?? 8, d + 1), rhoBeg: radius ?? defaultRadius(lower, upper), rhoEnd: minRadius ?? defaultMinRadius(lower, upper), lower, upper };
      gradientConfigs.set(d, c);
    }
    return c;
  };
  const configs = new Map<number, EngineConfig>();
  const configFor = (d: number): EngineConfig => {
    let c = configs.get(d);
    if (c === undefined) {
      const p = Math.min(subspaceDim ?? Math.min(d, 100), d);
      const [lower, upper] = bounds === undefined ? [undefined, undefined] : boundsFor(bounds, d);
      c = {
        subspaceDim: p,
        rhoBeg: radius ?? defaultRadius(lower, upper),
        rhoEnd: minRadius ?? defaultMinRadius(lower, upper),
        lower,
        upper,
        switchEvery: Infinity,
        memory: Math.min(memoryOption ?? 2, Math.max(p - 1, 0)),
        numPoints: (q) => 2 * q + 1,
        restart: restartOption ?? (bounds === undefined ? 'best' : 'random'),
      };
      configs.set(d, c);
    }
    return c;
  };

  return {
    name,
    response: 'values',
    // Defaults that depend on d or the box are recorded as given (null: resolved at init).
    options: recordOptions({
      subspace: subspace ?? null,
      subspaceDim: subspaceDim ?? null,
      radius: radius ?? null,
      minRadius: minRadius ?? null,
      bounds: bounds ?? null,
      restart: restartOption ?? (bounds === undefined ? 'best' : 'random'),
      memory: memoryOption ?? null,
      commonRandomNumbers: crn,
    }),
    queriesPerStep: () => 1,
    init(params: Params): SubspaceTrustRegionState {
      const x0 = flatten(params);
      for (let i = 0; i < x0.length; i++) {
        if (!Number.isFinite(x0[i]!)) throw new InvalidInput('params', `element ${i} is ${x0[i]}`, 'Start from finite parameters.');
      }
      return modeFor(x0.length) === 'gradient' ? gradientInitial(x0, gradientConfigFor(x0.length)) : initialState(x0, configFor(x0.length));
    },
    propose(state: SubspaceTrustRegionState, params: Params, seed: number): ProbeBatch {
      const noiseKey = crn && state.steps > 0 ? state.noiseKey : derivedSeed(seed, 0, NOISE);
      if (state.mode === 'gradient') {
        const config = gradientConfigFor(state.dim);
        if (state.pending.kind === 'difference' && sameAs(params, state.x)) {
          const i = state.index;
          const { block, index } = locate(params, i);
          return { response: 'values', probes: [{ direction: { kind: 'coordinate', block, index }, scale: differenceStep(state, i, config), noiseKey }] };
        }
        return { response: 'values', probes: [{ direction: towards(params, gradientTarget(state, config)), scale: 1, noiseKey }] };
      }
      const target = state.pending.kind === 'check' ? state.bestPoint : fullPoint(state, state.pending.s);
      return { response: 'values', probes: [{ direction: towards(params, target), scale: 1, noiseKey }] };
    },
    combine(state: SubspaceTrustRegionState, batch: ProbeBatch, responses: Responses, params: Params): Combined<SubspaceTrustRegionState> {
      if (responses.kind !== 'values') throw new OracleMismatch(name, 'values', responses.kind);
      if (batch.probes.length !== 1 || responses.values.length !== 1) {
        throw new InvalidInput('batch', `it has ${batch.probes.length} probes, not 1`, 'Pass the batch this estimator proposed.');
      }
      const f = responses.values[0]!;
      const probe = batch.probes[0]!;
      const first = state.steps === 0 ? { seed: probe.noiseKey, noiseKey: probe.noiseKey } : {};
      if (state.mode === 'gradient') {
        const d = probe.direction;
        const coordinate = d.kind === 'coordinate' ? Math.fround(params[d.block]!.data[d.index]! + probe.scale) : state.pending.kind === 'difference' ? pointOf(params, probe)[state.index]! : NaN;
        const next = gradientAdvance({ ...state, ...first }, f, () => pointOf(params, probe), coordinate, gradientConfigFor(state.dim));
        const moved = state.pending.kind === 'centre' || next.x !== state.x;
        return { state: next, update: moved ? moveTo(params, next.x) : STAY, value: next.fopt, final: true };
      }
      // A probe shortened by the caller (the tuner's box) was evaluated part of the way from x_opt.
      let s = state.pending.s;
      if (probe.scale !== 1 && Number.isFinite(probe.scale)) {
        const sopt = bestS(state);
        s = Float64Array.from(s, (v, k) => sopt[k]! + probe.scale * (v - sopt[k]!));
      }
      const next = advance({ ...state, ...first }, f, configFor(state.dim), s, pointOf(params, probe));
      if (next.noisy && !state.noisy) {
        // Noisy evaluations: on with central differences at a radius above the noise (gradient mode).
        const x = next.bestPoint;
        const noise = { fxCount: 2, noiseSum: next.noiseStats[0]!, noiseCount: next.noiseStats[1]! };
        const g = { ...gradientNoisyInitial(x, next.fopt, noise, next.rho, gradientConfigFor(state.dim)), seed: next.seed, noiseKey: next.noiseKey, steps: next.steps };
        return { state: g, update: moveTo(params, x), value: g.fopt, final: true };
      }
      const moved = next.hasGlobal && (!state.hasGlobal || next.globalBest < state.globalBest);
      return { state: next, update: moved ? moveTo(params, next.globalPoint) : STAY, value: next.globalBest, final: true };
    },
  };
}

const STAY: Update = { kind: 'implicit', terms: [] };

function moveTo(params: Params, target: Float64Array): Update {
  return { kind: 'dense', blocks: denseBlocks(params, towardsValues(params, target)) };
}

/** The point a probe evaluated: params + scale · direction (float64 of the float32 result). */
function pointOf(params: Params, probe: { readonly direction: Direction; readonly scale: number }): Float64Array {
  const x = flatten(params);
  const d = probe.direction;
  if (d.kind === 'coordinate') {
    let o = 0;
    for (let b = 0; b < d.block; b++) o += params[b]!.data.length;
    x[o + d.index] = Math.fround(x[o + d.index]! + probe.scale);
  } else if (d.kind === 'dense') {
    let o = 0;
    d.blocks.forEach((v, b) => {
      const n = params[b]!.data.length;
      if (v !== undefined) for (let i = 0; i < n; i++) x[o + i] = Math.fround(x[o + i]! + Math.fround(probe.scale * v[i]!));
      o += n;
    });
  }
  return x;
}

function sameAs(params: Params, x: Float64Array): boolean {
  let o = 0;
  for (const b of params) {
    for (let i = 0; i < b.data.length; i++) if (b.data[i] !== x[o + i]) return false;
    o += b.data.length;
  }
  return true;
}

function locate(params: Params, flat: number): { block: number; index: number } {
  let i = flat;
  for (let b = 0; b < params.length; b++) {
    const n = params[b]!.data.length;
    if (i < n) return { block: b, index: i };
    i -= n;
  }
  throw new InvalidInput('params', `they have fewer than ${flat + 1} elements`, 'Pass the parameters the estimator was initialised with.');
}

/** ρ_beg: a quarter of the narrowest range of the box, else 0.1 · max(1, ‖x0‖∞). */
function defaultRadius(lower: Float64Array | undefined, upper: Float64Array | undefined): number | { relative: number } {
  return lower === undefined || upper === undefined ? { relative: 0.1 } : 0.25 * minRange(lower, upper);
}

/** ρ_end: 1/2000 of the narrowest range of the box, else 1e-6 · max(1, ‖x0‖∞). */
function defaultMinRadius(lower: Float64Array | undefined, upper: Float64Array | undefined): number | { relative: number } {
  return lower === undefined || upper === undefined ? { relative: 1e-6 } : 5e-4 * minRange(lower, upper);
}

function minRange(lower: Float64Array, upper: Float64Array): number {
  let r = Infinity;
  for (let i = 0; i < lower.length; i++) r = Math.min(r, upper[i]! - lower[i]!);
  return r;
}

function boundsFor(b: TrustRegionBounds, d: number): [Float64Array, Float64Array] {
  const expand = (v: number | ArrayLike<number>, what: string): Float64Array => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) throw new InvalidHyperparameter(`bounds.${what}`, v, 'must be a number or an array of numbers');
      return new Float64Array(d).fill(v);
    }
    if (v === null || typeof v !== 'object' || v.length !== d) {
      throw new InvalidHyperparameter(`bounds.${what}`, v, `must be a number or have one entry per parameter (${d})`);
    }
    return Float64Array.from(v);
  };
  const lower = expand(b.lower, 'lower');
  const upper = expand(b.upper, 'upper');
  for (let i = 0; i < d; i++) {
    if (!(lower[i]! < upper[i]!)) throw new InvalidHyperparameter('bounds', `[${lower[i]}, ${upper[i]}] at ${i}`, 'needs lower < upper for every coordinate');
  }
  return [lower, upper];
}

function flatten(params: Params): Float64Array {
  const d = params.reduce((n, b) => n + b.data.length, 0);
  const out = new Float64Array(d);
  let o = 0;
  for (const b of params) {
    out.set(b.data, o);
    o += b.data.length;
  }
  return out;
}

/** target − params, per element. */
function towardsValues(params: Params, target: Float64Array): Float64Array {
  const out = new Float64Array(target.length);
  let o = 0;
  for (const b of params) {
    for (let i = 0; i < b.data.length; i++) out[o + i] = target[o + i]! - b.data[i]!;
    o += b.data.length;
  }
  return out;
}

function denseBlocks(params: Params, v: Float64Array): Float32Array[] {
  let o = 0;
  return params.map((b) => {
    const out = Float32Array.from(v.subarray(o, o + b.data.length));
    o += b.data.length;
    return out;
  });
}

function towards(params: Params, target: Float64Array): Direction {
  const v = towardsValues(params, target);
  if (v.every((x) => x === 0)) return { kind: 'none' };
  return { kind: 'dense', blocks: denseBlocks(params, v) };
}
