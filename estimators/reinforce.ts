import type { Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, OracleMismatch } from '../src/errors.js';
import type { Policy, ValueFunction } from '../src/rl/policy.js';
import type { Params, ProbeBatch, Responses } from '../src/types.js';
import { integerAtLeast, nonNegative, oneOf } from '../src/validate.js';
import { checkPolicy, unitInterval } from './_internal/checkPolicy.js';
import { episodeAdvantages, normalizeInPlace } from './_internal/episodeAdvantages.js';
import { episodeBatch } from './_internal/episodeBatch.js';
import { policyLayout } from './_internal/policyLayout.js';
import { rolloutProbes } from './_internal/rolloutProbes.js';

/** Options of {@link reinforce}. */
export interface ReinforceOptions {
  /** The policy whose parameters are optimised (the same one the rollouts oracle runs). */
  readonly policy: Policy;
  /** Episodes per step. @defaultValue 8 */
  readonly episodes?: number;
  /** Discount γ of the reward-to-go. @defaultValue 0.99 */
  readonly discount?: number;
  /**
   * `'none'`; `'mean'`: an exponential running mean of past batches' mean reward-to-go (no dependence on the
   * current batch, so the estimate stays unbiased); `'value'`: a learned V(sₜ) (needs `value`, trained on the
   * reward-to-go in the same update). @defaultValue 'mean' ('value' when `value` is given)
   */
  readonly baseline?: 'none' | 'mean' | 'value';
  /** The critic for `baseline: 'value'`; its blocks follow the policy's in the parameters. */
  readonly value?: ValueFunction;
  /** Decay of the running-mean baseline. @defaultValue 0.9 */
  readonly baselineDecay?: number;
  /** Normalise the advantages of a batch to mean 0, standard deviation 1. @defaultValue true */
  readonly normalizeAdvantages?: boolean;
  /** Weight of the critic's squared error ½(V − G)² in the update. @defaultValue 0.5 */
  readonly valueCoef?: number;
  /** Weight c_H of an entropy bonus (1/N) Σᵢ Σₜ H(π(·|sᵢₜ)), against early collapse of the policy. @defaultValue 0 */
  readonly entropyCoef?: number;
}

/** State of {@link reinforce}. */
export interface ReinforceState {
  readonly step: number;
  /** The running-mean baseline (0 before the first batch). */
  readonly baseline: number;
}

/**
 * REINFORCE, the score-function policy gradient with reward-to-go and a baseline. Each step collects
 * N = `episodes` episodes at the current parameters (common random numbers: episode seeds from the step seed)
 * and returns the dense estimate of the gradient of f(θ) = −E[return]:
 *
 * ĝ = −(1/N) Σᵢ Σₜ Âᵢₜ ∇θ log π(aᵢₜ | sᵢₜ),  Âᵢₜ = Gᵢₜ − b(sᵢₜ),  Gᵢₜ = Σₖ γᵏ rᵢ,ₜ₊ₖ
 *
 * (then normalised when `normalizeAdvantages`; with a critic, Gᵢₜ of an episode cut by the time limit is
 * bootstrapped with γ^{T−t} V(s_T)), plus, with a learned baseline, the critic's gradient
 * (valueCoef/Σ T) Σ (V(sₜ) − Gₜ) ∇φ V(sₜ), and, with `entropyCoef` c_H > 0, −(c_H/N) Σᵢ Σₜ ∇θ H(π(·|sᵢₜ)). With `baseline: 'none'` or `'mean'`, no normalisation and γ = 1,
 * E[ĝ] = ∇f exactly (Williams' theorem; tested on bandits with a known gradient).
 *
 * Queries per step: N episodes. Extra memory: the batch of episodes. Value reported: −(mean return).
 * The update goes through the optimizer's transform (`adam`, `clipByGlobalNorm`, …) like any other.
 *
 * @see R. J. Williams, "Simple statistical gradient-following algorithms for connectionist reinforcement
 * learning", Machine Learning 8, 1992.
 *
 * @example
 * ```ts
 * import { adam, linearSoftmax, optimizer, rolloutsOracle } from 'zeroth';
 * import { reinforce } from 'zeroth/estimators';
 * import { cartPole } from 'zeroth/problems';
 * const policy = linearSoftmax({ observationSize: 4, actions: 2 });
 * const oracle = rolloutsOracle({ environment: cartPole(), policy });
 * const opt = optimizer({ estimator: reinforce({ policy, episodes: 8 }), update: adam(0.05) });
 * const params = policy.init(0);
 * let state = opt.init(params, 1);
 * for (let k = 0; k < 5; k++) state = (await opt.step(params, oracle, state)).state;
 * ```
 */
