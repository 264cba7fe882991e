import { randomUUID } from 'node:crypto';
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { patience, targetValue, tolerance, type Stopper } from '../../stoppers.js';
import { adam } from '../../transform/aliases/adam.js';
import { sgd } from '../../transform/aliases/sgd.js';
import { identity } from '../../transform/identity.js';
import type { Transform } from '../../transform/transform.js';
import { createTuner } from '../../tuner/createTuner.js';
import { inlineExecutor, type Executor } from '../../tuner/executor.js';
import { resumeTuner } from '../../tuner/resumeTuner.js';
import { spaceFromJSON } from '../../tuner/space.js';
import { tune, type TuneResult } from '../../tuner/tune.js';
import type { Tuner } from '../../tuner/types.js';
import { loadObjective } from '../tunerObjective.js';
import { workerPoolExecutor } from '../tunerPool.js';
import { progressBar } from '../tunerProgress.js';
import { checkpointFile, type CheckpointFile } from './cliCheckpoint.js';
import { buildEstimator, integer, number, oneOf, parseTuneArgs, readText, specFromCheckpoint, specFromFlags, str, UsageError, type RunSpec } from './cliOptions.js';
import { importDistributed } from './importDistributed.js';

type X = Record<string, unknown>;

/** Exit codes: 0 done, 1 the run failed (every evaluation failed, or a file could not be written), 2 usage, 128 + signal. */
const EXIT = { ok: 0, failed: 1, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * `zeroth tune`: resolves with the exit code. The first SIGINT or SIGTERM — also before the objective module
 * has loaded — stops the run, saves the checkpoint and exits with 128 + the signal number; a second one exits
 * at once. A synchronous objective in this thread (`--workers 0`) does not delay that beyond one evaluation:
 * the driver gives the event loop a turn every few milliseconds.
 */
export async function tuneCommand(args: readonly string[], help: string): Promise<number> {
  const controller = new AbortController();
  let signalled: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (signalled !== undefined) process.exit(EXIT[sig]);
    signalled = sig;
    process.stderr.write(`\nzeroth: ${sig === 'SIGINT' ? 'interrupted' : 'terminated'}; saving and stopping (${sig === 'SIGINT' ? 'Ctrl-C' : sig} again to quit at once)\n`);
    controller.abort();
  };
  const onSigint = (): void => onSignal('SIGINT');
  const onSigterm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    return await run(args, help, controller.signal, () => signalled);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

async function run(args: readonly string[], help: string, signal: AbortSignal, signalled: () => 'SIGINT' | 'SIGTERM' | undefined): Promise<number> {
  const o = parseTuneArgs(args);
  if (o['help'] === true) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  const resumePath = str(o, 'resume');
  const resumeText = resumePath === undefined ? undefined : readText(resumePath, 'checkpoint');
  const spec: RunSpec = resumeText === undefined ? await specFromFlags(o, randomUUID()) : specFromCheckpoint(resumeText, resumePath!, o);
  const budget = str(o, 'budget') === undefined ? undefined : integer('--budget', str(o, 'budget')!, 1);
  const timeMs = str(o, 'time') === undefined ? undefined : Math.max(1, Math.round(1000 * number('--time', str(o, 'time')!, Number.MIN_VALUE)));
  if (resumeText === undefined && budget === undefined && timeMs === undefined) throw new UsageError('give --budget N (evaluations) or --time SECONDS');
  const workers = integer('--workers', str(o, 'workers') ?? '1', 0);
  const policy = str(o, 'policy') === undefined ? undefined : oneOf('--policy', str(o, 'policy')!, ['iterate', 'bestSeen', 'reEvaluated'] as const);
  const maxFailures = str(o, 'max-failures') === undefined ? 20 : integer('--max-failures', str(o, 'max-failures')!, 0);
  const everyMs = str(o, 'checkpoint-every') === undefined ? undefined : 1000 * number('--checkpoint-every', str(o, 'checkpoint-every')!, Number.MIN_VALUE);
  const stoppers: Stopper[] = [];
  if (o['target'] !== undefined) stoppers.push(targetValue(number('--target', str(o, 'target')!)));
  if (o['patience'] !== undefined) stoppers.push(patience(integer('--patience', str(o, 'patience')!, 1)));
  if (o['tolerance'] !== undefined) stoppers.push(tolerance(number('--tolerance', str(o, 'tolerance')!, 0)));

  const space = spaceFromJSON(spec.space);
  const estimator = await buildEstimator(spec);
  const update: Transform<unknown> =
    spec.optimizer === 'none' ? (identity() as Transform<unknown>) : spec.optimizer === 'adam' ? (adam(spec.lr) as Transform<unknown>) : (sgd(spec.lr) as Transform<unknown>);
  const reEvaluate = spec.reEvaluate ?? undefined;
  const tuner: Tuner<X> =
    resumeText === undefined
      ? createTuner({ space, estimator, update, ...(budget === undefined ? {} : { budget }), seed: integer('--seed', str(o, 'seed') ?? '0', 0), ...(reEvaluate ? { reEvaluate } : {}) })
      : resumeTuner(resumeText, { space, estimator, update, ...(budget === undefined ? {} : { budget }), ...(reEvaluate ? { reEvaluate } : {}) });

  // Every file is checked before the first evaluation: a run is never lost to a path that cannot be written.
  const target = str(o, 'checkpoint') ?? resumePath;
  const checkpoint: CheckpointFile | undefined =
    target === undefined ? undefined : checkpointFile({ path: target, ...(resumePath === undefined ? {} : { resumedFrom: resumePath }), force: o['force'] === true }, spec);
  if (everyMs !== undefined && checkpoint === undefined) throw new UsageError('--checkpoint-every needs --checkpoint FILE');
  const log = openLog(str(o, 'log'));
  const problems = new Set<string>();
  log?.on('error', (e) => problems.add(`could not write the trial log ${str(o, 'log')}: ${e.message}`));

  let executor: Executor<X> | undefined;
  let result: TuneResult<X> | undefined;
  const progress = progressBar(process.stderr, o['no-progress'] !== true);
  let lastSave = Date.now();
  /** Saves the run; a periodic save skipped because only failures came since the last one is not a problem. */
  const save = (final: boolean): void => {
    if (checkpoint === undefined) return;
    try {
      if (checkpoint.save(tuner, spec) === 'kept' && final) {
        problems.add(`every evaluation since the last save failed: ${target} was not ${resumePath === undefined ? 'written' : 'replaced (it keeps the last good state)'}`);
      }
    } catch (e) {
      problems.add(`could not write the checkpoint ${target}: ${(e as Error).message}`);
    }
    lastSave = Date.now();
  };
  try {
    executor = await prepareExecutor(spec, workers, signal, str(o, 'redis'), str(o, 'queue'));
    if (executor !== undefined && !signal.aborted) {
      let best = Infinity;
      const state = (elapsedMs: number) => ({
        queries: tuner.numQueries,
        budget: tuner.budget,
        steps: tuner.numSteps,
        best,
        skipped: tuner.numSkipped,
        failed: tuner.numFailed,
        elapsedMs,
        ...(timeMs === undefined ? {} : { timeMs }),
      });
      result = await tune(tuner, {
        executor,
        signal,
        ...(timeMs === undefined ? {} : { timeMs }),
        stoppers,
        maxConsecutiveFailures: maxFailures === 0 ? Infinity : maxFailures,
        ...(policy === undefined ? {} : { policy }),
        onTrial(r) {
          if (r.value !== undefined && r.value < best) best = r.value;
          checkpoint?.noteResult(r.state === 'complete');
          log?.write(`${JSON.stringify({ id: r.trial.id, kind: r.trial.kind, step: r.trial.context.step, x: r.trial.x, state: r.state, ...(r.value === undefined ? {} : { value: r.value }), ...(r.error === undefined ? {} : { error: r.error }), elapsedMs: r.elapsedMs })}\n`);
          progress.update(state(r.elapsedMs));
          if (everyMs !== undefined && Date.now() - lastSave >= everyMs) save(false);
        },
      });
      progress.done(state(result.elapsedMs));
    }
  } finally {
    await executor?.close();
    // A write error may not have reached the 'error' listener yet: the stream's own record of it counts too.
    if (log !== undefined) {
      if (!log.destroyed) await new Promise<void>((done) => log.end(() => done()));
      if (log.errored) problems.add(`could not write the trial log ${str(o, 'log')}: ${log.errored.message}`);
    }
  }
  save(true);
  const rec = tuner.recommend(policy === undefined ? {} : { policy });
  const best = tuner.recommend({ policy: 'bestSeen' });
  process.stdout.write(
    `${JSON.stringify({
      x: rec.x,
      value: rec.value ?? null,
      policy: rec.policy,
      bestSeen: best.policy === 'bestSeen' ? { x: best.x, value: best.value } : null,
      queries: tuner.numQueries,
      steps: tuner.numSteps,
      failed: tuner.numFailed,
      skipped: tuner.numSkipped,
      stoppedBy: result === undefined ? { reason: 'signal', message: 'interrupted before the first evaluation' } : { reason: result.stoppedBy.reason, message: result.stoppedBy.message },
    })}\n`,
  );
  if (result?.firstError !== undefined) {
    const n = result.numFailed;
    process.stderr.write(`zeroth: ${n} evaluation${n === 1 ? '' : 's'} failed; the first: ${result.firstError}\n`);
  }
  for (const p of problems) process.stderr.write(`zeroth: ${p}\n`);
  const sig = signalled();
  if (sig !== undefined) {
    if (checkpoint === undefined) process.stderr.write(`zeroth: ${sig === 'SIGINT' ? 'interrupted' : 'terminated'} without --checkpoint: nothing saved\n`);
    else if (problems.size === 0) process.stderr.write(`zeroth: checkpoint saved to ${target}; continue with: zeroth tune --resume ${target}\n`);
    return EXIT[sig];
  }
  if (result?.stoppedBy.reason === 'error') {
    process.stderr.write(`zeroth: the run failed: ${result.stoppedBy.message}\n`);
    return EXIT.failed;
  }
  return problems.size > 0 ? EXIT.failed : EXIT.ok;
}

/** Loads the objective (this thread) or starts the worker pool and checks the module; undefined if a signal came first. */
async function prepareExecutor(spec: RunSpec, workers: number, signal: AbortSignal, redis?: string, queue?: string): Promise<Executor<X> | undefined> {
  if (queue !== undefined && redis === undefined) throw new UsageError('--queue needs --redis URL');
  if (redis !== undefined) {
    // Workers on a Redis queue (zeroth worker); the run id keeps a resumed run's jobs and results.
    const { bullmqExecutor } = await importDistributed(() => import('../../distributed/bullmqExecutor.js'), 'zeroth tune --redis', (m) => new UsageError(m));
    return untilAborted(bullmqExecutor<X>({ redis, queue: queue ?? 'zeroth', ...(spec.run === undefined ? {} : { run: spec.run }) }), signal);
  }
  if (workers === 0) {
    const objective = await untilAborted(loadObjective<X>(spec.objective, spec.export ?? undefined), signal);
    return objective === undefined ? undefined : inlineExecutor(objective);
  }
  const pool = workerPoolExecutor<X>({ module: spec.objective, ...(spec.export === null ? {} : { exportName: spec.export }), workers });
  try {
    await untilAborted(pool.check(), signal);
  } catch (e) {
    await pool.close();
    throw e;
  }
  return pool;
}

/** The promise's value, or undefined as soon as the signal aborts (the promise is left to settle on its own). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((done, fail) => {
    const onAbort = (): void => done(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), done(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), signal.aborted ? done(undefined) : fail(e)),
    );
  });
}

/** Opens the trial log for appending now, so that a bad path is refused before the first evaluation. */
function openLog(path: string | undefined): WriteStream | undefined {
  if (path === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(resolve(path), 'a');
  } catch (e) {
    throw new UsageError(`cannot open the trial log ${path}: ${(e as Error).message}`);
  }
  try {
    return createWriteStream('', { fd, flags: 'a' });
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
