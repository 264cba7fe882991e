import { InvalidInput } from '../../src/errors.js';
import type { Environment } from '../../src/rl/environment.js';
import { episodeKeys } from '../../src/rl/episodeKeys.js';
import { gaussianDraw } from '../../src/rl/streamDraws.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { streams } from '../../src/rng/streams.js';
import { checkInteger, checkNumber, checkSeed } from '../_internal/validate.js';

/** Options of {@link contextualBandit}. */
export interface ContextualBanditOptions {
  /** Number of arms k. @defaultValue 5 */
  readonly arms?: number;
  /** Context dimension d. @defaultValue 4 */
  readonly contextSize?: number;
  /** Reward noise σ. @defaultValue 0.1 */
  readonly std?: number;
  /** Seed of the arms' parameters θₐ. @defaultValue 0 */
  readonly seed?: number;
}

/** The environment returned by {@link contextualBandit}. */
export interface ContextualBanditEnvironment extends Environment {
  /** θ (k × d, row-major): arm a pays θₐᵀx + σ ε in context x. */
  readonly theta: Float64Array;
  /** The context of the episode of `seed` (d values). */
  context(seed: number): Float64Array;
  optimalReturn(seed: number): number;
}

const MAX_NORMAL = 5.77;

/**
 * The linear contextual bandit: each episode shows a context x ~ N(0, I_d) (drawn from the episode seed
 * alone), the policy pulls one of k arms and receives θₐᵀx + σ ε (ε from the episode's transition stream),
 * then the episode ends. θₐ ~ N(0, I_d/d), fixed by `seed`.
 *
 * Known optimum per episode: `optimalReturn(seed)` = maxₐ θₐᵀx, so the expected regret of a pull is
 * maxₐ θₐᵀx − θ_{a_t}ᵀx, exactly. The optimal policy argmaxₐ θₐᵀx is the limit of a linear-softmax policy.
 * Returns lie in ±5.77 (maxₐ ‖θₐ‖₁ + σ) (the canonical normal draw is bounded by 5.77).
 *
 * @see L. Li, W. Chu, J. Langford, R. E. Schapire, "A contextual-bandit approach to personalized news article
 * recommendation", WWW 2010 (the linear payoff model).
 *
 * @example
 * ```ts
 * import { contextualBandit } from 'zeroth/problems';
 * const env = contextualBandit({ arms: 3, contextSize: 2 });
 * env.optimalReturn(5) >= env.context(5)[0]! * env.theta[0]! + env.context(5)[1]! * env.theta[1]!; // true
 * ```
 */
export function contextualBandit(options: ContextualBanditOptions = {}): ContextualBanditEnvironment {
  const k = checkInteger('arms', options.arms ?? 5, 1);
  const d = checkInteger('contextSize', options.contextSize ?? 4, 1);
  const std = checkNumber('std', options.std ?? 0.1, 0);
  const seed = checkSeed('seed', options.seed ?? 0);
  const theta = new Float64Array(k * d);
  for (let i = 0; i < k * d; i++) theta[i] = gaussianAt(seed, 1, i, streams.data) / Math.sqrt(d);
  let l1 = 0;
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.abs(theta[a * d + j]!);
    l1 = Math.max(l1, s);
  }
  const S = d + 2;
  const context = (episodeSeed: number): Float64Array => {
    const { k1, k2 } = episodeKeys(episodeSeed, 0).start;
    return Float64Array.from({ length: d }, (_, j) => gaussianDraw(k1, k2, j));
  };
  const payoff = (x: ArrayLike<number>, offset: number, a: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += theta[a * d + j]! * x[offset + j]!;
    return s;
  };
  const bound = MAX_NORMAL * (l1 + std);
  return {
    name: 'contextualBandit',
    observationSize: d,
    action: { kind: 'discrete', n: k },
    maxSteps: 1,
    stateSize: S,
    returnBounds: { lower: -bound, upper: bound },
    theta,
    context,
    reset(state, row, episodeSeed, sample) {
      state.set(context(episodeSeed), S * row);
      const { k1, k2 } = episodeKeys(episodeSeed, sample).transitions;
      state[S * row + d] = k1;
      state[S * row + d + 1] = k2;
    },
    observe(state, count, out) {
      for (let r = 0; r < count; r++) for (let j = 0; j < d; j++) out[r * d + j] = state[S * r + j]!;
    },
    step(state, count, actions, reward, terminated) {
      for (let r = 0; r < count; r++) {
        const a = actions[r]!;
        if (!(Number.isInteger(a) && a >= 0 && a < k)) throw new InvalidInput('action', `row ${r} chose ${a}`, `Choose an arm index in 0 … ${k - 1}.`);
        reward[r] = payoff(state, S * r, a) + std * gaussianDraw(state[S * r + d]!, state[S * r + d + 1]!, 0);
        terminated[r] = 1;
      }
    },
    optimalReturn(episodeSeed) {
      const x = context(episodeSeed);
      let best = -Infinity;
      for (let a = 0; a < k; a++) best = Math.max(best, payoff(x, 0, a));
      return best;
    },
  };
}
