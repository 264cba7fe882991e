/**
 * The methods of the tuning suite: zeroth's tuner with candidate estimators (the default among them), random
 * search, and the Python peers. Every method searches the standardised box u ∈ [−1, 1]^dim of the problem's
 * space from the same seeded start u₀ (its first evaluation), and reports the best value after each
 * evaluation.
 */
import seedrandom from 'seedrandom';
import { spsa } from '../../estimators/spsa.js';
import { subspaceTrustRegion } from '../../estimators/subspaceTrustRegion.js';
import type { Estimator } from '../../src/estimator.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { identity } from '../../src/transform/identity.js';
import type { Transform } from '../../src/transform/transform.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import type { Library, PythonPeer } from '../peers/pythonPeer.js';
import type { TuningProblem } from './problems.js';

/** The default estimator of `zeroth tune` (and of this suite's "zeroth default" column). */
export const DEFAULT_LABEL = 'zeroth default (subspaceTrustRegion)';

/** A method of the suite. */
export interface TuningMethod {
  readonly name: string;
  /** The Python library it needs (peers), or undefined. */
  readonly library?: Library;
  /** One line for the report. */
  readonly settings: string;
}

const ZEROTH: Record<string, { settings: string; build: () => { estimator: Estimator<unknown>; update: Transform<unknown> } }> = {
  [DEFAULT_LABEL]: {
    settings: 'subspaceTrustRegion({ bounds: [−1, 1] }) + identity(): no learning rate; radius 0.5 (a quarter of the box), restarts at seeded uniform points once the radius reached 10⁻³',
    build: () => ({ estimator: subspaceTrustRegion({ bounds: { lower: -1, upper: 1 } }) as Estimator<unknown>, update: identity() as Transform<unknown> }),
  },
  'zeroth spsa + adam(0.05)': {
    settings: 'the previous default: spsa({ sigma: 0.1 }) (Rademacher, central, q = 1) + adam(0.05)',
    build: () => ({ estimator: spsa({ sigma: 0.1 }) as Estimator<unknown>, update: adam(0.05) as Transform<unknown> }),
  },
};

export const TUNING_METHODS: readonly TuningMethod[] = [
  ...Object.entries(ZEROTH).map(([name, z]) => ({ name, settings: z.settings })),
  { name: 'random search', settings: 'u₀, then i.i.d. uniform points of the box (seedrandom alea)' },
  { name: 'Optuna TPE', library: 'optuna', settings: 'TPESampler(seed), u₀ enqueued first' },
  { name: 'Optuna CMA-ES', library: 'optuna', settings: 'CmaEsSampler(seed, x0 = u₀, σ0 = 0.5)' },
  { name: 'CMA-ES', library: 'cmaes', settings: 'cmaes.CMA(mean = u₀, σ0 = 0.5, bounds = box), restarts from the best point' },
  { name: 'NLopt BOBYQA', library: 'nlopt', settings: 'LN_BOBYQA in the box from u₀, rhobeg 0.5 (a quarter of the box: the default radius of subspaceTrustRegion with bounds), 2d + 1 points' },
];

/** The seeded start of a run: uniform in the box. */
export function startPoint(dim: number, seed: number): Float64Array {
  const rng = seedrandom.alea(`tuning-start-${seed}`);
  return Float64Array.from({ length: dim }, () => 2 * rng() - 1);
}

/** best[n] = the lowest value among the first n + 1 evaluations. */
export interface Trace {
  readonly best: number[];
  readonly wallMs: number;
}

/** Runs `method` on `problem` for `budget` evaluations from the seeded start. */
export async function runMethod(method: TuningMethod, problem: TuningProblem, budget: number, seed: number, peer?: PythonPeer): Promise<Trace> {
  const sp = problem.space;
  const u0 = startPoint(sp.dim, seed);
  const best: number[] = [];
  let bestValue = Infinity;
  const evaluate = (u: ArrayLike<number>): number => {
    const v = problem.value(sp.decode(u));
    bestValue = Math.min(bestValue, v);
    best.push(bestValue);
    return v;
  };
  const t0 = performance.now();
  const zeroth = ZEROTH[method.name];
  if (zeroth !== undefined) {
    const { estimator, update } = zeroth.build();
    const tuner = createTuner({ space: sp, estimator, update, budget, seed, init: sp.decode(u0) });
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) tuner.tell(t, evaluate(t.u));
  } else if (method.name === 'random search') {
    const rng = seedrandom.alea(`random-search-${problem.name}-${seed}`);
    evaluate(u0);
    while (best.length < budget) evaluate(Array.from({ length: sp.dim }, () => 2 * rng() - 1));
  } else {
    if (peer === undefined) throw new Error(`${method.name} needs the Python peer`);
    // BOBYQA gets subspaceTrustRegion's default radius in the box; CMA-ES σ0 a quarter of the box as well.
    const step = 0.5;
    await peer.run(
      { method: method.name, x0: u0, budget, timeLimitS: 600, seed, step, lower: new Float64Array(sp.dim).fill(-1), upper: new Float64Array(sp.dim).fill(1) },
      (x) => evaluate(Array.from(x, (v) => Math.min(1, Math.max(-1, v)))),
    );
  }
  return { best, wallMs: performance.now() - t0 };
}
