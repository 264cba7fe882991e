import { categoricalPolicy } from './_internal/categoricalPolicy.js';
import { checkFinite, checkHidden, checkSize } from './_internal/checkSize.js';
import { gaussianPolicy } from './_internal/gaussianPolicy.js';
import { mlp } from './_internal/mlp.js';
import type { ActionSpace } from './environment.js';
import type { Policy } from './policy.js';
import { checkActionSpace } from './_internal/checkActionSpace.js';

/** Options of {@link mlpPolicy}. */
export interface MlpPolicyOptions {
  readonly observationSize: number;
  /** The environment's action space: discrete gives a softmax head, continuous a Gaussian head. */
  readonly action: ActionSpace;
  /** Widths of the tanh hidden layers. @defaultValue [64, 64] */
  readonly hidden?: readonly number[];
  /** Initial log σ (continuous actions only). @defaultValue 0 */
  readonly initialLogStd?: number;
}

/**
 * A small multilayer-perceptron policy in plain TypeScript: tanh hidden layers, then a softmax head over
 * discrete actions or a Gaussian head (learned state-independent log σ) for continuous ones. Blocks
 * `policy/w{l}` [out, in] and `policy/b{l}` [out] per layer (then `policy/logStd`). `init(seed)` draws
 * w ~ N(0, 2/fan_in) in the hidden layers and N(0, 10⁻⁴/fan_in) in the output layer (a near-uniform or
 * near-zero-mean initial policy, as in common PPO implementations), biases zero.
 *
 * Gradients are exact backpropagation of the score function through the network (float64 accumulation).
 * Cost of one row: O(Σ in·out) for `act` and `logProb`, about twice that for `accumulateGrad`.
 *
 * @see J. Schulman et al., "Proximal Policy Optimization Algorithms", arXiv:1707.06347, 2017 (the network).
 *
 * @example
 * ```ts
 * import { mlpPolicy } from 'zeroth';
 * const policy = mlpPolicy({ observationSize: 3, action: { kind: 'continuous', size: 1, low: -2, high: 2 }, hidden: [32, 32] });
 * const params = policy.init(7); // 6 network blocks + policy/logStd
 * ```
 */
export function mlpPolicy(options: MlpPolicyOptions): Policy {
  const obs = checkSize('observationSize', options?.observationSize);
  const action = checkActionSpace('action', options.action);
  const hidden = checkHidden(options.hidden ?? [64, 64]);
  const out = action.kind === 'discrete' ? action.n : action.size;
  const net = mlp('policy', [obs, ...hidden, out]);
  if (action.kind === 'discrete') return categoricalPolicy('mlpPolicy', net, Math.SQRT2, 0.01);
  return gaussianPolicy('mlpPolicy', net, action, checkFinite('initialLogStd', options.initialLogStd ?? 0), Math.SQRT2, 0.01);
}
