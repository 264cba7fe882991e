import { InvalidHyperparameter, type ZerothError } from '../errors.js';
import type { StoppedBy } from '../run.js';
import type { StepInfo, Stopper } from '../stoppers.js';
import { timeSlice } from '../timeSlice.js';
import { integerAtLeast } from '../validate.js';
import { inlineExecutor, type Executor, type TrialObjective } from './executor.js';
import { settle, type Settled } from './_internal/settle.js';
import type { Recommendation, RecommendPolicy, Trial, Tuner, TunerEvent } from './types.js';

/** One told trial, as `onTrial` reports it (the CLI writes these to its JSONL log). */
export interface TrialRecord<X> {
  readonly trial: Trial<X>;
  readonly state: 'complete' | 'failed';
  /** The value, when complete. */
  readonly value?: number;
  /** Why it failed (the error message), when failed. */
  readonly error?: string;
  /** Milliseconds since the start of `tune`. */
  readonly elapsedMs: number;
}

/** Options of {@link tune}: an objective or an executor, and when to stop besides the tuner's budget. */
export interface TuneOptions<X> {
  /** The objective, run in this thread (shorthand for `executor: inlineExecutor(objective)`). */
  readonly objective?: TrialObjective<X>;
  /** Where evaluations run; e.g. `workerPoolExecutor(...)` from `zeroth/node`. Not closed by `tune`. */
  readonly executor?: Executor<X>;
  /** Evaluations in flight at once (also the trials asked before `tune` was called). @defaultValue the executor's concurrency */
  readonly concurrency?: number;
  /** Wall-time limit in milliseconds; in-flight evaluations are abandoned when it passes. */
  readonly timeMs?: number;
  /** Aborting it stops the run; in-flight evaluations are abandoned (and stay pending in the tuner's checkpoint). */
  readonly signal?: AbortSignal;
  /** Stopping rules fed after every update (`targetValue`, `patience`, `tolerance`), with the estimator's value. */
  readonly stoppers?: readonly Stopper[];
  /**
   * Stop with `stoppedBy.reason === 'error'` once this many evaluations in a row have failed (thrown, rejected,
   * or returned a non-number, NaN or ±Infinity); `Infinity` never stops for failures. @defaultValue 20
   */
  readonly maxConsecutiveFailures?: number;
  /** Called after every tell. */
  readonly onTrial?: (record: TrialRecord<X>) => void;
  /** Called for every step, skipped step and re-evaluation; returning `false` stops the run. */
  readonly onEvent?: (event: TunerEvent) => void | boolean;
  /** Policy of the returned recommendation. @defaultValue the tuner's default */
  readonly policy?: RecommendPolicy;
}

/** What {@link tune} returns. The counts are the tuner's totals (a resumed tuner's include the earlier runs'). */
export interface TuneResult<X> {
  /** The recommended point (see `RecommendPolicy`); its `value` is undefined when the policy knows none (the iterate). */
  readonly recommendation: Recommendation<X>;
  /** The evaluated point with the lowest value told so far, with that value; undefined before any success. */
  readonly bestSeen: Recommendation<X> | undefined;
  /**
   * Why the run stopped. `'error'` when `maxConsecutiveFailures` evaluations in a row failed, or when the
   * budget ran out and not one evaluation of this call succeeded; `error` is then the first failure.
   */
  readonly stoppedBy: StoppedBy;
  readonly numAsked: number;
  readonly numTold: number;
  readonly numQueries: number;
  readonly numSteps: number;
  /** Evaluations told as failed (thrown, rejected, a non-number, NaN, ±Infinity). */
  readonly numFailed: number;
  /** Evaluations told as pruned. */
  readonly numPruned: number;
  /** Steps abandoned after their queries were spent (a failure, a non-finite estimate). */
  readonly numSkipped: number;
  /** Steps re-drawn before any query because a pair of probes clipped to one point at the bounds. */
  readonly numRedrawn: number;
  /** The first failure of this call, e.g. `trial 3: The objective threw at trial 3: …`; undefined if none failed. */
  readonly firstError: string | undefined;
  readonly elapsedMs: number;
}

