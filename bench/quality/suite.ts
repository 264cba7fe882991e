/**
 * The quality suite: which problems, dimensions, seeds and query budgets every method runs on.
 *
 * Methods are every entry of the estimator registry (`estimators` in estimators/index.ts, read at run time, so
 * new entries join automatically) plus the Python peers (bench/peers: SciPy Nelder–Mead, Powell, COBYLA;
 * NLopt NEWUOA, BOBYQA, COBYLA; CMA-ES; Optuna TPE and CMA-ES). Problems are nine families; `d` is 2, 10, 100 or
 * 1000 where the family allows it (lowRankMatrix uses its own matrix shapes of about that size;
 * logisticRegression stops at d = 100, see {@link FAMILIES}). The noisy families come in two forms: common
 * random numbers (the oracle honours the noise key each query carries; a peer, whose queries carry none, gets one
 * fixed key per run — a user fixing the simulator's seed) and fresh noise (every query a new draw, whatever key
 * it carries — a plain noisy black box).
 */
import { PEER_METHODS, type PeerMethod } from '../peers/peerMethods.js';
import { estimators } from '../../estimators/index.js';
import { logisticRegression } from '../../problems/logisticRegression.js';
import { lowRankMatrix } from '../../problems/lowRankMatrix.js';
import type { Problem } from '../../problems/problem.js';
import { quadratic } from '../../problems/quadratic.js';
import { rastrigin } from '../../problems/rastrigin.js';
import { rosenbrock } from '../../problems/rosenbrock.js';
import { sphere } from '../../problems/sphere.js';
import { noisy } from '../../problems/wrappers/noisy.js';
import { rotated } from '../../problems/wrappers/rotated.js';

/** The problem families of the suite. */
export const FAMILY_NAMES = [
  'sphere',
  'rotatedQuadratic',
  'rosenbrock',
  'rastrigin',
  'logisticRegression',
  'noisySphere',
  'noisySphereFresh',
  'noisyRotatedQuadratic',
  'noisyRotatedQuadraticFresh',
  'lowRankMatrix',
] as const;
export type Family = (typeof FAMILY_NAMES)[number];

/** The peers that run in quick mode (`npm start`): the cheap ones (the full suite runs all of them). */
export const QUICK_PEERS = ['SciPy Nelder-Mead', 'SciPy Powell', 'SciPy COBYLA', 'NLopt NEWUOA', 'CMA-ES'] as const;

/** Families left out of quick mode (`npm start`): the second noise form of each noisy problem. */
export const FULL_ONLY: readonly Family[] = ['noisySphereFresh', 'noisyRotatedQuadratic'];

/** A built problem instance with what the benchmark needs to measure it. */
export interface Instance {
  /** What the optimizer queries (may be noisy). */
  readonly problem: Problem;
  /** Human-readable instance name, e.g. `rotated(quadratic(d=100, κ=100))`. */
  readonly label: string;
  /** The noise-free objective that suboptimality is measured on. */
  readonly truth: (x: Float32Array) => number;
  /** f*. */
  readonly fStar: number;
  /** The starting point of the run with this seed. */
  x0(seed: number): Float32Array;
  /** True when x0 does not depend on the seed (the deterministic peers then run once). */
  readonly fixedStart: boolean;
  /** Evaluation noise: none, common random numbers (keys honoured), or a fresh draw per query. */
  readonly noise: 'none' | 'crn' | 'fresh';
  /** The box peers that need one (Optuna) search in: the problem's bounds, else x0 ± 2·max(1, ‖x0‖∞). */
  box(x0: Float32Array): { readonly lower: Float64Array; readonly upper: Float64Array };
}

interface FamilyInfo {
  readonly title: string;
  readonly dims: readonly number[];
  readonly build: (d: number) => Instance;
}