export function reinforce(options: ReinforceOptions): Estimator<ReinforceState> {
  const { policy, value } = checkPolicy('reinforce', options?.policy, options?.value);
  const N = integerAtLeast('episodes', options.episodes ?? 8, 1);
  const gamma = unitInterval('discount', options.discount ?? 0.99);
  const baseline = oneOf('baseline', options.baseline ?? (value ? 'value' : 'mean'), ['none', 'mean', 'value'] as const);
  if (baseline === 'value' && value === undefined) {
    throw new InvalidHyperparameter('baseline', 'value', 'needs the value option (a critic), e.g. valueNetwork({ observationSize })');
  }
  if (baseline !== 'value' && value !== undefined) {
    throw new InvalidHyperparameter('value', 'a value function', `is used only with baseline 'value' (got baseline '${baseline}'); drop it or set baseline: 'value'`);
  }
  const decay = unitInterval('baselineDecay', options.baselineDecay ?? 0.9);
  const normalize = options.normalizeAdvantages ?? true;
  const valueCoef = nonNegative('valueCoef', options.valueCoef ?? 0.5);
  const entropyCoef = nonNegative('entropyCoef', options.entropyCoef ?? 0);
  const critic = baseline === 'value' ? value : undefined;
  const name = 'reinforce';
  return {
    name,
    response: 'rollouts',
    queriesPerStep: () => N,
    init: () => ({ step: 0, baseline: 0 }),
    propose: (_state: ReinforceState, _params: Params, seed: number): ProbeBatch => rolloutProbes(seed, N, 1),
    combine(state: ReinforceState, _batch: ProbeBatch, responses: Responses, params: Params) {
      if (responses.kind !== 'rollouts') throw new OracleMismatch(name, "'rollouts' responses (a 'rollouts' oracle)", responses.kind);
      const layout = policyLayout(name, params, policy, value);
      const episodes = responses.episodes;
      const batch = episodeBatch(episodes, policy);
      const adv = episodeAdvantages(episodes, batch, gamma, 1, 1, critic, layout.valueParams);
      const G = adv.targets; // V + (G − V) = G
      const a = Float64Array.from(adv.advantages);
      let meanG = 0;
      for (let i = 0; i < batch.rows; i++) meanG += G[i]!;
      meanG /= batch.rows;
      if (baseline === 'mean') for (let i = 0; i < batch.rows; i++) a[i] = a[i]! - state.baseline;
      if (normalize) normalizeInPlace(a);
      const weights = a.map((x) => -x / N);
      policy.accumulateGrad(layout.policyParams, batch.observations, batch.actions, batch.rows, weights, -entropyCoef / N, layout.grads);
      if (critic !== undefined) {
        const w = adv.values.map((v, i) => (valueCoef * (v - G[i]!)) / batch.rows);
        critic.accumulateGrad(layout.valueParams, batch.observations, batch.rows, w, layout.valueGrads);
      }
      let total = 0;
      for (const ep of episodes) total += ep.return;
      return {
        state: { step: state.step + 1, baseline: baseline === 'mean' ? decay * state.baseline + (1 - decay) * meanG : state.baseline },
        update: layout.toUpdate(),
        value: -total / episodes.length,
      };
    },
  };
}
