/**
 * The peer methods of the benchmarks (run by bench/peers/pythonPeer.py), what each needs, and the one rule for
 * their initial step: every method gets the same scale from the same start, so none is favoured.
 */
import type { Library } from './pythonPeer.js';

/** A peer method. */
export interface PeerMethod {
  /** Name in reports and tasks, e.g. 'NLopt NEWUOA'. */
  readonly name: string;
  readonly library: Library;
  /** Its own data structures, d = dimension. */
  readonly memory: string;
  /** The options used, for the report. */
  readonly settings: string;
  /** True when it needs a box (Optuna samples from bounded distributions). */
  readonly needsBox: boolean;
  /** Smallest dimension it accepts. */
  readonly minDim: number;
  /** The initial step it gets, as a multiple of max(1, ‖x0‖∞) (or of the box width when there is a box). */
  readonly stepFactor: number;
}

/** Initial trust radius of the model-based methods (NEWUOA, BOBYQA, COBYLA), the default of zeroth's subspaceTrustRegion. */
export const RADIUS_FACTOR = 0.1;
/** CMA-ES's initial σ: a third of the scale of x0 (CMA's usual advice of ¼–⅓ of the search range). */
export const SIGMA_FACTOR = 0.3;

export const PEER_METHODS: readonly PeerMethod[] = [
  {
    name: 'SciPy Nelder-Mead',
    library: 'scipy',
    memory: 'the simplex: (d + 1) × d float64 plus d + 1 values',
    settings: 'maxfev = maxiter = budget, adaptive for d > 10, default tolerances (xatol = fatol = 1e-4)',
    needsBox: false,
    minDim: 1,
    stepFactor: 0,
  },
  {
    name: 'SciPy Powell',
    library: 'scipy',
    memory: 'the direction set: d × d float64',
    settings: 'maxfev = maxiter = budget, default tolerances (xtol = ftol = 1e-4)',
    needsBox: false,
    minDim: 1,
    stepFactor: 0,
  },
  {
    name: 'SciPy COBYLA',
    library: 'scipy',
    memory: 'the simplex and its linear models: O(d²) float64',
    settings: `maxiter = budget, rhobeg = ${RADIUS_FACTOR}·max(1, ‖x0‖∞), default tol (rhoend) 1e-4`,
    needsBox: false,
    minDim: 1,
    stepFactor: RADIUS_FACTOR,
  },
  {
    name: 'NLopt NEWUOA',
    library: 'nlopt',
    memory: 'the model and the factored KKT inverse: O((2d + 1 + d)²) float64',
    settings: `LN_NEWUOA (LN_NEWUOA_BOUND with a box), 2d + 1 points, initial step ${RADIUS_FACTOR}·max(1, ‖x0‖∞), xtol_rel 1e-10, maxeval = budget`,
    needsBox: false,
    minDim: 2,
    stepFactor: RADIUS_FACTOR,
  },
  {
    name: 'NLopt BOBYQA',
    library: 'nlopt',
    memory: 'the model and the factored KKT inverse: O((2d + 1 + d)²) float64',
    settings: `LN_BOBYQA, 2d + 1 points, initial step ${RADIUS_FACTOR}·max(1, ‖x0‖∞), xtol_rel 1e-10, maxeval = budget`,
    needsBox: false,
    minDim: 1,
    stepFactor: RADIUS_FACTOR,
  },
  {
    name: 'NLopt COBYLA',
    library: 'nlopt',
    memory: 'the simplex and its linear models: O(d²) float64',
    settings: `LN_COBYLA, initial step ${RADIUS_FACTOR}·max(1, ‖x0‖∞), xtol_rel 1e-10, maxeval = budget`,
    needsBox: false,
    minDim: 1,
    stepFactor: RADIUS_FACTOR,
  },
  {
    name: 'CMA-ES',
    library: 'cmaes',
    memory: 'mean, covariance and its eigendecomposition: O(d²) float64',
    settings: `cmaes.CMA, default population 4 + ⌊3 ln d⌋, σ0 = ${SIGMA_FACTOR}·max(1, ‖x0‖∞), restart from the best point when it stops`,
    needsBox: false,
    minDim: 1,
    stepFactor: SIGMA_FACTOR,
  },
  {
    name: 'Optuna TPE',
    library: 'optuna',
    memory: 'every trial (n × d) and its Parzen estimators',
    settings: 'TPESampler(seed) (default 10 random startup trials), x0 enqueued as the first trial, one suggest_float per coordinate in the box',
    needsBox: true,
    minDim: 1,
    stepFactor: 0,
  },
  {
    name: 'Optuna CMA-ES',
    library: 'optuna',
    memory: 'every trial (n × d) and the CMA state: O(d²)',
    settings: `CmaEsSampler(seed, x0, σ0 = ${SIGMA_FACTOR}·max(1, ‖x0‖∞)), in the box`,
    needsBox: true,
    minDim: 1,
    stepFactor: SIGMA_FACTOR,
  },
];

/** The peer method called `name`. */
export function peerMethod(name: string): PeerMethod {
  const m = PEER_METHODS.find((p) => p.name === name);
  if (m === undefined) throw new Error(`unknown peer method ${name}`);
  return m;
}

/** The initial step of `method` from x0. */
export function peerStep(method: PeerMethod, x0: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < x0.length; i++) scale = Math.max(scale, Math.abs(x0[i]!));
  return (method.stepFactor || RADIUS_FACTOR) * scale;
}