/** lowRankMatrix's own shapes at nominal d = 100 and 1000 (no d = 10: a 5 × 2 matrix with k = 2 is square in B, not low-rank). */
const LOW_RANK_SHAPES: Record<number, { rows: number; cols: number }> = { 100: { rows: 10, cols: 10 }, 1000: { rows: 40, cols: 25 } };
/** Rank k of lowRankMatrix's gradient (and of its target), the same at every size. */
export const LOW_RANK_K = 2;
/** Noise sd of noisySphere relative to E f(x0) = d/3: 1 % of the initial gap (10× the target gap). */
export const NOISE_FRACTION = 0.01;
/** Samples per weight of logisticRegression (n = 5d). */
export const LOGISTIC_SAMPLES_PER_DIM = 5;

const plain = (problem: Problem, label: string, fStar: number): Instance => ({
  problem,
  label,
  truth: (x) => problem.value(x),
  fStar,
  x0: (seed) => problem.initialPoint(seed),
  fixedStart: false,
  noise: 'none',
  box: (x0) => {
    const b = problem.bounds;
    if (b !== undefined) return { lower: new Float64Array(x0.length).fill(b.lower), upper: new Float64Array(x0.length).fill(b.upper) };
    let scale = 1;
    for (const v of x0) scale = Math.max(scale, Math.abs(v));
    return { lower: Float64Array.from(x0, (v) => v - 2 * scale), upper: Float64Array.from(x0, (v) => v + 2 * scale) };
  },
});

/** The noisy rotated quadratic of the noise target: sd = 1 % of f(x0) − f* from x0 = 1. */
function noisyRotated(d: number, noise: 'crn' | 'fresh'): Instance {
  const inner = rotated(quadratic({ dim: d, condition: 100 }), 1);
  const x0 = new Float32Array(d).fill(1);
  const sd = NOISE_FRACTION * inner.value(x0);
  const problem = noisy(inner, sd);
  const form = noise === 'crn' ? 'common random numbers' : 'fresh noise per query';
  return {
    ...plain(problem, `noisy(rotated(quadratic(d=${d}, κ=100), seed 1), sd=${+sd.toPrecision(3)}), x0 = 1, ${form}`, 0),
    truth: (x) => inner.value(x),
    x0: () => x0.slice(),
    fixedStart: true,
    noise,
  };
}

function noisySphere(d: number, noise: 'crn' | 'fresh'): Instance {
  const inner = sphere({ dim: d });
  const sd = (NOISE_FRACTION * d) / 3;
  const problem = noisy(inner, sd);
  const form = noise === 'crn' ? 'common random numbers' : 'fresh noise per query';
  return { ...plain(problem, `noisy(sphere(d=${d}), sd=${+sd.toPrecision(3)}), ${form}`, 0), truth: (x) => inner.value(x), noise };
}

