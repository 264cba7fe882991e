import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import type { Environment } from '../../src/rl/environment.js';
import { episodeKeys } from '../../src/rl/episodeKeys.js';
import { gaussianDraw, uniformDraw } from '../../src/rl/streamDraws.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { streams } from '../../src/rng/streams.js';
import { checkInteger, checkNumber, checkSeed } from '../_internal/validate.js';

/** Options of {@link bandit}. */
export interface BanditOptions {
  /** Number of arms k (when `means` is not given). @defaultValue 10 */
  readonly arms?: number;
  /** `'gaussian'`: reward μₐ + σ ε; `'bernoulli'`: reward 1 with probability pₐ, else 0. @defaultValue 'gaussian' */
  readonly kind?: 'gaussian' | 'bernoulli';
  /** The arms' expected rewards; drawn from `seed` when absent (N(0, 1) for Gaussian, U(0, 1) for Bernoulli arms). */
  readonly means?: readonly number[];
  /** Reward noise σ of Gaussian arms. @defaultValue 1 */
  readonly std?: number;
  /** Seed of the drawn means. @defaultValue 0 */
  readonly seed?: number;
}

/** The environment returned by {@link bandit}: a one-step episode per pull. */
export interface BanditEnvironment extends Environment {
  /** The arms' expected rewards. */
  readonly means: Float64Array;
  /** max μₐ, the expected reward of the best arm. */
  readonly optimalValue: number;
}

/** The largest magnitude of the canonical Gaussian draw (the Box–Muller radius at u₁ = 2⁻²⁴ is 5.768…). */
const MAX_NORMAL = 5.77;

/**
 * The k-armed bandit: one pull per episode (observation [1], action = the arm, terminal after one step).
 * Gaussian arms pay μₐ + σ ε, Bernoulli arms 1 with probability pₐ. The noise of a pull is drawn from the
 * episode's transition stream (seed, sample); the means are fixed at construction.
 *
 * Known optimum: `optimalValue` = max μₐ (also `optimalReturn(seed)` for every episode), so the expected regret
 * of a policy π is max μ − Σₐ π(a) μₐ. Returns lie in [min μ − 5.77σ, max μ + 5.77σ] (Gaussian; the canonical
 * normal draw is bounded by 5.77) or [0, 1] (Bernoulli).
 *
 * @see R. S. Sutton, A. G. Barto, "Reinforcement Learning: An Introduction", 2nd ed., 2018, ch. 2 (the
 * 10-armed testbed) and §2.8 (gradient bandit algorithms).
 *
 * @example
 * ```ts
 * import { bandit } from 'zeroth/problems';
 * const env = bandit({ means: [0.1, 0.5, 0.9], kind: 'bernoulli' });
 * env.optimalValue; // 0.9
 * ```
 */
export function bandit(options: BanditOptions = {}): BanditEnvironment {
  const kind = options.kind ?? 'gaussian';
  if (kind !== 'gaussian' && kind !== 'bernoulli') throw new InvalidHyperparameter('kind', kind, "must be 'gaussian' or 'bernoulli'");
  const seed = checkSeed('seed', options.seed ?? 0);
  const std = checkNumber('std', options.std ?? 1, 0);
  let means: Float64Array;
  if (options.means !== undefined) {
    if (!Array.isArray(options.means) || options.means.length < 1 || !options.means.every((m) => typeof m === 'number' && Number.isFinite(m))) {
      throw new InvalidHyperparameter('means', options.means, 'must be a non-empty array of finite numbers');
    }
    means = Float64Array.from(options.means);
    if (kind === 'bernoulli' && means.some((p) => p < 0 || p > 1)) throw new InvalidHyperparameter('means', options.means, 'must lie in [0, 1] for Bernoulli arms');
  } else {
    const k = checkInteger('arms', options.arms ?? 10, 1);
    means = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      const z = gaussianAt(seed, 0, a, streams.data);
      means[a] = kind === 'gaussian' ? z : 0.5 * (1 + Math.tanh(z));
    }
  }
  const k = means.length;
  let best = -Infinity;
  let worst = Infinity;
  for (const m of means) {
    best = Math.max(best, m);
    worst = Math.min(worst, m);
  }
  const gaussian = kind === 'gaussian';
  return {
    name: 'bandit',
    observationSize: 1,
    action: { kind: 'discrete', n: k },
    maxSteps: 1,
    stateSize: 2,
    returnBounds: gaussian ? { lower: worst - MAX_NORMAL * std, upper: best + MAX_NORMAL * std } : { lower: 0, upper: 1 },
    means,
    optimalValue: best,
    reset(state, row, episodeSeed, sample) {
      const { k1, k2 } = episodeKeys(episodeSeed, sample).transitions;
      state[2 * row] = k1;
      state[2 * row + 1] = k2;
    },
    observe(_state, count, out) {
      out.fill(1, 0, count);
    },
    step(state, count, actions, reward, terminated) {
      for (let r = 0; r < count; r++) {
        const a = actions[r]!;
        const mean = means[a];
        if (mean === undefined || !Number.isInteger(a)) throw new InvalidInput('action', `row ${r} chose ${a}`, `Choose an arm index in 0 … ${k - 1}.`);
        const k1 = state[2 * r]!;
        const k2 = state[2 * r + 1]!;
        reward[r] = gaussian ? mean + std * gaussianDraw(k1, k2, 0) : uniformDraw(k1, k2, 0) < mean ? 1 : 0;
        terminated[r] = 1;
      }
    },
    optimalReturn: () => best,
  };
}
