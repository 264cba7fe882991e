/**
 * zeroth/tfjs: memory-light fine-tuning of TensorFlow.js models. Parameters are the model's variables
 * (`tfjsParams`), written in place by the `tfjs` backend (on tfjs-wasm's heap with zeroth's wasm kernels, on
 * tfjs-cpu's storage, by block upload elsewhere); model oracles evaluate a loss or metric on seeded minibatches
 * (value) or backpropagate (gradient); `fineTune` runs the whole loop with evaluation, early stopping,
 * checkpoints and a seed log. Importing this module registers the tfjs-cpu and tfjs-wasm backends.
 *
 * @packageDocumentation
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tfjsParams, isTfjsBlock, TfjsBlock, type LayerVariableLike, type ModelLike, type TfjsParams, type TfjsParamsOptions } from './tfjsParams.js';
export { tfjsBackend, type TfjsBackend, type TfjsBackendOptions, type TfjsWritePath } from './tfjsBackend.js';
export { modelValueOracle, type ModelValueOracle } from './modelValueOracle.js';
export { modelGradientOracle, type ModelGradientOracle } from './modelGradientOracle.js';
export type { BatchSource, ModelOracleOptions } from './_internal/modelBatches.js';
export type { Dataset, ForwardModel } from './_internal/data.js';
export type { Objective, ObjectiveFn, ObjectiveName } from './_internal/objectives.js';
export { evaluateModel, type EvaluateModelOptions, type ModelEvaluation } from './evaluateModel.js';
export { loadTfjsNode, type LoadTfjsNodeOptions } from './loadTfjsNode.js';
export { fineTune, type FineTuneEvent, type FineTuneOptions, type FineTuneResult } from './fineTune.js';
export type { FineTuneCheckpoint, FineTuneEvaluation } from './fineTuneCheckpoint.js';
export type { Batch } from './_internal/batchStream.js';
