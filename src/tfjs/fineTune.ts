import type * as tf from '@tensorflow/tfjs-core';
import type { Backend } from '../backend/backend.js';
import { InvalidHyperparameter, ZerothError } from '../errors.js';
import type { Estimator } from '../estimator.js';
import type { RestoreMode } from '../eval/evaluateProbes.js';
import { optimizer, type OptimizerState } from '../optimizer.js';
import { checkSeed } from '../rng/seedStream.js';
import { checkBudget, type StoppedBy } from '../run.js';
import { createSeedLog, type SeedLog } from '../seedLog/seedLog.js';
import type { Transform } from '../transform/transform.js';
import type { ParamWrite } from '../types.js';
import { integerAtLeast } from '../validate.js';
import { batchStream, isBatchIterable, type Batch, type BatchStream } from './_internal/batchStream.js';
import { checkClasses, forwardOf, type Dataset, type ForwardModel } from './_internal/data.js';
import { resolveObjective, type Objective } from './_internal/objectives.js';
import { progressBar } from './_internal/progressBar.js';
import { evaluateModel } from './evaluateModel.js';
import { makeCheckpoint, restoreCheckpoint, type FineTuneCheckpoint, type FineTuneEvaluation } from './fineTuneCheckpoint.js';
import { modelGradientOracle } from './modelGradientOracle.js';
import { modelValueOracle } from './modelValueOracle.js';
import { tfjsBackend } from './tfjsBackend.js';
import { tfjsParams, type ModelLike, type TfjsParamsOptions } from './tfjsParams.js';

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /** Training data: `{ x, y }` in memory (minibatches drawn by seed), or an (async) iterator of minibatches (one per step). */
  readonly data: Dataset | AsyncIterable<Batch> | Iterable<Batch>;
  /** Held-out data, evaluated every `evalEvery` steps (and at the start and the end). */
  readonly evalData?: Dataset;
  /** The training objective: a loss, or a metric such as `'errorRate'` for zeroth-order estimators. @defaultValue 'softmaxCrossEntropy' */
  readonly objective?: Objective;
  /** The estimator, from `zeroth/estimators`: `mezo`, `lozo`, `lozoM`, `zoSgdSign`, `zoAdam`, `exactGradient`, … */
  readonly estimator: Estimator<unknown>;
  /** The step rule, e.g. `sgd(3e-4)` for MeZO, `adam(1e-3)` for FO-Adam. */
  readonly update: Transform<unknown>;
  /** Run seed (uint32): minibatches and directions are pure functions of it. */
  readonly seed: number;
  /** Step budget. */
  readonly steps?: number;
  /** Query budget (forward passes of the training oracle). */
  readonly queries?: number;
  /** Wall-time budget in milliseconds (checked between steps). */
  readonly timeMs?: number;
  /** Stops the run between steps. */
  readonly signal?: AbortSignal;
  /** Samples per minibatch (in-memory data). @defaultValue 64 */
  readonly batchSize?: number;
  /** Evaluate `evalData` every this many steps. @defaultValue at the start and the end only */
  readonly evalEvery?: number;
  /**
   * Report held-out accuracy (argmax of the outputs against class targets). @defaultValue true for the built-in
   * class objectives, false for a custom objective
   */
  readonly evalAccuracy?: boolean;
  /** Samples per evaluation forward pass. @defaultValue 1024 */
  readonly evalBatchSize?: number;
  /** Stop when the held-out metric has not improved by `minDelta` for `patience` evaluations. */
  readonly earlyStopping?: { readonly patience: number; readonly minDelta?: number; readonly metric?: 'accuracy' | 'loss' };
  /** Call `onCheckpoint` every this many steps (and at the end). */
  readonly checkpointEvery?: number;
  /** Receives checkpoints (plain JSON); resume with `resume`. */
  readonly onCheckpoint?: (checkpoint: FineTuneCheckpoint) => void | Promise<void>;
  /** Continue a run: the model must hold the base parameters; the checkpoint's log is replayed onto them. */
  readonly resume?: FineTuneCheckpoint;
  /**
   * Keep a seed log of the run (`result.log`). `'auto'` keeps it unless a step writes explicit values for more than
   * an eighth of the parameters (a dense step: first-order baselines, ZO-Adam), then drops it and says so in
   * `result.logOmitted`. @defaultValue 'auto'
   */
  readonly seedLog?: boolean | 'auto';
  /** A progress bar on stderr. @defaultValue when stderr is a terminal */
  readonly progress?: boolean;
  /** Events for programs: every step, evaluation and checkpoint, and the end. */
  readonly onEvent?: (event: FineTuneEvent) => void;
  /** Where parameters are written. @defaultValue tfjsBackend() */
  readonly backend?: Backend;
  /** How probes are undone. @defaultValue the estimator's preference, else 'reapply' */
  readonly restore?: RestoreMode;
  /** Which variables to tune. @defaultValue the trainable ones */
  readonly params?: TfjsParamsOptions;
  /** The forward pass. @defaultValue model.apply(x, { training: false }) */
  readonly forward?: (x: tf.Tensor) => tf.Tensor;
}

