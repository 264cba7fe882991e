import * as tf from '@tensorflow/tfjs-core';
import { integerAtLeast } from '../validate.js';
import { forwardOf, tensorData, type Dataset, type ForwardModel } from './_internal/data.js';
import { resolveObjective, type Objective } from './_internal/objectives.js';

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** The loss to report beside the accuracy. @defaultValue 'softmaxCrossEntropy' */
  readonly objective?: Objective;
  /** Samples per forward pass. @defaultValue 1024 */
  readonly batchSize?: number;
  /** The forward pass; by default `model.apply(x, { training: false })`. */
  readonly forward?: (x: tf.Tensor) => tf.Tensor;
  /** Report accuracy (argmax of the outputs against class targets). @defaultValue true for class objectives */
  readonly accuracy?: boolean;
}

/** What {@link evaluateModel} measured over the whole dataset. */
export interface ModelEvaluation {
  /** The objective, averaged over samples (each chunk weighted by its size). */
  readonly loss: number;
  /** Fraction of samples whose largest output is their class (when computed). */
  readonly accuracy?: number;
  /** Samples seen. */
  readonly samples: number;
  /** Forward passes made. */
  readonly forwardPasses: number;
}

/**
 * Loss and accuracy of a model over every sample of a dataset (held-out evaluation), in chunks of `batchSize`
 * under `tf.tidy`, without a gradient tape. The model is not changed.
 *
 * Cost: ⌈n / batchSize⌉ forward passes.
 *
 * @example
 * ```ts
 * const { accuracy, loss } = evaluateModel(model, { x: xTest, y: yTest });
 * ```
 */
export function evaluateModel(model: ForwardModel, data: Dataset, options: EvaluateModelOptions = {}): ModelEvaluation {
  const objective = resolveObjective(options.objective);
  const batchSize = integerAtLeast('batchSize', options.batchSize ?? 1024, 1);
  const forward = forwardOf(model, options.forward);
  const withAccuracy = options.accuracy ?? objective.classes;
  const d = tensorData(data, 'data', forward, model, objective.classes || withAccuracy);
  try {
    let loss = 0;
    let correct = 0;
    let passes = 0;
    for (let s = 0; s < d.n; s += batchSize) {
      const size = Math.min(batchSize, d.n - s);
      const [l, c] = tf.tidy(() => {
        const x = tf.slice(d.x, s, size);
        const y = tf.slice(d.y, s, size);
        const out = forward(x);
        const lv = objective.fn(y, out).dataSync()[0]!;
        if (!withAccuracy) return [lv, 0];
        const cls = y.rank === 1 ? tf.cast(y, 'int32') : tf.argMax(y, -1);
        return [lv, tf.sum(tf.cast(tf.equal(tf.argMax(out, -1), cls), 'float32')).dataSync()[0]!];
      });
      passes++;
      loss += l * size;
      correct += c;
    }
    return { loss: loss / d.n, ...(withAccuracy ? { accuracy: correct / d.n } : {}), samples: d.n, forwardPasses: passes };
  } finally {
    d.dispose();
  }
}
