import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Backend } from '../backend/backend.js';
import { defaultBackend } from '../backend/defaultBackend.js';
import { InvalidHyperparameter } from '../errors.js';
import { loadObjective } from '../node/tunerObjective.js';
import type { TrialObjective } from '../tuner/executor.js';
import type { EvalContext, Params } from '../types.js';
import { integerAtLeast } from '../validate.js';
import { bullConnection, queueName, redisOptions } from './_internal/connection.js';
import { evaluateAt } from './_internal/evaluateAt.js';
import { withTimeout } from './_internal/jobClient.js';
import { LeanServer } from './_internal/lean/leanServer.js';
import { ReplicaDiverged, catchUp, runKey, type Replica, type VersionRecord } from './_internal/versions.js';
import { PROBE_JOB, TRIAL_JOB, decodeProbes, encodeNumber, type ProbeJob, type WireNumber } from './_internal/wire.js';

/** The context of a probe evaluated on a worker: the probe's noise seed and step, and the data shard. */
export interface ShardContext extends EvalContext {
  /** The data shard to evaluate on, in [0, shards). */
  readonly shard: number;
  /** The number of shards (1 when the objective is not sharded). */
  readonly shards: number;
}

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  /** The Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly redis: string;
  /** The BullMQ queue to serve. */
  readonly queue: string;
  /**
   * The objective: a function, or the path of a module exporting it (default export, else `objective`). Tuner
   * trials call it with the point and the trial's context; probes of `distributedOracle` call it with the
   * parameters of the probe point (`Params`: blocks of Float32Array — a scratch copy, valid during the call)
   * and a {@link ShardContext}.
   */
  readonly objective: TrialObjective<never> | ((x: Params, context: ShardContext) => number | Promise<number>) | string;
  /** The export to call when `objective` is a path. */
  readonly exportName?: string;
  /** Jobs evaluated at once by this worker (more helps only objectives that wait). @defaultValue 1 */
  readonly concurrency?: number;
  /** BullMQ key prefix (the coordinator must use the same). @defaultValue 'zeroth' */
  readonly prefix?: string;
  /**
   * How long a job (or a lean task) stays with this worker without a renewal, in ms: a worker that dies (or hangs
   * synchronously) longer than this loses its job to another worker. @defaultValue 30000
   */
  readonly lockMs?: number;
  /** How often this worker looks for stalled jobs of dead workers, in ms. @defaultValue lockMs / 2 */
  readonly stalledCheckMs?: number;
  /** How often one job may be taken back from a dead worker before it fails. @defaultValue 10 */
  readonly maxStalls?: number;
  /** Backend that rebuilds and perturbs the parameters of probe jobs. @defaultValue defaultBackend() */
  readonly backend?: Backend;
}

/** Counters of a worker. */
export interface WorkerStats {
  /** Jobs answered with a result (trials and probe groups). */
  readonly jobs: number;
  /** Objective evaluations (a probe group of two probes counts two). */
  readonly evaluations: number;
  /** Jobs that failed (the objective threw or returned no number). */
  readonly failed: number;
  /** Parameter versions this worker caught up to. */
  readonly versions: number;
}

/** A running worker. */
export interface ZerothWorker {
  readonly stats: WorkerStats;
  /** Resolves once the worker is connected and waiting for jobs. */
  ready(): Promise<void>;
  /** Finishes the jobs in hand and disconnects (idempotent). */
  close(): Promise<void>;
}

/**
 * Serves a queue of zeroth work on Redis: the trials of `bullmqExecutor` and the probes of `distributedOracle`,
 * on both of its transports (lean rounds of every run open on the queue, and BullMQ jobs). For a probe, the
 * worker holds the parameters of the run's current version — caught up from the run's records in Redis (a
 * snapshot, then seeds and coefficients replayed with the canonical kernels) and checked against the
 * coordinator's fingerprint — regenerates the direction from its seed, evaluates the objective at
 * `x + scale · direction` and answers with the value. A worker may join at any time: it catches up from the
 * records.
 *
 * Liveness: a heartbeat key that lives `lockMs`, renewed every `lockMs / 2` (lean); BullMQ's job locks. The
 * BullMQ side starts only when the queue has BullMQ jobs (at start, or when a BullMQ client says so), so a
 * worker that serves only lean rounds does not poll Redis.
 *
 * @example
 * ```ts
 * import { startWorker } from 'zeroth/distributed';
 * const worker = startWorker({ redis: 'redis://127.0.0.1:6379', queue: 'tuning', objective: './objective.mjs' });
 * await worker.ready();
 * // … later
 * await worker.close();
 * ```
 */
