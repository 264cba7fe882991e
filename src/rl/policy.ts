import type { Params, Seed } from '../types.js';
import type { ActionSpace } from './environment.js';

/**
 * A stochastic policy π_θ(a | s) with an analytic score function, on zeroth `Params` (so the zeroth-order
 * estimators can perturb the very same parameters). Every method works on n rows at once (row-major arrays),
 * and none allocates per row.
 *
 * The policy reads the first `blockCount` blocks of the parameters it is given; blocks after them belong to
 * someone else (PPO's critic).
 */
export interface Policy {
  /** e.g. `'linearSoftmax'`. */
  readonly name: string;
  readonly observationSize: number;
  readonly action: ActionSpace;
  /** Number of leading parameter blocks that are the policy's. */
  readonly blockCount: number;
  /**
   * The random numbers `act` consumes per row: `uniform` numbers in (0, 1) (a categorical draw) or standard
   * `gaussian` numbers (a Gaussian draw), `size` of them.
   */
  readonly noise: { readonly kind: 'uniform' | 'gaussian'; readonly size: number };
  /** Fresh parameters: named, shaped blocks, deterministic in `seed`. */
  init(seed: Seed): Params;
  /**
   * Chooses actions for n observations: a sample driven by `noise` (n × noise.size), or the mode of
   * π(· | s) when `noise` is null (the greedy policy). Writes the actions (n × action size) and
   * log π(a | s).
   */
  act(params: Params, observations: Float32Array, n: number, noise: Float64Array | null, actions: Float32Array, logProbs: Float64Array): void;
  /** log π(aᵢ | sᵢ) for n rows into `out`; the entropy H(π(· | sᵢ)) into `entropy` when given. */
  logProb(params: Params, observations: Float32Array, actions: Float32Array, n: number, out: Float64Array, entropy?: Float64Array): void;
  /**
   * Accumulates gradients into `grads` (one float64 array per policy block):
   * grads += Σᵢ (weightsᵢ · ∇θ log π(aᵢ | sᵢ) + entropyWeight · ∇θ H(π(· | sᵢ))).
   */
  accumulateGrad(
    params: Params,
    observations: Float32Array,
    actions: Float32Array,
    n: number,
    weights: Float64Array,
    entropyWeight: number,
    grads: readonly Float64Array[],
  ): void;
}

/**
 * A state-value function V_φ(s) (PPO's critic, REINFORCE's learned baseline) on zeroth `Params`. Like a
 * policy it reads the first `blockCount` blocks of the parameters it is given: the estimators hand it the
 * blocks that follow the policy's.
 */
export interface ValueFunction {
  readonly name: string;
  readonly observationSize: number;
  readonly blockCount: number;
  /** Fresh parameters, deterministic in `seed`. */
  init(seed: Seed): Params;
  /** V(sᵢ) for n rows into `out`. */
  predict(params: Params, observations: Float32Array, n: number, out: Float64Array): void;
  /** grads += Σᵢ weightsᵢ · ∇φ V(sᵢ) (one float64 array per value block). */
  accumulateGrad(params: Params, observations: Float32Array, n: number, weights: Float64Array, grads: readonly Float64Array[]): void;
}
