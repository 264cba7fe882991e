import { BudgetExhausted, InvalidHyperparameter } from '../errors.js';
import { recordQueriesSpent } from '../eval/queriesSpent.js';
import type { EpisodeRequest } from '../rl/episode.js';
import type { EvalContext, MaybePromise } from '../types.js';
import type { BatchOracle, GradientOracle, Oracle, RankingOracle, RolloutsOracle, ValueOracle } from './oracle.js';
import { valuesInOrder } from './_internal/objectiveValues.js';
import { askInner, verdictOf } from './_internal/verdict.js';

/** Wraps a function as a value oracle. */
export function valueOracle<X>(fn: (x: X, context: EvalContext) => MaybePromise<number>): ValueOracle<X> {
  return { kind: 'value', value: fn };
}

/** Wraps a function as a batch oracle. */
export function batchOracle<X>(
  fn: (xs: readonly X[], contexts: readonly EvalContext[]) => MaybePromise<ArrayLike<number>>,
): BatchOracle<X> {
  return { kind: 'batch', values: fn };
}

/** Wraps a function as a ranking oracle (indices best first, possibly only the top k). */
export function rankingOracle<X>(
  fn: (xs: readonly X[], context: EvalContext) => MaybePromise<ArrayLike<number>>,
): RankingOracle<X> {
  return { kind: 'ranking', rank: fn };
}

/** Wraps a function as a gradient oracle. */
export function gradientOracle<X>(
  fn: (x: X, context: EvalContext) => MaybePromise<{ readonly value: number; readonly grad: readonly ArrayLike<number>[] }>,
): GradientOracle<X> {
  return { kind: 'gradient', valueAndGrad: fn };
}

/**
 * A batch oracle that evaluates a value oracle point by point, in order. A throw stops the batch: it reaches
 * the caller as an ObjectiveError that records how many points were evaluated (see `queriesSpent`).
 */
export function batchFromValue<X>(oracle: ValueOracle<X>): BatchOracle<X> {
  const self: BatchOracle<X> = {
    kind: 'batch',
    values: (xs, contexts) =>
      valuesInOrder(self, oracle, (x, c) => oracle.value(x, c), xs, (i) => contexts[i]!, {
        finite: false,
        where: (i) => `point ${i} of ${xs.length} of the batch at step ${contexts[i]!.step}`,
      }),
  };
  return self;
}

/**
 * A ranking oracle built from a value oracle: evaluates every candidate and sorts by value, ties broken by
 * candidate index (deterministic). With `topK`, only the best k indices are returned.
 *
 * A ranking of values that are not finite numbers means nothing, so the first NaN, ±Infinity or non-number
 * (`undefined`, `null`, a string) stops the ranking with NonFiniteValue or ObjectiveError, as a value
 * estimator stops; a throw stops it with ObjectiveError. The error records how many candidates were evaluated
 * (see `queriesSpent`).
 */
export function rankingFromValues<X>(oracle: ValueOracle<X>, options: { readonly topK?: number } = {}): RankingOracle<X> {
  const topK = options.topK;
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) {
    throw new InvalidHyperparameter('topK', topK, 'must be an integer ≥ 1');
  }
  const self: RankingOracle<X> = {
    kind: 'ranking',
    async rank(xs, context) {
      const v = await valuesInOrder(self, oracle, (x, c) => oracle.value(x, c), xs, () => context, {
        finite: true,
        where: (i) => `candidate ${i} of ${xs.length} of the ranking at step ${context.step}`,
      });
      const order = Array.from({ length: xs.length }, (_, i) => i).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
      return Int32Array.from(topK === undefined ? order : order.slice(0, topK));
    },
  };
  return self;
}

/**
 * Turns a maximisation oracle into the minimisation zeroth performs (negates values, gradients, reverses
 * rankings). Only numbers are negated: anything else is passed on for the evaluation to reject, never coerced.
 * A rollouts oracle is refused: the policy-gradient estimators already maximise the return, and `returnOracle`
 * gives value estimators the negated return.
 */
