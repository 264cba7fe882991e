import type { Environment } from '../../../src/rl/environment.js';
import type { Policy } from '../../../src/rl/policy.js';
import type { Params } from '../../../src/types.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The policy the estimator laws give rollouts estimators: a ∼ N(μ, σ² I) over the concatenated parameter
 * blocks of any layout (μ = the parameters, σ fixed), whatever the observation. On the one-step
 * {@link quadraticBandit} with reward −q(a), E[−return] = q(μ) + σ² tr(H)/2, so the gradient the estimators
 * estimate is exactly ∇q(μ): the laws' quadratic, seen through episodes.
 */
export function pointGaussian(sizes: readonly number[], std: number): Policy {
  const n = sizes.reduce((a, b) => a + b, 0);
  const mean = (params: Params, out: Float64Array): void => {
    let o = 0;
    for (let b = 0; b < sizes.length; b++) {
      const d = params[b]!.data;
      for (let i = 0; i < sizes[b]!; i++) out[o++] = d[i]!;
    }
  };
  const mu = new Float64Array(n);
  const logDensity = (actions: Float32Array, r: number): number => {
    let lp = -n * (Math.log(std) + HALF_LOG_2PI);
    for (let j = 0; j < n; j++) lp -= 0.5 * ((actions[r * n + j]! - mu[j]!) / std) ** 2;
    return lp;
  };
  return {
    name: 'pointGaussian',
    observationSize: 1,
    action: { kind: 'continuous', size: n, low: -Infinity, high: Infinity },
    blockCount: sizes.length,
    noise: { kind: 'gaussian', size: n },
    init: () => sizes.map((s, i) => ({ name: `b${i}`, shape: [s], data: new Float32Array(s) })),
    act(params, _obs, rows, noise, actions, logProbs) {
      mean(params, mu);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < n; j++) actions[r * n + j] = mu[j]! + (noise === null ? 0 : std * noise[r * n + j]!);
        logProbs[r] = logDensity(actions, r);
      }
    },
    logProb(params, _obs, actions, rows, out, entropy) {
      mean(params, mu);
      for (let r = 0; r < rows; r++) {
        out[r] = logDensity(actions, r);
        if (entropy) entropy[r] = n * (Math.log(std) + 0.5 + HALF_LOG_2PI);
      }
    },
    accumulateGrad(params, _obs, actions, rows, weights, _entropyWeight, grads) {
      mean(params, mu);
      for (let r = 0; r < rows; r++) {
        let o = 0;
        for (let b = 0; b < sizes.length; b++) {
          const g = grads[b]!;
          for (let i = 0; i < sizes[b]!; i++, o++) g[i] = g[i]! + (weights[r]! * (actions[r * n + o]! - mu[o]!)) / (std * std);
        }
      }
    },
  };
}

/** A one-step environment whose action is a point a ∈ Rⁿ and whose reward is −value(a). */
export function quadraticBandit(n: number, value: (a: Float64Array) => number): Environment {
  const a = new Float64Array(n);
  return {
    name: 'quadraticBandit',
    observationSize: 1,
    action: { kind: 'continuous', size: n, low: -Infinity, high: Infinity },
    maxSteps: 1,
    stateSize: 1,
    returnBounds: { lower: -Infinity, upper: Infinity },
    reset: () => undefined,
    observe: (_s, count, out) => void out.fill(1, 0, count),
    step(_s, count, actions, reward, terminated) {
      for (let r = 0; r < count; r++) {
        for (let j = 0; j < n; j++) a[j] = actions[r * n + j]!;
        reward[r] = -value(a);
        terminated[r] = 1;
      }
    },
  };
}