export function startWorker(options: StartWorkerOptions): ZerothWorker {
  const connection = bullConnection(options.redis);
  const queue = queueName(options.queue);
  const prefix = options.prefix ?? 'zeroth';
  const concurrency = integerAtLeast('concurrency', options.concurrency ?? 1, 1);
  const lockDuration = integerAtLeast('lockMs', options.lockMs ?? 30_000, 100);
  const stalledInterval = integerAtLeast('stalledCheckMs', options.stalledCheckMs ?? Math.max(50, Math.floor(lockDuration / 2)), 50);
  const maxStalledCount = integerAtLeast('maxStalls', options.maxStalls ?? 10, 0);
  const backend = options.backend ?? defaultBackend();
  if (typeof options.objective !== 'function' && typeof options.objective !== 'string') {
    throw new InvalidHyperparameter('objective', options.objective, 'must be a function (x, context) => number or the path of a module exporting one');
  }
  const objective: Promise<(x: unknown, c: unknown) => unknown> =
    typeof options.objective === 'string'
      ? (loadObjective(options.objective, options.exportName) as Promise<(x: unknown, c: unknown) => unknown>)
      : Promise.resolve(options.objective as (x: unknown, c: unknown) => unknown);
  objective.catch(() => undefined);
  const redis = new Redis(redisOptions(options.redis));
  redis.on('error', () => undefined);
  const replicas = new Map<string, Replica>();
  const counts = { jobs: 0, evaluations: 0, failed: 0, versions: 0 };

  const evaluate = async (f: (x: unknown, c: unknown) => unknown, x: unknown, context: unknown): Promise<number> => {
    const v = await f(x, context);
    if (typeof v !== 'number') throw new Error(`the objective returned ${v === null ? 'null' : typeof v}, not a number`);
    counts.evaluations++;
    return v;
  };

  const processor = async (job: Job): Promise<WireNumber | WireNumber[]> => {
    const f = await objective;
    try {
      if (job.name === TRIAL_JOB) {
        const data = job.data as { x: unknown; c: unknown };
        const v = encodeNumber(await evaluate(f, data.x, data.c));
        counts.jobs++;
        return v;
      }
      if (job.name === PROBE_JOB) {
        const [run, version, shard, shards, step, probes, record] = job.data as [...ProbeJob, VersionRecord | undefined];
        const key = runKey(prefix, queue, run);
        let replica: Replica;
        try {
          replica = await catchUp(redis, key, run, backend, replicas.get(run), version, record ?? undefined);
        } catch (e) {
          replicas.delete(run);
          if (e instanceof ReplicaDiverged) throw new UnrecoverableError(e.message);
          throw e;
        }
        if (replicas.get(run) !== replica) counts.versions++;
        replicas.set(run, replica);
        const values = await evaluateAt(backend, replica.params, decodeProbes(probes), (x, c) => evaluate(f, x, c), step, shard, shards);
        counts.jobs++;
        return values.map(encodeNumber);
      }
      throw new UnrecoverableError(`unknown job "${job.name}": run coordinator and workers with the same version of zeroth`);
    } catch (e) {
      counts.failed++;
      throw e instanceof Error ? e : new Error(String(e));
    }
  };

  // BullMQ's side runs only while the queue has BullMQ jobs: an idle BullMQ worker polls Redis (a blocking pop and a
  // Lua script every few seconds, and the stalled-job check), which a worker serving only lean rounds need not pay.
  let worker: Worker | undefined;
  let closed = false;
  const serveJobs = async (): Promise<void> => {
    if (worker !== undefined || closed) return;
    const w = new Worker(queue, processor, { connection, prefix, concurrency, lockDuration, stalledInterval, maxStalledCount, autorun: false });
    worker = w;
    w.on('error', () => undefined);
    void w.run().catch(() => undefined);
    await w.waitUntilReady();
  };

  // The lean transport's side: rounds of distributedOracle broadcast on the queue's runs.
  const lean = new LeanServer({
    redis: options.redis,
    queue,
    prefix,
    lockMs: lockDuration,
    concurrency,
    backend,
    objective: async (x, c) => evaluate(await objective, x, c),
    counts,
    onJobs: () => void serveJobs().catch(() => undefined),
  });

  const started = objective.then(async () => {
    const start = async (): Promise<void> => {
      // Listening first: jobs announced from now on are heard, jobs submitted before are in the queue.
      await lean.start();
      if (await hasJobs(redis, prefix, queue)) await serveJobs();
    };
    await withTimeout(start(), 10_000, options.redis);
  });
  started.catch(() => undefined);
  let closing: Promise<void> | undefined;
  return {
    get stats() {
      return { ...counts };
    },
    ready: () => started,
    close() {
      closing ??= (async () => {
        closed = true;
        await Promise.all([worker?.close().catch(() => undefined), lean.close()]);
        redis.disconnect();
      })();
      return closing;
    },
  };
}

/** Whether a BullMQ queue holds jobs not yet finished (waiting, active, prioritized, delayed or paused). */
async function hasJobs(redis: Redis, prefix: string, queue: string): Promise<boolean> {
  const k = (type: string): string => `${prefix}:${queue}:${type}`;
  const res = await redis.multi().llen(k('wait')).llen(k('active')).zcard(k('prioritized')).zcard(k('delayed')).llen(k('paused')).exec();
  return (res ?? []).some(([e, n]) => e === null && Number(n) > 0);
}
