import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Backend } from '../../../backend/backend.js';
import { replayInPlace } from '../../../replayInPlace.js';
import type { SeedLogHeader } from '../../../seedLog/seedLog.js';
import type { Params, Probe } from '../../../types.js';
import type { ShardContext } from '../../startWorker.js';
import { redisOptions } from '../connection.js';
import { evaluateAt } from '../evaluateAt.js';
import { withTimeout } from '../jobClient.js';
import { probeGroups } from '../probeGroups.js';
import { ReplicaDiverged } from '../versions.js';
import { paramsFromBytes, paramsHash, type Layout } from '../wire.js';
import { ByteReader, malformed } from './bytes.js';
import { FUNCTION, isMissingFunction, loadLibrary } from './library.js';
import { leanKeys, parseControl, type ControlMessage, type LeanKeys, type SnapshotMeta } from './keys.js';
import { KIND_AGAIN, KIND_END, KIND_ROUND, RoundCodec, encodeAnswer } from './roundCodec.js';

/** Options of {@link LeanServer}. */
export interface LeanServerOptions {
  readonly redis: string;
  readonly queue: string;
  readonly prefix: string;
  readonly lockMs: number;
  readonly concurrency: number;
  readonly backend: Backend;
  /** The objective (checked and counted by the caller). */
  readonly objective: (x: Params, context: ShardContext) => Promise<number>;
  /** Counters shared with the worker: tasks answered, failed, versions caught up. */
  readonly counts: { jobs: number; failed: number; versions: number };
  /** Called when a BullMQ client of the queue says that jobs are coming. */
  readonly onJobs?: () => void;
}

interface Run {
  readonly handle: string;
  readonly base: string;
  shards: number;
  header: SeedLogHeader | undefined;
  codec: RoundCodec;
  params: Params | undefined;
  hash: string | undefined;
  /** The last round decoded (−1: none). */
  round: number;
  probes: readonly Probe[];
  groups: number[][];
  step: number;
  assignment: number[];
  /** This worker's answers to the round (sent again when the coordinator asks). */
  answers: Map<number, Buffer>;
  /** Round messages may have been missed (the channel was disconnected): catch up from the log first. */
  stale: boolean;
  chain: Promise<void>;
}

/** A live round message that does not fit the replica: catch up from the log instead. */
class Resync extends Error {}

/**
 * A worker's side of the lean transport for one queue: listens for the queue's runs, holds a replica of each
 * run's parameters (from the run's snapshot, then the seed-log entries of every round message, checked against
 * the coordinator's fingerprint), evaluates the tasks the coordinator assigns to it and answers through the
 * run's Redis function. A heartbeat key (expiring after `lockMs`) tells the coordinator that it is alive.
 */
export class LeanServer {
  readonly id = randomInt(1, 2 ** 32);
  private readonly keys: LeanKeys;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly runs = new Map<string, Run>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private started = false;

  private readonly options: LeanServerOptions;

  constructor(options: LeanServerOptions) {
    this.options = options;
    this.keys = leanKeys(options.prefix, options.queue);
    this.cmd = new Redis(redisOptions(options.redis));
    this.sub = new Redis(redisOptions(options.redis));
    this.cmd.on('error', () => undefined);
    this.sub.on('error', () => undefined);
    // Messages published while the channel was down are lost: every replica catches up from the log first.
    this.sub.on('close', () => {
      for (const run of this.runs.values()) run.stale = true;
    });
  }

