/**
 * The estimator catalogue: one estimator per file, and the typed registry `estimators` whose keys equal the
 * export names. Import from `zeroth/estimators`.
 *
 * @packageDocumentation
 */
import type { Estimator } from '../src/estimator.js';
import { cge, type CgeBlockMask, type CgeMask, type CgeOptions, type CgeSparsity, type CgeState } from './cge.js';
import { exactGradient } from './exactGradient.js';
import { lozo, type LozoOptions, type LozoState } from './lozo.js';
import { lozoM, type LozoMOptions, type LozoMState } from './lozoM.js';
import { mezo, type MezoOptions, type MezoState } from './mezo.js';
import { spsa, type SpsaOptions, type SpsaState } from './spsa.js';
import { zoAdam, type ZoAdamOptions } from './zoAdam.js';
import { zoSgdCons, type ZoSgdConsOptions, type ZoSgdConsState } from './zoSgdCons.js';
import { zoSgdMomentum, type ZoSgdMomentumOptions } from './zoSgdMomentum.js';
import { zoSgdSign, type ZoSgdSignOptions } from './zoSgdSign.js';
import { zoSgdSignElementwise, type ZoSgdSignElementwiseOptions } from './zoSgdSignElementwise.js';
import { zoRankSgd, type ZoRankSgdLineSearchOptions, type ZoRankSgdOptions, type ZoRankSgdState } from './zoRankSgd.js';
import { zoSah, type ZoSahOptions, type ZoSahState } from './zoSah.js';
import {
  subspaceTrustRegion,
  type GradientState,
  type InterpolationState,
  type SubspaceTrustRegionOptions,
  type SubspaceTrustRegionState,
  type TrustRegionBounds,
} from './subspaceTrustRegion.js';
import { reinforce, type ReinforceOptions, type ReinforceState } from './reinforce.js';
import { ppo, type PpoBatch, type PpoOptions, type PpoState } from './ppo.js';
import { grpo, type GrpoBatch, type GrpoOptions, type GrpoState } from './grpo.js';

export { spsa, type SpsaOptions, type SpsaState };
export { cge, type CgeBlockMask, type CgeMask, type CgeOptions, type CgeSparsity, type CgeState };
export { exactGradient };
export { mezo, type MezoOptions, type MezoState };
export { lozo, type LozoOptions, type LozoState };
export { lozoM, type LozoMOptions, type LozoMState };
export { zoSgdSign, type ZoSgdSignOptions };
export { zoSgdSignElementwise, type ZoSgdSignElementwiseOptions };
export { zoSgdMomentum, type ZoSgdMomentumOptions };
export { zoAdam, type ZoAdamOptions };
export { zoSgdCons, type ZoSgdConsOptions, type ZoSgdConsState };
export { zoRankSgd, type ZoRankSgdLineSearchOptions, type ZoRankSgdOptions, type ZoRankSgdState };
export { zoSah, type ZoSahOptions, type ZoSahState };
export { subspaceTrustRegion, type GradientState, type InterpolationState, type SubspaceTrustRegionOptions, type SubspaceTrustRegionState, type TrustRegionBounds };
export { reinforce, type ReinforceOptions, type ReinforceState };
export { ppo, type PpoBatch, type PpoOptions, type PpoState };
export { grpo, type GrpoBatch, type GrpoOptions, type GrpoState };

/** What the registry knows about an estimator. */
export interface EstimatorEntry {
  /** Builds the estimator from its options. */
  build(options?: object): Estimator<unknown>;
  /**
   * Oracle answers it needs: `'values'` (a value or batch oracle), `'ranking'`, `'valueAndGrad'` (a gradient
   * oracle) or `'rollouts'` (a rollouts oracle; the options must then include the `policy` the oracle runs,
   * which the law suites supply).
   */
  readonly response: 'values' | 'ranking' | 'valueAndGrad' | 'rollouts';
  /** One line for tables and the CLI. */
  readonly description: string;
  /** Option sets the law suites run it with (the first is the default; a rollouts entry's sets omit `policy`). */
  readonly variants: readonly object[];
  /** E[ĝ] = ∇f on quadratics for every variant, or for the variants (option sets) the function accepts. */
  readonly unbiased: boolean | ((options: object) => boolean);
}

