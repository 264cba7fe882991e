import type { Backend } from './backend/backend.js';
import { InvalidHyperparameter, InvalidInput, ObjectiveError, ZerothError } from './errors.js';
import type { Estimator } from './estimator.js';
import { evaluateProbes, type RestoreMode } from './eval/evaluateProbes.js';
import { queriesSpent } from './eval/queriesSpent.js';
import { rankingFromValues, valueOracle } from './oracle/adapters.js';
import type { Oracle, ValueOracle } from './oracle/oracle.js';
import { optimizer } from './optimizer.js';
import { checkSeed } from './rng/seedStream.js';
import { checkBudget, runOptimizer, type Budget, type StoppedBy } from './run.js';
import type { StepInfo, Stopper } from './stoppers.js';
import type { Transform } from './transform/transform.js';
import type { EvalContext, MaybePromise, Params, ProbeBatch } from './types.js';

/** An objective on a flat vector. `x` is a fresh copy the function may keep or modify. */
export type Objective = (x: Float32Array, context: EvalContext) => MaybePromise<number>;

/**
 * An objective with a known dimension and, optionally, an exact gradient: every problem of
 * `zeroth/problems` is one. `minimize` checks `x0` against `dim` and feeds `grad` to first-order estimators.
 */
export interface ObjectiveLike {
  readonly name?: string;
  readonly dim: number;
  /** Shape of x (row-major, product = dim), e.g. `[rows, cols]`: the parameter block gets it. Default `[dim]`. */
  readonly shape?: readonly number[];
  value(x: Float32Array, context?: EvalContext): number;
  grad?(x: Float32Array, out: Float32Array): void;
}

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** The gradient estimator, e.g. `spsa({ sigma: 1e-2 })`. */
  readonly estimator: Estimator<unknown>;
  /** The step rule, e.g. `sgd(1e-3)` or `adam(1e-2)`. */
  readonly update: Transform<unknown>;
  /** Limits; at least one of queries, steps, timeMs, signal, or a stopper is required. */
  readonly budget: Budget;
  /** Run seed (uint32): the whole run is a pure function of it. @defaultValue 0 */
  readonly seed?: number;
  readonly stoppers?: readonly Stopper[];
  readonly onStep?: (info: StepInfo) => void | boolean;
  readonly backend?: Backend;
  /**
   * How probes are undone. `minimize` defaults to `'exact'` (one saved copy of x, restored by assignment),
   * so a failing objective leaves x bit for bit at its last good value. @defaultValue 'exact'
   */
  readonly restore?: RestoreMode;
  /**
   * Evaluate f once more at the returned x (one query, held back from the budget) so that `value` is f(x).
   * When false, `value` is the estimator's value of the last step. @defaultValue true
   */
  readonly evaluateFinal?: boolean;
  /**
   * What the estimator may ask: `'value'` (f is called once per probe) or `'ranking'` (candidates are ordered
   * by f). Defaults to what the estimator needs. First-order estimators need {@link MinimizeOptions.gradient}
   * or an objective with `grad`.
   */
  readonly oracle?: 'value' | 'ranking';
  /** ∇f, for first-order baselines: writes the gradient at x into `out` and returns f(x). */
  readonly gradient?: (x: Float32Array, out: Float32Array, context: EvalContext) => MaybePromise<number>;
}

/** The outcome of {@link minimize}. */
export interface MinimizeResult {
  /** The final parameters (the last good ones if the objective failed). */
  readonly x: Float32Array;
  /** f(x) when `evaluateFinal` (default), else the last step's value; NaN when the run ended in an error. */
  readonly value: number;
  readonly queries: number;
  readonly steps: number;
  readonly history: readonly StepInfo[];
  readonly stoppedBy: StoppedBy;
}