  async start(): Promise<void> {
    await withTimeout(Promise.all([this.cmd.ping(), this.sub.ping()]), 10_000, this.options.redis);
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString('latin1'), message));
    await this.sub.subscribe(this.keys.control);
    await this.announce();
    const runs = await this.cmd.hkeys(this.keys.runs);
    await Promise.all(runs.map((h) => this.join(h)));
    // Renewed at half its lifetime, as BullMQ renews its locks.
    this.timer = setInterval(() => void this.beat().catch(() => undefined), Math.max(30, Math.floor(this.options.lockMs / 2)));
    this.timer.unref();
    this.cmd.on('ready', this.onReconnect);
    this.started = true;
  }

  /** Finishes the tasks in hand, then leaves. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.cmd.off('ready', this.onReconnect);
    await Promise.allSettled([...this.runs.values()].map((r) => r.chain));
    if (this.started) {
      const bye = JSON.stringify({ t: 'bye', w: this.id } satisfies ControlMessage);
      await withTimeout(this.cmd.multi().srem(this.keys.workers, String(this.id)).del(this.keys.heartbeat(this.id)).publish(this.keys.control, bye).exec(), 1000, '').catch(
        () => undefined,
      );
    }
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  /** Registers this worker, starts its heartbeat and says hello to the queue's coordinators. */
  private async announce(): Promise<void> {
    await this.cmd
      .multi()
      .sadd(this.keys.workers, String(this.id))
      .set(this.keys.heartbeat(this.id), String(this.options.lockMs), 'PX', this.options.lockMs)
      .publish(this.keys.control, JSON.stringify({ t: 'hello', w: this.id, lock: this.options.lockMs } satisfies ControlMessage))
      .exec();
  }

  /** Renews the heartbeat; if it had lapsed (a long evaluation, Redis restarted), says hello again. */
  private async beat(): Promise<void> {
    if (this.closed) return;
    const before = await this.cmd.set(this.keys.heartbeat(this.id), String(this.options.lockMs), 'PX', this.options.lockMs, 'GET');
    if (before === null) await this.announce();
  }

  private readonly onReconnect = (): void => {
    if (this.closed) return;
    void (async () => {
      await this.announce();
      const runs = await this.cmd.hkeys(this.keys.runs);
      await Promise.all(runs.map((h) => this.join(h)));
    })().catch(() => undefined);
  };

  private async join(handle: string): Promise<void> {
    if (this.closed || this.runs.has(handle)) return;
    const base = this.keys.base(handle);
    const [shards, header] = await this.cmd.hmget(base, 'S', 'hdr');
    if (shards === null || shards === undefined) {
      // A run whose coordinator died without closing it.
      await this.cmd.hdel(this.keys.runs, handle);
      return;
    }
    if (this.runs.has(handle)) return;
    const run: Run = {
      handle,
      base,
      shards: Number(shards),
      header: header === null || header === undefined ? undefined : (JSON.parse(header) as SeedLogHeader),
      codec: new RoundCodec(),
      params: undefined,
      hash: undefined,
      round: -1,
      probes: [],
      groups: [],
      step: 0,
      assignment: [],
      answers: new Map(),
      stale: false,
      chain: Promise.resolve(),
    };
    this.runs.set(handle, run);
    await this.sub.subscribe(handle);
    await this.cmd.publish(this.keys.control, JSON.stringify({ t: 'hello', w: this.id, lock: this.options.lockMs, h: handle } satisfies ControlMessage));
  }

  private leave(handle: string): void {
    if (!this.runs.delete(handle)) return;
    void this.sub.unsubscribe(handle).catch(() => undefined);
  }

  private onMessage(channel: string, message: Buffer): void {
    if (channel === this.keys.control) {
      const m = parseControl(message.toString());
      if (m?.t === 'run') void this.join(m.h).catch(() => undefined);
      else if (m?.t === 'end') this.leave(m.h);
      else if (m?.t === 'jobs') this.options.onJobs?.();
      return;
    }
    const run = this.runs.get(channel);
    if (run === undefined || message.length === 0) return;
    run.chain = run.chain
      .then(async () => {
        const before = run.hash;
        await this.handle(run, message);
        if (run.hash !== before && run.hash !== undefined) this.options.counts.versions++;
      })
      .catch(() => this.reset(run));
  }

  /** Forgets a replica that could not follow (it starts again from the snapshot at the next message). */
  private reset(run: Run): void {
    run.params = undefined;
    run.hash = undefined;
    run.round = -1;
    run.codec = new RoundCodec();
  }

  private async handle(run: Run, buf: Buffer): Promise<void> {
    const ctl = buf[0]!;
    const kind = ctl & 3;
    if (kind === KIND_END) return this.leave(run.handle);
    const explicit = (ctl & 4) !== 0 ? new ByteReader(buf, 1).varint() : undefined;
    const synced = run.params !== undefined && !run.stale;
    if (kind === KIND_ROUND) {
      const self = (ctl & 64) !== 0;
      // A round without its number is the one after the last: known only to a replica that missed nothing.
      let round = explicit ?? (synced ? run.round + 1 : undefined);
      const again = round === run.round;
      if (round !== undefined && (round < run.round || (again && !self))) return;
      if (self || (synced && run.round === round! - 1)) {
        try {
          await this.apply(run, buf, round!, true);
        } catch (e) {
          if (!(e instanceof Resync)) throw e;
          round = roundOf(await this.catchUp(run), buf);
        }
      } else {
        round = roundOf(await this.catchUp(run), buf) ?? explicit;
      }
      if (round !== undefined && run.round === round) await this.work(run, again);
      return;
    }
    if (kind !== KIND_AGAIN || explicit === undefined) throw malformed('an unknown kind of message');
    if (synced && explicit < run.round) return;
    if (!synced || explicit > run.round) await this.catchUp(run);
    if (run.round !== explicit) return;
    const m = run.codec.decode(buf);
    if (m.assignment !== undefined) run.assignment = [...m.assignment];
    await this.work(run, m.assignment === undefined);
  }

  /**
   * Applies one round message to the replica. A live message (from the channel) whose entries do not give the
   * coordinator's fingerprint throws {@link Resync}: the replica starts again from the snapshot and the log; one
   * from the log that does not is a replica that cannot follow (different kernels): its tasks fail.
   */
  private async apply(run: Run, buf: Buffer, round: number, live = false): Promise<void> {
    const m = run.codec.decode(buf);
    try {
      const v = m.version;
      if (v !== undefined) {
        if (v.snapshot) {
          if (run.hash === undefined || !run.hash.startsWith(v.fingerprint)) {
            const meta = await this.loadSnapshot(run);
            if (!meta.hash.startsWith(v.fingerprint)) throw new Error('the snapshot in Redis is not the one of this round');
          }
        } else {
          const entries = v.entries ?? [];
          if (run.params === undefined || run.header === undefined) throw new Error('no replica or seed-log header to replay the entries on');
          if (entries.length > 0) replayInPlace(run.params, { ...run.header, start: entries[0]!.step, entries }, { backend: this.options.backend });
          run.hash = paramsHash(run.params.map((b) => this.options.backend.read(b)));
          if (!run.hash.startsWith(v.fingerprint)) throw new ReplicaDiverged(run.handle, round, v.fingerprint, run.hash);
        }
      }
    } catch (e) {
      this.reset(run);
      if (live && e instanceof ReplicaDiverged) throw new Resync();
      // A replica that is not bit-identical must not answer: its tasks fail, and with them the coordinator's step.
      if (e instanceof ReplicaDiverged) {
        const tasks = probeGroups(m.probes ?? []).length * run.shards;
        const ids = m.assignment ?? run.assignment;
        for (let t = 0; t < Math.min(tasks, ids.length); t++) if (ids[t] === this.id) await this.send(encodeAnswer(run.handle, t, round, e.message));
      }
      throw e;
    }
    if (round !== run.round) run.answers = new Map();
    run.round = round;
    run.probes = m.probes ?? [];
    run.step = m.step ?? 0;
    run.groups = probeGroups(run.probes);
    if (m.assignment !== undefined) run.assignment = [...m.assignment];
  }

  /**
   * Brings the replica to the newest round of the log — from where it is, else from the run's snapshot — and
   * returns the round messages it applied.
   */
  private async catchUp(run: Run): Promise<[number, Buffer][]> {
    if (run.params !== undefined && run.round >= 0) {
      const rounds = await this.log(run, run.round + 1);
      if (rounds.length === 0 || rounds[0]![0] === run.round + 1) {
        for (const [round, msg] of rounds) await this.apply(run, msg, round);
        run.stale = false;
        return rounds;
      }
    }
    const meta = await this.loadSnapshot(run);
    run.codec = new RoundCodec();
    run.round = meta.round - 1;
    const rounds = await this.log(run, meta.round);
    if (rounds[0]?.[0] !== meta.round) throw new Error(`the log of run ${run.handle} does not start at its snapshot`);
    for (const [round, msg] of rounds) await this.apply(run, msg, round);
    run.stale = false;
    return rounds;
  }

  /** The run's round messages from `from` on: the last message of each round, in order. */
  private async log(run: Run, from: number): Promise<[number, Buffer][]> {
    const entries = await this.cmd.xrangeBuffer(`${run.base}:l`, String(from), '+');
    const last = new Map<number, Buffer>();
    for (const [id, fields] of entries) last.set(Number(id.toString().split('-')[0]), fields[1]!);
    return [...last].sort((a, b) => a[0] - b[0]);
  }

  /** Loads the run's snapshot (waiting up to 10 s for the coordinator to write it). */
  private async loadSnapshot(run: Run): Promise<SnapshotMeta> {
    const end = Date.now() + 10_000;
    for (;;) {
      const res = await this.cmd.multi().hmget(run.base, 'snap', 'lay', 'hdr', 'S').getBuffer(`${run.base}:s`).exec();
      const [snap, lay, hdr, shards] = (res?.[0]?.[1] as (string | null)[]) ?? [];
      const bytes = res?.[1]?.[1] as Buffer | null;
      if (snap && lay && bytes) {
        const meta = JSON.parse(snap) as SnapshotMeta;
        const params = paramsFromBytes(JSON.parse(lay) as Layout, bytes);
        const hash = paramsHash(params.map((b) => b.data as Float32Array));
        if (hash === meta.hash) {
          run.params = params;
          run.hash = hash;
          if (hdr) run.header = JSON.parse(hdr) as SeedLogHeader;
          if (shards) run.shards = Number(shards);
          return meta;
        }
      }
      if (Date.now() > end || this.closed) throw new Error(`run ${run.handle} has no snapshot in Redis`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Evaluates this worker's tasks of the round (or sends its answers again, when asked to). */
  private async work(run: Run, resend: boolean): Promise<void> {
    const tasks = run.groups.length * run.shards;
    const todo: number[] = [];
    run.assignment.forEach((id, t) => {
      if (id !== this.id || t >= tasks) return;
      const cached = run.answers.get(t);
      if (cached === undefined) todo.push(t);
      else if (resend) void this.send(cached);
    });
    const round = run.round;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < todo.length) {
        const t = todo[next++]!;
        const payload = await this.answer(run, t, round);
        run.answers.set(t, payload);
        await this.send(payload);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, todo.length) }, lane));
  }

  private async answer(run: Run, task: number, round: number): Promise<Buffer> {
    const group = run.groups[Math.floor(task / run.shards)]!;
    try {
      const values = await evaluateAt(this.options.backend, run.params!, group.map((i) => run.probes[i]!), this.options.objective, run.step, task % run.shards, run.shards);
      this.options.counts.jobs++;
      return encodeAnswer(run.handle, task, round, values);
    } catch (e) {
      this.options.counts.failed++;
      return encodeAnswer(run.handle, task, round, e instanceof Error ? e.message : String(e));
    }
  }

  private async send(payload: Buffer): Promise<void> {
    try {
      await this.cmd.fcall(FUNCTION, 0, payload);
    } catch (e) {
      if (!isMissingFunction(e)) return;
      await loadLibrary(this.cmd, this.options.redis).catch(() => undefined);
      await this.cmd.fcall(FUNCTION, 0, payload).catch(() => undefined);
    }
  }
}

/** The round of a live message among those applied from the log (the same bytes were logged and published). */
function roundOf(applied: readonly [number, Buffer][], message: Buffer): number | undefined {
  for (let i = applied.length - 1; i >= 0; i--) if (applied[i]![1].equals(message)) return applied[i]![0];
  return undefined;
}
