import { InvalidHyperparameter } from '../../errors.js';
import { gaussianAt } from '../../rng/gaussian.js';
import { streams } from '../../rng/streams.js';
import type { Block, Params, Seed } from '../../types.js';
import { checkBlocks } from './checkBlocks.js';

/**
 * A fully connected network x → tanh(W₁x + b₁) → … → W_L h + b_L (linear output; no hidden layer makes it
 * linear), on float32 parameter blocks `prefix/w{l}` ([out, in]) and `prefix/b{l}` ([out]), computed in
 * float64. Forward keeps the activations of the last call in a workspace that grows with n, so `backward`
 * reuses them without allocating.
 */
export interface Mlp {
  readonly sizes: readonly number[];
  /** 2 per layer. */
  readonly blockCount: number;
  /** Seeded initial blocks: w ~ N(0, gain²/fan_in) per layer (`outputGain` on the last), b = 0; zeros when gain is 0. */
  init(seed: Seed, hiddenGain: number, outputGain: number): Block[];
  /** Outputs for n rows (n × out, float64), a view into the workspace valid until the next forward. */
  forward(params: Params, offset: number, x: Float32Array, n: number): Float64Array;
  /** grads[offset …] += ∂(Σ dOut ⊙ out)/∂θ for the rows of the last forward. */
  backward(params: Params, offset: number, n: number, dOut: Float64Array, grads: readonly Float64Array[], gradOffset: number): void;
}

/** Builds an {@link Mlp} with layer sizes `sizes` ([in, hidden…, out]) whose blocks are named `prefix/…`. */
export function mlp(prefix: string, sizes: readonly number[]): Mlp {
  for (const [i, s] of sizes.entries()) {
    if (!Number.isInteger(s) || s < 1) throw new InvalidHyperparameter(i === 0 ? 'observationSize' : 'hidden', s, 'must hold integers ≥ 1');
  }
  const layers = sizes.length - 1;
  let rows = 0;
  // acts[0] is the input (float64 copy); acts[l] the output of layer l (post-tanh for hidden layers).
  let acts: Float64Array[] = [];
  let deltas: Float64Array[] = [];
  const ensure = (n: number): void => {
    if (n <= rows) return;
    rows = Math.max(n, 2 * rows);
    acts = sizes.map((s) => new Float64Array(rows * s));
    deltas = sizes.map((s) => new Float64Array(rows * s));
  };
  return {
    sizes,
    blockCount: 2 * layers,
    init(seed, hiddenGain, outputGain) {
      const blocks: Block[] = [];
      for (let l = 0; l < layers; l++) {
        const fanIn = sizes[l]!;
        const out = sizes[l + 1]!;
        const gain = l === layers - 1 ? outputGain : hiddenGain;
        const w = new Float32Array(out * fanIn);
        if (gain !== 0) for (let i = 0; i < w.length; i++) w[i] = (gain / Math.sqrt(fanIn)) * gaussianAt(seed, 2 * l, i, streams.data);
        blocks.push({ name: `${prefix}/w${l}`, shape: [out, fanIn], data: w }, { name: `${prefix}/b${l}`, shape: [out], data: new Float32Array(out) });
      }
      return blocks;
    },
    forward(params, offset, x, n) {
      checkBlocks(params, offset, sizes, prefix);
      ensure(n);
      const a0 = acts[0]!;
      for (let i = 0; i < n * sizes[0]!; i++) a0[i] = x[i]!;
      for (let l = 0; l < layers; l++) {
        const w = params[offset + 2 * l]!.data;
        const b = params[offset + 2 * l + 1]!.data;
        const nin = sizes[l]!;
        const nout = sizes[l + 1]!;
        const input = acts[l]!;
        const output = acts[l + 1]!;
        const hidden = l < layers - 1;
        for (let r = 0; r < n; r++) {
          const ib = r * nin;
          const ob = r * nout;
          for (let o = 0; o < nout; o++) {
            let s = b[o]!;
            const wb = o * nin;
            for (let k = 0; k < nin; k++) s += w[wb + k]! * input[ib + k]!;
            output[ob + o] = hidden ? Math.tanh(s) : s;
          }
        }
      }
      return acts[layers]!;
    },
    backward(params, offset, n, dOut, grads, gradOffset) {
      let delta = dOut;
      for (let l = layers - 1; l >= 0; l--) {
        const w = params[offset + 2 * l]!.data;
        const gw = grads[gradOffset + 2 * l]!;
        const gb = grads[gradOffset + 2 * l + 1]!;
        const nin = sizes[l]!;
        const nout = sizes[l + 1]!;
        const input = acts[l]!;
        const below = l > 0 ? deltas[l]! : undefined;
        if (below) below.fill(0, 0, n * nin);
        for (let r = 0; r < n; r++) {
          const ib = r * nin;
          const ob = r * nout;
          for (let o = 0; o < nout; o++) {
            const d = delta[ob + o]!;
            if (d === 0) continue;
            gb[o] = gb[o]! + d;
            const wb = o * nin;
            for (let k = 0; k < nin; k++) {
              gw[wb + k] = gw[wb + k]! + d * input[ib + k]!;
              if (below) below[ib + k] = below[ib + k]! + d * w[wb + k]!;
            }
          }
          if (below) for (let k = 0; k < nin; k++) below[ib + k] = below[ib + k]! * (1 - input[ib + k]! * input[ib + k]!);
        }
        if (below) delta = below;
      }
    },
  };
}