/**
 * Minimises `f` from `x0` with a zeroth-order estimator and a step rule, within a budget: the one-call
 * convenience over {@link optimizer} and {@link runOptimizer}.
 *
 * Errors in the inputs throw typed errors before any query. An objective that throws (whatever it throws: a
 * nested zeroth run's errors are the objective's too) or returns NaN/±∞ or a non-number mid-run ends the run:
 * `x` holds the last good parameters, `stoppedBy.error` the error, and `queries` counts every evaluation that
 * happened, the failing one included.
 *
 * `budget.timeMs` and `budget.signal` work with synchronous objectives too: the run gives the event loop a turn
 * every few milliseconds (a timer that aborts the signal fires), and checks them between steps. One evaluation
 * that never returns cannot be interrupted in this thread; to bound a possibly hanging program, tune it with
 * `tune` and the worker-thread executor of `zeroth/node`, which terminates an evaluation that runs out of time.
 *
 * @example
 * ```ts
 * import { minimize, sgd } from 'zeroth';
 * import { spsa } from 'zeroth/estimators';
 * const result = await minimize((x) => x.reduce((s, v) => s + v * v, 0), [1, 2, 3], {
 *   estimator: spsa({ sigma: 1e-2 }), update: sgd(0.05), budget: { queries: 4000 }, seed: 42 });
 * // result: { x, value, queries, steps, history, stoppedBy }
 * ```
 */
