import { ZerothError } from './errors.js';
import { queriesSpent } from './eval/queriesSpent.js';
import type { Oracle } from './oracle/oracle.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import type { StepInfo, Stopper } from './stoppers.js';
import { timeSlice } from './timeSlice.js';
import type { Params } from './types.js';
import { integerAtLeast } from './validate.js';

/** Limits of a run. Every field is optional; a run without any limit needs a stopper or a signal. */
export interface Budget {
  /** Maximum oracle queries (every query of a probe pair counts). */
  readonly queries?: number;
  /** Maximum optimizer steps. */
  readonly steps?: number;
  /** Maximum wall time in milliseconds (checked between steps). */
  readonly timeMs?: number;
  /** Aborts the run between steps (also while a synchronous objective runs: see {@link runOptimizer}). */
  readonly signal?: AbortSignal;
}

/** Why a run stopped. `error` is set when the objective failed; the parameters are then the last good ones. */
export interface StoppedBy {
  readonly reason: 'queries' | 'steps' | 'time' | 'signal' | 'stopper' | 'error';
  readonly message: string;
  readonly stopper?: string;
  readonly error?: ZerothError;
}

/** Options of {@link runOptimizer}. */
export interface RunOptions {
  readonly budget?: Budget;
  readonly stoppers?: readonly Stopper[];
  /** Called after every step. Returning `false` stops the run. */
  readonly onStep?: (info: StepInfo) => void | boolean;
  /** Keep a record of every step (default true). */
  readonly history?: boolean;
  /** Queries to hold back from the budget (e.g. for a final evaluation). @defaultValue 0 */
  readonly reserveQueries?: number;
}

/** What a run returns. */
export interface RunResult<S, T> {
  readonly state: OptimizerState<S, T>;
  readonly steps: number;
  readonly queries: number;
  readonly history: readonly StepInfo[];
  readonly stoppedBy: StoppedBy;
}

/** Validates a budget, throwing InvalidHyperparameter naming the field. */
export function checkBudget(budget: Budget): void {
  if (budget.queries !== undefined) integerAtLeast('budget.queries', budget.queries, 1);
  if (budget.steps !== undefined) integerAtLeast('budget.steps', budget.steps, 1);
  if (budget.timeMs !== undefined) integerAtLeast('budget.timeMs', budget.timeMs, 1);
}

/**
 * Runs an optimizer until a budget is spent, a stopper fires, the signal aborts or the objective fails.
 * The budget is never exceeded: a step runs only if its documented queries fit in what is left. When the
 * objective throws or returns a non-finite value, the run ends with `stoppedBy.reason = 'error'`, the
 * parameters at their last good values and the state of the last completed step; `queries` counts every query
 * that happened, those of the failed step included. Errors raised by the objective are the objective's,
 * whatever their class (a nested run's BudgetExhausted or InvalidHyperparameter ends this run with `'error'`).
 *
 * Between steps the run gives the event loop a turn every few milliseconds of its own running time (see
 * `timeSlice`), so an `AbortSignal` aborted by a timer, a Ctrl-C handler or I/O takes effect even when the
 * objective is synchronous and the run never waits on its own; a fast objective pays one clock read per step.
 * A step is the unit of interruption: a single evaluation that never returns cannot be interrupted in this
 * thread (run such an objective where it can be terminated, e.g. the tuner's `workerPoolExecutor`).
 */
export async function runOptimizer<S, T, B = Float32Array>(
  opt: Optimizer<S, T, B>,
  params: Params<B>,
  oracle: Oracle<Params<B>>,
  initial: OptimizerState<S, T>,
  options: RunOptions = {},
): Promise<RunResult<S, T>> {
  const budget = options.budget ?? {};
  checkBudget(budget);
  const maxQueries = (budget.queries ?? Infinity) - (options.reserveQueries ?? 0);
  const maxSteps = budget.steps ?? Infinity;
  const checks = (options.stoppers ?? []).map((s) => ({ name: s.name, check: s.start() }));
  const keep = options.history ?? true;
  const history: StepInfo[] = [];
  const t0 = Date.now();
  let state = initial;
  let steps = 0;
  let queries = 0;
  const stop = (stoppedBy: StoppedBy): RunResult<S, T> => ({ state, steps, queries, history, stoppedBy });
  const slice = timeSlice();
  for (;;) {
    const turn = slice.yieldIfDue();
    if (turn !== undefined) await turn;
    if (budget.signal?.aborted) return stop({ reason: 'signal', message: 'aborted by the signal' });
    if (steps >= maxSteps) return stop({ reason: 'steps', message: `step budget of ${maxSteps} reached` });
    if (budget.timeMs !== undefined && Date.now() - t0 >= budget.timeMs) {
      return stop({ reason: 'time', message: `time budget of ${budget.timeMs} ms reached` });
    }
    const cost = opt.estimator.queriesPerStep(params as unknown as Params); // only the layout is read
    if (queries + cost > maxQueries) {
      return stop({ reason: 'queries', message: `query budget of ${budget.queries} reached (${queries} spent)` });
    }
    let result;
    try {
      result = await opt.step(params, oracle, state, maxQueries - queries);
    } catch (e) {
      queries += queriesSpent(e); // the failed step's queries happened
      if (e instanceof ZerothError && e.code === 'BUDGET_EXHAUSTED') {
        return stop({ reason: 'queries', message: e.message });
      }
      if (e instanceof ZerothError && e.code !== 'INVALID_HYPERPARAMETER' && e.code !== 'ORACLE_MISMATCH') {
        return stop({ reason: 'error', message: e.message, error: e });
      }
      throw e;
    }
    state = result.state;
    steps++;
    queries += result.queries;
    const info: StepInfo = { step: state.step, queries: state.queries, value: result.value, elapsedMs: Date.now() - t0 };
    if (keep) history.push(info);
    if (options.onStep?.(info) === false) return stop({ reason: 'stopper', message: 'stopped by onStep', stopper: 'onStep' });
    for (const c of checks) {
      const why = c.check(info);
      if (why !== undefined) return stop({ reason: 'stopper', message: why, stopper: c.name });
    }
  }
}
