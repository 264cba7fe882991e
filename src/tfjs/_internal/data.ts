/* In-memory datasets for the model oracles: normalised to tensors once, checked against the model (sample
 * shape, class labels in range), and sampled into minibatches chosen by a seed. */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidHyperparameter, InvalidInput } from '../../errors.js';
import { streamKey, streamWord } from '../../rng/streamKey.js';
import { streams } from '../../rng/streams.js';

/** Samples and targets held in memory: tensors (first axis = samples) or plain arrays of samples. */
export interface Dataset {
  /** Samples: a tensor [n, …] or one array of numbers per sample. */
  readonly x: tf.Tensor | readonly (ArrayLike<number>)[];
  /** Targets: class indices (a tensor [n] or numbers), or one row per sample (a tensor [n, k] or arrays). */
  readonly y: tf.Tensor | ArrayLike<number> | readonly (ArrayLike<number>)[];
}

/** A model that maps a batch of samples to outputs (a tfjs-layers model, structurally). */
export interface ForwardModel {
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[];
  apply?(x: tf.Tensor, kwargs?: { training?: boolean }): unknown;
  readonly inputs?: readonly { readonly shape: readonly (number | null)[] }[];
}

/** A checked in-memory dataset: tensors, and host copies of their values for fast minibatches. */
export interface TensorData {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly n: number;
  /** Host copies (row-major) of x and y. */
  readonly hostX: Float32Array;
  readonly hostY: Float32Array;
  /** Disposes the tensors this module made (never the caller's). */
  dispose(): void;
}

/** `x ↦ model output` as a single tensor. */
export function forwardOf(model: ForwardModel, forward?: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  if (forward !== undefined) {
    if (typeof forward !== 'function') throw new InvalidHyperparameter('forward', forward, 'must be a function (x: tf.Tensor) => tf.Tensor');
    return forward;
  }
  if (model === null || typeof model !== 'object' || typeof model.predict !== 'function') {
    throw new InvalidInput('model', 'it has no predict method', 'Pass a tfjs LayersModel, or give forward: (x) => tensor.');
  }
  return (x) => {
    const out = typeof model.apply === 'function' ? model.apply(x, { training: false }) : model.predict(x);
    if (Array.isArray(out)) throw new InvalidInput('model', 'it has several outputs', 'Give forward: (x) => the output to score.');
    return out as tf.Tensor;
  };
}

/**
 * Normalises `data` to tensors and checks it: as many targets as samples, sample shape equal to the model's input
 * shape, and — for class objectives — integer labels in [0, classes) (classes = the model's output width).
 */
