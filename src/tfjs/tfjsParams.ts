import type * as tf from '@tensorflow/tfjs-core';
import { InvalidInput } from '../errors.js';
import type { Block } from '../types.js';
import { exclusiveStorageOf } from './_internal/storage.js';
import { heapView, invalidateDerived, wasmEnvOf } from './_internal/tfjsWasm.js';

/** A tfjs-layers weight, as `model.weights` lists them (structural: tfjs-layers need not be imported). */
export interface LayerVariableLike {
  readonly name: string;
  readonly trainable: boolean;
  /** The weight's `tf.Variable` (tfjs-layers types it as a Tensor). */
  read(): tf.Tensor;
}

/** A model whose weights zeroth can optimise: a tfjs-layers `LayersModel` (or anything with `weights`). */
export interface ModelLike {
  readonly weights: readonly LayerVariableLike[];
}

/**
 * A parameter block that is a `tf.Variable`. `data` is the variable's live storage where tfjs keeps one on the
 * host: tfjs-cpu's own `Float32Array`, or a view on tfjs-wasm's heap (made from the heap's current buffer at every
 * read: do not keep it across tfjs calls, which may grow the heap). On other tfjs backends (webgl, webgpu,
 * tfjs-node) `data` is a copy, read back from the device: writes to it do not reach the variable — write through
 * the `tfjs` backend instead. Reading `data` on tfjs-wasm marks the variable as possibly written (the next
 * forward pass repacks its XNNPACK weights).
 */
export class TfjsBlock implements Block {
  readonly name: string;
  readonly shape: readonly number[];
  readonly variable: tf.Variable;
  /** Number of elements. */
  readonly size: number;

  constructor(variable: tf.Variable, name: string = variable.name) {
    this.variable = variable;
    this.name = name;
    this.shape = [...variable.shape];
    this.size = variable.size;
  }

  get data(): Float32Array {
    const s = exclusiveStorageOf(this.variable, this.name);
    switch (s.kind) {
      case 'cpu':
        return s.values;
      case 'wasm':
        invalidateDerived(s.backend, s.id, this.size, s.offset);
        return heapView(s.backend, s.offset, this.size);
      case 'other':
        return Float32Array.from(this.variable.dataSync());
    }
  }
}

/** Parameters made of tfjs variables (see {@link TfjsBlock}). */
export type TfjsParams = readonly TfjsBlock[];

/** Options of {@link tfjsParams}. */
export interface TfjsParamsOptions {
  /** `true` (default): the model's trainable weights only; `false`: every weight, trainable or not. */
  readonly trainable?: boolean;
  /** Keeps only the weights whose name passes (e.g. fine-tune the head only). */
  readonly filter?: (name: string) => boolean;
}

/**
 * The variables of a tfjs model (or a list of `tf.Variable`s) as zeroth parameters: one block per variable, named
 * and shaped as in the model, in `model.weights` order. The blocks *are* the variables — nothing is copied: an
 * optimizer with the `tfjs` backend perturbs and updates them in place, and the model sees every change.
 *
 * On tfjs-wasm it also takes the `tfjs` backend's scratch memory (about 400 KiB of tfjs's heap) now, so call it
 * before the model's first forward pass: the heap layout then stays the one of inference across writes.
 *
 * Layer names that tfjs makes up (`dense_Dense3`) depend on how many layers the process created before; name your
 * layers when the names matter (a seed log is checked against them).
 *
 * @throws InvalidInput when the model has no (trainable) float32 variable, or a variable is disposed or not float32
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [784], name: 'head' })] });
 * const params = tfjsParams(model);            // [head/kernel [784, 10], head/bias [10]]
 * tfjsBackend().perturbInPlace({ kind: 'gaussian', seed: 1 }, 1e-3, params); // in place, on the model
 * ```
 */
export function tfjsParams(source: ModelLike | readonly tf.Variable[], options: TfjsParamsOptions = {}): TfjsParams {
  const trainableOnly = options.trainable ?? true;
  let pairs: [tf.Variable, string][];
  if (Array.isArray(source)) {
    pairs = (source as readonly tf.Variable[]).map((v) => [v, v.name]);
  } else if (source !== null && typeof source === 'object' && Array.isArray((source as ModelLike).weights)) {
    pairs = (source as ModelLike).weights.filter((w) => !trainableOnly || w.trainable).map((w) => [w.read() as tf.Variable, w.name]);
  } else {
    throw new InvalidInput('model', 'it is neither a tfjs model (with weights) nor an array of tf.Variable', 'Pass a LayersModel or its variables.');
  }
  if (options.filter !== undefined) pairs = pairs.filter(([, name]) => options.filter!(name));
  if (pairs.length === 0) {
    throw new InvalidInput(
      'model',
      `it has no ${trainableOnly ? 'trainable ' : ''}variables${options.filter ? ' that pass the filter' : ''}`,
      'Build the model (call it once or give an inputShape) and leave some layers trainable, or pass trainable: false.',
    );
  }
  const names = new Set<string>();
  return pairs.map(([v, name]) => {
    if (v === undefined || v === null || typeof (v as Partial<tf.Variable>).assign !== 'function') {
      throw new InvalidInput(`block "${name}"`, 'it is not a tf.Variable', 'Pass a LayersModel or its variables.');
    }
    if (names.has(name)) throw new InvalidInput(`block "${name}"`, 'the name appears twice', 'Give every variable its own name.');
    names.add(name);
    const block = new TfjsBlock(v, name);
    const s = exclusiveStorageOf(v, name); // checks it is live and float32; owns its buffer from here on
    // zeroth's scratch on tfjs-wasm's heap is taken now, not at the first write: see wasmEnvOf.
    if (s.kind === 'wasm') wasmEnvOf(s.backend);
    return block;
  });
}

/** True for blocks made by {@link tfjsParams} (or by the `tfjs` backend's `copy`). */
export function isTfjsBlock(block: unknown): block is TfjsBlock {
  return block instanceof TfjsBlock;
}
