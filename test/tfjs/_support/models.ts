import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Params } from '../../../src/types.js';

let made = 0;

/** A small classifier d → h → classes with named layers (relu hidden layer), seeded initialisers. */
export function smallMlp(d = 8, h = 16, classes = 3, seed = 1): tfl.Sequential {
  const k = ++made;
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: h, inputShape: [d], activation: 'relu', name: `h${k}`, kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
      tfl.layers.dense({ units: classes, name: `out${k}`, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

/** A linearly separable-ish synthetic dataset: n samples of d features, labels from a fixed projection. */
export function synthetic(n = 200, d = 8, classes = 3): { x: tf.Tensor2D; y: tf.Tensor1D; xs: Float32Array; labels: Int32Array } {
  const xs = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 12.9898 + 78.233) * 0.5 + Math.cos(i * 0.37) * 0.5);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += xs[i * d + j]! * Math.sin((c + 1) * (j + 1));
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    labels[i] = best;
  }
  return { x: tf.tensor2d(xs, [n, d]), y: tf.tensor1d(labels, 'float32'), xs, labels };
}

/** Plain copies of the blocks' values (names and shapes kept). */
export function snapshot(params: Params): Params {
  return params.map((b) => ({ name: b.name, shape: [...b.shape], data: Float32Array.from(b.data) }));
}

/** The bits of each block. */
export function bitsOf(params: Params): Uint32Array[] {
  return params.map((b) => new Uint32Array(Float32Array.from(b.data).buffer));
}

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} did not initialise`);
  await tf.ready();
}