export function tensorData(data: Dataset, what: string, forward: (x: tf.Tensor) => tf.Tensor, model: ForwardModel, classes: boolean): TensorData {
  if (data === null || typeof data !== 'object' || data.x === undefined || data.y === undefined) {
    throw new InvalidInput(what, 'it is not { x, y }', 'Pass samples and targets as { x, y } (tensors or arrays).');
  }
  const made: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => (made.push(t), t);
  const x = data.x instanceof tf.Tensor ? data.x : own(samplesTensor(data.x, `${what}.x`));
  let y: tf.Tensor;
  if (data.y instanceof tf.Tensor) y = data.y;
  else if (isRows(data.y)) y = own(samplesTensor(data.y, `${what}.y`));
  else y = own(tf.tensor1d(Array.from(data.y as ArrayLike<number>), 'float32'));
  const dispose = (): void => made.forEach((t) => t.dispose());
  try {
    const n = x.shape[0] ?? 0;
    if (x.rank < 1 || n === 0) throw new InvalidInput(`${what}.x`, 'it holds no samples', 'Give at least one sample.');
    if (y.shape[0] !== n) throw new InvalidInput(`${what}.y`, `it has ${y.shape[0]} targets for ${n} samples`, 'Give one target per sample.');
    const input = model.inputs?.[0]?.shape;
    if (input !== undefined) {
      const want = input.slice(1);
      const got = x.shape.slice(1);
      const ok = want.length === got.length && want.every((d, i) => d === null || d === got[i]);
      if (!ok) {
        throw new InvalidInput(`${what}.x`, `samples have shape [${got.join(', ')}] but the model takes [${want.map((d) => d ?? '?').join(', ')}]`, 'Reshape the samples to the model’s input shape.');
      }
    }
    if (classes) checkClasses(x, y, forward, `${what}.y`);
    return { x, y, n, hostX: Float32Array.from(x.dataSync()), hostY: Float32Array.from(y.dataSync()), dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** Minibatch indices for `seed`: `size` distinct samples of `n` (all of them, in order, when size ≥ n). */
export function batchIndices(seed: number, n: number, size: number): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const { k1, k2 } = streamKey(seed, streams.data, 0);
  const out = new Int32Array(size);
  const seen = new Set<number>();
  for (let i = 0, k = 0; k < size; i++) {
    const j = Math.floor((streamWord(k1, k2, i) / 4294967296) * n);
    if (seen.has(j)) continue;
    seen.add(j);
    out[k++] = j;
  }
  return out;
}

/**
 * The minibatch of `seed`, as new tensors in the current scope, built from the host copies (row copies and one
 * upload: much cheaper than tfjs-wasm's gather).
 */
export function takeBatch(data: TensorData, seed: number, size: number): { x: tf.Tensor; y: tf.Tensor } {
  if (size >= data.n) return { x: tf.clone(data.x), y: tf.clone(data.y) };
  const idx = batchIndices(seed, data.n, size);
  return { x: rows(data.hostX, data.x.shape, idx), y: rows(data.hostY, data.y.shape, idx) };
}

function rows(host: Float32Array, shape: readonly number[], idx: Int32Array): tf.Tensor {
  const width = shape.slice(1).reduce((a, s) => a * s, 1);
  const out = new Float32Array(idx.length * width);
  idx.forEach((r, i) => out.set(host.subarray(r * width, (r + 1) * width), i * width));
  return tf.tensor(out, [idx.length, ...shape.slice(1)], 'float32');
}

function isRows(y: Dataset['y']): y is readonly ArrayLike<number>[] {
  return Array.isArray(y) && y.length > 0 && typeof y[0] === 'object';
}

function samplesTensor(rows: readonly ArrayLike<number>[], what: string): tf.Tensor {
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidInput(what, 'it holds no samples', 'Give at least one sample.');
  const width = rows[0]!.length;
  const flat = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    if (r.length !== width) throw new InvalidInput(what, `sample ${i} has ${r.length} values, sample 0 has ${width}`, 'Give every sample the same length.');
    for (let j = 0; j < width; j++) flat[i * width + j] = r[j]!;
  });
  return tf.tensor2d(flat, [rows.length, width], 'float32');
}

/** Checks that class targets fit the model's output width (one forward pass on one sample). */
export function checkClasses(x: tf.Tensor, y: tf.Tensor, forward: (x: tf.Tensor) => tf.Tensor, what: string): void {
  const width = tf.tidy(() => {
    const out = forward(tf.slice(x, 0, 1));
    return out.shape[out.shape.length - 1] ?? 1;
  });
  if (y.rank === 1) {
    const labels = y.dataSync();
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i]!;
      if (!(Number.isInteger(l) && l >= 0 && l < width)) {
        throw new InvalidInput(what, `label ${l} of sample ${i} is not a class index in [0, ${width}) (the model has ${width} outputs)`, 'Give integer class labels below the number of outputs.');
      }
    }
  } else if (y.shape[y.shape.length - 1] !== width) {
    throw new InvalidInput(what, `targets have ${y.shape[y.shape.length - 1]} columns but the model has ${width} outputs`, 'Give one-hot rows as wide as the output, or class indices.');
  }
}