/** The families: how each is built at a nominal dimension d, and at which d it runs. */
export const FAMILIES: Record<Family, FamilyInfo> = {
  sphere: { title: 'sphere', dims: [10, 100, 1000], build: (d) => plain(sphere({ dim: d }), `sphere(d=${d})`, 0) },
  rotatedQuadratic: {
    title: 'rotated ill-conditioned quadratic',
    dims: [10, 100, 1000],
    build: (d) => {
      const problem = rotated(quadratic({ dim: d, condition: 100 }), 1);
      return { ...plain(problem, `rotated(quadratic(d=${d}, κ=100), seed 1), x0 = 1`, 0), x0: () => new Float32Array(d).fill(1), fixedStart: true };
    },
  },
  rosenbrock: { title: 'Rosenbrock', dims: [2, 10, 100, 1000], build: (d) => plain(rosenbrock({ dim: d }), `rosenbrock(d=${d})`, 0) },
  rastrigin: { title: 'Rastrigin', dims: [10, 100, 1000], build: (d) => plain(rastrigin({ dim: d }), `rastrigin(d=${d})`, 0) },
  logisticRegression: {
    title: 'logistic regression',
    // d = 1000 (n = 5000) costs ~10 ms per evaluation here: a budget that lets ZO methods move (10⁵ queries)
    // would take ~20 min per run, so the family stops at d = 100.
    dims: [10, 100],
    build: (d) => {
      const problem = logisticRegression({ dim: d, samples: LOGISTIC_SAMPLES_PER_DIM * d, seed: 0, l2: 1e-3 });
      return plain(problem, `logisticRegression(d=${d}, n=${LOGISTIC_SAMPLES_PER_DIM * d}, l2=1e-3)`, problem.optimum.value);
    },
  },
  noisySphere: { title: 'noisy sphere (common random numbers)', dims: [10, 100, 1000], build: (d) => noisySphere(d, 'crn') },
  noisySphereFresh: { title: 'noisy sphere (fresh noise per query)', dims: [10, 100, 1000], build: (d) => noisySphere(d, 'fresh') },
  noisyRotatedQuadratic: { title: 'noisy rotated quadratic (common random numbers)', dims: [100], build: (d) => noisyRotated(d, 'crn') },
  noisyRotatedQuadraticFresh: { title: 'noisy rotated quadratic (fresh noise per query)', dims: [100], build: (d) => noisyRotated(d, 'fresh') },
  lowRankMatrix: {
    title: 'low-rank matrix',
    dims: [100, 1000],
    build: (d) => {
      const s = LOW_RANK_SHAPES[d]!;
      return plain(lowRankMatrix({ rows: s.rows, cols: s.cols, rank: LOW_RANK_K, seed: 0 }), `lowRankMatrix(${s.rows}×${s.cols}, rank ${LOW_RANK_K})`, 0);
    },
  },
};

const cache = new Map<string, Instance>();

/** The instance of `family` at nominal dimension `d` (built once per process). */
export function instance(family: Family, d: number): Instance {
  const key = `${family}:${d}`;
  let inst = cache.get(key);
  if (inst === undefined) {
    inst = FAMILIES[family].build(d);
    cache.set(key, inst);
  }
  return inst;
}

/** One run of the suite. */
export interface Task {
  readonly kind: 'zeroth' | 'peer';
  /** Registry key, or the peer method name (bench/peers/peerMethods.ts). */
  readonly method: string;
  readonly family: Family;
  /** Nominal dimension (10, 100, 1000). */
  readonly d: number;
  readonly seed: number;
  /** Query budget. */
  readonly budget: number;
  /** Stop as soon as the relative suboptimality is ≤ 10⁻³ (quick mode and tuning). */
  readonly stopAtTarget: boolean;
  /** Overrides of the hyperparameter table (tuning runs only). */
  readonly override?: { readonly value: number; readonly options?: Readonly<Record<string, unknown>> };
}

/**
 * The estimators of the registry that minimise functions, in registry order: those answered by values,
 * rankings or gradients. Policy-gradient estimators (response 'rollouts') need episodes and run in bench/rl.
 */
export function registryMethods(): string[] {
  return Object.entries(estimators as Record<string, { response: string }>)
    .filter(([, e]) => e.response !== 'rollouts')
    .map(([name]) => name);
}

/** Estimators that are not zeroth-order (compared, but not held to the ZO acceptance targets). */
export function isFirstOrder(method: string): boolean {
  const entry = (estimators as Record<string, { response: string } | undefined>)[method];
  return entry?.response === 'valueAndGrad';
}

/** Acceptance budgets on rotated(quadratic(100, κ = 100)) from x0 = 1: 20,000 for these three, 50,000 for the others. */
export const FAST_ACCEPTANCE = ['spsa', 'mezo', 'zoRankSgd'] as const;
export const acceptanceBudget = (method: string): number => ((FAST_ACCEPTANCE as readonly string[]).includes(method) ? 20_000 : 50_000);

/** The modes of the suite. */
export type Mode = 'quick' | 'full';

/** Methods whose runs on the d = 1000 rotated quadratic get 20,000 queries (the others 5,000). */
export const LONG_D1000 = ['subspaceTrustRegion'] as const;

