/**
 * The quality suite: which problems, dimensions, seeds and query budgets every method runs on.
 *
 * Methods are every entry of the estimator registry (`estimators` in estimators/index.ts, read at run time, so
 * new entries join automatically) plus the SciPy peers (Nelder–Mead, Powell, COBYLA). Problems are seven
 * families; `d` is 10, 100 or 1000 where the family allows it (lowRankMatrix uses its own matrix shapes of about
 * that size; logisticRegression stops at d = 100, see {@link FAMILIES}).
 */
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
export const FAMILY_NAMES = ['sphere', 'rotatedQuadratic', 'rosenbrock', 'rastrigin', 'logisticRegression', 'noisySphere', 'lowRankMatrix'] as const;
export type Family = (typeof FAMILY_NAMES)[number];

/** The SciPy peers (scipy.optimize.minimize methods). */
export const SCIPY_METHODS = ['Nelder-Mead', 'Powell', 'COBYLA'] as const;
export type ScipyMethod = (typeof SCIPY_METHODS)[number];

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
  /** True when x0 does not depend on the seed (the deterministic SciPy peers then run once). */
  readonly fixedStart: boolean;
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
});

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
  rosenbrock: { title: 'Rosenbrock', dims: [10, 100, 1000], build: (d) => plain(rosenbrock({ dim: d }), `rosenbrock(d=${d})`, 0) },
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
  noisySphere: {
    title: 'noisy sphere',
    dims: [10, 100, 1000],
    build: (d) => {
      const inner = sphere({ dim: d });
      const sd = (NOISE_FRACTION * d) / 3;
      const problem = noisy(inner, sd);
      return { ...plain(problem, `noisy(sphere(d=${d}), sd=${+sd.toPrecision(3)})`, 0), truth: (x) => inner.value(x) };
    },
  },
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
  readonly kind: 'zeroth' | 'scipy';
  /** Registry key, or the SciPy method name. */
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

/** Query budget of a cell. */
export function budgetOf(mode: Mode, family: Family, d: number): number {
  if (mode === 'quick') return d <= 10 ? 2_000 : family === 'logisticRegression' ? 5_000 : 10_000;
  if (d <= 10) return 5_000;
  if (d <= 100) return 50_000;
  // d = 1000: an evaluation of the rotated quadratic costs ~4.5 ms here (a rotation of 10⁶ flops), so its
  // budget is 5,000 queries (~25 s per run); the O(d) problems get 50,000 (50 queries per dimension).
  return family === 'rotatedQuadratic' ? 5_000 : 50_000;
}

/** Every task of a mode. `methods` defaults to the whole registry; `scipy` false leaves the peers out. */
export function suiteTasks(mode: Mode, options: { methods?: readonly string[]; scipy?: boolean; families?: readonly Family[] } = {}): Task[] {
  const methods = options.methods ?? registryMethods();
  const tasks: Task[] = [];
  for (const family of options.families ?? FAMILY_NAMES) {
    for (const d of FAMILIES[family].dims) {
      if (mode === 'quick' && d > 100) continue;
      // The acceptance cells get 5 seeds in both modes; quick mode stops the rotated-quadratic runs at the target.
      const acceptanceCell = d === 100 && (family === 'rotatedQuadratic' || family === 'lowRankMatrix');
      const seeds = mode === 'full' || acceptanceCell ? [1, 2, 3, 4, 5] : [1, 2, 3];
      for (const seed of seeds) {
        for (const method of methods) {
          let budget = budgetOf(mode, family, d);
          if (mode === 'quick' && family === 'rotatedQuadratic' && d === 100) budget = acceptanceBudget(method);
          tasks.push({ kind: 'zeroth', method, family, d, seed, budget, stopAtTarget: mode === 'quick' && family === 'rotatedQuadratic' && d === 100 });
        }
        // The SciPy peers pay O(d²) or more per iteration (COBYLA most): one seed at d = 100 in quick mode and
        // at d = 1000 in full mode.
        if (options.scipy !== false && (seed === 1 || d <= 10 || (mode === 'full' && d <= 100))) {
          for (const method of SCIPY_METHODS) {
            tasks.push({ kind: 'scipy', method, family, d, seed, budget: budgetOf(mode, family, d), stopAtTarget: false });
          }
        }
      }
    }
  }
  return tasks;
}