/** An event of a fine-tuning run. */
export type FineTuneEvent =
  | { readonly type: 'step'; readonly step: number; readonly queries: number; readonly value: number; readonly elapsedMs: number }
  | ({ readonly type: 'eval' } & FineTuneEvaluation)
  | { readonly type: 'checkpoint'; readonly step: number }
  | { readonly type: 'end'; readonly stoppedBy: StoppedBy; readonly steps: number };

/** What {@link fineTune} returns. */
export interface FineTuneResult {
  readonly steps: number;
  readonly queries: number;
  /** Forward passes of the training oracle (one per query; gradient queries add one backward pass each). */
  readonly forwardPasses: number;
  readonly elapsedMs: number;
  readonly stoppedBy: StoppedBy;
  /** One record per step: the estimator's value (for MeZO the mean of the ± losses). */
  readonly history: readonly { readonly step: number; readonly queries: number; readonly value: number; readonly elapsedMs: number }[];
  readonly evaluations: readonly FineTuneEvaluation[];
  /** The best evaluation (by the early-stopping metric, accuracy when there is one). */
  readonly best?: FineTuneEvaluation;
  /** The seed log of the run (with the base parameters it rebuilds the model bit for bit). */
  readonly log?: SeedLog;
  /** Why there is no log. */
  readonly logOmitted?: string;
  /** A checkpoint of the end of the run. */
  checkpoint(): FineTuneCheckpoint;
}


/**
 * Fine-tunes a tfjs model in place with any zeroth estimator: the model's variables are the parameters
 * (`tfjsParams`), written in place by the `tfjs` backend; value estimators query a {@link modelValueOracle} (one
 * minibatch per step, shared by its ± probes), `exactGradient` a {@link modelGradientOracle} (FO-SGD, FO-Adam
 * through the same optimizer). Held-out evaluation every `evalEvery` steps, early stopping, checkpoints, a seed
 * log, an `AbortSignal`, a progress bar on a terminal and events for programs.
 *
 * A failing step (NaN loss, an objective that throws) ends the run with `stoppedBy.reason = 'error'`; the model
 * keeps its last good values (up to the float32 rounding of in-place restores, which the seed log records).
 *
 * Cost per step: the estimator's queries (MeZO: 2 forward passes and 3 passes over the parameters); memory: the
 * model and one minibatch of activations (no gradients, no optimizer state for MeZO).
 *
 * @example
 * ```ts
 * const result = await fineTune(model, {
 *   data: { x: xTrain, y: yTrain }, evalData: { x: xTest, y: yTest },
 *   estimator: mezo({ sigma: 1e-3 }), update: sgd(3e-4), steps: 20_000, evalEvery: 1000, seed: 1,
 * });
 * console.log(result.best?.accuracy, result.log?.toJsonl().length);
 * ```
 */
