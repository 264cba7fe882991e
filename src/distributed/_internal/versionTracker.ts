import type { Backend } from '../../backend/backend.js';
import type { SeedLog } from '../../seedLog/seedLog.js';
import type { Params } from '../../types.js';
import type { VersionRecord } from './versions.js';
import { paramsHash, type Layout } from './wire.js';

/** The coordinator's current parameter version. */
export interface Version {
  readonly version: number;
  /** Fingerprint of the values (12 hex digits). */
  readonly hash: string;
  /** The values as read at the call (the optimizer's own arrays on the cpu backend). */
  readonly blocks: Float32Array[];
  readonly layout: Layout;
  /** How the version reaches the workers: the seed-log entries since the version before, or a snapshot. */
  readonly record: VersionRecord;
}

/**
 * Tells the versions of a coordinator's parameters apart: fingerprints the values at every call; new values are a
 * new version, described by the entries appended to the seed log since the version before (when there are any),
 * else as a snapshot. The first version is always a snapshot (the base).
 */
export class VersionTracker {
  private current: Version | undefined;
  // Seed-log entries already described.
  private consumed = 0;
  readonly counts = { versions: 0, snapshots: 0 };

  private readonly backend: Backend | undefined;
  private readonly seedLog: SeedLog | undefined;

  constructor(backend: Backend | undefined, seedLog: SeedLog | undefined) {
    this.backend = backend;
    this.seedLog = seedLog;
  }

  get latest(): Version | undefined {
    return this.current;
  }

  /** The version of `params`, and whether it is new. */
  next(params: Params): { version: Version; isNew: boolean } {
    const blocks = params.map((b) => (this.backend !== undefined ? this.backend.read(b) : (b.data as unknown as Float32Array)));
    const hash = paramsHash(blocks);
    const c = this.current;
    if (c !== undefined && c.hash === hash) return { version: c, isNew: false };
    const layout: Layout = params.map((b) => ({ name: b.name, shape: [...b.shape] }));
    const log = this.seedLog?.entries ?? [];
    const entries = log.slice(this.consumed);
    this.consumed = log.length;
    const record: VersionRecord = c !== undefined && entries.length > 0 ? { h: hash, e: entries } : { h: hash, s: 1 };
    this.counts.versions++;
    if (record.s === 1) this.counts.snapshots++;
    this.current = { version: c === undefined ? 0 : c.version + 1, hash, blocks, layout, record };
    return { version: this.current, isNew: true };
  }
}
