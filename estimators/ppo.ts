import type { Estimator } from '../src/estimator.js';
import { InvalidInput, OracleMismatch } from '../src/errors.js';
import { actionSize } from '../src/rl/environment.js';
import type { Policy, ValueFunction } from '../src/rl/policy.js';
import type { Params, ProbeBatch, Responses } from '../src/types.js';
import { integerAtLeast, nonNegative, positive } from '../src/validate.js';
import { checkPolicy, unitInterval } from './_internal/checkPolicy.js';
import { episodeAdvantages, normalizeInPlace } from './_internal/episodeAdvantages.js';
import { episodeBatch, gatherRows } from './_internal/episodeBatch.js';
import { policyLayout } from './_internal/policyLayout.js';
import { NO_PROBES, rolloutProbes } from './_internal/rolloutProbes.js';
import { advanceSweep, startSweep, sweepSlice, type Sweep } from './_internal/sweep.js';

/** Options of {@link ppo}. */
export interface PpoOptions {
  /** The policy (the same one the rollouts oracle runs). */
  readonly policy: Policy;
  /** The critic V(s) for GAE; its blocks follow the policy's. Without it V ≡ 0. */
  readonly value?: ValueFunction;
  /** Episodes collected per batch. @defaultValue 8 */
  readonly episodes?: number;
  /** Passes over each batch. @defaultValue 4 */
  readonly epochs?: number;
  /** Minibatches per pass (the batch's steps, shuffled, in near-equal parts). @defaultValue 4 */
  readonly minibatches?: number;
  /** Clip range ε of the probability ratio; `Infinity` for no clipping. @defaultValue 0.2 */
  readonly clip?: number;
  /** Discount γ. @defaultValue 0.99 */
  readonly discount?: number;
  /** GAE λ. @defaultValue 0.95 */
  readonly gaeLambda?: number;
  /** Weight of the value loss ½(V − target)². @defaultValue 0.5 */
  readonly valueCoef?: number;
  /** Weight of the entropy bonus. @defaultValue 0.01 for discrete actions, 0 for continuous ones */
  readonly entropyCoef?: number;
  /** Stop a batch's remaining minibatches once the approximate KL(π_old ‖ π) of a minibatch exceeds this. @defaultValue none */
  readonly targetKl?: number;
  /** Normalise advantages per minibatch to mean 0, std 1. @defaultValue true */
  readonly normalizeAdvantages?: boolean;
  /** Rewards are multiplied by this before GAE (keeps the critic's targets near unit scale). @defaultValue 1 */
  readonly rewardScale?: number;
}

/** A collected batch, flattened to rows, with its advantages and value targets. */
export interface PpoBatch {
  readonly rows: number;
  readonly observations: Float32Array;
  readonly actions: Float32Array;
  readonly logProbs: Float64Array;
  readonly advantages: Float64Array;
  readonly targets: Float64Array;
  readonly sweep: Sweep;
  /** −(mean return) of the batch's episodes. */
  readonly value: number;
}

/** State of {@link ppo}: the batch being swept (null when the next step collects). */
export interface PpoState {
  readonly step: number;
  readonly batch: PpoBatch | null;
  /** Approximate KL(π_old ‖ π) of the last minibatch, before its update. */
  readonly approxKl: number;
  /** Fraction of the last minibatch's rows whose ratio was clipped. */
  readonly clipFraction: number;
}

/**
 * Proximal policy optimisation. A step is one minibatch update: when no batch is pending, the step first
 * collects `episodes` episodes at the current parameters and computes GAE(λ) advantages and value targets with
 * the critic as it is then; each step then returns the gradient of the clipped-surrogate loss on one shuffled
 * minibatch of the batch's steps, at the current parameters:
 *
 * L = −mean[min(rₜ Âₜ, clip(rₜ, 1 − ε, 1 + ε) Âₜ)] + c_v · mean[½(V(sₜ) − V̂ₜ)²] − c_H · mean[H(π(·|sₜ))],
 * rₜ = π(aₜ|sₜ)/π_old(aₜ|sₜ),  Âₜ = GAE(γ, λ),  V̂ₜ = Âₜ + V_old(sₜ),
 *
 * `epochs` × `minibatches` steps per batch (fewer when the approximate KL, mean((r − 1) − log r), of a
 * minibatch exceeds `targetKl`: the batch is dropped and the same step collects a new one). The updates go
 * through the optimizer's transform, as in the reference implementations (Adam, gradient clipping).
 * With one epoch, one minibatch, no clipping and no entropy bonus, ĝ = −(1/Σ T) Σₜ Âₜ ∇ log π(aₜ|sₜ): the
 * vanilla policy gradient.
 *
 * Queries per step: `episodes` on a step that collects, 0 on the others; `queriesPerStep` reports the
 * former. Extra memory: one batch of steps. Value reported: −(mean return) of the batch being swept.
 *
 * @see J. Schulman, F. Wolski, P. Dhariwal, A. Radford, O. Klimov, "Proximal Policy Optimization Algorithms",
 * arXiv:1707.06347, 2017; GAE: Schulman et al., ICLR 2016.
 *
 * @example
 * ```ts
 * import { adam, chain, clipByGlobalNorm, linearSoftmax, optimizer, rolloutsOracle, valueNetwork } from 'zeroth';
 * import { ppo } from 'zeroth/estimators';
 * import { cartPole } from 'zeroth/problems';
 * const policy = linearSoftmax({ observationSize: 4, actions: 2 });
 * const value = valueNetwork({ observationSize: 4, hidden: [32] });
 * const opt = optimizer({ estimator: ppo({ policy, value }), update: chain(clipByGlobalNorm(0.5), adam(3e-3)) });
 * const params = [...policy.init(0), ...value.init(0)];
 * const oracle = rolloutsOracle({ environment: cartPole(), policy });
 * let state = opt.init(params, 1);
 * for (let k = 0; k < 32; k++) state = (await opt.step(params, oracle, state)).state;
 * ```
 */