/** Query budget of a cell. */
export function budgetOf(mode: Mode, family: Family, d: number, method = ''): number {
  const noisyRotated = family === 'noisyRotatedQuadratic' || family === 'noisyRotatedQuadraticFresh';
  if (mode === 'quick') {
    if (noisyRotated) return 2_000;
    return d <= 10 ? 2_000 : family === 'logisticRegression' ? 5_000 : 10_000;
  }
  if (noisyRotated) return 20_000;
  if (d <= 10) return 5_000;
  if (d <= 100) return 50_000;
  // d = 1000: an evaluation of the rotated quadratic costs ~4.5 ms here (a rotation of 10⁶ flops), so its
  // budget is 5,000 queries (~25 s per run) — 20,000 for the methods held to the d = 1000 target and for the
  // peers, which stop at their time limit; the O(d) problems get 50,000 (50 queries per dimension).
  if (family === 'rotatedQuadratic') return (LONG_D1000 as readonly string[]).includes(method) || PEER_METHODS.some((p) => p.name === method) ? 20_000 : 5_000;
  return 50_000;
}

/** The peers of a mode that accept this dimension. */
export function peersFor(mode: Mode, d: number, available: (m: PeerMethod) => boolean): PeerMethod[] {
  return PEER_METHODS.filter((m) => available(m) && d >= m.minDim && (mode === 'full' || (QUICK_PEERS as readonly string[]).includes(m.name)));
}

/**
 * Every task of a mode. `methods` defaults to the whole registry; `peers` decides which peer methods can run
 * (default: none).
 */
export function suiteTasks(
  mode: Mode,
  options: { methods?: readonly string[]; peers?: (m: PeerMethod) => boolean; families?: readonly Family[]; dims?: readonly number[] } = {},
): Task[] {
  const methods = options.methods ?? registryMethods();
  const tasks: Task[] = [];
  for (const family of options.families ?? FAMILY_NAMES.filter((f) => mode === 'full' || !FULL_ONLY.includes(f))) {
    for (const d of FAMILIES[family].dims) {
      if (mode === 'quick' && d > 100) continue;
      if (options.dims !== undefined && !options.dims.includes(d)) continue;
      // The acceptance and target cells get 5 seeds in both modes; quick mode stops the rotated-quadratic runs at the target.
      // The acceptance cells (both modes) and, in full mode, the query-efficiency target cells.
      const acceptanceCell = d === 100 && (family === 'rotatedQuadratic' || family === 'lowRankMatrix');
      const targetCell =
        acceptanceCell ||
        (d === 100 && (family === 'sphere' || family === 'logisticRegression')) ||
        family === 'noisyRotatedQuadraticFresh' ||
        (family === 'rosenbrock' && d <= 10) ||
        (family === 'logisticRegression' && d === 10) ||
        (family === 'rotatedQuadratic' && d === 10);
      const seeds = mode === 'full' || acceptanceCell ? [1, 2, 3, 4, 5] : [1, 2, 3];
      const peers = peersFor(mode, d, options.peers ?? (() => false));
      for (const seed of seeds) {
        for (const method of methods) {
          let budget = budgetOf(mode, family, d, method);
          if (mode === 'quick' && family === 'rotatedQuadratic' && d === 100) budget = acceptanceBudget(method);
          tasks.push({ kind: 'zeroth', method, family, d, seed, budget, stopAtTarget: mode === 'quick' && family === 'rotatedQuadratic' && d === 100 });
        }
        // The peers pay O(d²) or more per iteration (COBYLA most): one seed at d = 100 in quick mode and at
        // d = 1000 in full mode, except on the target cells.
        if (seed === 1 || d <= 10 || (mode === 'full' && (targetCell || d <= 100))) {
          for (const m of peers) tasks.push({ kind: 'peer', method: m.name, family, d, seed, budget: budgetOf(mode, family, d, m.name), stopAtTarget: false });
        }
      }
    }
  }
  return tasks;
}
