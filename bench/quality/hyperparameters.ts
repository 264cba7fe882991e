/**
 * The one table of step rules and hyperparameters of the quality benchmark: for every registry estimator and
 * problem family, the estimator options, the step rule (sgd / identity), its schedule, the tuned scalar (a
 * learning rate, or ZO-RankSGD's line-search step) at d = 100, how it is carried to d = 10 and 1000, and the
 * grid it was picked from.
 *
 * Tuning rationale. One scalar per estimator × family was tuned at d = 100 (lowRankMatrix: 10 × 10) by
 * `tsx bench/quality/tune.ts`: the grid is the theory-based centre × {1/9, 1/3, 1, 3, 9}, extended by ×3 steps (twice at most)
 * while the best point sat on an edge; each point ran seeds 1–3 for 20,000 queries (stopping at the 10⁻³
 * target), and the winner has the smallest median queries to 10⁻³ relative suboptimality, ties (and
 * "not reached") broken by the median final suboptimality. Everything else keeps the estimator's defaults
 * (σ = 1e-3 for the two-point estimators), except:
 * - SPSA is run as the acceptance target states: Gaussian directions, q = 1, central differences, plain sgd.
 * - Sign-based and Adam-normalised estimates have a step size that does not shrink with the gradient, so a
 *   constant rate stalls at a radius ∝ η: they get a cosine decay to η/1000 over min(budget, 200·d) queries
 *   (the tuning run's length at d = 100), then stay at η/1000. The
 *   gradient-scaled ones (SPSA, MeZO, momentum, Cons, LOZO, CGE, FO-SGD) keep a constant rate: on these
 *   noise-free (or common-random-number) objectives their estimator noise shrinks with ∇f, so there is no
 *   noise floor to anneal.
 * - Rastrigin: σ was tuned as well, between the default and σ = 0.5 (half the cosine's period: Gaussian
 *   smoothing with σ = 0.5 damps the cosines by e^{−2π²σ²} ≈ 0.007, so the smoothed function is nearly the
 *   convex bowl; central coordinate differences with μ = 0.5 cancel the cosine exactly).
 * - Carrying the tuned value to other d ('scaling'): a Gaussian two-point estimate has E‖ĝ‖²_H =
 *   ‖g‖² tr H + 2 gᵀHg, so the stable sgd rate is ∝ 1/(tr H) ∝ 1/(d + 2) on the vector families
 *   ('inverseDim'); exact-gradient steps (CGE, FO-SGD) need 1/L, independent of d ('none'); sign steps move
 *   every coordinate by ~η, and the distance to x* grows like √d ('none' for elementwise sign / Adam,
 *   'inverseSqrtDim' for sign(p)·z whose step norm is η√d); ZO-RankSGD's line-search step is a distance
 *   ('sqrtDim'). On lowRankMatrix every shape has a rank-2 gradient and tr H ≈ k² = 4, so nothing scales.
 *
 * Estimators missing from the table (a registry entry added after the last tuning) run with their first
 * registry variant and `sgd(1e-3 · 102/(d + 2))`, and the report marks them "untuned".
 */
import { estimators } from '../../estimators/index.js';
import type { Estimator } from '../../src/estimator.js';
import { cosineDecay } from '../../src/schedule/cosineDecay.js';
import { identity } from '../../src/transform/identity.js';
import type { Transform } from '../../src/transform/transform.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Params } from '../../src/types.js';
import type { Family } from './suite.js';

/** How the tuned scalar is carried from d = 100 to d. */
export type Scaling = 'inverseDim' | 'inverseSqrtDim' | 'sqrtDim' | 'none';

/** Where the tuned scalar goes. */
export type TunedScalar = 'sgd learning rate' | 'options.learningRate' | 'options.lineSearch.initialStep' | 'none';

/** The settings of one estimator on one family. */
export interface Setting {
  /** Estimator options (the tuned scalar is added as `tuned` says). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly tuned: TunedScalar;
  /** The optimizer's step rule: sgd(η) or identity() when the estimator takes its own steps. */
  readonly update: 'sgd' | 'identity';
  readonly schedule: 'constant' | 'cosine';
  /** The tuned scalar at d = 100. */
  readonly value: number;
  readonly scaling: Scaling;
  /** The grid tried at d = 100 (empty: not tuned). */
  readonly grid: readonly number[];
  /** Why, in a few words. */
  readonly note: string;
}

