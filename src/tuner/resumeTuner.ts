import { InvalidHyperparameter } from '../errors.js';
import { CheckpointError } from './checkpointError.js';
import { checkOptions, tunerOf } from './createTuner.js';
import { loadCore, readBody } from './_internal/checkpointBody.js';
import { advance, PENDING } from './_internal/machine.js';
import type { Tuner, TunerOptions } from './types.js';

/** Options of {@link resumeTuner}: the run's space, estimator and transform again; the rest comes from the checkpoint. */
export interface ResumeOptions<X> extends Omit<TunerOptions<X>, 'seed' | 'init' | 'budget'> {
  /** A new budget (e.g. a larger one, to extend the run; never below what was spent). @defaultValue the checkpoint's */
  readonly budget?: TunerOptions<X>['budget'];
  /**
   * Accept an estimator or transform whose options (sigma, learning rate, …) differ from the ones the checkpoint
   * recorded: the run continues from the saved state with the new ones (an open round is dropped; its queries
   * stay charged). @defaultValue false: a difference is refused
   */
  readonly allowOptionChange?: boolean;
}

/**
 * Continues a tuner from `tuner.save()`'s text. The resumed tuner is in exactly the saved state — estimator
 * and transform states, seed-stream position, the open round and its told results — so the run ends bit for
 * bit as the uninterrupted one would. Trials that were handed out but not told are handed out again by `ask()`
 * (with their ids; telling them directly works too).
 *
 * Functions cannot be saved, so pass the same space, estimator (with the same options) and transform again:
 * the space, the estimator's and the transform's names and their recorded `options` (sigma, learning rate,
 * momentum, …; see `Estimator.options`), and the re-evaluation settings are checked against the checkpoint. A
 * different option is refused unless `allowOptionChange` is set; a function-valued option (a schedule) is
 * compared by name only, and an estimator or transform that declares no `options` is not checked.
 *
 * @throws CheckpointError with `problem` 'truncated' (not complete JSON), 'corrupted' (checksum or content),
 * 'version' (another format version) or 'mismatch' (another space, estimator, transform or options)
 * @throws InvalidHyperparameter for a budget below the queries or steps already spent
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
  if (config.maxQueries < body.charged) {
    throw new InvalidHyperparameter('budget.queries', config.maxQueries, `must be ≥ the ${body.charged} queries the run has already spent (resume with a larger budget, or without one)`);
  }
  if (config.maxSteps < body.steps) throw new InvalidHyperparameter('budget.steps', config.maxSteps, `must be ≥ the ${body.steps} steps the run has already made`);
  const changed = [
    optionChange('estimator', body.estimatorOptions, config.estimator.options),
    optionChange('transform', body.transformOptions, config.transform.options),
  ].filter((c) => c !== undefined);
  if (changed.length > 0 && options.allowOptionChange !== true) {
    throw new CheckpointError('mismatch', changed.join('; '), 'Resume with the options the run was started with, or pass allowOptionChange: true to continue with the new ones.');
  }
  const saved = body.round;
  if (changed.length > 0 && saved !== null) {
    // The open round was proposed with the old options: drop it (its queries stay charged), as a skipped step.
    for (let i = 0; i < saved.asked; i++) if (saved.status[i] === PENDING) body.stale.push(saved.firstId + i);
    body.round = null;
    body.skipped = (body.skipped ?? 0) + 1;
  }
  const core = loadCore(body, config);
  if (changed.length > 0 && core.round === undefined && !core.finished) advance(core);
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

/** A description of how recorded options differ from the given ones (by path, e.g. `parts[2].learningRate`), or undefined. */
function optionChange(what: string, saved: unknown, given: unknown): string | undefined {
  if (saved === undefined || saved === null || given === undefined) return undefined; // not recorded, or not declared
  const diffs: [string, unknown, unknown][] = [];
  const walk = (path: string, a: unknown, b: unknown): void => {
    const nested = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
    if (nested(a) && nested(b) && Array.isArray(a) === Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(Array.isArray(a) ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`, a[k], b[k]);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push([path, a, b]);
  };
  walk('', saved, given);
  if (diffs.length === 0) return undefined;
  const show = (v: unknown): string => JSON.stringify(v) ?? 'nothing';
  return `the ${what} was built with ${diffs.map(([k, a]) => `${k} = ${show(a)}`).join(', ')}; the resume options give ${diffs.map(([k, , b]) => `${k} = ${show(b)}`).join(', ')}`;
}
