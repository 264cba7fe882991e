import { createHash } from 'node:crypto';
import { InvalidHyperparameter } from '../errors.js';
import type { Executor } from '../tuner/executor.js';
import type { TrialContext } from '../tuner/types.js';
import { integerAtLeast } from '../validate.js';
import { queueName, redisOptions } from './_internal/connection.js';
import { JobClient, type JobStats } from './_internal/jobClient.js';
import { TRIAL_JOB, decodeNumber, newRunId } from './_internal/wire.js';

/** Options of {@link bullmqExecutor}. */
export interface BullmqExecutorOptions {
  /** The Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly redis: string;
  /** The BullMQ queue that `zeroth worker --queue NAME` (or `startWorker`) serves. */
  readonly queue: string;
  /**
   * The run's id: part of every job id, so that a resumed run finds the jobs it submitted before (and their
   * results) instead of evaluating them again. Keep it with the checkpoint. @defaultValue a fresh random id
   */
  readonly run?: string;
  /** Jobs in flight at once: the driver's default concurrency. @defaultValue 16 */
  readonly concurrency?: number;
  /** BullMQ key prefix (the workers must use the same). @defaultValue 'zeroth' */
  readonly prefix?: string;
  /** A job waited for longer than this is looked up in Redis (a missed answer, a lost job). @defaultValue 10000 */
  readonly checkMs?: number;
}

/** A tuner executor on BullMQ, with its run id and counters. */
export interface BullmqExecutor<X> extends Executor<X> {
  /** The run id in every job id. */
  readonly run: string;
  /** Jobs submitted, completed, failed, ignored (duplicates and late answers) and resubmitted. */
  readonly stats: JobStats;
}

/**
 * Evaluates the tuner's trials as BullMQ jobs on Redis, served by any number of workers on any machines
 * (`zeroth worker --redis URL --queue NAME --objective FILE`, or `startWorker` from `zeroth/distributed`).
 * A job is the decoded point and the trial's context (noise seed, step, trial id) — a few hundred bytes.
 * Results come back in any order; with the tuner's `tune` driver the run is the same as with the inline
 * executor for the same seed, for any number of workers and any failure schedule.
 *
 * Faults: a worker that dies mid-job loses its lock; BullMQ's stalled-job check gives the job to another
 * worker and its result is counted once (a job's id names the run, the trial and a fingerprint of
 * the point and its context, and an answer for a job not waited for is ignored). When Redis restarts and loses its data, the jobs waited for are submitted again under the same
 * ids. A trial whose objective throws is told as failed (no retry: objectives are deterministic).
 *
 * @example
 * ```ts
 * import { bullmqExecutor } from 'zeroth/distributed';
 * const executor = await bullmqExecutor({ redis: 'redis://127.0.0.1:6379', queue: 'tuning' });
 * const result = await tune(tuner, { executor });
 * await executor.close();
 * ```
 */
export async function bullmqExecutor<X>(options: BullmqExecutorOptions): Promise<BullmqExecutor<X>> {
  redisOptions(options.redis);
  const queue = queueName(options.queue);
  const concurrency = integerAtLeast('concurrency', options.concurrency ?? 16, 1);
  const run = options.run ?? newRunId();
  if (typeof run !== 'string' || !/^[A-Za-z0-9_-]+$/.test(run)) throw new InvalidHyperparameter('run', run, 'must be letters, digits, - or _');
  const client = await JobClient.open({
    redis: options.redis,
    queue,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.checkMs === undefined ? {} : { checkMs: options.checkMs }),
  });
  return {
    name: 'bullmq',
    concurrency,
    run,
    get stats() {
      return client.stats;
    },
    async evaluate(x: X, context: TrialContext, signal: AbortSignal): Promise<number> {
      const data = { x, c: { ...context } };
      // The id names the run, the trial and what is evaluated: a job found under it (a resumed run's) is this one.
      const id = `${run}.t${context.trial}.${createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 12)}`;
      const got = await client.run(TRIAL_JOB, data, id, signal);
      return decodeNumber(got);
    },
    close: () => client.close(),
  };
}
