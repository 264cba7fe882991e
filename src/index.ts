/**
 * zeroth: zeroth-order optimization in TypeScript. The core: types, errors, seeded directions, oracles,
 * backends, transforms, the optimizer and `minimize`. Estimators live in `zeroth/estimators`, problems in
 * `zeroth/problems`, the law suites in `zeroth/testing`.
 *
 * @packageDocumentation
 */
export type {
  Block,
  Direction,
  DirectionKind,
  EvalContext,
  MaybePromise,
  ParamWrite,
  Params,
  Probe,
  ProbeBatch,
  ResponseKind,
  Responses,
  Seed,
  Update,
  UpdateTerm,
} from './types.js';
export {
  BudgetExhausted,
  InvalidHyperparameter,
  InvalidInput,
  NonFiniteValue,
  NonNumericValue,
  ObjectiveError,
  OracleMismatch,
  SeedLogCorrupt,
  SeedLogGap,
  SeedLogMismatch,
  UnsupportedUpdate,
  ZerothError,
} from './errors.js';

export type { Combined, Estimator } from './estimator.js';
export type { BatchOracle, GradientOracle, Oracle, OracleKind, RankingOracle, RolloutsOracle, ValueOracle } from './oracle/oracle.js';
export { oracleKindsFor, oracleNeeded } from './oracle/oracleKindsFor.js';
export {
  batchFromValue,
  batchOracle,
  gradientOracle,
  maximize,
  queriesOf,
  rankingFromValues,
  rankingOracle,
  valueOracle,
  withBudget,
} from './oracle/adapters.js';
export { noisyRankingOracle, type NoisyRankingOracleOptions } from './oracle/noisyRankingOracle.js';

export type { Backend } from './backend/backend.js';
export { cpuBackend } from './backend/cpuBackend.js';
export { wasmBackend, type WasmBackend, type WasmBackendOptions, type WasmMemory, type WasmHeapStats } from './backend/wasm/wasmBackend.js';
export { defaultBackend, type DefaultBackendOptions } from './backend/defaultBackend.js';
export { wasmSimdSupported } from './backend/wasm/wasmSimdSupported.js';
export { instantiateWasmKernels, wasmKernelModule, KERNEL_NAMES, type WasmKernels, type KernelName } from './backend/wasm/wasmKernels.js';
export type { WasmPool, WasmJob } from './backend/wasm/wasmPool.js';
export { applyUpdates, type ApplyOptions } from './applyUpdates.js';
export { replayInPlace, type ReplayOptions, type ReplayResult } from './replayInPlace.js';
export {
  createSeedLog,
  SEED_LOG_FORMAT,
  SEED_LOG_VERSION,
  type EncodedArrays,
  type EncodedDirection,
  type EncodedWrites,
  type JsonValue,
  type LayoutBlock,
  type ParamsLayout,
  type SeedLog,
  type SeedLogEntry,
  type SeedLogHeader,
  type SeedLogJson,
  type SeedLogOptions,
} from './seedLog/seedLog.js';
export { parseSeedLog, type ParseSeedLogOptions } from './seedLog/parseSeedLog.js';
export { evaluateProbes, type EvaluateOptions, type Evaluation, type RestoreMode } from './eval/evaluateProbes.js';
export { queriesSpent } from './eval/queriesSpent.js';

export { lowbias32 } from './rng/lowbias32.js';
export { streamKey, streamWord, type StreamKey } from './rng/streamKey.js';
export { streams, type Stream } from './rng/streams.js';
export { gaussianAt, gaussianPair } from './rng/gaussian.js';
export { rademacherAt } from './rng/rademacher.js';
export { perturbGaussianRange } from './rng/perturbGaussian.js';
export { perturbRademacherRange } from './rng/perturbRademacher.js';
export { derivedSeed } from './rng/derivedSeed.js';
export { lowRankFactor } from './rng/lowRankFactor.js';
export { checkSeed, seedStream, type SeedStream, type SeedStreamState } from './rng/seedStream.js';

export type { Schedule, Transform } from './transform/transform.js';
export { chain, type StatesOf } from './transform/chain.js';
export { identity, type EmptyState } from './transform/identity.js';
export { scale } from './transform/scale.js';
export { scaleByLearningRate, type ScaleByLearningRateState } from './transform/scaleByLearningRate.js';
export { trace, type TraceOptions, type TraceState } from './transform/trace.js';
export { scaleByAdam, type ScaleByAdamOptions, type ScaleByAdamState } from './transform/scaleByAdam.js';
export { scaleBySign } from './transform/scaleBySign.js';
export { clipByGlobalNorm } from './transform/clipByGlobalNorm.js';
export { addDecayedWeights, type BlockMask } from './transform/addDecayedWeights.js';
export { noDecayForBiasAndNorm } from './transform/noDecayForBiasAndNorm.js';
export { materialize } from './transform/materialize.js';
export { sgd } from './transform/aliases/sgd.js';
export { momentum } from './transform/aliases/momentum.js';
export { adam } from './transform/aliases/adam.js';
export { signSgd } from './transform/aliases/signSgd.js';

export { constant } from './schedule/constant.js';
export { cosineDecay, type CosineDecayOptions } from './schedule/cosineDecay.js';
export { exponentialDecay, type ExponentialDecayOptions } from './schedule/exponentialDecay.js';
export { spallGain, type SpallGainOptions } from './schedule/spallGain.js';
export { spallPerturbation, type SpallPerturbationOptions } from './schedule/spallPerturbation.js';

export {
  optimizer,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type StepResult,
} from './optimizer.js';
export { runOptimizer, checkBudget, type Budget, type RunOptions, type RunResult, type StoppedBy } from './run.js';
export { patience, targetValue, tolerance, type StepInfo, type Stopper } from './stoppers.js';
export type { Episode, EpisodeRequest } from './rl/episode.js';
export { actionSize, type ActionSpace, type Environment } from './rl/environment.js';
export type { Policy, ValueFunction } from './rl/policy.js';
export { episodeKeys, type EpisodeKeys } from './rl/episodeKeys.js';
export { gaussianDraw, uniformDraw } from './rl/streamDraws.js';
export { linearSoftmax, type LinearSoftmaxOptions } from './rl/linearSoftmax.js';
export { linearGaussian, type LinearGaussianOptions } from './rl/linearGaussian.js';
export { mlpPolicy, type MlpPolicyOptions } from './rl/mlpPolicy.js';
export { valueNetwork, type ValueNetworkOptions } from './rl/valueNetwork.js';
export { rolloutsOracle, type CountingRolloutsOracle, type RolloutsOracleOptions } from './rl/rolloutsOracle.js';
export { returnOracle, type ReturnOracleOptions } from './oracle/returnOracle.js';
export { gae } from './rl/gae.js';
export { timeSlice, type TimeSlice, type TimeSliceOptions } from './timeSlice.js';
export { minimize, type MinimizeOptions, type MinimizeResult, type Objective, type ObjectiveLike } from './minimize.js';
export { integerAtLeast, nonNegative, oneOf, positive, positiveSchedule } from './validate.js';
export * from './tuner/index.js';
