const spent = new WeakMap<object, number>();

/**
 * How many queries a failed oracle call, probe evaluation or optimizer step spent before it failed: every
 * query that was asked counts, the failing one included (the objective ran), and a query refused before it
 * ran (e.g. by `withBudget`) does not. `optimizer().step` records it on the error it throws, so a caller
 * driving `step` itself can keep a true count; `runOptimizer` and `minimize` add it to their `queries`.
 *
 * @returns the recorded count, or 0 when nothing was recorded (an error raised before any query)
 *
 * @example
 * ```ts
 * try {
 *   state = (await opt.step(params, oracle, state)).state;
 * } catch (e) {
 *   used += queriesSpent(e); // the queries of the failed step happened too
 *   throw e;
 * }
 * ```
 */
export function queriesSpent(error: unknown): number {
  return recordedQueries(error) ?? 0;
}

/** The count recorded on `error`, or `undefined` when none was. @internal */
export function recordedQueries(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? spent.get(error) : undefined;
}

/** Records on `error` the queries spent by the failed call it comes from, and returns it. @internal */
export function recordQueriesSpent<E>(error: E, queries: number): E {
  if (typeof error === 'object' && error !== null) spent.set(error, queries);
  return error;
}
