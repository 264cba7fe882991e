import { BudgetExhausted, InvalidHyperparameter } from '../errors.js';
import type { EpisodeRequest } from '../rl/episode.js';
import type { EvalContext, MaybePromise } from '../types.js';
import type { BatchOracle, GradientOracle, Oracle, RankingOracle, RolloutsOracle, ValueOracle } from './oracle.js';

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

/** A batch oracle that evaluates a value oracle point by point, in order. */
export function batchFromValue<X>(oracle: ValueOracle<X>): BatchOracle<X> {
  return {
    kind: 'batch',
    async values(xs, contexts) {
      const out = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) out[i] = await oracle.value(xs[i]!, contexts[i]!);
      return out;
    },
  };
}

/**
 * A ranking oracle built from a value oracle: evaluates every candidate and sorts by value, ties broken by
 * candidate index (deterministic); NaN ranks last. With `topK`, only the best k indices are returned.
 */
export function rankingFromValues<X>(oracle: ValueOracle<X>, options: { readonly topK?: number } = {}): RankingOracle<X> {
  const topK = options.topK;
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) {
    throw new InvalidHyperparameter('topK', topK, 'must be an integer ≥ 1');
  }
  return {
    kind: 'ranking',
    async rank(xs, context) {
      const v = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) v[i] = await oracle.value(xs[i]!, context);
      const order = Array.from({ length: xs.length }, (_, i) => i).sort((a, b) => compareValues(v[a]!, v[b]!) || a - b);
      return Int32Array.from(topK === undefined ? order : order.slice(0, topK));
    },
  };
}

function compareValues(a: number, b: number): number {
  const na = Number.isNaN(a);
  const nb = Number.isNaN(b);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Turns a maximisation oracle into the minimisation zeroth performs (negates values, gradients, reverses rankings).
 * A rollouts oracle is refused: the policy-gradient estimators already maximise the return, and `returnOracle`
 * gives value estimators the negated return.
 */
export function maximize<X>(oracle: Oracle<X>): Oracle<X> {
  switch (oracle.kind) {
    case 'value':
      return { kind: 'value', value: async (x, c) => -(await oracle.value(x, c)) };
    case 'batch':
      return {
        kind: 'batch',
        values: async (xs, cs) => Float64Array.from(await oracle.values(xs, cs), (v) => -v),
      };
    case 'ranking':
      return {
        kind: 'ranking',
        rank: async (xs, c) => {
          const order = await oracle.rank(xs, c);
          if (order.length !== xs.length) {
            throw new InvalidHyperparameter('oracle', 'a top-k ranking', 'must rank every candidate to be maximised (a top-k ranking cannot be reversed)');
          }
          return Int32Array.from(order).reverse();
        },
      };
    case 'gradient':
      return {
        kind: 'gradient',
        valueAndGrad: async (x, c) => {
          const r = await oracle.valueAndGrad(x, c);
          return { value: -r.value, grad: r.grad.map((g) => Float32Array.from(g, (v) => -v)) };
        },
      };
    case 'rollouts':
      throw new InvalidHyperparameter('oracle', 'a rollouts oracle', 'is maximised as it is by the policy-gradient estimators; for value estimators wrap it with returnOracle (the negated return)');
  }
}

/** Number of queries one call of an oracle costs for `n` points: a ranking of m candidates costs m, n episodes cost n. */
export function queriesOf(kind: Oracle<unknown>['kind'], points: number): number {
  return kind === 'value' || kind === 'gradient' ? 1 : points;
}

/** An oracle that counts its queries (`counted.queries`) and refuses to exceed `budget` with BudgetExhausted. */
export function withBudget<X>(oracle: Oracle<X>, budget = Infinity): Oracle<X> & { readonly queries: number } {
  let used = 0;
  const spend = (n: number): void => {
    if (used + n > budget) throw new BudgetExhausted(budget, used + n - budget);
    used += n;
  };
  const base = {
    get queries() {
      return used;
    },
  };
  switch (oracle.kind) {
    case 'value':
      return Object.defineProperties({ kind: 'value', value: (x: X, c: EvalContext) => (spend(1), oracle.value(x, c)) }, Object.getOwnPropertyDescriptors(base)) as ValueOracle<X> & { readonly queries: number };
    case 'batch':
      return Object.defineProperties({ kind: 'batch', values: (xs: readonly X[], cs: readonly EvalContext[]) => (spend(xs.length), oracle.values(xs, cs)) }, Object.getOwnPropertyDescriptors(base)) as BatchOracle<X> & { readonly queries: number };
    case 'ranking':
      return Object.defineProperties({ kind: 'ranking', rank: (xs: readonly X[], c: EvalContext) => (spend(xs.length), oracle.rank(xs, c)) }, Object.getOwnPropertyDescriptors(base)) as RankingOracle<X> & { readonly queries: number };
    case 'gradient':
      return Object.defineProperties({ kind: 'gradient', valueAndGrad: (x: X, c: EvalContext) => (spend(1), oracle.valueAndGrad(x, c)) }, Object.getOwnPropertyDescriptors(base)) as GradientOracle<X> & { readonly queries: number };
    case 'rollouts': {
      const returns = oracle.returns;
      return Object.defineProperties(
        {
          kind: 'rollouts',
          rollouts: (x: X, rs: readonly EpisodeRequest[], c: EvalContext) => (spend(rs.length), oracle.rollouts(x, rs, c)),
          ...(returns !== undefined ? { returns: (x: X, rs: readonly EpisodeRequest[], c: EvalContext) => (spend(rs.length), returns.call(oracle, x, rs, c)) } : {}),
        },
        Object.getOwnPropertyDescriptors(base),
      ) as RolloutsOracle<X> & { readonly queries: number };
    }
  }
}
