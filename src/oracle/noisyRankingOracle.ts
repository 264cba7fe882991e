import { InvalidHyperparameter } from '../errors.js';
import { derivedSeed } from '../rng/derivedSeed.js';
import { checkSeed } from '../rng/seedStream.js';
import { streamKey, streamWord } from '../rng/streamKey.js';
import { streams } from '../rng/streams.js';
import { valuesInOrder } from './_internal/objectiveValues.js';
import type { EvalContext, MaybePromise } from '../types.js';
import { integerAtLeast, nonNegative, oneOf } from '../validate.js';
import type { RankingOracle } from './oracle.js';

/** Options of {@link noisyRankingOracle}. */
export interface NoisyRankingOracleOptions {
  /**
   * `'plackettLuce'`: the whole order is a Plackett–Luce sample with weights exp(−f/T) (the best is drawn
   * first with probability ∝ weight, then the next among the rest, …). `'bradleyTerry'`: every pair is
   * compared once, i beating j with probability 1/(1 + exp((fᵢ − fⱼ)/T)), and the candidates are ordered by
   * their number of wins (ties by candidate index). Both reduce to Bradley–Terry for two candidates.
   * @defaultValue 'plackettLuce'
   */
  readonly model?: 'bradleyTerry' | 'plackettLuce';
  /** T ≥ 0, in units of f: the judge's noise. T = 0 gives the exact ranking (ties by candidate index). */
  readonly temperature: number;
  /** Seed of the judge's randomness (uint32). */
  readonly seed: number;
  /** Return only the best k indices (an (m, k)-ranking oracle). @defaultValue all */
  readonly topK?: number;
}

const JUDGE = 7;
const TWO32 = 4294967296;

/**
 * A ranking oracle that models a noisy human judge: it evaluates f at every candidate and returns a random
 * order, best first, from a Plackett–Luce (or pairwise Bradley–Terry) model with weights exp(−f/T). The draws
 * are a pure function of (`seed`, `context.noiseSeed`, `context.step`, candidate index): equal seeds and
 * contexts give equal rankings. As T → 0 the ranking becomes exact. A value that is not a finite number (NaN,
 * ±Infinity, `undefined`, `null`, a string) stops the ranking with NonFiniteValue or ObjectiveError, as a value
 * estimator stops.
 *
 * Plackett–Luce is sampled with the Gumbel trick: candidates are sorted by fᵢ − T·Gᵢ with Gᵢ i.i.d. standard
 * Gumbel, which has exactly the sequential-choice distribution and never overflows.
 *
 * Queries: one evaluation of f per candidate (the caller counts a ranking of m candidates as m queries).
 *
 * @see R. L. Plackett, "The analysis of permutations", JRSS C 24(2), 1975; R. A. Bradley, M. E. Terry, "Rank
 * analysis of incomplete block designs", Biometrika 39, 1952.
 *
 * @example
 * ```ts
 * import { noisyRankingOracle } from 'zeroth';
 * const judge = noisyRankingOracle((x: Float32Array) => x[0]! ** 2, { temperature: 0.1, seed: 1 });
 * const order = await judge.rank([Float32Array.of(1), Float32Array.of(0)], { noiseSeed: 0, step: 0 }); // usually [1, 0]
 * ```
 */
export function noisyRankingOracle<X>(
  values: (x: X, context: EvalContext) => MaybePromise<number>,
  options: NoisyRankingOracleOptions,
): RankingOracle<X> {
  if (typeof values !== 'function') throw new InvalidHyperparameter('values', values, 'must be a function (x) => number');
  if (options === null || typeof options !== 'object') {
    throw new InvalidHyperparameter('options', options, 'must be an object { temperature, seed, model?, topK? }');
  }
  const model = oneOf('model', options.model ?? 'plackettLuce', ['bradleyTerry', 'plackettLuce'] as const);
  const temperature = nonNegative('temperature', options.temperature);
  const seed = checkSeed(options.seed);
  const topK = options.topK === undefined ? undefined : integerAtLeast('topK', options.topK, 1);
  const self: RankingOracle<X> = {
    kind: 'ranking',
    async rank(xs, context) {
      const m = xs.length;
      const f = await valuesInOrder(self, undefined, values, xs, () => context, {
        finite: true,
        where: (i) => `candidate ${i} of ${m} of the ranking at step ${context.step}`,
      });
      const { k1, k2 } = streamKey(derivedSeed(seed, context.noiseSeed, JUDGE), streams.noise, context.step);
      const uniform = (i: number): number => (streamWord(k1, k2, i) + 0.5) / TWO32;
      const order = model === 'plackettLuce' ? plackettLuce(f, temperature, uniform) : bradleyTerry(f, temperature, uniform);
      return topK === undefined || topK >= m ? order : order.slice(0, topK);
    },
  };
  return self;
}

function plackettLuce(f: Float64Array, t: number, uniform: (i: number) => number): Int32Array {
  const key = Float64Array.from(f, (v, i) => (t === 0 ? v : v + t * Math.log(-Math.log(uniform(i)))));
  return Int32Array.from(
    Array.from({ length: f.length }, (_, i) => i).sort((a, b) => compare(key[a]!, key[b]!) || a - b),
  );
}

function bradleyTerry(f: Float64Array, t: number, uniform: (i: number) => number): Int32Array {
  const m = f.length;
  const wins = new Int32Array(m);
  let pair = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++, pair++) {
      const z = (f[j]! - f[i]!) / t;
      // T = 0 or an overflowing difference: the exact comparison (ties to the lower index).
      const iWins = Number.isFinite(z) ? uniform(pair) < logistic(z) : compare(f[i]!, f[j]!) <= 0;
      wins[iWins ? i : j]!++;
    }
  }
  return Int32Array.from(
    Array.from({ length: m }, (_, i) => i).sort((a, b) => wins[b]! - wins[a]! || a - b),
  );
}

/** 1/(1 + e^{−z}), without overflow. */
function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Ascending. */
function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
