import { CheckpointError } from './checkpointError.js';
import { checkOptions, tunerOf } from './createTuner.js';
import { loadCore, readBody } from './_internal/checkpointBody.js';
import { advance } from './_internal/machine.js';
import type { Tuner, TunerOptions } from './types.js';

/** Options of {@link resumeTuner}: the run's space, estimator and transform again; the rest comes from the checkpoint. */
export interface ResumeOptions<X> extends Omit<TunerOptions<X>, 'seed' | 'init' | 'budget'> {
  /** A new budget (e.g. a larger one, to extend the run). @defaultValue the checkpoint's */
  readonly budget?: TunerOptions<X>['budget'];
}

/**
 * Continues a tuner from `tuner.save()`'s text. The resumed tuner is in exactly the saved state — estimator
 * and transform states, seed-stream position, the open round and its told results — so the run ends bit for
 * bit as the uninterrupted one would. Trials that were handed out but not told are handed out again by `ask()`
 * (with their ids; telling them directly works too).
 *
 * Functions cannot be saved, so pass the same space, estimator (with the same options) and transform again:
 * the space, the estimator's and the transform's names, and the re-evaluation settings are checked against
 * the checkpoint (hyperparameters inside an estimator or transform are not visible and cannot be checked).
 *
 * @throws CheckpointError with `problem` 'truncated' (not complete JSON), 'corrupted' (checksum or content),
 * 'version' (another format version) or 'mismatch' (another space, estimator or transform)
 *
 * @example
 * ```ts
 * const text = tuner.save();                 // write it anywhere
 * const again = resumeTuner(text, { space: s, estimator: spsa({ sigma: 0.1 }), update: adam(0.05) });
 * ```
 */
export function resumeTuner<X>(checkpoint: string, options: ResumeOptions<X>): Tuner<X> {
  const body = readBody(checkpoint);
  const config = checkOptions<X>({
    ...options,
    budget: options.budget ?? {
      ...(Number.isFinite(body.maxQueries) ? { queries: body.maxQueries } : {}),
      ...(Number.isFinite(body.maxSteps) ? { steps: body.maxSteps } : {}),
    },
    seed: body.seed,
    ...(options.reEvaluate === undefined && body.reEvaluate !== null ? { reEvaluate: body.reEvaluate } : {}),
  });
  const expect = (what: string, saved: unknown, given: unknown): void => {
    if (JSON.stringify(saved) !== JSON.stringify(given)) {
      throw new CheckpointError('mismatch', `the checkpoint's ${what} is ${JSON.stringify(saved)}, the resume options give ${JSON.stringify(given)}`, `Resume with the ${what} the run was started with.`);
    }
  };
  expect('space', body.space, config.space.toJSON());
  expect('estimator', body.estimator, config.estimator.name);
  expect('transform', body.transform, config.transform.name);
  expect('reEvaluate', body.reEvaluate, config.reEvaluate ?? null);
  if (body.params.length !== config.space.dim) expect('dimension', body.params.length, config.space.dim);
  const core = loadCore(body, config);
  if (core.finished && core.round === undefined && (core.charged < config.maxQueries || core.steps < config.maxSteps)) {
    // A larger budget reopens a finished run.
    core.finished = false;
    advance(core);
  }
  return tunerOf<X>(core);
}

/** Reads the `meta` stored by `tuner.save(meta)` (the checkpoint is verified first). */
export function checkpointMeta(checkpoint: string): unknown {
  return readBody(checkpoint).meta;
}
