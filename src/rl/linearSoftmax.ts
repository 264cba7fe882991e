import { categoricalPolicy } from './_internal/categoricalPolicy.js';
import { checkSize } from './_internal/checkSize.js';
import { mlp } from './_internal/mlp.js';
import type { Policy } from './policy.js';

/** Options of {@link linearSoftmax}. */
export interface LinearSoftmaxOptions {
  /** Values per observation (the environment's `observationSize`). */
  readonly observationSize: number;
  /** Number of discrete actions. */
  readonly actions: number;
}

/**
 * The linear-softmax policy for discrete actions: π(a | s) = softmax(W s + b)_a, W of shape
 * [actions, observationSize] (block `policy/w0`), b of shape [actions] (block `policy/b0`), both zero at
 * `init` (the uniform policy; `init`'s seed is unused).
 *
 * Score function: ∇_W log π(a|s) = (onehot(a) − π(·|s)) sᵀ, ∇_b log π(a|s) = onehot(a) − π(·|s).
 * Cost of one row: O(actions · observationSize) for `act`, `logProb` and `accumulateGrad`.
 *
 * @see R. J. Williams, "Simple statistical gradient-following algorithms for connectionist reinforcement
 * learning", Machine Learning 8, 1992.
 *
 * @example
 * ```ts
 * import { linearSoftmax } from 'zeroth';
 * const policy = linearSoftmax({ observationSize: 4, actions: 2 }); // CartPole
 * const params = policy.init(0);
 * const actions = new Float32Array(1), logProbs = new Float64Array(1);
 * policy.act(params, new Float32Array([0, 0, 0.1, 0]), 1, null, actions, logProbs); // greedy: action 0, log ½
 * ```
 */
export function linearSoftmax(options: LinearSoftmaxOptions): Policy {
  const obs = checkSize('observationSize', options?.observationSize);
  const k = checkSize('actions', options.actions);
  return categoricalPolicy('linearSoftmax', mlp('policy', [obs, k]), 0, 0);
}
