import type { Redis } from 'ioredis';
import type { Backend } from '../../backend/backend.js';
import { InvalidInput, ZerothError } from '../../errors.js';
import { replayInPlace } from '../../replayInPlace.js';
import type { SeedLogEntry, SeedLogHeader } from '../../seedLog/seedLog.js';
import type { Params } from '../../types.js';
import { paramsBytes, paramsFromBytes, paramsHash, type Layout } from './wire.js';

/**
 * Parameter versions of a run in Redis. The hash `{prefix}:{queue}:zr:{run}` holds `layout` (names and shapes),
 * `log` (the header of the run's seed log) and one record per version `v{N}`: `{ h, s: 1 }` when the values of
 * version N are stored as bytes under `…:zr:{run}:s{N}` (a snapshot), or `{ h, e }` when version N is version
 * N − 1 plus the seed-log entries `e` (the writes of the steps between them: seeds and coefficients, tens of
 * bytes), replayed with `replayInPlace`. `h` is the fingerprint of the values of version N; a replica checks it
 * after every catch-up, so a replica that is not bit-identical fails loudly.
 */
export interface VersionRecord {
  /** Fingerprint of the values of this version. */
  readonly h: string;
  /** 1: the values are stored as a snapshot. */
  readonly s?: 1;
  /** The seed-log entries from the previous version to this one. */
  readonly e?: readonly SeedLogEntry[];
}

/** The Redis key of a run's hash. */
export function runKey(prefix: string, queue: string, run: string): string {
  return `${prefix}:${queue}:zr:${run}`;
}

/** How long a run's keys live after their last write, in seconds. */
const TTL = 7 * 24 * 3600;
/** Snapshots older than this many versions behind the newest are deleted (the base, version 0, is kept). */
const KEEP = 8;

/** Writes version records (and snapshots) of a run. */
export async function publishVersion(
  redis: Redis,
  key: string,
  version: number,
  record: VersionRecord,
  values?: readonly Float32Array[],
  layout?: Layout,
  log?: SeedLogHeader,
): Promise<void> {
  const m = redis.multi();
  if (layout !== undefined) m.hset(key, 'layout', JSON.stringify(layout));
  if (log !== undefined) m.hset(key, 'log', JSON.stringify(log));
  if (record.s === 1) {
    if (values === undefined) throw new Error('a snapshot record needs the values');
    m.set(`${key}:s${version}`, paramsBytes(values), 'EX', TTL);
    if (version - KEEP > 0) m.del(`${key}:s${version - KEEP}`);
  }
  m.hset(key, `v${version}`, JSON.stringify(record));
  m.expire(key, TTL);
  await m.exec();
}

/** The parameters of one version, as a worker holds them. */
export interface Replica {
  readonly version: number;
  readonly params: Params;
  readonly hash: string;
}

/** A replica that is not bit-identical to the coordinator's parameters (a bug, or a damaged record). */
export class ReplicaDiverged extends ZerothError {
  constructor(run: string, version: number, want: string, got: string) {
    super('REPLICA_DIVERGED', `The replica of run ${run} at version ${version} has fingerprint ${got}, not the coordinator's ${want}. Run coordinator and workers with the same version of zeroth.`);
  }
}

/**
 * Brings a replica to `version`: applies the records after the one it holds (or after the newest snapshot up
 * to `version`), then checks the fingerprint. `embedded` is the record of `version` when the job carried it.
 */
export async function catchUp(
  redis: Redis,
  key: string,
  run: string,
  backend: Backend,
  held: Replica | undefined,
  version: number,
  embedded?: VersionRecord,
): Promise<Replica> {
  if (held !== undefined && held.version === version) return held;
  if (held !== undefined && embedded?.e !== undefined && held.version === version - 1) {
    return finish(redis, key, run, backend, { ...held }, version, embedded, [embedded]);
  }
  const from = held !== undefined && held.version < version ? held.version + 1 : 0;
  const fields: string[] = [];
  for (let v = from; v <= version; v++) fields.push(`v${v}`);
  // The records needed: from the newest snapshot (or the first record after the held version) to `version`.
  // Older ones may be gone (Redis restarted and the coordinator published the current version again).
  const usable = (texts: (string | null)[]): boolean => {
    for (let i = texts.length - 1; i >= 0; i--) {
      const t = texts[i];
      if (t === null || t === undefined) return false;
      if ((JSON.parse(t) as VersionRecord).s === 1) return true;
    }
    return held !== undefined && held.version < version;
  };
  const texts = await waitFor(() => redis.hmget(key, ...fields), usable, run, version);
  // The newest snapshot, if any: the records before it are not needed.
  let first = texts.length - 1;
  while (first >= 0 && (JSON.parse(texts[first]!) as VersionRecord).s !== 1) first--;
  const records = texts.slice(Math.max(first, 0)).map((t) => JSON.parse(t!) as VersionRecord);
  let params: Params;
  if (first >= 0) {
    const v0 = from + first;
    const [layoutText, bytes] = await Promise.all([
      redis.hget(key, 'layout'),
      waitFor(() => redis.getBuffer(`${key}:s${v0}`), (b) => b !== null, run, v0),
    ]);
    if (layoutText === null) throw missing(run, version);
    params = paramsFromBytes(JSON.parse(layoutText) as Layout, bytes!);
  } else if (held !== undefined) {
    params = held.params;
  } else {
    throw new InvalidInput('job', `run ${run} has no snapshot to start from`, 'Restart the coordinator: the run in Redis is damaged.');
  }
  return finish(redis, key, run, backend, { version: -1, params, hash: '' }, version, records[records.length - 1]!, first >= 0 ? records.slice(1) : records);
}

/** The seed-log headers of the runs seen (they never change within a run). */
const headers = new Map<string, SeedLogHeader>();

async function finish(redis: Redis, key: string, run: string, backend: Backend, base: Replica, version: number, target: VersionRecord, updates: readonly VersionRecord[]): Promise<Replica> {
  const entries: SeedLogEntry[] = [];
  for (const r of updates) {
    if (r.e === undefined) throw new InvalidInput('job', `run ${run}: a version record without seed-log entries`, 'Restart the coordinator: the run in Redis is damaged.');
    entries.push(...r.e);
  }
  if (entries.length > 0) {
    let header = headers.get(run);
    if (header === undefined) {
      const text = await redis.hget(key, 'log');
      if (text === null) throw missing(run, version);
      header = JSON.parse(text) as SeedLogHeader;
      headers.set(run, header);
      if (headers.size > 16) headers.delete(headers.keys().next().value!);
    }
    // The entries of the versions in between, replayed as a seed log that starts at the first of them.
    replayInPlace(base.params, { ...header, start: entries[0]!.step, entries }, { backend });
  }
  const hash = paramsHash(base.params.map((b) => backend.read(b)));
  if (hash !== target.h) throw new ReplicaDiverged(run, version, target.h, hash);
  return { version, params: base.params, hash };
}

function missing(run: string, version: number): InvalidInput {
  return new InvalidInput('job', `version ${version} of run ${run} is not in Redis`, 'The coordinator publishes it before asking; if Redis restarted, it publishes it again.');
}

/** Polls until `ok` (Redis may have restarted and the coordinator is publishing again): up to 10 s. */
async function waitFor<T>(get: () => Promise<T>, ok: (t: T) => boolean, run: string, version: number): Promise<T> {
  const end = Date.now() + 10_000;
  for (;;) {
    const t = await get();
    if (ok(t)) return t;
    if (Date.now() > end) throw missing(run, version);
    await new Promise((r) => setTimeout(r, 100));
  }
}