interface Base {
  readonly options: Readonly<Record<string, unknown>>;
  readonly tuned: TunedScalar;
  readonly update: 'sgd' | 'identity';
  readonly schedule: 'constant' | 'cosine';
  readonly scaling: Scaling;
  /** Grid centre per family (theory), before tuning. */
  readonly centre: (family: Family) => number;
  readonly note: string;
}

/** ZO-SGD's stable rate ≈ 1/(tr H + 2L) at d = 100 (lowRankMatrix: 10 × 10, k = 2), the grid centre. */
const zoSgdCentre: Record<Family, number> = {
  sphere: 5e-3, // H = 2I: 1/(200 + 4)
  rotatedQuadratic: 4e-4, // λ log-spaced 1…100: tr H ≈ 2150, L = 100
  rosenbrock: 3e-5, // curvature up to ~10³ near x0 ∈ [−2, 2]^d
  rastrigin: 1e-4, // curvature 2 + 40π² ≈ 400 per coordinate (σ small); smoothed: ≈ 2
  logisticRegression: 3e-2, // tr H ≈ d/4 at w = 0
  noisySphere: 5e-3,
  noisySphereFresh: 5e-3,
  noisyRotatedQuadratic: 4e-4,
  noisyRotatedQuadraticFresh: 4e-4,
  lowRankMatrix: 5e-2, // tr H ≈ k² = 4
};
/** 1/L: exact-gradient steps. */
const firstOrderCentre: Record<Family, number> = {
  sphere: 0.3,
  rotatedQuadratic: 1e-2,
  rosenbrock: 3e-4,
  rastrigin: 2e-3,
  logisticRegression: 1,
  noisySphere: 0.3,
  noisySphereFresh: 0.3,
  noisyRotatedQuadratic: 1e-2,
  noisyRotatedQuadraticFresh: 1e-2,
  lowRankMatrix: 0.3,
};

