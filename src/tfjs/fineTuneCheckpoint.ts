import type { Backend } from '../backend/backend.js';
import type { OptimizerState } from '../optimizer.js';
import { replayInPlace } from '../replayInPlace.js';
import { parseSeedLog } from '../seedLog/parseSeedLog.js';
import type { SeedLog, SeedLogJson } from '../seedLog/seedLog.js';
import { checkLayout } from '../seedLog/_internal/layout.js';
import { layoutOf } from '../seedLog/_internal/layout.js';
import { CheckpointError } from '../tuner/checkpointError.js';
import { decodeData, encodeData, type Json } from '../tuner/_internal/codec.js';
import type { Params } from '../types.js';

/** One held-out evaluation of a fine-tuning run. */
export interface FineTuneEvaluation {
  readonly step: number;
  readonly queries: number;
  /** Forward passes of the training queries so far (evaluation passes not counted). */
  readonly forwardPasses: number;
  readonly elapsedMs: number;
  readonly loss: number;
  readonly accuracy?: number;
}

/**
 * Everything needed to continue a fine-tuning run exactly: the seed log (with the base parameters it rebuilds
 * the current ones bit for bit) — or, when the run kept no log, the parameter values — and the optimizer state.
 * Plain JSON: `JSON.stringify` it to a file. For MeZO the state is a few hundred bytes and the log about 100
 * bytes per step.
 */
export interface FineTuneCheckpoint {
  readonly format: 'zeroth-finetune-checkpoint';
  readonly version: 1;
  readonly step: number;
  readonly queries: number;
  readonly forwardPasses: number;
  readonly elapsedMs: number;
  /** The optimizer state (typed arrays as base64). */
  readonly state: Json;
  /** The seed log: replayed onto the base parameters on resume. */
  readonly log?: SeedLogJson;
  /** The parameter values, when there is no log (dense steps). */
  readonly params?: Json;
  readonly evaluations: readonly FineTuneEvaluation[];
}

/** Builds a checkpoint of the run (the log by reference: serialise it before the next step). */
export function makeCheckpoint(
  run: { step: number; queries: number; forwardPasses: number; elapsedMs: number; evaluations: readonly FineTuneEvaluation[] },
  state: OptimizerState<unknown, unknown>,
  log: SeedLog | undefined,
  params: Params,
): FineTuneCheckpoint {
  return {
    format: 'zeroth-finetune-checkpoint',
    version: 1,
    ...run,
    evaluations: [...run.evaluations],
    state: encodeData(state, 'state'),
    ...(log !== undefined ? { log: log.toJSON() } : { params: encodeData(params.map((b) => ({ name: b.name, shape: [...b.shape], data: Float32Array.from(b.data) })), 'params') }),
  };
}

/**
 * Brings `params` (the base parameters) to the checkpoint's step and returns the optimizer state and the log to
 * continue. Checks the format and the layout before writing anything.
 *
 * @throws CheckpointError for another format or version, or parameters of another layout
 */
export function restoreCheckpoint(
  checkpoint: FineTuneCheckpoint,
  params: Params,
  backend: Backend,
): { state: OptimizerState<unknown, unknown>; log: SeedLog | undefined } {
  if (checkpoint === null || typeof checkpoint !== 'object' || checkpoint.format !== 'zeroth-finetune-checkpoint') {
    throw new CheckpointError('corrupted', 'it is not a fine-tuning checkpoint', 'Pass the object fineTune gave to onCheckpoint (or its JSON, parsed).');
  }
  if (checkpoint.version !== 1) throw new CheckpointError('version', `version ${String(checkpoint.version)}`, 'Resume with the zeroth version that wrote it.');
  const state = decodeData(checkpoint.state) as OptimizerState<unknown, unknown>;
  if (checkpoint.log !== undefined) {
    const log = parseSeedLog(checkpoint.log);
    replayInPlace(params, log, { backend });
    return { state, log };
  }
  const saved = decodeData(checkpoint.params ?? null) as { name: string; shape: number[]; data: Float32Array }[] | null;
  if (!Array.isArray(saved)) throw new CheckpointError('corrupted', 'it holds neither a seed log nor parameters', 'Pass a checkpoint written by fineTune.');
  try {
    checkLayout(layoutOf(saved), params);
  } catch (e) {
    throw new CheckpointError('mismatch', e instanceof Error ? e.message : String(e), 'Resume on the model the checkpoint was written for.');
  }
  backend.assignInPlace(saved, params);
  return { state, log: undefined };
}
