import { Redis } from 'ioredis';
import type { SeedLogHeader } from '../../seedLog/seedLog.js';
import type { Probe } from '../../types.js';
import { redisOptions } from './connection.js';
import { JobClient, type JobStats } from './jobClient.js';
import type { ProbeTransport } from './probeTransport.js';
import type { Version } from './versionTracker.js';
import { publishVersion, runKey, type VersionRecord } from './versions.js';
import { PROBE_JOB, decodeNumber, encodeProbes, type ProbeJob } from './wire.js';

/** Options of {@link BullmqTransport.open}. */
export interface BullmqTransportOptions {
  readonly redis: string;
  readonly queue: string;
  readonly prefix: string;
  readonly shards: number;
  readonly checkMs?: number;
  readonly run: string;
  /** The header of the run's seed log (published with the first version, for workers that replay entries). */
  readonly header: SeedLogHeader | undefined;
}

/**
 * Probes as BullMQ jobs: one job per probe group and shard, `[run, version, shard, shards, step, probes, record?]`.
 * A version is published in the run's Redis hash (seed-log entries, or a snapshot) before its first job, and the
 * newest version's record rides in the jobs. After a reconnection the current version is published again as a
 * snapshot and the pending jobs are submitted again under the same ids.
 */
export class BullmqTransport implements ProbeTransport {
  private current: Version | undefined;
  private round = 0;
  // Incremented at every reconnection: a version published across one is published again.
  private generation = 0;

  private readonly options: BullmqTransportOptions;
  private readonly redis: Redis;
  private client: JobClient | undefined;

  private constructor(options: BullmqTransportOptions, redis: Redis) {
    this.options = options;
    this.redis = redis;
  }

  static async open(options: BullmqTransportOptions): Promise<BullmqTransport> {
    const redis = new Redis(redisOptions(options.redis));
    redis.on('error', () => undefined);
    const t = new BullmqTransport(options, redis);
    try {
      t.client = await JobClient.open({
        redis: options.redis,
        queue: options.queue,
        prefix: options.prefix,
        ...(options.checkMs === undefined ? {} : { checkMs: options.checkMs }),
        // Redis restarted: what it lost is published again — the current version as a snapshot — before the jobs.
        onReconnect: async () => {
          t.generation++;
          const c = t.current;
          if (c !== undefined) await t.publish(c, { h: c.hash, s: 1 }, true);
        },
      });
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    return t;
  }

  get stats(): JobStats {
    return this.client!.stats;
  }

  private async publish(v: Version, record: VersionRecord, withLayout: boolean): Promise<void> {
    const key = runKey(this.options.prefix, this.options.queue, this.options.run);
    const header = withLayout ? this.options.header : undefined;
    await publishVersion(this.redis, key, v.version, record, record.s === 1 ? v.blocks : undefined, withLayout ? v.layout : undefined, header);
  }

  async run(v: Version, isNew: boolean, probes: readonly Probe[], groups: readonly (readonly number[])[], step: number): Promise<Float64Array[]> {
    if (isNew) {
      this.round = 0;
      // Current from now on, so that a reconnection publishes this version again.
      this.current = v;
      const before = this.generation;
      await this.publish(v, v.record, v.version === 0);
      if (this.generation !== before) await this.publish(v, { h: v.hash, s: 1 }, true);
    }
    const r = this.round++;
    const run = this.options.run;
    const shards = this.options.shards;
    const embedded = v.record.e !== undefined ? v.record : undefined;
    return Promise.all(
      groups.flatMap((g, gi) =>
        Array.from({ length: shards }, async (_, s) => {
          const job: ProbeJob = [run, v.version, s, shards, step, encodeProbes(g.map((i) => probes[i]!), g.map((_, j) => j > 0))];
          const data: unknown[] = embedded === undefined ? job : [...job, embedded];
          const reply = (await this.client!.run(PROBE_JOB, data, `${run}.${v.version}.${r}.${gi}.${s}`)) as unknown[];
          return Float64Array.from(g, (_, j) => decodeNumber(reply[j]));
        }),
      ),
    );
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.redis.disconnect();
  }
}
