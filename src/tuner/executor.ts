import { InvalidHyperparameter } from '../errors.js';
import type { MaybePromise } from '../types.js';
import { integerAtLeast } from '../validate.js';
import type { TrialContext } from './types.js';

/** An objective of the tuner: the point in user space and the trial's context; may be async and may watch `signal`. */
export type TrialObjective<X> = (x: X, context: TrialContext, signal: AbortSignal) => MaybePromise<number>;

/**
 * Where the tuner's evaluations run: in this thread ({@link inlineExecutor}), on worker threads
 * (`workerPoolExecutor` from `zeroth/node`), or anywhere else that can evaluate a point. A query is small —
 * the decoded point and its context (noise seed, step, trial id) — so an executor ships points, not models.
 *
 * `evaluate` resolves with the objective's value, or rejects (the trial is told as failed). When `signal`
 * aborts, the evaluation is abandoned: the promise rejects promptly and its result is never used.
 */
export interface Executor<X = unknown> {
  readonly name: string;
  /** How many evaluations it runs at once: the driver's default concurrency. */
  readonly concurrency: number;
  evaluate(x: X, context: TrialContext, signal: AbortSignal): Promise<number>;
  /** Releases threads and other resources (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link inlineExecutor}. */
export interface InlineExecutorOptions {
  /**
   * Evaluations in flight at once. More than 1 helps only objectives that wait (a service, a subprocess):
   * synchronous JavaScript runs one evaluation at a time on this thread. @defaultValue 1
   */
  readonly concurrency?: number;
}

/**
 * Runs the objective in this thread. An abort rejects the pending evaluation at once (a synchronous objective
 * cannot be interrupted; an async one may watch the signal it is given).
 *
 * @example
 * ```ts
 * const executor = inlineExecutor((x: { a: number }) => (x.a - 1) ** 2);
 * ```
 */
export function inlineExecutor<X>(objective: TrialObjective<X>, options: InlineExecutorOptions = {}): Executor<X> {
  if (typeof objective !== 'function') throw new InvalidHyperparameter('objective', objective, 'must be a function (x, context) => number');
  const concurrency = integerAtLeast('concurrency', options.concurrency ?? 1, 1);
  return {
    name: 'inline',
    concurrency,
    evaluate(x, context, signal) {
      return new Promise<number>((resolve, reject) => {
        if (signal.aborted) return reject(abortReason(signal));
        const onAbort = (): void => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        Promise.resolve()
          .then(() => objective(x, context, signal))
          .then(resolve, reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    close: async () => undefined,
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}
