import { Queue, QueueEvents, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { InvalidInput } from '../../errors.js';
import { bullConnection, redisOptions } from './connection.js';

/** Counters of a coordinator's jobs. */
export interface JobStats {
  /** Jobs submitted (each distinct job once). */
  readonly submitted: number;
  /** Jobs that came back with a result (each counted once). */
  readonly completed: number;
  /** Jobs that came back failed (the objective threw, or the job stalled too often). */
  readonly failed: number;
  /** Answers that matched no job waited for: duplicates, late answers, other coordinators' jobs. */
  readonly ignored: number;
  /** Jobs submitted again after Redis lost them (a restart) or an answer went missing. */
  readonly resubmitted: number;
  /** Jobs taken back from a worker that died or stopped renewing its lock (BullMQ's stalled check). */
  readonly stalled: number;
  /** Results taken by looking the job up (its answer event was missed), not from the event stream. */
  readonly lookedUp: number;
  /** zeroth's own bytes: the JSON of every job's data as submitted and of every result taken (not BullMQ's). */
  readonly payloadBytes: number;
}

interface Waiting {
  readonly name: string;
  readonly data: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  addedAt: number;
}

/** Options of {@link JobClient}. */
export interface JobClientOptions {
  readonly redis: string;
  readonly queue: string;
  /** BullMQ key prefix. @defaultValue 'zeroth' */
  readonly prefix?: string;
  /** Pending jobs older than this are looked up in Redis (missed answers, lost jobs). @defaultValue 10000 */
  readonly checkMs?: number;
  /** Called after a reconnection, before the pending jobs are submitted again (to publish what Redis lost). */
  readonly onReconnect?: () => Promise<void>;
}

/**
 * The coordinator's side of a BullMQ queue: submits jobs under deterministic ids and resolves each with its
 * result exactly once. Answers arrive through the queue's event stream; an answer for a job not waited for is
 * ignored and counted. After Redis restarts (the connection becomes ready again), every pending job is
 * submitted again under the same id: BullMQ keeps one job per id, so nothing runs twice while Redis still
 * has it, and nothing is lost when it does not.
 */
export class JobClient {
  readonly queue: Queue;
  readonly events: QueueEvents;
  private readonly pending = new Map<string, Waiting>();
  private readonly counts = { submitted: 0, completed: 0, failed: 0, ignored: 0, resubmitted: 0, stalled: 0, lookedUp: 0, payloadBytes: 0 };
  private readonly checkMs: number;
  private readonly onReconnect: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly client: Redis;

  private constructor(options: JobClientOptions) {
    const prefix = options.prefix ?? 'zeroth';
    // The queue's connection is ours, so that a reconnection (Redis restarted) can be seen.
    this.client = new Redis(redisOptions(options.redis));
    this.client.on('error', () => undefined);
    this.queue = new Queue(options.queue, { connection: this.client as unknown as ConnectionOptions, prefix });
    this.events = new QueueEvents(options.queue, { connection: bullConnection(options.redis), prefix });
    this.checkMs = options.checkMs ?? 10_000;
    this.onReconnect = options.onReconnect;
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, true, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, false, failedReason));
    this.events.on('duplicated', ({ jobId }) => void this.lookUp(jobId));
    this.events.on('stalled', ({ jobId }) => {
      if (this.pending.has(jobId)) this.counts.stalled++;
    });
    this.queue.on('error', () => undefined);
    this.events.on('error', () => undefined);
  }

  /** Connects (resolves once Redis answered). */
  static async open(options: JobClientOptions): Promise<JobClient> {
    const c = new JobClient(options);
    try {
      await withTimeout(Promise.all([c.queue.waitUntilReady(), c.events.waitUntilReady()]), CONNECT_MS, options.redis);
      c.client.on('ready', c.onReady);
      c.timer = setInterval(() => c.sweep(), Math.max(250, Math.min(c.checkMs, 5000)));
      c.timer.unref();
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  get stats(): JobStats {
    return { ...this.counts };
  }

  /** Jobs waited for. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Submits a job and resolves with its result (rejects with its failure reason, or the signal's reason). */
  run(name: string, data: unknown, jobId: string, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the job client is closed'));
    if (this.pending.has(jobId)) return Promise.reject(new Error(`job ${jobId} is already waited for`));
    return new Promise<unknown>((resolve, reject) => {
      if (signal?.aborted) return reject(reason(signal));
      const onAbort = (): void => {
        if (this.pending.delete(jobId)) {
          reject(reason(signal!));
          this.queue.remove(jobId).catch(() => undefined);
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(jobId, {
        name,
        data,
        addedAt: Date.now(),
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
      });
      this.counts.submitted++;
      this.add(jobId);
    });
  }

  /** Closes the queue and the event stream; pending jobs are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.client.off('ready', this.onReady);
    for (const [id, w] of this.pending) {
      this.pending.delete(id);
      w.reject(new Error('the job client was closed'));
    }
    // Closing waits for Redis; when it is gone, give up after a second.
    await withTimeout(Promise.allSettled([this.events.close(), this.queue.close()]), 1000, '').catch(() => undefined);
    this.client.disconnect();
    void this.events.disconnect().catch(() => undefined);
  }

  private add(jobId: string): void {
    const w = this.pending.get(jobId);
    if (w === undefined) return;
    w.addedAt = Date.now();
    this.counts.payloadBytes += Buffer.byteLength(JSON.stringify(w.data));
    this.queue
      .add(w.name, w.data, { jobId, attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } })
      .catch((e: unknown) => {
        // The connection dropped mid-command: onReady submits it again.
        if (this.closed) return;
        if (!/Connection|closed|ECONN|EPIPE/i.test(String(e))) this.settle(jobId, false, `could not submit the job: ${String(e)}`);
      });
  }

  private settle(jobId: string, ok: boolean, result: unknown): void {
    const w = this.pending.get(jobId);
    if (w === undefined) {
      this.counts.ignored++;
      return;
    }
    this.pending.delete(jobId);
    if (ok) {
      this.counts.completed++;
      this.counts.payloadBytes += Buffer.byteLength(JSON.stringify(result) ?? '');
      w.resolve(result);
    } else {
      this.counts.failed++;
      w.reject(new Error(typeof result === 'string' ? result : 'the job failed'));
    }
  }

  /** A job that already existed, or whose answer may have been missed: take its result if it has one. */
  private async lookUp(jobId: string): Promise<void> {
    if (!this.pending.has(jobId) || this.closed) return;
    let job: Job | undefined;
    try {
      job = await this.queue.getJob(jobId);
    } catch {
      return;
    }
    if (!this.pending.has(jobId)) return;
    if (job === undefined) {
      this.counts.resubmitted++;
      this.add(jobId);
      return;
    }
    if (job.finishedOn !== undefined && job.finishedOn > 0) {
      this.counts.lookedUp++;
      if (job.failedReason !== undefined && job.failedReason !== '' && job.returnvalue == null) this.settle(jobId, false, job.failedReason);
      else this.settle(jobId, true, job.returnvalue);
    } else {
      const w = this.pending.get(jobId);
      if (w !== undefined) w.addedAt = Date.now();
    }
  }

  private readonly onReady = (): void => {
    // Every 'ready' after open is a reconnection: Redis may have lost every job. Submit the pending ones again.
    void (async () => {
      if (this.onReconnect !== undefined) await this.onReconnect().catch(() => undefined);
      for (const id of this.pending.keys()) {
        this.counts.resubmitted++;
        this.add(id);
      }
    })();
  };

  private sweep(): void {
    const now = Date.now();
    for (const [id, w] of this.pending) if (now - w.addedAt > this.checkMs) void this.lookUp(id);
  }
}

function reason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error('aborted');
}

/** How long opening waits for Redis, in ms. */
const CONNECT_MS = 10_000;

/** Rejects with a clear error when Redis does not answer within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, url: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InvalidInput('redis', `no Redis server answered at ${url} within ${ms / 1000} s`, 'Start redis-server there (or pass the right --redis URL).')),
      ms,
    );
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
