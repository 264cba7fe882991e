/* What the value and gradient oracles of a model share: the forward function, the objective, the minibatch of a
 * noise seed, and the check that the parameters asked about are the model's own variables. */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInput, NonFiniteValue } from '../../errors.js';
import type { Params } from '../../types.js';
import { integerAtLeast } from '../../validate.js';
import { isTfjsBlock, type ModelLike } from '../tfjsParams.js';
import { forwardOf, takeBatch, tensorData, type Dataset, type ForwardModel, type TensorData } from './data.js';
import { resolveObjective, type Objective, type ResolvedObjective } from './objectives.js';

/** A source of minibatches: `batch(noiseSeed)` returns new tensors (the oracle disposes them after use). */
export interface BatchSource {
  batch(noiseSeed: number): { readonly x: tf.Tensor; readonly y: tf.Tensor };
}

/** Options of the model oracles. */
export interface ModelOracleOptions {
  /** What to minimise on a minibatch. @defaultValue 'softmaxCrossEntropy' */
  readonly objective?: Objective;
  /** Samples per minibatch. @defaultValue 64 */
  readonly batchSize?: number;
  /** The forward pass; by default `model.apply(x, { training: false })` (inference-mode layers). */
  readonly forward?: (x: tf.Tensor) => tf.Tensor;
}

/** The model side of an oracle. */
export interface ModelBatches {
  readonly objective: ResolvedObjective;
  readonly forward: (x: tf.Tensor) => tf.Tensor;
  /**
   * The objective of the minibatch of `noiseSeed` as a scalar tensor in the current scope (call it inside `tf.tidy`
   * or `tf.variableGrads`).
   *
   * @throws InvalidInput when the objective does not return a scalar tensor
   */
  objectiveOf(noiseSeed: number): tf.Scalar;
  /** Throws unless every block is one of the model's variables. */
  checkParams(params: Params): void;
  dispose(): void;
}

/** Builds the shared model side of an oracle, checking the data once. */
export function modelBatches(model: ModelLike & ForwardModel, data: Dataset | BatchSource, options: ModelOracleOptions): ModelBatches {
  const objective = resolveObjective(options.objective);
  const batchSize = integerAtLeast('batchSize', options.batchSize ?? 64, 1);
  const forward = forwardOf(model, options.forward);
  const variables = new Set<tf.Tensor>((model.weights ?? []).map((w) => w.read()));
  let held: TensorData | undefined;
  let source: BatchSource;
  if (data !== null && typeof data === 'object' && typeof (data as BatchSource).batch === 'function') {
    source = data as BatchSource;
  } else {
    const d = tensorData(data as Dataset, 'data', forward, model, objective.classes);
    held = d;
    source = { batch: (seed) => takeBatch(d, seed, batchSize) };
  }
  try {
    checkObjective(objective, forward, source);
  } catch (e) {
    held?.dispose();
    throw e;
  }
  return {
    objective,
    forward,
    objectiveOf: (seed) => scalarOf(objective, forward, source.batch(seed)),
    checkParams(params) {
      if (variables.size === 0) return;
      for (const b of params) {
        if (!isTfjsBlock(b) || !variables.has(b.variable)) {
          throw new InvalidInput(
            'params',
            `block "${b.name}" is not a variable of the model`,
            'A model oracle evaluates the model’s own variables in place: pass tfjsParams(model) and a value oracle (batch and ranking oracles, which get copies, cannot be used).',
          );
        }
      }
    },
    dispose: () => held?.dispose(),
  };
}

/** Evaluates the objective once on the minibatch of seed 0, before any parameter is touched: a scalar, finite. */
function checkObjective(objective: ResolvedObjective, forward: (x: tf.Tensor) => tf.Tensor, source: BatchSource): void {
  const value = tf.tidy(() => scalarOf(objective, forward, source.batch(0)).dataSync()[0]!);
  if (!Number.isFinite(value)) throw new NonFiniteValue(value, `the objective "${objective.name}" on a first minibatch, before any step`);
}

/** The objective of one batch, checked to be a scalar tensor. */
function scalarOf(objective: ResolvedObjective, forward: (x: tf.Tensor) => tf.Tensor, b: { readonly x: tf.Tensor; readonly y: tf.Tensor }): tf.Scalar {
  const v = objective.fn(b.y, forward(b.x)) as unknown;
  if (!(v instanceof tf.Tensor) || v.rank !== 0) {
    const shape = v instanceof tf.Tensor ? `a tensor of shape [${v.shape.join(', ')}]` : typeof v;
    throw new InvalidInput('objective', `it returned ${shape}, not a scalar tensor`, 'Reduce the loss to one number, e.g. with tf.mean.');
  }
  return v as tf.Scalar;
}
