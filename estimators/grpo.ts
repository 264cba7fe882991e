import type { Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../src/errors.js';
import { actionSize } from '../src/rl/environment.js';
import type { Policy } from '../src/rl/policy.js';
import type { Params, ProbeBatch, Responses } from '../src/types.js';
import { integerAtLeast, nonNegative, positive } from '../src/validate.js';
import { checkPolicy } from './_internal/checkPolicy.js';
import { episodeBatch, gatherRows, type EpisodeBatch } from './_internal/episodeBatch.js';
import { groupAdvantages } from './_internal/groupAdvantages.js';
import { policyLayout } from './_internal/policyLayout.js';
import { NO_PROBES, rolloutProbes } from './_internal/rolloutProbes.js';
import { advanceSweep, startSweep, sweepSlice, type Sweep } from './_internal/sweep.js';

/** Options of {@link grpo}. */
export interface GrpoOptions {
  /** The policy (the same one the rollouts oracle runs). */
  readonly policy: Policy;
  /** Groups (start states, or prompts) per batch. @defaultValue 4 */
  readonly groups?: number;
  /** Episodes G per group, all from the group's start state. @defaultValue 8 */
  readonly groupSize?: number;
  /** Passes over each batch. @defaultValue 1 */
  readonly epochs?: number;
  /** Minibatches per pass (the batch's episodes, shuffled). @defaultValue 1 */
  readonly minibatches?: number;
  /** Clip range ε of the probability ratio; `Infinity` for none. @defaultValue 0.2 */
  readonly clip?: number;
  /** Weight β of the KL penalty to the reference policy; 0 for none. @defaultValue 0.04 */
  readonly beta?: number;
  /** The reference policy is reset to the current one every this many batches (`Infinity`: the initial policy). @defaultValue 10 */
  readonly referenceEvery?: number;
  /** Divide each group's centred returns by their standard deviation. @defaultValue true */
  readonly scaleByStd?: boolean;
  /** Average each episode's terms over its length (1/|oᵢ|, the paper's form); else over all steps of the minibatch. @defaultValue true */
  readonly lengthNormalize?: boolean;
  /** Weight c_H of an entropy bonus, the mean entropy H(π(·|s)) over the minibatch's steps (not in the paper). @defaultValue 0 */
  readonly entropyCoef?: number;
}

/** A collected batch of groups. */
export interface GrpoBatch {
  readonly episodes: EpisodeBatch;
  /** Âᵢ per episode. */
  readonly advantages: Float64Array;
  readonly sweep: Sweep;
  /** −(mean return) of the batch's episodes. */
  readonly value: number;
}

/** State of {@link grpo}. */
export interface GrpoState {
  readonly step: number;
  readonly batch: GrpoBatch | null;
  /** Batches collected so far. */
  readonly batches: number;
  /** The reference policy's blocks (null before the first batch or when β = 0). */
  readonly reference: Params | null;
  /** Mean k3 estimate of KL(π ‖ π_ref) over the last minibatch. */
  readonly kl: number;
}

/**
 * Group relative policy optimisation: no critic; each batch holds `groups` groups of G episodes that share a
 * start state (for a sequence task: G answers to one prompt), and every step of episode i gets the
 * group-normalised outcome advantage Âᵢ = (Rᵢ − mean R_group)/std R_group (0 for a group of equal returns).
 * A step is one minibatch update of the loss
 *
 * L = −(1/|B|) Σᵢ (1/|oᵢ|) Σₜ [min(rᵢₜ Âᵢ, clip(rᵢₜ, 1 − ε, 1 + ε) Âᵢ) − β D_KL,ᵢₜ],
 * rᵢₜ = π(aᵢₜ|sᵢₜ)/π_old(aᵢₜ|sᵢₜ),  D_KL = π_ref/π − log(π_ref/π) − 1 (the unbiased k3 estimator),
 *
 * whose gradient weights ∇ log π(aᵢₜ|sᵢₜ) by −(1/(|B| |oᵢ|)) [rÂ·1(unclipped) − β(1 − π_ref/π)] (plus, with
 * `entropyCoef` c_H > 0, the bonus −c_H · mean ∇H(π(·|sₜ)) over the minibatch's steps). A batch is
 * swept `epochs` × `minibatches` times (one update per step, through the optimizer's transform), then the next
 * step collects a new one. The reference policy is the policy at the start of every `referenceEvery`-th batch.
 *
 * Queries per step: groups × G episodes on a step that collects, 0 on the others (`queriesPerStep` reports
 * the former). Extra memory: one batch and a copy of the policy's blocks (the reference). Value reported:
 * −(mean return) of the batch being swept.
 *
 * @see Z. Shao et al., "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models",
 * arXiv:2402.03300, 2024 (§4.1, outcome supervision).
 *
 * @example
 * ```ts
 * import { adam, linearSoftmax, optimizer, rolloutsOracle } from 'zeroth';
 * import { grpo } from 'zeroth/estimators';
 * import { sequenceTask } from 'zeroth/problems';
 * const env = sequenceTask();
 * const policy = linearSoftmax({ observationSize: env.observationSize, actions: 10 });
 * const opt = optimizer({ estimator: grpo({ policy, groups: 4, groupSize: 8 }), update: adam(0.05) });
 * const params = policy.init(0);
 * let state = opt.init(params, 3);
 * for (let k = 0; k < 10; k++) state = (await opt.step(params, rolloutsOracle({ environment: env, policy }), state)).state;
 * ```
 */
export function grpo(options: GrpoOptions): Estimator<GrpoState> {
  const { policy } = checkPolicy('grpo', options?.policy, undefined);
  const groups = integerAtLeast('groups', options.groups ?? 4, 1);
  const G = integerAtLeast('groupSize', options.groupSize ?? 8, 2);
  const epochs = integerAtLeast('epochs', options.epochs ?? 1, 1);
  const minibatches = integerAtLeast('minibatches', options.minibatches ?? 1, 1);
  const clip = options.clip === Infinity ? Infinity : positive('clip', options.clip ?? 0.2);
  const beta = nonNegative('beta', options.beta ?? 0.04);
  const entropyCoef = nonNegative('entropyCoef', options.entropyCoef ?? 0);
  const referenceEvery = options.referenceEvery === Infinity ? Infinity : integerAtLeast('referenceEvery', options.referenceEvery ?? 10, 1);
  const scaleByStd = options.scaleByStd ?? true;
  const lengthNormalize = options.lengthNormalize ?? true;
  if (typeof scaleByStd !== 'boolean') throw new InvalidHyperparameter('scaleByStd', scaleByStd, 'must be true or false');
  const name = 'grpo';
  const O = policy.observationSize;
  const A = actionSize(policy.action);
  const N = groups * G;

  return {
    name,
    response: 'rollouts',
    queriesPerStep: () => N,
    init: () => ({ step: 0, batch: null, batches: 0, reference: null, kl: 0 }),
    propose: (state: GrpoState, _params: Params, seed: number): ProbeBatch => (state.batch === null ? rolloutProbes(seed, groups, G) : NO_PROBES),
    combine(state: GrpoState, probeBatch: ProbeBatch, responses: Responses, params: Params) {
      const layout = policyLayout(name, params, policy, undefined);
      let data = state.batch;
      let reference = state.reference;
      let batches = state.batches;
      if (probeBatch.probes.length > 0) {
        if (responses.kind !== 'rollouts') throw new OracleMismatch(name, "'rollouts' responses (a 'rollouts' oracle)", responses.kind);
        const eps = responses.episodes;
        const returns = eps.map((e) => e.return);
        let total = 0;
        for (const r of returns) total += r;
        data = {
          episodes: episodeBatch(eps, policy),
          advantages: groupAdvantages(returns, G, scaleByStd),
          sweep: startSweep(eps.length, probeBatch.probes[0]!.noiseKey),
          value: -total / eps.length,
        };
        if (beta > 0 && (reference === null || batches % referenceEvery === 0)) {
          reference = layout.policyParams.map((b) => ({ name: b.name, shape: b.shape, data: b.data.slice() }));
        }
        batches++;
      }
      if (data === null) throw new InvalidInput('responses', 'grpo has no batch to sweep and received no episodes', 'Answer the probes proposed for this state.');
      const batch = data.episodes;
      const chosen = sweepSlice(data.sweep, minibatches);
      const rowIndex: number[] = [];
      const coeff: number[] = [];
      const adv: number[] = [];
      let steps = 0;
      for (const e of chosen) steps += batch.starts[e + 1]! - batch.starts[e]!;
      for (const e of chosen) {
        const lo = batch.starts[e]!;
        const hi = batch.starts[e + 1]!;
        const c = lengthNormalize ? 1 / (chosen.length * (hi - lo)) : 1 / steps;
        for (let r = lo; r < hi; r++) {
          rowIndex.push(r);
          coeff.push(c);
          adv.push(data.advantages[e]!);
        }
      }
      const m = rowIndex.length;
      const mb = gatherRows(batch, rowIndex, O, A);
      const logp = new Float64Array(m);
      policy.logProb(layout.policyParams, mb.observations, mb.actions, m, logp);
      const refLogp = new Float64Array(m);
      if (beta > 0 && reference !== null) policy.logProb(reference, mb.observations, mb.actions, m, refLogp);
      const weights = new Float64Array(m);
      let kl = 0;
      for (let i = 0; i < m; i++) {
        const ratio = Math.exp(logp[i]! - mb.logProbs[i]!);
        const a = adv[i]!;
        const bounded = Math.min(Math.max(ratio, 1 - clip), 1 + clip);
        let w = ratio * a <= bounded * a ? ratio * a : 0;
        if (beta > 0) {
          const q = Math.exp(refLogp[i]! - logp[i]!);
          kl += (q - Math.log(q) - 1) / m;
          w -= beta * (1 - q);
        }
        weights[i] = -coeff[i]! * w;
      }
      policy.accumulateGrad(layout.policyParams, mb.observations, mb.actions, m, weights, -entropyCoef / m, layout.grads);
      const next = advanceSweep(data.sweep, epochs, minibatches);
      return {
        state: { step: state.step + 1, batch: next === null ? null : { ...data, sweep: next }, batches, reference, kl },
        update: layout.toUpdate(),
        value: data.value,
      };
    },
  };
}