/**
 * Runs the ask/tell loop of a tuner with an executor until the tuner's budget is spent, the time is up, the
 * signal aborts, a stopper fires or the evaluations keep failing. Up to `concurrency` trials are in flight
 * (trials asked before the call included); results are told as they arrive. The run — every point asked,
 * every update, the recommendation — is the same for any concurrency and any completion order: the seeds
 * decide, not the timing (only where a time limit, an abort or a series of failures cuts it depends on timing).
 *
 * A trial whose evaluation rejects or returns a non-number is told as failed (see `createTuner` for what a
 * failure does to a step). When the run stops early, the evaluations in flight are abandoned: they are never
 * told and stay pending, so `tuner.save()` then `resumeTuner` evaluates them again and continues exactly.
 *
 * **Time limits, signals and synchronous objectives.** The driver gives the event loop a turn every few
 * milliseconds of its own running time (see `timeSlice`), so `timeMs`, `signal` and Ctrl-C handlers take
 * effect within about one evaluation even when the objective is synchronous or resolves at once. A single
 * evaluation that never returns cannot be interrupted in this thread; to bound one, run the objective on
 * worker threads (`workerPoolExecutor` from `zeroth/node`), whose aborted evaluations are terminated.
 *
 * @example
 * ```ts
 * const result = await tune(tuner, { objective: (x) => (x.a - 1) ** 2, stoppers: [targetValue(1e-6)] });
 * result.recommendation.x;
 * ```
 */
