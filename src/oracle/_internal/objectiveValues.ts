import { NonFiniteValue, NonNumericValue, ObjectiveError } from '../../errors.js';
import { recordedQueries, recordQueriesSpent } from '../../eval/queriesSpent.js';
import type { EvalContext, MaybePromise } from '../../types.js';
import { isVerdictOf, verdictOf } from './verdict.js';

/**
 * Checks one answer of the objective: it must be a number (else NonNumericValue naming what came back — a
 * string is never parsed, `null` is never 0, `undefined` is a missing return, not a throw) and, when `finite`,
 * a finite one (else NonFiniteValue).
 */
export function checkValue(v: unknown, where: string, finite = true): number {
  if (typeof v !== 'number') throw new NonNumericValue(v, where);
  if (finite && !Number.isFinite(v)) throw new NonFiniteValue(v, `the objective at ${where}`);
  return v;
}

/** Options of {@link valuesInOrder}. */
export interface ValuesInOrderOptions {
  /** Reject NaN and ±Infinity (a ranking of them means nothing). */
  readonly finite: boolean;
  /** Where point `i` is, for messages. */
  readonly where: (i: number) => string;
}

/**
 * Evaluates `value` at every point in order on behalf of the adapter `owner` (a ranking or batch built from a
 * value function). The first failure stops the evaluation and becomes `owner`'s verdict, recording how many
 * evaluations happened (the failing one included, a refused one not): the objective's throw wrapped as
 * ObjectiveError, a non-number as NonNumericValue, a non-finite value (when `finite`) as NonFiniteValue, and a
 * verdict of the oracle `inner` (when `value` is its method) as it is.
 */
export async function valuesInOrder<X>(
  owner: object,
  inner: object | undefined,
  value: (x: X, context: EvalContext) => MaybePromise<number>,
  xs: readonly X[],
  contextOf: (i: number) => EvalContext,
  options: ValuesInOrderOptions,
): Promise<Float64Array> {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let v: unknown;
    try {
      v = await value(xs[i]!, contextOf(i));
    } catch (e) {
      if (inner !== undefined && isVerdictOf(e, inner)) throw verdictOf(owner, recordQueriesSpent(e, i + (recordedQueries(e) ?? 1)));
      throw verdictOf(owner, recordQueriesSpent(new ObjectiveError(e, options.where(i)), i + 1));
    }
    try {
      out[i] = checkValue(v, options.where(i), options.finite);
    } catch (e) {
      throw verdictOf(owner, recordQueriesSpent(e, i + 1));
    }
  }
  return out;
}