export async function fineTune(model: ModelLike & ForwardModel, options: FineTuneOptions): Promise<FineTuneResult> {
  const seed = checkSeed(options.seed);
  const { estimator, update } = options;
  if (estimator === null || typeof estimator !== 'object' || typeof estimator.propose !== 'function') {
    throw new InvalidHyperparameter('estimator', estimator, "must be an estimator, e.g. mezo() from 'zeroth/estimators'");
  }
  if (update === null || typeof update !== 'object' || typeof update.update !== 'function') {
    throw new InvalidHyperparameter('update', update, 'must be a transform, e.g. sgd(3e-4)');
  }
  if (estimator.response === 'ranking') {
    throw new InvalidHyperparameter('estimator', estimator.name, 'must query values or gradients (ranking estimators compare copies of the model, which fineTune does not make)');
  }
  checkBudget({ ...(options.steps === undefined ? {} : { steps: options.steps }), ...(options.queries === undefined ? {} : { queries: options.queries }), ...(options.timeMs === undefined ? {} : { timeMs: options.timeMs }) });
  if (options.steps === undefined && options.queries === undefined && options.timeMs === undefined && options.signal === undefined) {
    throw new InvalidHyperparameter('steps', undefined, 'or queries, timeMs or signal must be given: the run needs an end');
  }
  const evalEvery = options.evalEvery === undefined ? undefined : integerAtLeast('evalEvery', options.evalEvery, 1);
  const checkpointEvery = options.checkpointEvery === undefined ? undefined : integerAtLeast('checkpointEvery', options.checkpointEvery, 1);
  const patience = options.earlyStopping === undefined ? undefined : integerAtLeast('earlyStopping.patience', options.earlyStopping.patience, 1);
  const backend = options.backend ?? tfjsBackend();
  const params = tfjsParams(model, options.params ?? {});
  const size = params.reduce((n, b) => n + b.size, 0);
  const objective = resolveObjective(options.objective);
  const forward = forwardOf(model, options.forward);

  let stream: BatchStream | undefined;
  if (isBatchIterable(options.data)) {
    stream = batchStream(options.data, (x, y) => objective.classes && checkClasses(x, y, forward, 'data.y'));
    await stream.next();
  }
  const oracleOptions = { objective: options.objective ?? 'softmaxCrossEntropy', batchSize: options.batchSize ?? 64, ...(options.forward ? { forward: options.forward } : {}) };
  const data = stream ?? (options.data as Dataset);
  const oracle = estimator.response === 'valueAndGrad' ? modelGradientOracle(model, data, oracleOptions) : modelValueOracle(model, data, oracleOptions);
  const opt = optimizer({ estimator, update, backend, ...(options.restore ? { restore: options.restore } : {}) });

  let state: OptimizerState<unknown, unknown>;
  let log: SeedLog | undefined;
  let logOmitted: string | undefined;
  const evaluations: FineTuneEvaluation[] = [];
  let base = { step: 0, queries: 0, forwardPasses: 0, elapsedMs: 0 };
  if (options.resume !== undefined) {
    const restored = restoreCheckpoint(options.resume, params, backend);
    state = restored.state;
    log = restored.log;
    evaluations.push(...options.resume.evaluations);
    base = { step: options.resume.step, queries: options.resume.queries, forwardPasses: options.resume.forwardPasses, elapsedMs: options.resume.elapsedMs };
    if (log === undefined) logOmitted = 'the run resumed from a checkpoint without a seed log';
  } else {
    state = opt.init(params, seed);
    if (options.seedLog !== false) log = createSeedLog(params, { meta: { estimator: estimator.name, transform: update.name, seed } });
    else logOmitted = 'seedLog: false';
  }
  const keepAuto = options.seedLog === undefined || options.seedLog === 'auto';

  const bar = progressBar(options.progress);
  const t0 = Date.now() - base.elapsedMs;
  const history: FineTuneResult['history'][number][] = [];
  let queries = base.queries;
  let steps = 0;
  const metricName = options.earlyStopping?.metric ?? 'accuracy';
  let bestIndex = -1;
  let sinceBest = 0;
  const better = (a: FineTuneEvaluation, b: FineTuneEvaluation): boolean => {
    const minDelta = options.earlyStopping?.minDelta ?? 0;
    if (metricName === 'loss' || a.accuracy === undefined || b.accuracy === undefined) return a.loss < b.loss - minDelta;
    return a.accuracy > b.accuracy + minDelta;
  };
  const evaluate = (): FineTuneEvaluation | undefined => {
    if (options.evalData === undefined) return undefined;
    const e = evaluateModel(model, options.evalData, { objective: options.objective ?? 'softmaxCrossEntropy', batchSize: options.evalBatchSize ?? 1024, accuracy: options.evalAccuracy ?? objective.classes, ...(options.forward ? { forward: options.forward } : {}) });
    const record: FineTuneEvaluation = {
      step: state.step,
      queries,
      forwardPasses: base.forwardPasses + oracle.forwardPasses,
      elapsedMs: Date.now() - t0,
      loss: e.loss,
      ...(e.accuracy === undefined ? {} : { accuracy: e.accuracy }),
    };
    evaluations.push(record);
    if (bestIndex < 0 || better(record, evaluations[bestIndex]!)) {
      bestIndex = evaluations.length - 1;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    options.onEvent?.({ type: 'eval', ...record });
    return record;
  };
  const checkpoint = (): FineTuneCheckpoint =>
    makeCheckpoint({ step: state.step, queries, forwardPasses: base.forwardPasses + oracle.forwardPasses, elapsedMs: Date.now() - t0, evaluations }, state, log, params);
  const saveCheckpoint = async (): Promise<void> => {
    if (options.onCheckpoint === undefined) return;
    await options.onCheckpoint(checkpoint());
    options.onEvent?.({ type: 'checkpoint', step: state.step });
  };
  const record = (step: number, writes: readonly ParamWrite[], failed: boolean): void => {
    if (log === undefined) return;
    if (keepAuto && explicitValues(writes) > size / 8) {
      log = undefined;
      logOmitted = `step ${step} wrote ${explicitValues(writes)} explicit values (a dense step): a seed log would hold every one; checkpoints store the parameters instead`;
      return;
    }
    log.append(step, writes, { failed });
  };

  if (evaluations.length === 0) evaluate();
  const maxQueries = options.queries ?? Infinity;
  let stoppedBy: StoppedBy | undefined;
  try {
    for (;;) {
      if (options.signal?.aborted) stoppedBy = { reason: 'signal', message: 'aborted by the signal' };
      else if (options.steps !== undefined && steps >= options.steps) stoppedBy = { reason: 'steps', message: `step budget of ${options.steps} reached` };
      else if (options.timeMs !== undefined && Date.now() - t0 >= options.timeMs) stoppedBy = { reason: 'time', message: `time budget of ${options.timeMs} ms reached` };
      else if (queries + estimator.queriesPerStep(params) > maxQueries) stoppedBy = { reason: 'queries', message: `query budget of ${maxQueries} reached (${queries} spent)` };
      if (stoppedBy !== undefined) break;
      if (stream !== undefined && steps > 0 && !(await stream.next())) {
        stoppedBy = { reason: 'stopper', stopper: 'data', message: 'the data iterator ended' };
        break;
      }
      const writes: ParamWrite[] = [];
      const step = state.step;
      let result;
      try {
        result = await opt.step(params, oracle, state, maxQueries - queries, writes);
      } catch (e) {
        record(step, writes, true);
        if (e instanceof ZerothError && e.code !== 'INVALID_HYPERPARAMETER' && e.code !== 'ORACLE_MISMATCH') {
          stoppedBy = e.code === 'BUDGET_EXHAUSTED' ? { reason: 'queries', message: e.message } : { reason: 'error', message: e.message, error: e };
          break;
        }
        throw e;
      }
      record(step, result.writes, false);
      state = result.state;
      steps++;
      queries += result.queries;
      const info = { step: state.step, queries, value: result.value, elapsedMs: Date.now() - t0 };
      history.push(info);
      options.onEvent?.({ type: 'step', ...info });
      const lastEval = evaluations[evaluations.length - 1];
      bar.update(steps, options.steps, `loss ${result.value.toPrecision(4)}${lastEval?.accuracy === undefined ? '' : ` held-out acc ${(100 * lastEval.accuracy).toFixed(1)}%`}`);
      if (evalEvery !== undefined && state.step % evalEvery === 0) {
        evaluate();
        if (patience !== undefined && sinceBest >= patience) {
          stoppedBy = { reason: 'stopper', stopper: 'earlyStopping', message: `no held-out improvement for ${patience} evaluations` };
          break;
        }
      }
      if (checkpointEvery !== undefined && state.step % checkpointEvery === 0) await saveCheckpoint();
    }
  } finally {
    bar.done();
    stream?.dispose();
    oracle.dispose();
  }
  if (evaluations[evaluations.length - 1]?.step !== state.step) evaluate();
  await saveCheckpoint();
  options.onEvent?.({ type: 'end', stoppedBy, steps });
  return {
    steps,
    queries,
    forwardPasses: base.forwardPasses + oracle.forwardPasses,
    elapsedMs: Date.now() - t0,
    stoppedBy,
    history,
    evaluations,
    ...(bestIndex >= 0 ? { best: evaluations[bestIndex]! } : {}),
    ...(log !== undefined ? { log } : {}),
    ...(logOmitted !== undefined ? { logOmitted } : {}),
    checkpoint,
  };
}

/** Values a step's writes hold explicitly (dense blocks, explicit low-rank factors). */
function explicitValues(writes: readonly ParamWrite[]): number {
  let n = 0;
  for (const w of writes) {
    const d = w.direction;
    if (d.kind === 'dense') for (const b of d.blocks) n += b?.length ?? 0;
    if (d.kind === 'lowRank') for (const u of d.u ?? []) n += u?.length ?? 0;
  }
  return n;
}