export async function tune<X>(tuner: Tuner<X>, options: TuneOptions<X>): Promise<TuneResult<X>> {
  const executor = options.executor ?? (options.objective !== undefined ? inlineExecutor(options.objective) : undefined);
  if (executor === undefined) throw new InvalidHyperparameter('objective', undefined, 'or executor is required: pass { objective: (x) => number } or { executor }');
  const concurrency = integerAtLeast('concurrency', options.concurrency ?? executor.concurrency, 1);
  const timeMs = options.timeMs === undefined ? undefined : integerAtLeast('timeMs', options.timeMs, 1);
  const maxFailures = options.maxConsecutiveFailures ?? 20;
  if (maxFailures !== Infinity) integerAtLeast('maxConsecutiveFailures', maxFailures, 1);
  const unlimited = tuner.budget === Infinity && tuner.maxSteps === Infinity;
  if (unlimited && timeMs === undefined && options.signal === undefined && !options.stoppers?.length && options.onEvent === undefined) {
    throw new InvalidHyperparameter('budget', undefined, "is needed to end the run: give the tuner a budget (createTuner({ budget })), or tune a timeMs, signal, stoppers or onEvent");
  }
  const checks = (options.stoppers ?? []).map((s) => ({ name: s.name, check: s.start() }));
  const t0 = Date.now();
  const elapsed = (): number => Date.now() - t0;
  const slice = timeSlice();
  const inFlight = new Map<number, AbortController>();
  const arrived: Settled<X>[] = [];
  let wake: (() => void) | undefined;
  let stoppedBy: StoppedBy | undefined;
  const stop = (s: StoppedBy): void => {
    if (stoppedBy !== undefined) return;
    stoppedBy = s;
    for (const c of inFlight.values()) c.abort(new Error(s.message));
    wake?.();
  };
  const onSignal = (): void => stop({ reason: 'signal', message: 'aborted by the signal' });
  const timeUp = (): void => stop({ reason: 'time', message: `time budget of ${timeMs} ms reached` });
  if (options.signal?.aborted) onSignal();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  const timer = timeMs === undefined ? undefined : setTimeout(timeUp, timeMs);

  // One signal per evaluation in flight (never more than one listener per signal, at any concurrency), reused
  // once its evaluation has settled: creating an AbortController per query would cost more than a fast objective.
  const idle: AbortController[] = [];
  const launch = (trial: Trial<X>): void => {
    const controller = idle.pop() ?? new AbortController();
    inFlight.set(trial.id, controller);
    void settle(executor, trial, controller.signal).then((s) => {
      if (stoppedBy !== undefined) return; // abandoned by a stop
      idle.push(controller);
      arrived.push(s);
      wake?.();
    });
  };
  // Trials asked before the call (or left in flight by an aborted call) go first, within the concurrency.
  let backlog = tuner.pending();
  const next = (): Trial<X> | undefined => {
    while (backlog.length > 0) {
      const outstanding = new Set(tuner.pending().map((t) => t.id));
      const t = backlog.shift()!;
      if (outstanding.has(t.id) && !inFlight.has(t.id)) return t;
    }
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) if (!inFlight.has(t.id)) return t;
    return undefined;
  };

  let succeeded = 0;
  let failedHere = 0;
  let inARow = 0;
  let first: { trial: number; error: ZerothError } | undefined;
  try {
    for (;;) {
      if (stoppedBy !== undefined) break;
      if (timeMs !== undefined && elapsed() >= timeMs) {
        timeUp();
        break;
      }
      while (inFlight.size < concurrency) {
        const trial = next();
        if (trial === undefined) break;
        launch(trial);
      }
      if (inFlight.size === 0) {
        backlog = [];
        stop(
          tuner.numSteps >= tuner.maxSteps
            ? { reason: 'steps', message: `step budget of ${tuner.maxSteps} reached` }
            : { reason: 'queries', message: `query budget of ${tuner.budget} reached (${tuner.numQueries} queries charged)` },
        );
        break;
      }
      while (arrived.length === 0 && stoppedBy === undefined) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (stoppedBy !== undefined) break;
      const settled = arrived.shift()!;
      inFlight.delete(settled.trial.id);
      const event = tuner.tell(settled.trial, settled.ok ? settled.value : { state: 'failed' });
      if (settled.ok) {
        succeeded++;
        inARow = 0;
      } else {
        failedHere++;
        inARow++;
        first ??= { trial: settled.trial.id, error: settled.error };
      }
      options.onTrial?.({
        trial: settled.trial,
        ...(settled.ok ? { state: 'complete' as const, value: settled.value } : { state: 'failed' as const, error: settled.error.message }),
        elapsedMs: elapsed(),
      });
      if (!settled.ok && inARow >= maxFailures) {
        stop({ reason: 'error', message: `${inARow} evaluations in a row failed; the first of this run (trial ${first!.trial}): ${first!.error.message}`, error: first!.error });
      }
      if (event !== undefined) {
        if (options.onEvent?.(event) === false) stop({ reason: 'stopper', message: 'stopped by onEvent', stopper: 'onEvent' });
        if (event.type === 'step') {
          const info: StepInfo = { step: event.step, queries: event.queries, value: event.value, elapsedMs: elapsed() };
          for (const c of checks) {
            const why = c.check(info);
            if (why !== undefined) stop({ reason: 'stopper', message: why, stopper: c.name });
          }
        }
      }
      const turn = slice.yieldIfDue();
      if (turn !== undefined) await turn;
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onSignal);
    stop({ reason: 'signal', message: 'tune finished' }); // aborts whatever is still in flight (a no-op after a stop)
  }
  let why = stoppedBy!;
  if ((why.reason === 'queries' || why.reason === 'steps') && succeeded === 0 && first !== undefined) {
    why = { reason: 'error', message: `every evaluation of this run failed (${failedHere}); the first (trial ${first.trial}): ${first.error.message}`, error: first.error };
  }
  const best = tuner.recommend({ policy: 'bestSeen' });
  return {
    recommendation: tuner.recommend(options.policy === undefined ? {} : { policy: options.policy }),
    bestSeen: best.policy === 'bestSeen' ? best : undefined,
    stoppedBy: why,
    numAsked: tuner.numAsked,
    numTold: tuner.numTold,
    numQueries: tuner.numQueries,
    numSteps: tuner.numSteps,
    numFailed: tuner.numFailed,
    numPruned: tuner.numPruned,
    numSkipped: tuner.numSkipped,
    numRedrawn: tuner.numRedrawn,
    firstError: first === undefined ? undefined : `trial ${first.trial}: ${first.error.message}`,
    elapsedMs: elapsed(),
  };
}
