import * as tf from '@tensorflow/tfjs-core';
import { InvalidHyperparameter, InvalidInput } from '../errors.js';
import type { GradientOracle } from '../oracle/oracle.js';
import type { EvalContext, Params } from '../types.js';
import type { Dataset, ForwardModel } from './_internal/data.js';
import { modelBatches, type BatchSource, type ModelOracleOptions } from './_internal/modelBatches.js';
import { isTfjsBlock, type ModelLike } from './tfjsParams.js';

/** A gradient oracle of a model, with a count of its forward (and backward) passes and a `dispose`. */
export interface ModelGradientOracle extends GradientOracle<Params> {
  /** The objective and its gradient on the minibatch of `context.noiseSeed` (synchronous). */
  valueAndGrad(params: Params, context: EvalContext): { readonly value: number; readonly grad: Float32Array[] };
  /** Forward passes made so far (one per query, each followed by one backward pass). */
  readonly forwardPasses: number;
  /** Releases the tensors made from array data. */
  dispose(): void;
}

/**
 * The gradient oracle of a tfjs model, for the first-order baselines (FO-SGD, FO-Adam through `exactGradient`
 * and the same `optimizer`): the objective of one minibatch (picked by `noiseSeed`, as for the value oracle) and
 * its gradient with respect to each parameter block, by backpropagation (`tf.variableGrads`), read back as one
 * `Float32Array` per block. Every tensor of the call is disposed before it returns.
 *
 * Cost per query: one forward and one backward pass; the activations of the minibatch and one gradient per
 * parameter (1× params) live during the call — backprop's memory, which the zeroth-order oracles avoid.
 *
 * @throws InvalidHyperparameter for a non-differentiable objective (`'errorRate'`)
 * @throws InvalidInput as {@link modelValueOracle} does
 *
 * @example
 * ```ts
 * const oracle = modelGradientOracle(model, { x: xTrain, y: labels }, { batchSize: 64 });
 * const opt = optimizer({ estimator: exactGradient(), update: adam(1e-3), backend: tfjsBackend() });
 * ```
 */
export function modelGradientOracle(
  model: ModelLike & ForwardModel,
  data: Dataset | BatchSource,
  options: ModelOracleOptions = {},
): ModelGradientOracle {
  const mb = modelBatches(model, data, options);
  if (!mb.objective.differentiable) {
    throw new InvalidHyperparameter('objective', mb.objective.name, "has no gradient; use a loss such as 'softmaxCrossEntropy' for gradient baselines");
  }
  let passes = 0;
  return {
    kind: 'gradient',
    get forwardPasses() {
      return passes;
    },
    valueAndGrad(params: Params, context: EvalContext) {
      mb.checkParams(params);
      const vars = params.map((b) => {
        if (!isTfjsBlock(b)) throw new InvalidInput('params', `block "${b.name}" is not a tf.Variable`, 'Pass tfjsParams(model).');
        return b.variable;
      });
      const { value, grads } = tf.variableGrads(() => mb.objectiveOf(context.noiseSeed), vars);
      passes++;
      try {
        const grad = vars.map((v) => {
          const g = grads[v.name];
          return g === undefined ? new Float32Array(v.size) : Float32Array.from(g.dataSync());
        });
        return { value: value.dataSync()[0]!, grad };
      } finally {
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
      }
    },
    dispose: () => mb.dispose(),
  };
}
