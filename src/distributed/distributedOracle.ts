import type { Backend } from '../backend/backend.js';
import { InvalidHyperparameter, InvalidInput } from '../errors.js';
import type { BatchOracle } from '../oracle/oracle.js';
import type { SeedLog } from '../seedLog/seedLog.js';
import type { EvalContext, Params, Probe } from '../types.js';
import { integerAtLeast } from '../validate.js';
import { BullmqTransport } from './_internal/bullmqTransport.js';
import { queueName, redisOptions } from './_internal/connection.js';
import type { JobStats } from './_internal/jobClient.js';
import { LeanCoordinator } from './_internal/lean/leanCoordinator.js';
import { probeGroups } from './_internal/probeGroups.js';
import type { ProbeTransport } from './_internal/probeTransport.js';
import { VersionTracker } from './_internal/versionTracker.js';
import { newRunId } from './_internal/wire.js';

/** Options of {@link distributedOracle}. */
export interface DistributedOracleOptions {
  /** The Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly redis: string;
  /** The queue that the workers serve (`zeroth worker --queue NAME`, or `startWorker`). */
  readonly queue: string;
  /**
   * How probes reach the workers. `'lean'`: one broadcast per round through a Redis function (Redis ≥ 7),
   * tens of bytes per worker, answers aggregated in Redis — about 190 bytes on the wire per worker per MeZO step
   * with 2 workers, 160 with 4.
   * `'bullmq'`: one BullMQ job per probe group and shard — about 4 KB per worker per step, but any Redis BullMQ
   * runs on, no server-side function, and every probe an inspectable job. The workers serve both.
   * @defaultValue 'lean'
   */
  readonly transport?: 'lean' | 'bullmq';
  /**
   * Data shards: every probe is evaluated on each shard `s` (the objective sees `context.shard = s`), and its
   * value is the mean over shards, `(f₀ + f₁ + … + f_{S−1}) / S` in float64, summed in shard order. With MeZO this
   * is data-parallel MeZO: every worker evaluates the same ± pair on its own shard and the projected gradient is
   * the mean of the shards'.
   * @defaultValue 1
   */
  readonly shards?: number;
  /** Reads the parameter blocks (the optimizer's backend). @defaultValue blocks are read as Float32Array */
  readonly backend?: Backend;
  /** Key prefix (the workers must use the same). @defaultValue 'zeroth' */
  readonly prefix?: string;
  /**
   * A round (lean) or job (bullmq) waited for longer than this is looked up in Redis and sent again (a missed
   * answer, a lost message). @defaultValue 10000
   */
  readonly checkMs?: number;
  /**
   * The run's seed log, appended after every step (`log.append(state.step, result.writes)`): a new version is
   * then published as the log's new entries — seeds and coefficients — and the workers replay them with
   * `replayInPlace`. Without it (or when no entry was appended), a new version is published as a snapshot of
   * the values (4 bytes per parameter, fetched once per version by each worker).
   */
  readonly seedLog?: SeedLog;
}

/** Counters of a {@link DistributedOracle}. */
export interface DistributedStats extends JobStats {
  /** Parameter versions published. */
  readonly versions: number;
  /** Of which published as full snapshots (the others as seed-log entries). */
  readonly snapshots: number;
}

/** The oracle of {@link distributedOracle}: a batch oracle that ships probe descriptions to workers. */
export interface DistributedOracle extends BatchOracle<Params> {
  /** The run's id (fresh for every oracle): the lean transport's 3-character handle, or the BullMQ job-id prefix. */
  readonly run: string;
  readonly transport: 'lean' | 'bullmq';
  /**
   * Counters. A task is one probe group (an antithetic pair, or a lone probe) on one shard: `submitted`,
   * `completed` and `failed` count tasks (BullMQ: jobs); `stalled` counts tasks taken from a worker that died.
   */
  readonly stats: DistributedStats;
  /** Closes the connections; the lean transport deletes the run's keys, BullMQ's expire after a week. */
  close(): Promise<void>;
}

