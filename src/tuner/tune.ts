import { InvalidHyperparameter } from '../errors.js';
import type { StoppedBy } from '../run.js';
import type { StepInfo, Stopper } from '../stoppers.js';
import { integerAtLeast } from '../validate.js';
import { inlineExecutor, type Executor, type TrialObjective } from './executor.js';
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
  /** Evaluations in flight at once. @defaultValue the executor's concurrency */
  readonly concurrency?: number;
  /** Wall-time limit in milliseconds; in-flight evaluations are abandoned when it passes. */
  readonly timeMs?: number;
  /** Aborting it stops the run; in-flight evaluations are abandoned (and stay pending in the tuner's checkpoint). */
  readonly signal?: AbortSignal;
  /** Stopping rules fed after every update (`targetValue`, `patience`, `tolerance`), with the estimator's value. */
  readonly stoppers?: readonly Stopper[];
  /** Called after every tell. */
  readonly onTrial?: (record: TrialRecord<X>) => void;
  /** Called for every step, skipped step and re-evaluation; returning `false` stops the run. */
  readonly onEvent?: (event: TunerEvent) => void | boolean;
  /** Policy of the returned recommendation. @defaultValue the tuner's default */
  readonly policy?: RecommendPolicy;
}

/** What {@link tune} returns. The tuner itself can still be saved (`tuner.save()`) and resumed. */
export interface TuneResult<X> {
  readonly recommendation: Recommendation<X>;
  readonly stoppedBy: StoppedBy;
  readonly numAsked: number;
  readonly numTold: number;
  readonly numQueries: number;
  readonly numSteps: number;
  readonly elapsedMs: number;
}

type Settled<X> = { readonly trial: Trial<X>; readonly ok: true; readonly value: number } | { readonly trial: Trial<X>; readonly ok: false; readonly error: string };

/**
 * Runs the ask/tell loop of a tuner with an executor until the tuner's budget is spent, the time is up, the
 * signal aborts or a stopper fires. Up to `concurrency` trials are in flight; results are told as they
 * arrive. The run — every point asked, every update, the recommendation — is the same for any concurrency and
 * any completion order: the seeds decide, not the timing (only where a time limit or an abort cuts it
 * depends on timing).
 *
 * A trial whose evaluation rejects or returns a non-number is told as failed (see `createTuner` for what a
 * failure does to a step). When the run stops early, the evaluations in flight are abandoned: they are never
 * told and stay pending, so `tuner.save()` then `resumeTuner` evaluates them again and continues exactly.
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
  if (options.timeMs !== undefined) integerAtLeast('timeMs', options.timeMs, 1);
  const checks = (options.stoppers ?? []).map((s) => ({ name: s.name, check: s.start() }));
  const t0 = Date.now();
  const elapsed = (): number => Date.now() - t0;
  const inner = new AbortController();
  let stoppedBy: StoppedBy | undefined;
  const stop = (s: StoppedBy): void => {
    stoppedBy ??= s;
    inner.abort(new Error(s.message));
  };
  const onSignal = (): void => stop({ reason: 'signal', message: 'aborted by the signal' });
  if (options.signal?.aborted) onSignal();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  const timer = options.timeMs === undefined ? undefined : setTimeout(() => stop({ reason: 'time', message: `time budget of ${options.timeMs} ms reached` }), options.timeMs);
  const aborted = new Promise<'aborted'>((resolve) => inner.signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
  const inFlight = new Map<number, Promise<Settled<X>>>();

  const launch = (trial: Trial<X>): Promise<Settled<X>> =>
    executor.evaluate(trial.x, trial.context, inner.signal).then(
      (value): Settled<X> =>
        typeof value === 'number' ? { trial, ok: true, value } : { trial, ok: false, error: `the objective returned ${typeof value}, not a number` },
      (e: unknown): Settled<X> => ({ trial, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );

  try {
    for (;;) {
      if (stoppedBy !== undefined) break;
      while (inFlight.size < concurrency) {
        const trial = tuner.ask();
        if (trial === undefined) break;
        inFlight.set(trial.id, launch(trial));
      }
      if (inFlight.size === 0 && !tuner.done) {
        // Trials asked before tune() was called (and not told): evaluate them here.
        for (const trial of tuner.pending()) if (!inFlight.has(trial.id)) inFlight.set(trial.id, launch(trial));
      }
      if (inFlight.size === 0) {
        stop(
          tuner.numSteps >= tuner.maxSteps
            ? { reason: 'steps', message: `step budget of ${tuner.maxSteps} reached` }
            : { reason: 'queries', message: `query budget of ${tuner.budget} reached (${tuner.numQueries} queries charged)` },
        );
        break;
      }
      const settled = await Promise.race([...inFlight.values(), aborted]);
      if (settled === 'aborted') break;
      inFlight.delete(settled.trial.id);
      const event = tuner.tell(settled.trial, settled.ok ? settled.value : { state: 'failed' });
      options.onTrial?.({
        trial: settled.trial,
        ...(settled.ok && Number.isFinite(settled.value) ? { state: 'complete' as const, value: settled.value } : { state: 'failed' as const, error: settled.ok ? `the objective returned ${settled.value}` : settled.error }),
        elapsedMs: elapsed(),
      });
      if (event === undefined) continue;
      if (options.onEvent?.(event) === false) stop({ reason: 'stopper', message: 'stopped by onEvent', stopper: 'onEvent' });
      if (event.type !== 'step') continue;
      const info: StepInfo = { step: event.step, queries: event.queries, value: event.value, elapsedMs: elapsed() };
      for (const c of checks) {
        const why = c.check(info);
        if (why !== undefined) stop({ reason: 'stopper', message: why, stopper: c.name });
      }
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onSignal);
    if (!inner.signal.aborted) inner.abort(new Error('tune finished'));
  }
  return {
    recommendation: tuner.recommend(options.policy === undefined ? {} : { policy: options.policy }),
    stoppedBy: stoppedBy!,
    numAsked: tuner.numAsked,
    numTold: tuner.numTold,
    numQueries: tuner.numQueries,
    numSteps: tuner.numSteps,
    elapsedMs: elapsed(),
  };
}