export function maximize<X>(oracle: Oracle<X>): Oracle<X> {
  const negate = <T>(v: T): T => (typeof v === 'number' ? (-v as T) : v);
  switch (oracle.kind) {
    case 'value': {
      const self: ValueOracle<X> = { kind: 'value', value: async (x, c) => negate(await askInner(self, oracle, () => oracle.value(x, c))) };
      return self;
    }
    case 'batch': {
      const self: BatchOracle<X> = {
        kind: 'batch',
        values: async (xs, cs) => Array.from(await askInner(self, oracle, () => oracle.values(xs, cs)), negate),
      };
      return self;
    }
    case 'ranking': {
      const self: RankingOracle<X> = {
        kind: 'ranking',
        rank: async (xs, c) => {
          const order = await askInner(self, oracle, () => oracle.rank(xs, c));
          if (order.length !== xs.length) {
            throw verdictOf(self, new InvalidHyperparameter('oracle', 'a top-k ranking', 'must rank every candidate to be maximised (a top-k ranking cannot be reversed)'));
          }
          return Int32Array.from(order).reverse();
        },
      };
      return self;
    }
    case 'gradient': {
      const self: GradientOracle<X> = {
        kind: 'gradient',
        valueAndGrad: async (x, c) => {
          const r = await askInner(self, oracle, () => oracle.valueAndGrad(x, c));
          return { value: negate(r.value), grad: r.grad.map((g) => Array.from(g, negate)) };
        },
      };
      return self;
    }
    case 'rollouts':
      throw new InvalidHyperparameter('oracle', 'a rollouts oracle', 'is maximised as it is by the policy-gradient estimators; for value estimators wrap it with returnOracle (the negated return)');
  }
}

/** Number of queries one call of an oracle costs for `n` points: a ranking of m candidates costs m, n episodes cost n. */
export function queriesOf(kind: Oracle<unknown>['kind'], points: number): number {
  return kind === 'value' || kind === 'gradient' ? 1 : points;
}

/**
 * An oracle that counts its queries (`counted.queries`) and refuses to exceed `budget`: a query that does not
 * fit is refused with BudgetExhausted before it reaches the objective (it is not counted, and an optimizer run
 * ends with `stoppedBy.reason === 'queries'`).
 */
export function withBudget<X>(oracle: Oracle<X>, budget = Infinity): Oracle<X> & { readonly queries: number } {
  let used = 0;
  const counter = {
    get queries() {
      return used;
    },
  };
  const counted = <O extends Oracle<X>>(o: O): O & { readonly queries: number } =>
    Object.defineProperties(o, Object.getOwnPropertyDescriptors(counter)) as O & { readonly queries: number };
  let self: Oracle<X>;
  const spend = (n: number): void => {
    if (used + n > budget) throw verdictOf(self, recordQueriesSpent(new BudgetExhausted(budget, used + n - budget), 0));
    used += n;
  };
  switch (oracle.kind) {
    case 'value':
      self = counted<ValueOracle<X>>({ kind: 'value', value: async (x, c) => (spend(1), askInner(self, oracle, () => oracle.value(x, c))) });
      break;
    case 'batch':
      self = counted<BatchOracle<X>>({ kind: 'batch', values: async (xs, cs) => (spend(xs.length), askInner(self, oracle, () => oracle.values(xs, cs))) });
      break;
    case 'ranking':
      self = counted<RankingOracle<X>>({ kind: 'ranking', rank: async (xs, c) => (spend(xs.length), askInner(self, oracle, () => oracle.rank(xs, c))) });
      break;
    case 'gradient':
      self = counted<GradientOracle<X>>({ kind: 'gradient', valueAndGrad: async (x, c) => (spend(1), askInner(self, oracle, () => oracle.valueAndGrad(x, c))) });
      break;
    case 'rollouts': {
      const returns = oracle.returns;
      self = counted<RolloutsOracle<X>>({
        kind: 'rollouts',
        rollouts: async (x: X, rs: readonly EpisodeRequest[], c: EvalContext) => (spend(rs.length), askInner(self, oracle, () => oracle.rollouts(x, rs, c))),
        ...(returns !== undefined
          ? { returns: async (x: X, rs: readonly EpisodeRequest[], c: EvalContext) => (spend(rs.length), askInner(self, oracle, () => returns.call(oracle, x, rs, c))) }
          : {}),
      });
      break;
    }
  }
  return self as Oracle<X> & { readonly queries: number };
}