/**
 * An oracle whose probes are evaluated by workers on Redis. A probe travels as its description — parameter
 * version, direction seed, signed scale, noise seed — a few dozen bytes whatever the parameter count. Workers
 * hold the parameters of the current version, caught up from the run's records in Redis and checked against a
 * fingerprint of the coordinator's values; they regenerate each direction with the canonical kernels and
 * evaluate the objective at `x + scale · direction` exactly.
 *
 * Transports: `'lean'` (default) broadcasts one binary message per round (call) on the run's channel through a
 * Redis function that also appends it to the run's log stream; the coordinator assigns the tasks (group ×
 * shard) to the live workers, and the function counts each task's first answer and sends the coordinator all
 * values at once. `'bullmq'` submits one BullMQ job per task.
 *
 * Versions: the parameters are fingerprinted at every call; new values become a new version, published as the
 * entries appended to `seedLog` since the last version (replayed by the workers with `replayInPlace`), else as
 * a snapshot of the values (4 bytes per parameter, fetched once per version by each worker). A late worker
 * catches up from the newest snapshot and the entries after it.
 *
 * Results equal an in-process run with `restore: 'exact'` (the probe points are exact here), bit for bit, for
 * any number of workers and any failure schedule: a worker killed mid-task loses the task to another (lean: its
 * heartbeat lapses after its lock time; bullmq: the stalled-job check) and the task is counted once; duplicate
 * and late answers are ignored and counted; after a Redis restart the current version is published again (as a
 * snapshot) and the pending tasks are sent again.
 *
 * Queries: one per probe (the shards of a probe are one query). Works with every value estimator; `batch`
 * points without descriptions (wrapped oracles) are refused.
 *
 * @example
 * ```ts
 * import { distributedOracle } from 'zeroth/distributed';
 * const seedLog = createSeedLog(params);
 * const oracle = await distributedOracle({ redis: 'redis://127.0.0.1:6379', queue: 'mezo', shards: 4, seedLog });
 * const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(1e-4) });
 * let state = opt.init(params, 42);
 * for (let k = 0; k < 100; k++) {
 *   const r = await opt.step(params, oracle, state);
 *   seedLog.append(state.step, r.writes);
 *   state = r.state;
 * }
 * await oracle.close();
 * ```
 */
export async function distributedOracle(options: DistributedOracleOptions): Promise<DistributedOracle> {
  redisOptions(options.redis);
  const queue = queueName(options.queue);
  const shards = integerAtLeast('shards', options.shards ?? 1, 1);
  const prefix = options.prefix ?? 'zeroth';
  const transport = options.transport ?? 'lean';
  if (transport !== 'lean' && transport !== 'bullmq') throw new InvalidHyperparameter('transport', transport, "must be 'lean' or 'bullmq'");
  const checkMs = integerAtLeast('checkMs', options.checkMs ?? 10_000, 50);
  const header = options.seedLog?.header();
  const tracker = new VersionTracker(options.backend, options.seedLog);
  let t: ProbeTransport;
  let run: string;
  if (transport === 'lean') {
    const lean = await LeanCoordinator.open({ redis: options.redis, queue, prefix, shards, checkMs, header });
    t = lean;
    run = lean.handle;
  } else {
    run = newRunId();
    t = await BullmqTransport.open({ redis: options.redis, queue, prefix, shards, checkMs, header, run });
  }

  return {
    kind: 'batch',
    run,
    transport,
    get stats() {
      return { ...t.stats, ...tracker.counts };
    },

    values() {
      throw new InvalidInput(
        'oracle',
        'the distributed oracle was asked for materialised points (it was wrapped by an adapter that hides its probeValues)',
        'Pass the oracle of distributedOracle to the optimizer directly.',
      );
    },
    async probeValues(params: Params, probes: readonly Probe[], contexts: readonly EvalContext[]): Promise<Float64Array> {
      const { version, isNew } = tracker.next(params);
      const described = probes.map((p, i) => ({ ...p, noiseKey: contexts[i]!.noiseSeed }));
      const groups = probeGroups(described);
      const perTask = await t.run(version, isNew, described, groups, contexts[0]?.step ?? 0);
      // The value of a probe: the mean over shards, summed in shard order in float64.
      const values = new Float64Array(probes.length);
      groups.forEach((g, gi) => {
        g.forEach((i, j) => {
          let sum = perTask[gi * shards]![j]!;
          for (let s = 1; s < shards; s++) sum += perTask[gi * shards + s]![j]!;
          values[i] = shards === 1 ? sum : sum / shards;
        });
      });
      return values;
    },
    close: () => t.close(),
  };
}
