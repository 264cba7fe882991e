/**
 * The tuner: ask/tell black-box tuning over search spaces, with executors, a driver, and checkpoints.
 *
 * @packageDocumentation
 */
export { createTuner } from './createTuner.js';
export { resumeTuner, checkpointMeta, type ResumeOptions } from './resumeTuner.js';
export { CheckpointError, type CheckpointProblem } from './checkpointError.js';
export { float, logFloat, int, type Dimension, type DimensionOptions } from './dimensions.js';
export { space, spaceFromJSON, type Space, type SpaceSpec, type ValueOf } from './space.js';
export { inlineExecutor, type Executor, type InlineExecutorOptions, type TrialObjective } from './executor.js';
export { tune, type TrialRecord, type TuneOptions, type TuneResult } from './tune.js';
export type {
  Recommendation,
  RecommendPolicy,
  ReEvaluateOptions,
  Trial,
  TrialContext,
  TrialFailure,
  Tuner,
  TunerBudget,
  TunerEvent,
  TunerOptions,
} from './types.js';
