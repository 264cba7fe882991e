import { checkHidden, checkSize } from './_internal/checkSize.js';
import { mlp } from './_internal/mlp.js';
import type { ValueFunction } from './policy.js';

/** Options of {@link valueNetwork}. */
export interface ValueNetworkOptions {
  readonly observationSize: number;
  /** Widths of the tanh hidden layers; `[]` gives a linear value function. @defaultValue [64, 64] */
  readonly hidden?: readonly number[];
}

/**
 * A state-value network V_φ(s) (PPO's critic, or a learned REINFORCE baseline): tanh hidden layers and a
 * linear scalar output, blocks `value/w{l}` and `value/b{l}`. `init(seed)` draws w ~ N(0, 2/fan_in) in hidden
 * layers and N(0, 1/fan_in) in the output layer; biases zero (all zero for a linear value function).
 *
 * `accumulateGrad` backpropagates exactly: grads += Σᵢ weightsᵢ ∇φ V(sᵢ). Cost of one row: O(Σ in·out).
 *
 * @see J. Schulman et al., "High-Dimensional Continuous Control Using Generalized Advantage Estimation",
 * ICLR 2016.
 *
 * @example
 * ```ts
 * import { valueNetwork } from 'zeroth';
 * const critic = valueNetwork({ observationSize: 4, hidden: [32] });
 * const phi = critic.init(1);
 * const v = new Float64Array(1);
 * critic.predict(phi, new Float32Array([0, 0, 0, 0]), 1, v);
 * ```
 */
export function valueNetwork(options: ValueNetworkOptions): ValueFunction {
  const obs = checkSize('observationSize', options?.observationSize);
  const hidden = checkHidden(options.hidden ?? [64, 64]);
  const net = mlp('value', [obs, ...hidden, 1]);
  const linear = hidden.length === 0;
  let rows = 0;
  let scratch = new Float64Array(0);
  return {
    name: 'valueNetwork',
    observationSize: obs,
    blockCount: net.blockCount,
    init: (seed) => net.init(seed, Math.SQRT2, linear ? 0 : 1),
    predict(params, observations, n, out) {
      const v = net.forward(params, 0, observations, n);
      for (let i = 0; i < n; i++) out[i] = v[i]!;
    },
    accumulateGrad(params, observations, n, weights, grads) {
      net.forward(params, 0, observations, n);
      if (n > rows) {
        rows = Math.max(n, 2 * rows);
        scratch = new Float64Array(rows);
      }
      for (let i = 0; i < n; i++) scratch[i] = weights[i]!;
      net.backward(params, 0, n, scratch, grads, 0);
    },
  };
}
