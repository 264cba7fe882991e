import { NonFiniteValue, NonNumericValue, ObjectiveError, type ZerothError } from '../../errors.js';
import type { Executor } from '../executor.js';
import type { Trial } from '../types.js';

/** The outcome of one evaluation: a finite value, or the failure as a typed error that blames the objective. */
export type Settled<X> =
  | { readonly trial: Trial<X>; readonly ok: true; readonly value: number }
  | { readonly trial: Trial<X>; readonly ok: false; readonly error: ZerothError };

/**
 * Evaluates a trial with an executor and never rejects: a rejection (whatever its class — an error thrown by a
 * nested zeroth run inside the objective is the objective's) becomes an `ObjectiveError`, a non-number a
 * `NonNumericValue`, NaN or ±Infinity a `NonFiniteValue`.
 */
export function settle<X>(executor: Executor<X>, trial: Trial<X>, signal: AbortSignal): Promise<Settled<X>> {
  const where = `trial ${trial.id}`;
  return executor.evaluate(trial.x, trial.context, signal).then(
    (value: unknown): Settled<X> => {
      if (typeof value !== 'number') return { trial, ok: false, error: new NonNumericValue(value, where) };
      if (!Number.isFinite(value)) return { trial, ok: false, error: new NonFiniteValue(value, `the objective at ${where}`) };
      return { trial, ok: true, value };
    },
    (e: unknown): Settled<X> => ({ trial, ok: false, error: new ObjectiveError(e, where) }),
  );
}
