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
import { withTimeout } from './_internal/jobClient.js';
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
   * How long a job stays locked to this worker without a renewal, in ms: a worker that dies (or hangs
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
 * Serves a BullMQ queue of zeroth jobs: the trials of `bullmqExecutor` and the probes of `distributedOracle`.
 * For a probe, the worker holds the parameters of the run's current version — caught up from the version
 * records in Redis (seeds and coefficients, replayed with the canonical kernels, or a snapshot) and checked
 * against the coordinator's fingerprint — regenerates the direction from its seed, evaluates the objective at
 * `x + scale · direction` and answers with the value. A worker may join at any time: it catches up from the
 * records.
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

  const evaluate = async (f: (x: unknown, c: unknown) => unknown, x: unknown, context: unknown): Promise<WireNumber> => {
    const v = await f(x, context);
    if (typeof v !== 'number') throw new Error(`the objective returned ${v === null ? 'null' : typeof v}, not a number`);
    counts.evaluations++;
    return encodeNumber(v);
  };

  const processor = async (job: Job): Promise<WireNumber | WireNumber[]> => {
    const f = await objective;
    try {
      if (job.name === TRIAL_JOB) {
        const data = job.data as { x: unknown; c: unknown };
        const v = await evaluate(f, data.x, data.c);
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
        const scratch = backend.copy(replica.params);
        try {
          const out: WireNumber[] = [];
          for (const p of decodeProbes(probes)) {
            backend.assignInPlace(replica.params, scratch);
            backend.perturbInPlace(p.direction, p.scale, scratch);
            out.push(await evaluate(f, scratch, { noiseSeed: p.noiseKey, step, shard, shards }));
          }
          counts.jobs++;
          return out;
        } finally {
          backend.dispose(scratch);
        }
      }
      throw new UnrecoverableError(`unknown job "${job.name}": run coordinator and workers with the same version of zeroth`);
    } catch (e) {
      counts.failed++;
      throw e instanceof Error ? e : new Error(String(e));
    }
  };

  const worker = new Worker(queue, processor, {
    connection,
    prefix,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    autorun: false,
  });
  worker.on('error', () => undefined);
  const started = objective.then(async () => {
    void worker.run().catch(() => undefined);
    await withTimeout(worker.waitUntilReady(), 10_000, options.redis);
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
        await worker.close().catch(() => undefined);
        redis.disconnect();
      })();
      return closing;
    },
  };
}