/** The registry of every estimator, keyed by export name. */
export const estimators = {
  spsa: {
    build: spsa,
    response: 'values',
    description: 'Two-point SPSA: central or forward differences, Gaussian or Rademacher directions, q probes',
    variants: [
      {},
      { distribution: 'gaussian' },
      { distribution: 'gaussian', difference: 'forward', numProbes: 3 },
      { distribution: 'rademacher', numProbes: 2, commonRandomNumbers: false },
    ] satisfies SpsaOptions[],
    unbiased: true,
  },
  mezo: {
    build: mezo,
    response: 'values',
    description: 'MeZO: Gaussian two-point estimate, in-place +εz/−2εz/+εz, decoupled weight decay',
    variants: [{}, { weightDecay: 0.1, evaluateBase: true }, { restore: 'exact', sigma: 1e-2 }] satisfies MezoOptions[],
    unbiased: true,
  },
  zoSgdSign: {
    build: zoSgdSign,
    response: 'values',
    description: 'ZO-SGD-Sign: sign of the projected gradient times z',
    variants: [{}] satisfies ZoSgdSignOptions[],
    unbiased: false,
  },
  zoSgdSignElementwise: {
    build: zoSgdSignElementwise,
    response: 'values',
    description: 'ZO-SGD-Sign, elementwise: sign(p·z) (materialised)',
    variants: [{}] satisfies ZoSgdSignElementwiseOptions[],
    unbiased: false,
  },
  zoSgdMomentum: {
    build: zoSgdMomentum,
    response: 'values',
    description: 'ZO-SGD-MMT: two-point estimate through a heavy-ball momentum buffer',
    variants: [{}, { momentum: 0 }] satisfies ZoSgdMomentumOptions[],
    unbiased: true,
  },
  zoAdam: {
    build: zoAdam,
    response: 'values',
    description: 'ZO-Adam: Adam moments on the materialised two-point estimate',
    variants: [{}] satisfies ZoAdamOptions[],
    unbiased: false,
  },
  zoSgdCons: {
    build: zoSgdCons,
    response: 'values',
    description: 'ZO-SGD-Cons: best of θ, θ − ηpz, θ + ηpz (5 queries per step)',
    variants: [{ learningRate: 0.05 }] satisfies ZoSgdConsOptions[],
    unbiased: false,
  },
  lozo: {
    build: lozo,
    response: 'values',
    description: 'LOZO: two-point estimate along U·Vᵀ per matrix (U fresh, V redrawn every ν steps), Gaussian z on 1-D blocks',
    // On the laws' 1-D layouts LOZO is the Gaussian two-point estimate, hence unbiased (on matrices the mean is rank·∇f).
    variants: [
      {},
      { rank: 1, resampleEvery: 1 },
      { rank: 3, resampleEvery: 2, sigma: 1e-2 },
      { rank: 2, resampleEvery: 3, normalize: true },
    ] satisfies LozoOptions[],
    unbiased: true,
  },
  lozoM: {
    build: lozoM,
    response: 'values',
    description: 'LOZO-M: LOZO with momentum kept compressed as M (m × rank) per matrix, carried across V switches',
    variants: [{}, { rank: 1, resampleEvery: 2, beta: 0.5 }, { rank: 2, resampleEvery: 1, beta: 0 }] satisfies LozoMOptions[],
    unbiased: false,
  },
  cge: {
    build: cge,
    response: 'values',
    description: "DeepZero's coordinate-wise estimator: central or forward differences per coordinate, subsets, sparsity masks",
    variants: [
      {},
      { difference: 'forward' },
      { numCoordinates: 2 },
      { sparsity: { ratio: 0.5, mode: 'random', refreshEvery: 2 } },
      {
        difference: 'forward',
        mask: Object.assign((b: { readonly shape: readonly number[] }) => Array.from({ length: b.shape.reduce((m, n) => m * n, 1) }, (_, i) => i % 2 === 0), {
          toJSON: () => 'even elements', // names the variant in the law titles
        }),
      },
      { difference: 'forward', sparsity: { ratio: 0.5, mode: 'magnitude' }, numCoordinates: 1 },
    ] satisfies CgeOptions[],
    // Central differences are exact on quadratics; forward ones carry (μ/2)·diag(H); subsets and masks zero coordinates.
    unbiased: (options: object) => {
      const o = options as CgeOptions;
      return (o.difference ?? 'central') === 'central' && o.numCoordinates === undefined && o.mask === undefined && o.sparsity === undefined;
    },
  },
  zoRankSgd: {
    build: zoRankSgd,
    response: 'ranking',
    description: 'ZO-RankSGD: DAG-weighted directions from an (m, k)-ranking of m Gaussian candidates; optional ranking line search',
    // The laws' oracle ranks every candidate, so the topK variant sees full rankings there (k = what the oracle returns).
    variants: [{}, { topK: 3 }, { lineSearch: true, normalize: true }, { shuffleDisplay: true, numCandidates: 5 }] satisfies ZoRankSgdOptions[],
    unbiased: false,
  },
  zoSah: {
    build: zoSah,
    response: 'values',
    description: 'ZO-SAH: forward-difference gradient on random 2-D coordinate subspaces, preconditioned by the Hessian of a quadratic fitted there (switched every T steps)',
    variants: [{}, { numSubspaces: 1, switchEvery: 1 }, { numSubspaces: 2, switchEvery: 3, ridge: 0 }] satisfies ZoSahOptions[],
    unbiased: false,
  },
  subspaceTrustRegion: {
    build: subspaceTrustRegion,
    response: 'values',
    description: "Model-based trust region: Powell's least-Frobenius quadratic model (NEWUOA) in random p-dim subspaces, or in the span of a difference gradient and the last steps; no learning rate",
    variants: [{}, { subspaceDim: 2, radius: 0.2 }, { subspace: 'gradient', subspaceDim: 3 }] satisfies SubspaceTrustRegionOptions[],
    unbiased: false,
  },
  exactGradient: {
    build: exactGradient,
    response: 'valueAndGrad',
    description: 'First-order baseline: the exact gradient from a gradient oracle (FO-SGD / FO-Adam with sgd / adam)',
    variants: [{}],
    unbiased: true,
  },
  reinforce: {
    build: reinforce as (options?: object) => Estimator<unknown>,
    response: 'rollouts',
    description: 'REINFORCE: score-function policy gradient with reward-to-go, a running-mean or learned baseline, normalised advantages',
    variants: [{ episodes: 4 }, { episodes: 3, baseline: 'none', normalizeAdvantages: false, discount: 1 }, { episodes: 2, baseline: 'mean', normalizeAdvantages: false }],
    // Without normalisation the running-mean baseline comes from earlier batches only, so the estimate stays unbiased.
    unbiased: (options: object) => (options as Partial<ReinforceOptions>).normalizeAdvantages === false,
  },
  ppo: {
    build: ppo as (options?: object) => Estimator<unknown>,
    response: 'rollouts',
    description: 'PPO: clipped surrogate, GAE(λ), value loss, entropy bonus, epochs × minibatches per batch, approximate-KL stop',
    variants: [{ episodes: 8, minibatches: 2 }, { episodes: 4, epochs: 1, minibatches: 1, clip: Infinity, entropyCoef: 0, normalizeAdvantages: false, discount: 1, gaeLambda: 1 }, { episodes: 6, minibatches: 2, targetKl: 0.01 }],
    // One epoch, one minibatch, no clipping, no normalisation, γ = λ = 1 and no critic: the vanilla policy gradient
    // averaged over steps; on the laws' one-step episodes that is REINFORCE's unbiased estimate.
    unbiased: (options: object) => {
      const o = options as Partial<PpoOptions>;
      return o.normalizeAdvantages === false && o.epochs === 1 && o.minibatches === 1 && o.clip === Infinity && o.entropyCoef === 0;
    },
  },
  grpo: {
    build: grpo as (options?: object) => Estimator<unknown>,
    response: 'rollouts',
    description: 'GRPO: groups of G episodes from one start state, group-normalised advantages, clipped ratio, KL penalty to a reference policy',
    variants: [{ groups: 2, groupSize: 4 }, { groups: 1, groupSize: 3, epochs: 2, minibatches: 2, beta: 0, scaleByStd: false }],
    unbiased: false,
  },
} as const satisfies Record<string, EstimatorEntry>;

/** A registry key. */
export type EstimatorName = keyof typeof estimators;
