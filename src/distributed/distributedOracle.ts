import { Redis } from 'ioredis';
import type { Backend } from '../backend/backend.js';
import { InvalidInput } from '../errors.js';
import { sameDirection } from '../eval/sameDirection.js';
import type { BatchOracle } from '../oracle/oracle.js';
import type { SeedLog } from '../seedLog/seedLog.js';
import type { EvalContext, Params, Probe } from '../types.js';
import { integerAtLeast } from '../validate.js';
import { queueName, redisOptions } from './_internal/connection.js';
import { JobClient, type JobStats } from './_internal/jobClient.js';
import { publishVersion, runKey, type VersionRecord } from './_internal/versions.js';
import { PROBE_JOB, decodeNumber, encodeProbes, newRunId, paramsHash, type Layout, type ProbeJob } from './_internal/wire.js';

/** Options of {@link distributedOracle}. */
export interface DistributedOracleOptions {
  /** The Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly redis: string;
  /** The BullMQ queue that the workers serve (`zeroth worker --queue NAME`, or `startWorker`). */
  readonly queue: string;
  /**
   * Data shards: every probe is evaluated on each shard `s` (the objective sees `context.shard = s`), and its
   * value is the mean over shards, `(f₀ + f₁ + … + f_{S−1}) / S` in float64, summed in shard order. With MeZO this is data-parallel MeZO: every worker
   * evaluates the same ± pair on its own shard and the projected gradient is the mean of the shards'.
   * @defaultValue 1
   */
  readonly shards?: number;
  /** Reads the parameter blocks (the optimizer's backend). @defaultValue blocks are read as Float32Array */
  readonly backend?: Backend;
  /** BullMQ key prefix (the workers must use the same). @defaultValue 'zeroth' */
  readonly prefix?: string;
  /** A job waited for longer than this is looked up in Redis (a missed answer, a lost job). @defaultValue 10000 */
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
  /** The run id (fresh for every oracle): part of every job id and Redis key. */
  readonly run: string;
  readonly stats: DistributedStats;
  /** Closes the connections; the run's keys expire in Redis after a week. */
  close(): Promise<void>;
}

