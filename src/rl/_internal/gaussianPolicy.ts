import { InvalidInput } from '../../errors.js';
import type { Params, Seed } from '../../types.js';
import type { Policy } from '../policy.js';
import type { Mlp } from './mlp.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * A diagonal Gaussian policy π(a | s) = N(net(s), diag(σ²)) with a state-independent, learned log σ (the
 * block after the network's). Sampling: a = μ + σ ε. Scores: ∂ log π/∂μ = (a − μ)/σ², ∂ log π/∂ log σ =
 * ((a − μ)/σ)² − 1, ∂H/∂ log σ = 1. The greedy action is the mean.
 */
export function gaussianPolicy(
  name: string,
  net: Mlp,
  action: { readonly size: number; readonly low: number; readonly high: number },
  initialLogStd: number,
  hiddenGain: number,
  outputGain: number,
): Policy {
  const obs = net.sizes[0]!;
  const m = action.size;
  const logStdBlock = net.blockCount;
  let rows = 0;
  let dMean = new Float64Array(0);
  const logStdOf = (params: Params): Float32Array => {
    const b = params[logStdBlock];
    if (b === undefined || b.data.length !== m) {
      throw new InvalidInput('params', `${name} needs a log-std block of ${m} values at block ${logStdBlock}`, `Create the parameters with ${name}'s init(seed).`);
    }
    return b.data;
  };
  return {
    name,
    observationSize: obs,
    action: { kind: 'continuous', size: m, low: action.low, high: action.high },
    blockCount: net.blockCount + 1,
    noise: { kind: 'gaussian', size: m },
    init: (seed: Seed): Params => [
      ...net.init(seed, hiddenGain, outputGain),
      { name: 'policy/logStd', shape: [m], data: new Float32Array(m).fill(initialLogStd) },
    ],
    act(params, observations, n, noise, actions, logProbs) {
      const logStd = logStdOf(params);
      const mean = net.forward(params, 0, observations, n);
      let base = 0;
      for (let j = 0; j < m; j++) base -= logStd[j]! + HALF_LOG_2PI;
      for (let r = 0; r < n; r++) {
        let lp = base;
        for (let j = 0; j < m; j++) {
          const e = noise === null ? 0 : noise[r * m + j]!;
          actions[r * m + j] = mean[r * m + j]! + Math.exp(logStd[j]!) * e;
          // The log-density at the stored (float32) action.
          const z = (actions[r * m + j]! - mean[r * m + j]!) / Math.exp(logStd[j]!);
          lp -= 0.5 * z * z;
        }
        logProbs[r] = lp;
      }
    },
    logProb(params, observations, actions, n, out, entropy) {
      const logStd = logStdOf(params);
      const mean = net.forward(params, 0, observations, n);
      let sumLogStd = 0;
      for (let j = 0; j < m; j++) sumLogStd += logStd[j]!;
      const base = -sumLogStd - m * HALF_LOG_2PI;
      const h = sumLogStd + m * (0.5 + HALF_LOG_2PI); // Σⱼ (log σⱼ + ½ log 2πe)
      for (let r = 0; r < n; r++) {
        let lp = base;
        for (let j = 0; j < m; j++) {
          const z = (actions[r * m + j]! - mean[r * m + j]!) / Math.exp(logStd[j]!);
          lp -= 0.5 * z * z;
        }
        out[r] = lp;
        if (entropy) entropy[r] = h;
      }
    },
    accumulateGrad(params, observations, actions, n, weights, entropyWeight, grads) {
      const logStd = logStdOf(params);
      const mean = net.forward(params, 0, observations, n);
      if (n > rows) {
        rows = Math.max(n, 2 * rows);
        dMean = new Float64Array(rows * m);
      }
      const gls = grads[logStdBlock]!;
      for (let r = 0; r < n; r++) {
        const w = weights[r]!;
        for (let j = 0; j < m; j++) {
          const s = Math.exp(logStd[j]!);
          const z = (actions[r * m + j]! - mean[r * m + j]!) / s;
          dMean[r * m + j] = (w * z) / s;
          gls[j] = gls[j]! + w * (z * z - 1) + entropyWeight;
        }
      }
      net.backward(params, 0, n, dMean, grads, 0);
    },
  };
}
