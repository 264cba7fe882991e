import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SeedLogHeader } from '../../../seedLog/seedLog.js';
import type { Probe } from '../../../types.js';
import { redisOptions } from '../connection.js';
import { withTimeout, type JobStats } from '../jobClient.js';
import type { ProbeTransport } from '../probeTransport.js';
import type { Version } from '../versionTracker.js';
import { paramsBytes } from '../wire.js';
import { ByteReader } from './bytes.js';
import { FUNCTION, HANDLE_LENGTH, LEAN_TTL, handleKey, isMissingFunction, loadLibrary } from './library.js';
import { leanKeys, parseControl, type ControlMessage, type LeanKeys, type SnapshotMeta } from './keys.js';
import { RoundCodec, type RoundMessage } from './roundCodec.js';

/** Options of {@link LeanCoordinator.open}. */
export interface LeanCoordinatorOptions {
  readonly redis: string;
  readonly queue: string;
  readonly prefix: string;
  readonly shards: number;
  /** A round unanswered for this long is broadcast again (a message may have been lost). */
  readonly checkMs: number;
  /** The header of the run's seed log, for workers that replay its entries. */
  readonly header: SeedLogHeader | undefined;
}

interface Member {
  readonly id: number;
  lockMs: number;
}

interface Pending {
  readonly round: number;
  readonly tasks: number;
  /** Values per task. */
  readonly sizes: readonly number[];
  readonly version: Version;
  readonly probes: readonly Probe[];
  readonly step: number;
  readonly resolve: (values: Float64Array[]) => void;
  readonly reject: (error: Error) => void;
  lastSent: number;
  timer?: NodeJS.Timeout;
}

const UNASSIGNED = 0;

/**
 * The coordinator's side of the lean transport: one broadcast per round through the run's Redis function (which
 * logs it and publishes it on the run's channel), one aggregate back when every task has its answer. Tasks are
 * assigned to the live workers; a worker whose heartbeat lapses loses its unanswered tasks to others; a round
 * unanswered for `checkMs` is broadcast again; when Redis lost the run (a restart), the current version is
 * written again as a snapshot and the round is broadcast again in full.
 */
export class LeanCoordinator implements ProbeTransport {
  private readonly counts = { submitted: 0, completed: 0, failed: 0, ignored: 0, resubmitted: 0, stalled: 0, lookedUp: 0, payloadBytes: 0 };
  private readonly codec = new RoundCodec();
  private readonly keys: LeanKeys;
  private members: Member[] = [];
  private assignment: number[] = [];
  private tasks: number | undefined;
  private round = -1;
  /** Redis does not hold the run's round (before the first, after a restart): the next broadcast is in full. */
  private lost = true;
  /** The version the workers were told about last. */
  private held: number | undefined;
  private pending: Pending | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private base = '';

  private readonly options: LeanCoordinatorOptions;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  /** The run's handle: 3 characters, the name of its channel. */
  handle: string;

  private constructor(options: LeanCoordinatorOptions, cmd: Redis, sub: Redis, handle: string) {
    this.options = options;
    this.cmd = cmd;
    this.sub = sub;
    this.handle = handle;
    this.keys = leanKeys(options.prefix, options.queue);
    this.base = this.keys.base(handle);
  }

  static async open(options: LeanCoordinatorOptions): Promise<LeanCoordinator> {
    const cmd = new Redis(redisOptions(options.redis));
    const sub = new Redis(redisOptions(options.redis));
    cmd.on('error', () => undefined);
    sub.on('error', () => undefined);
    const c = new LeanCoordinator(options, cmd, sub, '');
    try {
      await withTimeout(Promise.all([cmd.ping(), sub.ping()]), 10_000, options.redis);
      await loadLibrary(cmd, options.redis);
      sub.on('messageBuffer', (channel: Buffer, message: Buffer) => c.onMessage(channel.toString(), message));
      await sub.subscribe(c.keys.control);
      await c.claimHandle();
      await c.register();
      await c.waitForMembers();
      cmd.on('ready', c.onReconnect);
    } catch (e) {
      cmd.disconnect();
      sub.disconnect();
      throw e;
    }
    return c;
  }

