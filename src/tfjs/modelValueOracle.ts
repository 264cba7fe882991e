import * as tf from '@tensorflow/tfjs-core';
import type { ValueOracle } from '../oracle/oracle.js';
import type { EvalContext, Params } from '../types.js';
import type { Dataset, ForwardModel } from './_internal/data.js';
import { modelBatches, type BatchSource, type ModelOracleOptions } from './_internal/modelBatches.js';
import type { ModelLike } from './tfjsParams.js';

/** A value oracle of a model, with a count of its forward passes and a `dispose` for the tensors it made. */
export interface ModelValueOracle extends ValueOracle<Params> {
  /** The objective on the minibatch of `context.noiseSeed` (synchronous). */
  value(params: Params, context: EvalContext): number;
  /** Forward passes made so far (one per query). */
  readonly forwardPasses: number;
  /** Releases the tensors made from array data (the caller's tensors are never disposed). */
  dispose(): void;
}

/**
 * The value oracle of a tfjs model: the objective (a loss, or a metric such as the error rate — MeZO optimises
 * non-differentiable objectives too) of one forward pass on one minibatch, computed inside `tf.tidy` with no
 * gradient tape, so it allocates nothing that outlives the call. The minibatch is picked by the query's
 * `noiseSeed`: the two evaluations of a ± probe pair share their noise key, so they see the same samples.
 *
 * The model must read the parameters it is asked about: pass `tfjsParams(model)` to the optimizer with the
 * `tfjs` backend, which perturbs those variables in place before each query.
 *
 * Cost per query: one forward pass of `batchSize` samples plus the objective; one scalar read back.
 *
 * @throws InvalidInput for data that does not fit the model (sample shape, target count, labels out of range)
 *   and, when called, for parameters that are not the model's variables or an objective that is not a scalar
 *
 * @example
 * ```ts
 * const params = tfjsParams(model);
 * const oracle = modelValueOracle(model, { x: xTrain, y: labels }, { objective: 'softmaxCrossEntropy', batchSize: 64 });
 * const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(3e-4), backend: tfjsBackend() });
 * let state = opt.init(params, 1);
 * state = (await opt.step(params, oracle, state)).state;
 * ```
 */
export function modelValueOracle(
  model: ModelLike & ForwardModel,
  data: Dataset | BatchSource,
  options: ModelOracleOptions = {},
): ModelValueOracle {
  const mb = modelBatches(model, data, options);
  let passes = 0;
  return {
    kind: 'value',
    get forwardPasses() {
      return passes;
    },
    value(params: Params, context: EvalContext): number {
      mb.checkParams(params);
      const out = tf.tidy(() => mb.objectiveOf(context.noiseSeed));
      passes++;
      const value = out.dataSync()[0]!;
      out.dispose();
      return value;
    },
    dispose: () => mb.dispose(),
  };
}