/**
 * An oracle whose probes are evaluated by workers on Redis (BullMQ jobs). A job is a group of probes of one
 * antithetic pair: `(run, version, shard, step, [(direction seed, signed scale, noise seed)…])` — a few dozen
 * bytes whatever the parameter count. Workers hold the parameters of the current version, caught up from the
 * version records in Redis and checked against a fingerprint of the coordinator's values; they regenerate
 * each direction with the canonical kernels and evaluate the objective at `x + scale · direction` exactly.
 *
 * Versions: the parameters are fingerprinted at every call; new values become a new version, published as the
 * entries appended to `seedLog` since the last version (replayed by the workers with `replayInPlace`), else as
 * a snapshot of the values (4 bytes per parameter, fetched once per version by each worker). A late worker
 * catches up from the base and the entries.
 *
 * Results equal an in-process run with `restore: 'exact'` (the probe points are exact here), bit for bit, for
 * any number of workers and any failure schedule: a worker killed mid-job loses the job to another (BullMQ's
 * stalled check) and its answer is counted once; late answers are ignored; after a Redis restart the current
 * version is published again and the pending jobs are resubmitted.
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
  const read = (p: Params): Float32Array[] => p.map((b) => (options.backend !== undefined ? options.backend.read(b) : (b.data as unknown as Float32Array)));
  const run = newRunId();
  const key = runKey(prefix, queue, run);
  const redis = new Redis(redisOptions(options.redis));
  redis.on('error', () => undefined);

  let current: { version: number; hash: string; blocks: Float32Array[]; layout: Layout; record: VersionRecord } | undefined;
  // Seed-log entries already published (or older than the run on Redis).
  let consumed = 0;
  let round = 0;
  // Incremented at every reconnection: a version published across one is published again.
  let generation = 0;
  const counts = { versions: 0, snapshots: 0 };

  const publish = async (version: number, record: VersionRecord, blocks: Float32Array[], layout: Layout, withLayout: boolean): Promise<void> => {
    const header = withLayout && options.seedLog !== undefined ? options.seedLog.header() : undefined;
    await publishVersion(redis, key, version, record, record.s === 1 ? blocks : undefined, withLayout ? layout : undefined, header);
  };

  const client = await JobClient.open({
    redis: options.redis,
    queue,
    prefix,
    ...(options.checkMs === undefined ? {} : { checkMs: options.checkMs }),
    // Redis restarted: what it lost is published again — the current version as a snapshot — before the jobs.
    onReconnect: async () => {
      generation++;
      const c = current;
      if (c !== undefined) await publish(c.version, { h: c.hash, s: 1 }, c.blocks, c.layout, true);
    },
  });

  const version = async (params: Params): Promise<NonNullable<typeof current>> => {
    const blocks = read(params);
    const hash = paramsHash(blocks);
    if (current !== undefined && current.hash === hash) return current;
    const layout: Layout = params.map((b) => ({ name: b.name, shape: [...b.shape] }));
    const first = current === undefined;
    const next = current === undefined ? 0 : current.version + 1;
    const log = options.seedLog?.entries ?? [];
    const entries = log.slice(consumed);
    consumed = log.length;
    const record: VersionRecord = !first && entries.length > 0 ? { h: hash, e: entries } : { h: hash, s: 1 };
    counts.versions++;
    if (record.s === 1) counts.snapshots++;
    round = 0;
    // Current from now on, so that a reconnection publishes this version again.
    current = { version: next, hash, blocks, layout, record };
    const before = generation;
    await publish(next, record, blocks, layout, first);
    if (generation !== before) await publish(next, { h: hash, s: 1 }, blocks, layout, true);
    return current;
  };

  return {
    kind: 'batch',
    run,
    get stats() {
      return { ...client.stats, ...counts };
    },

    values() {
      throw new InvalidInput(
        'oracle',
        'the distributed oracle was asked for materialised points (it was wrapped by an adapter that hides its probeValues)',
        'Pass the oracle of distributedOracle to the optimizer directly.',
      );
    },
    async probeValues(params: Params, probes: readonly Probe[], contexts: readonly EvalContext[]): Promise<Float64Array> {
      const v = await version(params);
      const r = round++;
      // One job per antithetic pair (consecutive probes of one direction) and shard.
      const groups: number[][] = [];
      probes.forEach((p, i) => {
        const last = groups.at(-1);
        if (last !== undefined && last.length < 2 && sameDirection(probes[last[0]!]!.direction, p.direction)) last.push(i);
        else groups.push([i]);
      });
      const embedded = v.record.e !== undefined ? v.record : undefined;
      const step = contexts[0]?.step ?? 0;
      const replies = await Promise.all(
        groups.flatMap((g, gi) =>
          Array.from({ length: shards }, (_, s) => {
            const job: ProbeJob = [run, v.version, s, shards, step, encodeProbes(g.map((i) => ({ ...probes[i]!, noiseKey: contexts[i]!.noiseSeed })), g.map((_, j) => j > 0))];
            const data: unknown[] = embedded === undefined ? job : [...job, embedded];
            return client.run(PROBE_JOB, data, `${run}.${v.version}.${r}.${gi}.${s}`) as Promise<unknown[]>;
          }),
        ),
      );
      const values = new Float64Array(probes.length);
      groups.forEach((g, gi) => {
        g.forEach((i, j) => {
          let sum = decodeNumber(replies[gi * shards]![j]);
          for (let s = 1; s < shards; s++) sum += decodeNumber(replies[gi * shards + s]![j]);
          values[i] = shards === 1 ? sum : sum / shards;
        });
      });
      return values;
    },
    async close() {
      await client.close();
      redis.disconnect();
    },
  };
}
