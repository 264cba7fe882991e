/*
 * Who raised an error that comes out of an oracle call. An objective's error is the objective's, whatever its
 * class — a nested zeroth run inside it may throw BudgetExhausted or InvalidHyperparameter — and the evaluation
 * boundary wraps it as ObjectiveError. An error that an oracle raises itself about its own work (zeroth's
 * adapters: "the value is NaN", "the budget refuses this query"; a library oracle's own checks) is its
 * verdict and passes the boundary as it is. Verdicts are tied to the oracle object that raised them, so a
 * verdict raised inside a nested run never passes for a verdict of the outer oracle.
 */
import type { MaybePromise } from '../../types.js';

const raisedBy = new WeakMap<object, object>();

/** Marks `error` as raised by `oracle` itself (not by the objective it calls) and returns it. */
export function verdictOf<E>(oracle: object, error: E): E {
  if (typeof error === 'object' && error !== null) raisedBy.set(error, oracle);
  return error;
}

/** True when `error` was raised by `oracle` itself. */
export function isVerdictOf(error: unknown, oracle: object): boolean {
  return typeof error === 'object' && error !== null && raisedBy.get(error) === oracle;
}

/**
 * Calls the inner oracle of an adapter: what the inner oracle raised itself becomes the adapter's verdict;
 * anything else (the objective's own error) passes through unchanged, to be attributed at the boundary.
 */
export async function askInner<T>(outer: object, inner: object, ask: () => MaybePromise<T>): Promise<T> {
  try {
    return await ask();
  } catch (e) {
    throw isVerdictOf(e, inner) ? verdictOf(outer, e) : e;
  }
}
