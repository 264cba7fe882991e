/* The built-in objectives of the model oracles: losses and metrics, each a value to minimise. */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidHyperparameter } from '../../errors.js';

/** A value to minimise from the targets and the model's output of one minibatch; must return a scalar. */
export type ObjectiveFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * The built-in objectives (all minimised):
 * - `'softmaxCrossEntropy'`: mean cross-entropy of softmax(logits); targets are class indices or one-hot rows.
 * - `'categoricalCrossentropy'`: the same for outputs that are already probabilities (a softmax last layer).
 * - `'meanSquaredError'`: mean of (yPred − yTrue)².
 * - `'errorRate'`: 1 − accuracy (argmax over the outputs against the class) — not differentiable; for the
 *   value oracle only (MeZO optimises it directly).
 */
export type ObjectiveName = 'softmaxCrossEntropy' | 'categoricalCrossentropy' | 'meanSquaredError' | 'errorRate';

/** A built-in objective or a function. */
export type Objective = ObjectiveName | ObjectiveFn;

/** A checked objective: the function, whether its targets are classes, and whether it has a gradient. */
export interface ResolvedObjective {
  readonly name: string;
  readonly fn: ObjectiveFn;
  readonly classes: boolean;
  readonly differentiable: boolean;
}

/** Resolves a built-in name or a function. */
export function resolveObjective(objective: Objective | undefined, parameter = 'objective'): ResolvedObjective {
  const o = objective ?? 'softmaxCrossEntropy';
  if (typeof o === 'function') return { name: o.name || 'custom', fn: o, classes: false, differentiable: true };
  switch (o) {
    case 'softmaxCrossEntropy':
      return { name: o, fn: (y, logits) => tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(oneHotLike(y, logits), tf.logSoftmax(logits)), -1))), classes: true, differentiable: true };
    case 'categoricalCrossentropy':
      return {
        name: o,
        fn: (y, p) => tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(oneHotLike(y, p), tf.log(tf.clipByValue(p, 1e-7, 1))), -1))),
        classes: true,
        differentiable: true,
      };
    case 'meanSquaredError':
      return { name: o, fn: (y, p) => tf.mean<tf.Scalar>(tf.squaredDifference(p, y)), classes: false, differentiable: true };
    case 'errorRate':
      return { name: o, fn: (y, p) => tf.sub<tf.Scalar>(1, tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), classesOf(y)), 'float32'))), classes: true, differentiable: false };
    default:
      throw new InvalidHyperparameter(
        parameter,
        o,
        "must be 'softmaxCrossEntropy', 'categoricalCrossentropy', 'meanSquaredError', 'errorRate' or a function (yTrue, yPred) => tf.Scalar",
      );
  }
}

/** One-hot rows for class-index targets (rank 1), the targets themselves otherwise. */
function oneHotLike(y: tf.Tensor, out: tf.Tensor): tf.Tensor {
  if (y.rank !== 1) return y;
  return tf.oneHot(tf.cast(y, 'int32') as tf.Tensor1D, out.shape[out.shape.length - 1]!);
}

/** Class indices of targets: themselves (rank 1) or the argmax of one-hot rows. */
function classesOf(y: tf.Tensor): tf.Tensor {
  return y.rank === 1 ? tf.cast(y, 'int32') : tf.argMax(y, -1);
}