export async function minimize(
  objective: Objective | ObjectiveLike,
  x0: ArrayLike<number>,
  options: MinimizeOptions,
): Promise<MinimizeResult> {
  const x = checkStart(x0);
  let shape: readonly number[] = [x.length];
  let f: Objective;
  let gradient = options?.gradient;
  if (typeof objective === 'function') {
    f = objective;
  } else if (objective !== null && typeof objective === 'object' && typeof objective.value === 'function') {
    const p = objective;
    if (x.length !== p.dim) {
      throw new InvalidInput('x0', `it has length ${x.length} but the objective has dim ${p.dim}`, `Pass a starting point of length ${p.dim}.`);
    }
    if (p.shape !== undefined) shape = checkShape(p.shape, p.dim);
    f = (v, c) => p.value(v, c);
    if (gradient === undefined && p.grad !== undefined) {
      const g = p.grad.bind(p);
      gradient = (v, out, c) => (g(v, out), p.value(v, c));
    }
  } else {
    throw new InvalidInput('objective', `got ${objective === null ? 'null' : typeof objective}`, 'Pass a function (x: Float32Array) => number or an object with dim and value(x).');
  }
  if (options === undefined || options.estimator === undefined) {
    throw new InvalidHyperparameter('estimator', undefined, "is required, e.g. { estimator: spsa({ sigma: 1e-2 }) } from 'zeroth/estimators'");
  }
  if (options.update === undefined) throw new InvalidHyperparameter('update', undefined, 'is required, e.g. { update: sgd(1e-3) }');
  if (options.estimator.response === 'rollouts') {
    throw new InvalidHyperparameter('estimator', options.estimator.name, 'needs episodes, not function values: step it with optimizer() on a rolloutsOracle({ environment, policy })');
  }
  const budget = options.budget ?? {};
  checkBudget(budget);
  if (budget.queries === undefined && budget.steps === undefined && budget.timeMs === undefined && budget.signal === undefined && !options.stoppers?.length) {
    throw new InvalidHyperparameter('budget', budget, 'must set at least one of queries, steps, timeMs or signal (or pass stoppers)');
  }
  const seed = checkSeed(options.seed ?? 0);
  const evaluateFinal = options.evaluateFinal ?? true;
  if (evaluateFinal && budget.queries !== undefined && budget.queries < 2) {
    throw new InvalidHyperparameter('budget.queries', budget.queries, 'must be ≥ 2 when evaluateFinal is on (one query is held back for f(x))');
  }
  const params: Params = [{ name: 'x', shape: [...shape], data: x }];
  const oracle = makeOracle(f, options.estimator.response === 'valueAndGrad' ? gradient : undefined, options.oracle ?? (options.estimator.response === 'ranking' ? 'ranking' : 'value'));
  if (options.estimator.response === 'valueAndGrad' && gradient === undefined) {
    throw new InvalidHyperparameter('gradient', undefined, `is required by the first-order estimator "${options.estimator.name}": pass options.gradient or an objective with grad()`);
  }
  const opt = optimizer({
    estimator: options.estimator,
    update: options.update,
    ...(options.backend ? { backend: options.backend } : {}),
    restore: options.restore ?? 'exact',
  });
  const run = await runOptimizer(opt, params, oracle, opt.init(params, seed), {
    budget,
    reserveQueries: evaluateFinal ? 1 : 0,
    ...(options.stoppers ? { stoppers: options.stoppers } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
  const out = Float32Array.from(params[0]!.data);
  let value = run.history.length > 0 ? run.history[run.history.length - 1]!.value : NaN;
  let queries = run.queries;
  let stoppedBy = run.stoppedBy;
  if (stoppedBy.reason === 'error') value = NaN;
  else if (evaluateFinal) {
    // f(x) at the returned x, through the same boundary as every other query (one probe at x itself).
    const at: Params = [{ name: 'x', shape: [...shape], data: out.slice() }];
    const final: ProbeBatch = { probes: [{ direction: { kind: 'none' }, scale: 0, noiseKey: 0 }], response: 'values' };
    try {
      const r = await evaluateProbes(opt.backend, at, final, valueOf(f), { step: run.state.step, estimator: options.estimator.name });
      value = r.responses.kind === 'values' ? r.responses.values[0]! : NaN;
      queries += r.queries;
    } catch (e) {
      queries += queriesSpent(e);
      const error = e instanceof ZerothError ? e : new ObjectiveError(e, 'the final evaluation');
      stoppedBy = { reason: 'error', message: error.message, error };
      value = NaN;
    }
  }
  return { x: out, value, queries, steps: run.steps, history: run.history, stoppedBy };
}

function checkShape(shape: readonly number[], dim: number): readonly number[] {
  const ok = Array.isArray(shape) && shape.every((s) => Number.isInteger(s) && s >= 1) && shape.reduce((a, s) => a * s, 1) === dim;
  if (!ok) throw new InvalidInput('objective.shape', `[${String(shape)}] does not describe ${dim} elements`, 'Give positive integer sizes whose product is dim.');
  return shape;
}

function checkStart(x0: ArrayLike<number>): Float32Array {
  if (x0 === null || typeof x0 !== 'object' || typeof x0.length !== 'number') {
    throw new InvalidInput('x0', `got ${x0 === null ? 'null' : typeof x0}`, 'Pass the starting point as an array or typed array of numbers.');
  }
  if (x0.length === 0) throw new InvalidInput('x0', 'it is empty', 'Pass a starting point with at least one coordinate.');
  for (let i = 0; i < x0.length; i++) {
    const v = x0[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInput('x0', `x0[${i}] is ${String(v)}`, 'Every coordinate of the starting point must be a finite number.');
    }
    if (Math.abs(v) > 3.4e38) throw new InvalidInput('x0', `x0[${i}] = ${v} overflows float32`, 'Rescale the problem so |x| < 3.4e38.');
  }
  return Float32Array.from(x0);
}

function makeOracle(f: Objective, grad: MinimizeOptions['gradient'], kind: 'value' | 'ranking'): Oracle<Params> {
  if (grad !== undefined) {
    return {
      kind: 'gradient',
      async valueAndGrad(p: Params, c: EvalContext) {
        const out = new Float32Array(p[0]!.data.length);
        const value = await grad(p[0]!.data.slice(), out, c);
        return { value, grad: [out] };
      },
    };
  }
  const value = valueOf(f);
  return kind === 'ranking' ? rankingFromValues(value) : value;
}

/** The objective as a value oracle on one block: `f` receives a fresh copy of x. */
function valueOf(f: Objective): ValueOracle<Params> {
  return valueOracle((p: Params, c: EvalContext) => f(p[0]!.data.slice(), c));
}
