/**
 * The benchmark's models (layers named, so seed logs and weight files match across processes) and their weights on
 * disk: a JSON index of the blocks and one little-endian float32 file, which the PyTorch reference reads too.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync, writeFileSync } from 'node:fs';

/** The model kinds of the benchmark. */
export type ModelKind = 'mlp' | 'cnn' | 'big';

/** Builds a model: `mlp` 784-256-10, `cnn` conv 8 → conv 16 → dense 10, `big` 784-4096-4096-4096-10 (36.8M). */
export function buildModel(kind: ModelKind, seed = 1): tfl.LayersModel {
  const init = (k: number): ReturnType<typeof tfl.initializers.glorotUniform> => tfl.initializers.glorotUniform({ seed: seed * 100 + k });
  switch (kind) {
    case 'mlp':
      return tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 256, inputShape: [784], activation: 'relu', name: 'hidden', kernelInitializer: init(1) }),
          tfl.layers.dense({ units: 10, name: 'logits', kernelInitializer: init(2) }),
        ],
      });
    case 'cnn':
      return tfl.sequential({
        layers: [
          tfl.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784], name: 'image' }),
          tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv1', kernelInitializer: init(1) }),
          tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv2', kernelInitializer: init(2) }),
          tfl.layers.flatten({ name: 'flat' }),
          tfl.layers.dense({ units: 10, name: 'logits', kernelInitializer: init(3) }),
        ],
      });
    case 'big':
      return tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 4096, inputShape: [784], activation: 'relu', name: 'h1', kernelInitializer: init(1) }),
          tfl.layers.dense({ units: 4096, activation: 'relu', name: 'h2', kernelInitializer: init(2) }),
          tfl.layers.dense({ units: 4096, activation: 'relu', name: 'h3', kernelInitializer: init(3) }),
          tfl.layers.dense({ units: 10, name: 'logits', kernelInitializer: init(4) }),
        ],
      });
  }
}

/** Number of parameters of a model. */
export function parameterCount(model: tfl.LayersModel): number {
  return model.weights.reduce((n, w) => n + w.shape.reduce((a: number, s) => a * (s ?? 1), 1), 0);
}

interface WeightIndex {
  readonly blocks: { readonly name: string; readonly shape: readonly number[]; readonly offset: number }[];
}

/** Writes the model's weights to `<path>.json` (index) and `<path>.bin` (float32, little-endian). */
export function saveWeights(model: tfl.LayersModel, path: string): void {
  const values = model.weights.map((w) => Float32Array.from(w.read().dataSync()));
  const total = values.reduce((n, v) => n + v.length, 0);
  const all = new Float32Array(total);
  const blocks: WeightIndex['blocks'] = [];
  let at = 0;
  model.weights.forEach((w, i) => {
    blocks.push({ name: w.name, shape: w.shape as number[], offset: at });
    all.set(values[i]!, at);
    at += values[i]!.length;
  });
  writeFileSync(`${path}.json`, JSON.stringify({ blocks }, null, 1));
  writeFileSync(`${path}.bin`, new Uint8Array(all.buffer));
}

/** Loads weights written by {@link saveWeights} into a model of the same layout. */
export function loadWeights(model: tfl.LayersModel, path: string): void {
  const index = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as WeightIndex;
  const bytes = readFileSync(`${path}.bin`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (index.blocks.length !== model.weights.length) throw new Error(`${path}: ${index.blocks.length} blocks for a model of ${model.weights.length}`);
  model.weights.forEach((w, i) => {
    const b = index.blocks[i]!;
    if (b.name !== w.name || b.shape.join() !== w.shape.join()) throw new Error(`${path}: block ${i} is ${b.name} [${b.shape}], the model has ${w.name} [${w.shape}]`);
    const n = b.shape.reduce((a, s) => a * s, 1);
    const t = tf.tensor(all.subarray(b.offset, b.offset + n), b.shape as number[]);
    w.write(t);
    t.dispose();
  });
}