const BASES: Record<string, Base> = {
  spsa: {
    options: { distribution: 'gaussian', difference: 'central', numProbes: 1, sigma: 1e-3 },
    tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'inverseDim',
    centre: (f) => zoSgdCentre[f],
    note: 'Gaussian, q = 1, central, plain sgd (the acceptance setting)',
  },
  mezo: {
    options: { sigma: 1e-3 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'inverseDim',
    centre: (f) => zoSgdCentre[f], note: 'ZO-SGD, ε = 1e-3, no weight decay',
  },
  zoSgdSign: {
    options: { sigma: 1e-3 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'cosine', scaling: 'inverseSqrtDim',
    centre: (f) => (f === 'lowRankMatrix' ? 3e-2 : 1e-2), note: 'step η·z regardless of |p|: cosine decay',
  },
  zoSgdSignElementwise: {
    options: { sigma: 1e-3 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'cosine', scaling: 'none',
    centre: (f) => (f === 'lowRankMatrix' ? 3e-2 : 1e-2), note: '±η per coordinate: cosine decay',
  },
  zoSgdMomentum: {
    options: { sigma: 1e-3, momentum: 0.9 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'inverseDim',
    centre: (f) => zoSgdCentre[f] / 10, note: 'heavy ball β = 0.9 (no dampening: ~10× the step of sgd)',
  },
  zoAdam: {
    options: { sigma: 1e-3 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'cosine', scaling: 'none',
    centre: (f) => (f === 'lowRankMatrix' ? 3e-2 : 1e-2), note: 'Adam-normalised estimate (β 0.9/0.999): cosine decay',
  },
  zoSgdCons: {
    options: { sigma: 1e-3 }, tuned: 'options.learningRate', update: 'identity', schedule: 'constant', scaling: 'inverseDim',
    centre: (f) => zoSgdCentre[f], note: 'best of θ, θ ∓ ηpz; η is the estimator option',
  },
  cge: {
    options: {}, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'none',
    centre: (f) => firstOrderCentre[f], note: 'central, every coordinate (μ = 5e-3): the exact gradient on quadratics, η ≈ 1/L',
  },
  lozo: {
    options: { rank: 2, resampleEvery: 50 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'inverseDim',
    centre: (f) => (f === 'lowRankMatrix' ? zoSgdCentre[f] / 2 : zoSgdCentre[f]), note: 'r = 2, ν = 50 (reference defaults); on vectors it is MeZO',
  },
  lozoM: {
    options: { rank: 2, resampleEvery: 50, beta: 0.9 }, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'inverseDim',
    centre: (f) => (f === 'lowRankMatrix' ? zoSgdCentre[f] / 2 : zoSgdCentre[f]), note: 'r = 2, ν = 50, β = 0.9 (EMA)',
  },
  zoRankSgd: {
    options: { sigma: 1e-2, normalize: true, numCandidates: 6 }, tuned: 'options.lineSearch.initialStep', update: 'identity', schedule: 'constant', scaling: 'sqrtDim',
    centre: () => 1, note: 'rankings only, m = 6, ranking line search (γ = 0.5); η is a distance',
  },
  exactGradient: {
    options: {}, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'none',
    centre: (f) => firstOrderCentre[f], note: 'FO-SGD baseline (one query = one value-and-gradient call)',
  },
  zoSah: {
    options: {}, tuned: 'sgd learning rate', update: 'sgd', schedule: 'constant', scaling: 'none',
    centre: () => 0.3, note: 'defaults (k = 5 subspaces, ε = 1e-3, T = 10): a Newton-scaled step in each subspace, η ≈ 1 in theory',
  },
  subspaceTrustRegion: {
    options: {}, tuned: 'none', update: 'identity', schedule: 'constant', scaling: 'none',
    centre: () => 0, note: 'defaults: no learning rate (trust-region steps, radius from 0.1·max(1, ‖x0‖∞))',
  },
};

/**
 * Tuned values at d = 100: `value` picked from `grid` (see the file comment), and extra options where the
 * tuning chose them (σ on Rastrigin). Filled from the output of `tsx bench/quality/tune.ts`.
 */
// Not tuned: zoRankSgd × rastrigin (every run stalls in a local minimum; the stalled line search's list of
// directions grew with every round then, which made those tuning runs take minutes each; it is capped now,
// lineSearch.maxRounds) — it runs at the centre, 1.
const TUNED: Record<string, Partial<Record<Family, { readonly value: number; readonly grid: readonly number[]; readonly options?: Readonly<Record<string, unknown>> }>>> = {
  spsa: {
    sphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    rotatedQuadratic: { value: 0.0004, grid: [4.44e-05, 0.000133, 0.0004, 0.0012, 0.0036] },
    rosenbrock: { value: 1e-05, grid: [3.33e-06, 1e-05, 3e-05, 9e-05, 0.00027] },
    rastrigin: { value: 1.11e-05, grid: [3.7e-06, 1.11e-05, 3.33e-05, 0.0001, 0.0003, 0.0009] },
    logisticRegression: { value: 0.09, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
    noisySphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    lowRankMatrix: { value: 0.15, grid: [0.00556, 0.0167, 0.05, 0.15, 0.45] },
  },
  mezo: {
    sphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    rotatedQuadratic: { value: 0.0004, grid: [4.44e-05, 0.000133, 0.0004, 0.0012, 0.0036] },
    rosenbrock: { value: 1e-05, grid: [3.33e-06, 1e-05, 3e-05, 9e-05, 0.00027] },
    rastrigin: { value: 1.11e-05, grid: [3.7e-06, 1.11e-05, 3.33e-05, 0.0001, 0.0003, 0.0009] },
    logisticRegression: { value: 0.09, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
    noisySphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    lowRankMatrix: { value: 0.15, grid: [0.00556, 0.0167, 0.05, 0.15, 0.45] },
  },
  zoSgdSign: {
    sphere: { value: 0.00333, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rotatedQuadratic: { value: 0.01, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rosenbrock: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rastrigin: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    logisticRegression: { value: 0.00333, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    noisySphere: { value: 0.00333, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    lowRankMatrix: { value: 0.03, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
  },
  zoSgdSignElementwise: {
    sphere: { value: 0.00333, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rotatedQuadratic: { value: 0.01, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rosenbrock: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rastrigin: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09], options: {sigma: 0.5} },
    logisticRegression: { value: 0.00333, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    noisySphere: { value: 0.00333, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    lowRankMatrix: { value: 0.03, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
  },
  zoSgdMomentum: {
    sphere: { value: 0.0005, grid: [5.56e-05, 0.000167, 0.0005, 0.0015, 0.0045] },
    rotatedQuadratic: { value: 4e-05, grid: [4.44e-06, 1.33e-05, 4e-05, 0.00012, 0.00036] },
    rosenbrock: { value: 1e-06, grid: [3.33e-07, 1e-06, 3e-06, 9e-06, 2.7e-05] },
    rastrigin: { value: 1.11e-06, grid: [3.7e-07, 1.11e-06, 3.33e-06, 1e-05, 3e-05, 9e-05] },
    logisticRegression: { value: 0.009, grid: [0.000333, 0.001, 0.003, 0.009, 0.027] },
    noisySphere: { value: 0.0005, grid: [5.56e-05, 0.000167, 0.0005, 0.0015, 0.0045] },
    lowRankMatrix: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
  },
  zoAdam: {
    sphere: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rotatedQuadratic: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rosenbrock: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rastrigin: { value: 0.09, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09, 0.27] },
    logisticRegression: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    noisySphere: { value: 0.03, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    lowRankMatrix: { value: 0.09, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
  },
  zoSgdCons: {
    sphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    rotatedQuadratic: { value: 0.0004, grid: [4.44e-05, 0.000133, 0.0004, 0.0012, 0.0036] },
    rosenbrock: { value: 1e-05, grid: [3.33e-06, 1e-05, 3e-05, 9e-05, 0.00027] },
    rastrigin: { value: 3.33e-05, grid: [1.11e-05, 3.33e-05, 0.0001, 0.0003, 0.0009], options: {sigma: 0.5} },
    logisticRegression: { value: 0.09, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
    noisySphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    lowRankMatrix: { value: 0.15, grid: [0.00556, 0.0167, 0.05, 0.15, 0.45] },
  },
  cge: {
    sphere: { value: 0.3, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    rotatedQuadratic: { value: 0.01, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rosenbrock: { value: 0.0009, grid: [3.33e-05, 0.0001, 0.0003, 0.0009, 0.0027] },
    rastrigin: { value: 0.162, grid: [0.000222, 0.000667, 0.002, 0.006, 0.018, 0.054, 0.162], options: {sigma: 0.5} },
    logisticRegression: { value: 9.0, grid: [0.111, 0.333, 1.0, 3.0, 9.0, 27.0] },
    noisySphere: { value: 0.3, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    lowRankMatrix: { value: 0.9, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
  },
  lozo: {
    sphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    rotatedQuadratic: { value: 0.0004, grid: [4.44e-05, 0.000133, 0.0004, 0.0012, 0.0036] },
    rosenbrock: { value: 1e-05, grid: [3.33e-06, 1e-05, 3e-05, 9e-05, 0.00027] },
    rastrigin: { value: 1.11e-05, grid: [3.7e-06, 1.11e-05, 3.33e-05, 0.0001, 0.0003, 0.0009] },
    logisticRegression: { value: 0.09, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
    noisySphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    lowRankMatrix: { value: 0.075, grid: [0.00278, 0.00833, 0.025, 0.075, 0.225] },
  },
  lozoM: {
    sphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    rotatedQuadratic: { value: 0.0004, grid: [4.44e-05, 0.000133, 0.0004, 0.0012, 0.0036] },
    rosenbrock: { value: 3.33e-06, grid: [1.11e-06, 3.33e-06, 1e-05, 3e-05, 9e-05, 0.00027] },
    rastrigin: { value: 1.11e-05, grid: [3.7e-06, 1.11e-05, 3.33e-05, 0.0001, 0.0003, 0.0009] },
    logisticRegression: { value: 0.09, grid: [0.00333, 0.01, 0.03, 0.09, 0.27] },
    noisySphere: { value: 0.005, grid: [0.000556, 0.00167, 0.005, 0.015, 0.045] },
    lowRankMatrix: { value: 0.075, grid: [0.00278, 0.00833, 0.025, 0.075, 0.225] },
  },
  zoRankSgd: {
    sphere: { value: 0.333, grid: [0.111, 0.333, 1.0, 3.0, 9.0] },
    rotatedQuadratic: { value: 1.0, grid: [0.111, 0.333, 1.0, 3.0, 9.0] },
    rosenbrock: { value: 1.0, grid: [0.111, 0.333, 1.0, 3.0, 9.0] },
    rastrigin: { value: 0.037, grid: [0.0123, 0.037, 0.111, 0.333, 1.0, 3.0, 9.0] },
    logisticRegression: { value: 1.0, grid: [0.111, 0.333, 1.0, 3.0, 9.0] },
    noisySphere: { value: 0.333, grid: [0.111, 0.333, 1.0, 3.0, 9.0] },
    lowRankMatrix: { value: 1.0, grid: [0.111, 0.333, 1.0, 3.0, 9.0] },
  },
  exactGradient: {
    sphere: { value: 0.3, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    rotatedQuadratic: { value: 0.01, grid: [0.00111, 0.00333, 0.01, 0.03, 0.09] },
    rosenbrock: { value: 0.0009, grid: [3.33e-05, 0.0001, 0.0003, 0.0009, 0.0027] },
    rastrigin: { value: 0.000222, grid: [7.41e-05, 0.000222, 0.000667, 0.002, 0.006, 0.018] },
    logisticRegression: { value: 9.0, grid: [0.111, 0.333, 1.0, 3.0, 9.0, 27.0] },
    noisySphere: { value: 0.3, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    lowRankMatrix: { value: 0.9, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
  },
  // rotatedQuadratic: no value of the 20,000-query grid reached 10⁻³ (0.1 ended lowest, 8.3e-3); the value is
  // the one whose median over seeds 1–5 reached it soonest within the 50,000-query acceptance budget
  // (0.15: 40,641; 0.2–0.4 stall or diverge on 2–3 seeds; 0.5 on all five).
  zoSah: {
    sphere: { value: 0.9, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    rotatedQuadratic: { value: 0.15, grid: [0.15, 0.2, 0.25, 0.3, 0.4, 0.5] },
    rosenbrock: { value: 0.1, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    rastrigin: { value: 0.0333, grid: [0.0111, 0.0333, 0.1, 0.3, 0.9, 2.7] },
    logisticRegression: { value: 0.3, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    noisySphere: { value: 0.9, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
    lowRankMatrix: { value: 0.3, grid: [0.0333, 0.1, 0.3, 0.9, 2.7] },
  },
};

/**
 * Families that take the tuned values of another: the fresh-noise forms those of the common-random-numbers
 * form, the noisy rotated quadratic those of the rotated quadratic (the same problem, tuned without noise).
 */
const TUNED_AS: Partial<Record<Family, Family>> = {
  noisySphereFresh: 'noisySphere',
  noisyRotatedQuadratic: 'rotatedQuadratic',
  noisyRotatedQuadraticFresh: 'rotatedQuadratic',
};

/** The settings of `method` on `family`: the table entry, or the untuned fallback. */
export function settingOf(method: string, family: Family): Setting & { readonly untuned: boolean } {
  const base = BASES[method];
  if (base === undefined) {
    const entry = (estimators as Record<string, { variants: readonly object[] } | undefined>)[method];
    return {
      options: { ...(entry?.variants[0] ?? {}) },
      tuned: 'sgd learning rate',
      update: 'sgd',
      schedule: 'constant',
      value: 1e-3,
      scaling: 'inverseDim',
      grid: [],
      note: 'untuned: first registry variant, sgd(1e-3·102/(d + 2))',
      untuned: true,
    };
  }
  const t = TUNED[method]?.[family] ?? TUNED[method]?.[TUNED_AS[family] ?? family];
  if (base.tuned === 'none') {
    return { options: { ...base.options }, tuned: 'none', update: base.update, schedule: base.schedule, value: NaN, scaling: 'none', grid: [], note: base.note, untuned: false };
  }
  return {
    options: { ...base.options, ...(t?.options ?? {}) },
    tuned: base.tuned,
    update: base.update,
    schedule: base.schedule,
    value: t?.value ?? base.centre(family),
    scaling: family === 'lowRankMatrix' ? 'none' : base.scaling,
    grid: t?.grid ?? [],
    note: base.note,
    untuned: t === undefined,
  };
}

/** The tuning grid centre of `method` on `family` (theory; see {@link zoSgdCentre}). */
export function gridCentre(method: string, family: Family): number {
  return BASES[method]?.centre(family) ?? 1e-3;
}

/** The tuned scalar carried from d = 100 to the dimension `dim` of the instance. */
export function scaledValue(value: number, scaling: Scaling, dim: number): number {
  switch (scaling) {
    case 'inverseDim':
      return (value * 102) / (dim + 2);
    case 'inverseSqrtDim':
      return value * Math.sqrt(100 / dim);
    case 'sqrtDim':
      return value * Math.sqrt(dim / 100);
    case 'none':
      return value;
  }
}

/** Queries per dimension over which cosine schedules decay (the tuning budget, 20,000 at d = 100). */
export const COSINE_QUERIES_PER_DIM = 200;

/** What {@link buildMethod} returns. */
export interface BuiltMethod {
  readonly estimator: Estimator<unknown>;
  readonly update: Transform<unknown>;
  /** The scalar used at this d. */
  readonly value: number;
  /** E.g. `sgd(3.1e-4), constant` or `identity; lineSearch.initialStep = 1`. */
  readonly label: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** True when the table had no tuned entry (theory centre or untuned fallback). */
  readonly untuned: boolean;
}

/**
 * Builds the estimator and step rule of `method` on `family` at dimension `dim` for a run of `budget` queries.
 * `override` replaces the tuned value (and merges options) for tuning runs.
 */
export function buildMethod(
  method: string,
  family: Family,
  params: Params,
  budget: number,
  override?: { readonly value: number; readonly options?: Readonly<Record<string, unknown>> },
): BuiltMethod {
  const s = settingOf(method, family);
  const dim = params.reduce((n, b) => n + b.data.length, 0);
  const value = override?.value ?? scaledValue(s.value, s.scaling, dim);
  if (s.tuned === 'none') {
    const entry = (estimators as Record<string, { build(o?: object): Estimator<unknown> }>)[method];
    if (entry === undefined) throw new Error(`unknown estimator ${method}`);
    const opts: Record<string, unknown> = { ...s.options, ...(override?.options ?? {}) };
    return { estimator: entry.build(opts), update: identity() as Transform<unknown>, value: NaN, label: 'identity (own trust-region steps, no learning rate)', options: opts, untuned: false };
  }
  const options: Record<string, unknown> = { ...s.options, ...(override?.options ?? {}) };
  if (s.tuned === 'options.learningRate') options['learningRate'] = value;
  if (s.tuned === 'options.lineSearch.initialStep') options['lineSearch'] = { initialStep: value, shrink: 0.5 };
  const entry = (estimators as Record<string, { build(o?: object): Estimator<unknown> }>)[method];
  if (entry === undefined) throw new Error(`unknown estimator ${method}`);
  const estimator = entry.build(options);
  let update: Transform<unknown>;
  let label: string;
  if (s.update === 'identity') {
    update = identity() as Transform<unknown>;
    label = `identity; ${s.tuned.replace('options.', '')} = ${fmt(value)}`;
  } else if (s.schedule === 'cosine') {
    // The decay spans the tuning run's length per dimension (20,000 queries at d = 100), or the budget if
    // shorter, so the schedule at d = 100 is the one that was tuned whatever the budget; after it, η/1000.
    const horizon = Math.min(budget, COSINE_QUERIES_PER_DIM * dim);
    const steps = Math.max(1, Math.floor(horizon / estimator.queriesPerStep(params)));
    update = sgd(cosineDecay({ init: value, steps, final: value / 1000 })) as Transform<unknown>;
    label = `sgd(${fmt(value)}), cosine → ${fmt(value / 1000)} over ${steps} steps`;
  } else {
    update = sgd(value) as Transform<unknown>;
    label = `sgd(${fmt(value)}), constant`;
  }
  return { estimator, update, value, label, options, untuned: s.untuned };
}

const fmt = (v: number): string => (v >= 1e-2 && v < 1e3 ? String(+v.toPrecision(3)) : v.toExponential(2));