  get stats(): JobStats {
    return { ...this.counts };
  }

  run(version: Version, _isNew: boolean, probes: readonly Probe[], groups: readonly (readonly number[])[], step: number): Promise<Float64Array[]> {
    if (this.closed) return Promise.reject(new Error('the distributed oracle is closed'));
    const shards = this.options.shards;
    const tasks = groups.length * shards;
    const sizes = Array.from({ length: tasks }, (_, t) => groups[Math.floor(t / shards)]!.length);
    return new Promise<Float64Array[]>((resolve, reject) => {
      const p: Pending = { round: ++this.round, tasks, sizes, version, probes, step, resolve, reject, lastSent: Date.now() };
      this.pending = p;
      this.counts.submitted += tasks;
      this.enqueue(() => this.broadcast(p, false)).catch((e: unknown) => this.fail(p, e instanceof Error ? e : new Error(String(e))));
      this.arm(p);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cmd.off('ready', this.onReconnect);
    const p = this.pending;
    if (p !== undefined) this.fail(p, new Error('the distributed oracle was closed'));
    const base = this.base;
    const cleanUp = this.enqueue(async () => {
      await this.call(this.codec.encode({ kind: 'end' })).catch(() => undefined);
      await this.cmd
        .multi()
        .del(base, `${base}:a`, `${base}:l`, `${base}:s`, handleKey(this.handle))
        .hdel(this.keys.runs, this.handle)
        .publish(this.keys.control, JSON.stringify({ t: 'end', h: this.handle } satisfies ControlMessage))
        .exec();
    });
    await withTimeout(cleanUp, 1000, '').catch(() => undefined);
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  /** A fresh 3-character handle that no other run uses (its channels have no subscribers on this server). */
  private async claimHandle(): Promise<void> {
    for (let attempt = 0; attempt < 32; attempt++) {
      const h = randomBytes(3).toString('base64url').slice(0, HANDLE_LENGTH);
      const base = this.keys.base(h);
      if ((await this.cmd.set(handleKey(h), base, 'EX', LEAN_TTL, 'NX')) !== 'OK') continue;
      await this.sub.subscribe(`${h}!`);
      const counts = (await this.cmd.pubsub('NUMSUB', h, `${h}!`)) as (string | number)[];
      if (Number(counts[1]) === 0 && Number(counts[3]) === 1) {
        this.handle = h;
        this.base = base;
        return;
      }
      await this.sub.unsubscribe(`${h}!`);
      await this.cmd.del(handleKey(h));
    }
    throw new Error('could not find a free run handle on this Redis server');
  }

  /** Makes the run known: its keys, the list of open runs, and a note to the workers of the queue. */
  private async register(): Promise<void> {
    const m = this.cmd.multi();
    m.set(handleKey(this.handle), this.base, 'EX', LEAN_TTL);
    m.hset(this.base, 'S', this.options.shards);
    if (this.options.header !== undefined) m.hset(this.base, 'hdr', JSON.stringify(this.options.header));
    m.expire(this.base, LEAN_TTL);
    m.hset(this.keys.runs, this.handle, this.base);
    await m.exec();
    await this.discover();
    await this.cmd.publish(this.keys.control, JSON.stringify({ t: 'run', h: this.handle } satisfies ControlMessage));
  }

  /** Adds the queue's live workers (registered, with a heartbeat) that this coordinator did not hear from. */
  private async discover(): Promise<void> {
    const ids = (await this.cmd.smembers(this.keys.workers)).map(Number).filter((id) => Number.isInteger(id) && id > 0);
    if (ids.length === 0) return;
    const locks = await this.cmd.mget(ids.map((id) => this.keys.heartbeat(id)));
    ids.forEach((id, i) => {
      const lock = locks[i];
      if (lock !== null && lock !== undefined && !this.members.some((x) => x.id === id)) this.members.push({ id, lockMs: Number(lock) });
    });
  }

  /** Waits (up to a second) for the live workers to listen on the run's channel, so the first round reaches them. */
  private async waitForMembers(): Promise<void> {
    const end = Date.now() + 1000;
    while (Date.now() < end && this.members.length > 0) {
      const counts = (await this.cmd.pubsub('NUMSUB', this.handle)) as (string | number)[];
      if (Number(counts[1]) >= this.members.length) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private enqueue<T>(f: () => Promise<T>): Promise<T> {
    const next = this.chain.then(f, f);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Calls the run's function with a message; reloads the library when Redis lost it. */
  private async call(body: Buffer): Promise<unknown> {
    const payload = Buffer.concat([Buffer.from(this.handle, 'latin1'), body]);
    this.counts.payloadBytes += payload.length;
    try {
      return await this.cmd.fcall(FUNCTION, 0, payload);
    } catch (e) {
      if (!isMissingFunction(e)) throw e;
      await loadLibrary(this.cmd, this.options.redis);
      return await this.cmd.fcall(FUNCTION, 0, payload);
    }
  }

  /** Task t → live members in turn (UNASSIGNED when there is none). */
  private spread(tasks: number): number[] {
    return Array.from({ length: tasks }, (_, t) => (this.members.length === 0 ? UNASSIGNED : this.members[t % this.members.length]!.id));
  }

  /**
   * Broadcasts round `p`; in full (explicit round, task count and assignment, self-contained) when Redis lost the
   * run or the version goes as a snapshot.
   */
  private async broadcast(p: Pending, full: boolean, retried = false): Promise<void> {
    if (this.pending !== p || this.closed) return;
    full ||= this.lost;
    const v = p.version;
    let version: RoundMessage['version'];
    if (full || this.held !== v.version) {
      const snapshot = full || v.record.e === undefined || this.held !== v.version - 1;
      // A snapshot's round is self-contained: the log before it is dropped.
      if (snapshot) {
        await this.writeSnapshot(v, p.round);
        full = true;
      }
      version = snapshot ? { fingerprint: v.hash, snapshot } : { fingerprint: v.hash, snapshot, entries: v.record.e! };
    }
    const assignment = full && this.assignment.length === p.tasks && !this.assignment.includes(UNASSIGNED) ? this.assignment : this.spread(p.tasks);
    const body = this.codec.encode({
      kind: 'round',
      ...(full ? { round: p.round, selfContained: true } : {}),
      ...(full || p.tasks !== this.tasks ? { tasks: p.tasks } : {}),
      ...(version === undefined ? {} : { version }),
      step: p.step,
      probes: p.probes,
      ...(full || !sameIds(assignment, this.assignment) ? { assignment } : {}),
    });
    let reply: unknown;
    try {
      reply = await this.call(body);
    } catch (e) {
      this.lost = true;
      throw e;
    }
    if (reply === 'U') {
      // Redis lost the run (it restarted): make it known again and send the round in full.
      this.lost = true;
      if (retried) throw new Error('Redis lost the run again while it was being published');
      await this.register();
      return this.broadcast(p, true, true);
    }
    this.lost = false;
    this.tasks = p.tasks;
    this.assignment = assignment;
    this.held = v.version;
    p.lastSent = Date.now();
    this.counts.payloadBytes += body.length * Number(reply);
  }

  private async writeSnapshot(v: Version, round: number): Promise<void> {
    const meta: SnapshotMeta = { round, hash: v.hash };
    const res = await this.cmd
      .multi()
      .set(`${this.base}:s`, paramsBytes(v.blocks), 'EX', LEAN_TTL)
      .hset(this.base, 'snap', JSON.stringify(meta), 'lay', JSON.stringify(v.layout))
      .xtrim(`${this.base}:l`, 'MINID', round)
      .exec();
    const failed = res?.find(([e]) => e !== null)?.[0];
    if (failed) throw failed;
  }

  /** Broadcasts round `p` again, to the workers that have not answered (with a new assignment, if given). */
  private async again(p: Pending, assignment?: number[]): Promise<void> {
    if (this.pending !== p || this.closed) return;
    const reply = await this.call(this.codec.encode({ kind: 'again', round: p.round, ...(assignment === undefined ? {} : { assignment }) }));
    if (reply === 'U') {
      this.lost = true;
      if (assignment !== undefined) this.assignment = assignment;
      return this.broadcast(p, true);
    }
    if (assignment !== undefined) this.assignment = assignment;
    p.lastSent = Date.now();
  }

  private arm(p: Pending): void {
    if (this.pending !== p || this.closed) return;
    const lock = this.members.length === 0 ? 500 : Math.min(...this.members.map((m) => m.lockMs));
    const delay = Math.max(50, Math.min(lock / 2, this.options.checkMs, 5000));
    p.timer = setTimeout(() => {
      this.enqueue(() => this.check(p))
        .catch(() => undefined)
        .finally(() => this.arm(p));
    }, delay);
    p.timer.unref();
  }

  /**
   * A round that takes long: takes its values from Redis if the aggregate was missed; gives the unanswered tasks
   * of workers whose heartbeat lapsed (or of nobody) to live workers; broadcasts it again after `checkMs`.
   */
  private async check(p: Pending): Promise<void> {
    if (this.pending !== p || this.closed) return;
    const holders = [...new Set(this.assignment.filter((id) => id !== UNASSIGNED))];
    const res = await this.cmd
      .multi()
      .hget(this.base, 'r')
      .hkeys(`${this.base}:a`)
      .mget(holders.length === 0 ? ['-'] : holders.map((id) => this.keys.heartbeat(id)))
      .exec();
    if (this.pending !== p) return;
    const round = res?.[0]?.[1] as string | null;
    if (round === null || round === undefined || Number(round) !== p.round) {
      this.counts.resubmitted += p.tasks;
      this.lost = true;
      return this.broadcast(p, true);
    }
    const answered = new Set(((res?.[1]?.[1] as string[]) ?? []).map(Number));
    if (answered.size >= p.tasks) {
      const values = await this.cmd.hmgetBuffer(`${this.base}:a`, ...Array.from({ length: p.tasks }, (_, t) => String(t)));
      if (values.every((b) => b !== null)) {
        this.counts.lookedUp += p.tasks;
        this.complete(p, Buffer.concat(values as Buffer[]), false);
        return;
      }
    }
    const beats = (res?.[2]?.[1] as (string | null)[]) ?? [];
    const alive = new Set(holders.filter((_, i) => beats[i] !== null && beats[i] !== undefined));
    const dead = holders.filter((id) => !alive.has(id));
    if (dead.length > 0) {
      this.members = this.members.filter((m) => !dead.includes(m.id));
      await this.cmd.srem(this.keys.workers, ...dead.map(String));
    }
    let orphans = Array.from({ length: p.tasks }, (_, t) => t).filter((t) => !answered.has(t) && !alive.has(this.assignment[t] ?? UNASSIGNED));
    // Tasks without a live worker: look for workers whose hello was missed (it may have come while Redis was away).
    if (orphans.length > 0) await this.discover();
    for (const m of this.members) alive.add(m.id);
    orphans = orphans.filter((t) => !alive.has(this.assignment[t] ?? UNASSIGNED));
    if (orphans.length > 0 && this.members.length > 0) {
      const next = [...this.assignment];
      const load = new Map(this.members.map((m) => [m.id, 0]));
      next.forEach((id, t) => !answered.has(t) && load.has(id) && load.set(id, load.get(id)! + 1));
      for (const t of orphans) {
        const [id] = [...load].sort((a, b) => a[1] - b[1])[0]!;
        if (next[t] !== UNASSIGNED) this.counts.stalled++;
        next[t] = id;
        load.set(id, load.get(id)! + 1);
      }
      await this.again(p, next);
    } else if (Date.now() - p.lastSent >= this.options.checkMs) {
      this.counts.resubmitted += p.tasks - answered.size;
      await this.again(p);
    }
  }

  private onMessage(channel: string, message: Buffer): void {
    if (channel === this.keys.control) {
      const m = parseControl(message.toString());
      if (m?.t === 'hello') this.onHello(m);
      else if (m?.t === 'bye') this.onBye(m.w);
      return;
    }
    if (channel !== `${this.handle}!` || message.length === 0) return;
    this.counts.payloadBytes += message.length;
    const p = this.pending;
    const r = new ByteReader(message, 1);
    try {
      if (message[0] === 2) {
        this.counts.ignored++;
      } else if (message[0] === 0) {
        const round = r.varint();
        if (p !== undefined && p.round === round) this.complete(p, r.rest(), true);
      } else if (message[0] === 1) {
        const round = r.varint();
        r.varint();
        const text = r.rest().toString('utf8');
        if (p !== undefined && p.round === round) this.fail(p, new Error(text));
      }
    } catch {
      // A malformed message from the function cannot come from this version of zeroth: ignore it.
    }
  }

  private onHello(m: Extract<ControlMessage, { t: 'hello' }>): void {
    if (this.closed || !Number.isInteger(m.w) || m.w <= 0) return;
    const known = this.members.find((x) => x.id === m.w);
    if (known === undefined) this.members.push({ id: m.w, lockMs: Number(m.lock) || 30_000 });
    else known.lockMs = Number(m.lock) || known.lockMs;
    const p = this.pending;
    if (p === undefined) return;
    if (this.assignment.includes(UNASSIGNED)) void this.enqueue(() => this.check(p)).catch(() => undefined);
    else if (m.h === this.handle && this.assignment.includes(m.w)) void this.enqueue(() => this.again(p)).catch(() => undefined);
  }

  /** A worker that stopped: its unanswered tasks go to others at once. */
  private onBye(id: number): void {
    this.members = this.members.filter((m) => m.id !== id);
    const p = this.pending;
    if (p !== undefined && this.assignment.includes(id)) void this.enqueue(() => this.check(p)).catch(() => undefined);
  }

  private complete(p: Pending, values: Buffer, broadcast: boolean): void {
    if (this.pending !== p) return;
    let at = 0;
    const out = p.sizes.map((n) => {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++, at += 8) v[i] = values.readDoubleLE(at);
      return v;
    });
    if (at !== values.length) return this.fail(p, new Error(`the answers of round ${p.round} hold ${values.length} bytes, not ${at}`));
    // The workers' answers: handle, code, round, values.
    if (broadcast) this.counts.payloadBytes += p.tasks * (5 + varintBytes(p.round)) + at;
    clearTimeout(p.timer);
    this.pending = undefined;
    this.counts.completed += p.tasks;
    p.resolve(out);
  }

  private fail(p: Pending, e: Error): void {
    if (this.pending !== p) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    this.counts.failed++;
    p.reject(e);
  }

  /** Redis came back (maybe empty): the library, the run and the pending round are published again. */
  private readonly onReconnect = (): void => {
    this.lost = true;
    void this.enqueue(async () => {
      if (this.closed) return;
      await loadLibrary(this.cmd, this.options.redis);
      await this.register();
      const p = this.pending;
      if (p !== undefined) {
        this.counts.resubmitted += p.tasks;
        await this.broadcast(p, true);
      }
    }).catch(() => undefined);
  };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function varintBytes(v: number): number {
  let n = 1;
  for (; v >= 128; n++) v = Math.floor(v / 128);
  return n;
}