export function ppo(options: PpoOptions): Estimator<PpoState> {
  const { policy, value } = checkPolicy('ppo', options?.policy, options?.value);
  const N = integerAtLeast('episodes', options.episodes ?? 8, 1);
  const epochs = integerAtLeast('epochs', options.epochs ?? 4, 1);
  const minibatches = integerAtLeast('minibatches', options.minibatches ?? 4, 1);
  const clip = options.clip === Infinity ? Infinity : positive('clip', options.clip ?? 0.2);
  const gamma = unitInterval('discount', options.discount ?? 0.99);
  const lambda = unitInterval('gaeLambda', options.gaeLambda ?? 0.95);
  const valueCoef = nonNegative('valueCoef', options.valueCoef ?? 0.5);
  const entropyCoef = nonNegative('entropyCoef', options.entropyCoef ?? (policy.action.kind === 'discrete' ? 0.01 : 0));
  const targetKl = options.targetKl === undefined ? Infinity : positive('targetKl', options.targetKl);
  const normalize = options.normalizeAdvantages ?? true;
  const rewardScale = positive('rewardScale', options.rewardScale ?? 1);
  const name = 'ppo';
  const O = policy.observationSize;
  const A = actionSize(policy.action);

  const collect = (responses: Responses, batch: ProbeBatch, params: Params): PpoBatch => {
    if (responses.kind !== 'rollouts') throw new OracleMismatch(name, "'rollouts' responses (a 'rollouts' oracle)", responses.kind);
    const layout = policyLayout(name, params, policy, value);
    const episodes = responses.episodes;
    const flat = episodeBatch(episodes, policy);
    const adv = episodeAdvantages(episodes, flat, gamma, lambda, rewardScale, value, layout.valueParams);
    let total = 0;
    for (const ep of episodes) total += ep.return;
    return {
      rows: flat.rows,
      observations: flat.observations,
      actions: flat.actions,
      logProbs: flat.logProbs,
      advantages: adv.advantages,
      targets: adv.targets,
      sweep: startSweep(flat.rows, batch.probes[0]!.noiseKey),
      value: -total / episodes.length,
    };
  };

  return {
    name,
    response: 'rollouts',
    queriesPerStep: () => N,
    init: () => ({ step: 0, batch: null, approxKl: 0, clipFraction: 0 }),
    propose: (state: PpoState, _params: Params, seed: number): ProbeBatch => (state.batch === null ? rolloutProbes(seed, N, 1) : NO_PROBES),
    combine(state: PpoState, probeBatch: ProbeBatch, responses: Responses, params: Params) {
      const data = probeBatch.probes.length > 0 ? collect(responses, probeBatch, params) : state.batch;
      if (data === null) throw new InvalidInput('responses', 'ppo has no batch to sweep and received no episodes', 'Answer the probes proposed for this state.');
      const layout = policyLayout(name, params, policy, value);
      const rows = sweepSlice(data.sweep, minibatches);
      const m = rows.length;
      const mb = gatherRows(data, rows, O, A);
      const adv = Float64Array.from(rows, (r) => data.advantages[r]!);
      if (normalize) normalizeInPlace(adv);
      const logp = new Float64Array(m);
      const entropy = new Float64Array(m);
      policy.logProb(layout.policyParams, mb.observations, mb.actions, m, logp, entropy);
      const weights = new Float64Array(m);
      let kl = 0;
      let clipped = 0;
      for (let i = 0; i < m; i++) {
        const logRatio = logp[i]! - mb.logProbs[i]!;
        const ratio = Math.exp(logRatio);
        kl += ratio - 1 - logRatio;
        const a = adv[i]!;
        const bounded = Math.min(Math.max(ratio, 1 - clip), 1 + clip);
        if (bounded !== ratio) clipped++;
        // d/dθ min(r Â, clip(r) Â) = r Â ∇log π where the unclipped term is the minimum, else 0.
        if (ratio * a <= bounded * a) weights[i] = -(ratio * a) / m;
      }
      kl /= m;
      if (kl > targetKl) {
        return { state: { step: state.step, batch: null, approxKl: kl, clipFraction: clipped / m }, update: undefined, value: data.value };
      }
      policy.accumulateGrad(layout.policyParams, mb.observations, mb.actions, m, weights, -entropyCoef / m, layout.grads);
      if (value !== undefined && valueCoef > 0) {
        const v = new Float64Array(m);
        value.predict(layout.valueParams, mb.observations, m, v);
        const w = v.map((x, i) => (valueCoef * (x - data.targets[rows[i]!]!)) / m);
        value.accumulateGrad(layout.valueParams, mb.observations, m, w, layout.valueGrads);
      }
      const next = advanceSweep(data.sweep, epochs, minibatches);
      return {
        state: { step: state.step + 1, batch: next === null ? null : { ...data, sweep: next }, approxKl: kl, clipFraction: clipped / m },
        update: layout.toUpdate(),
        value: data.value,
      };
    },
  };
}
