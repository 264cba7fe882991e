import type { Params, Seed } from '../../types.js';
import type { Policy } from '../policy.js';
import type { Mlp } from './mlp.js';

/**
 * A categorical policy π(a | s) = softmax(net(s))_a over `n` actions. Scores: ∂ log π(a|s)/∂ logits =
 * onehot(a) − p; ∂H/∂ logits_k = −p_k (log p_k + H). Sampling inverts the CDF at one uniform number; the
 * greedy action is the first arg-max.
 */
export function categoricalPolicy(name: string, net: Mlp, hiddenGain: number, outputGain: number): Policy {
  const obs = net.sizes[0]!;
  const k = net.sizes[net.sizes.length - 1]!;
  let rows = 0;
  let dLogits = new Float64Array(0);
  const probs = new Float64Array(k);
  /** p = softmax(logits row r) into `probs`; returns log Σ exp (shifted by the max). */
  const softmax = (logits: Float64Array, r: number): number => {
    const base = r * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (logits[base + j]! > max) max = logits[base + j]!;
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[base + j]! - max);
      probs[j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) probs[j] = probs[j]! / sum;
    return max + Math.log(sum);
  };
  const entropyOf = (logits: Float64Array, r: number, lse: number): number => {
    let h = 0;
    for (let j = 0; j < k; j++) if (probs[j]! > 0) h -= probs[j]! * (logits[r * k + j]! - lse);
    return h;
  };
  return {
    name,
    observationSize: obs,
    action: { kind: 'discrete', n: k },
    blockCount: net.blockCount,
    noise: { kind: 'uniform', size: 1 },
    init: (seed: Seed): Params => net.init(seed, hiddenGain, outputGain),
    act(params, observations, n, noise, actions, logProbs) {
      const logits = net.forward(params, 0, observations, n);
      for (let r = 0; r < n; r++) {
        const lse = softmax(logits, r);
        let a = 0;
        if (noise === null) {
          for (let j = 1; j < k; j++) if (logits[r * k + j]! > logits[r * k + a]!) a = j;
        } else {
          const u = noise[r]!;
          let c = probs[0]!;
          while (a < k - 1 && u >= c) c += probs[++a]!;
        }
        actions[r] = a;
        logProbs[r] = logits[r * k + a]! - lse;
      }
    },
    logProb(params, observations, actions, n, out, entropy) {
      const logits = net.forward(params, 0, observations, n);
      for (let r = 0; r < n; r++) {
        const lse = softmax(logits, r);
        out[r] = logits[r * k + actions[r]!]! - lse;
        if (entropy) entropy[r] = entropyOf(logits, r, lse);
      }
    },
    accumulateGrad(params, observations, actions, n, weights, entropyWeight, grads) {
      const logits = net.forward(params, 0, observations, n);
      if (n > rows) {
        rows = Math.max(n, 2 * rows);
        dLogits = new Float64Array(rows * k);
      }
      for (let r = 0; r < n; r++) {
        const lse = softmax(logits, r);
        const w = weights[r]!;
        const a = actions[r]!;
        const h = entropyWeight !== 0 ? entropyOf(logits, r, lse) : 0;
        for (let j = 0; j < k; j++) {
          const p = probs[j]!;
          let d = w * ((j === a ? 1 : 0) - p);
          if (entropyWeight !== 0 && p > 0) d -= entropyWeight * p * (logits[r * k + j]! - lse + h);
          dLogits[r * k + j] = d;
        }
      }
      net.backward(params, 0, n, dLogits, grads, 0);
    },
  };
}
