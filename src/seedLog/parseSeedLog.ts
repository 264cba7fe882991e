import { SeedLogCorrupt, SeedLogGap } from '../errors.js';
import { fingerprintOf, type LayoutBlock } from './_internal/layout.js';
import {
  SEED_LOG_FORMAT,
  SEED_LOG_VERSION,
  seedLogOf,
  type EncodedWrites,
  type JsonValue,
  type SeedLog,
  type SeedLogEntry,
  type SeedLogHeader,
} from './seedLog.js';

/** Options of {@link parseSeedLog}. */
export interface ParseSeedLogOptions {
  /**
   * What to do with a JSONL last line that is not complete JSON (a writer killed mid-line): `'error'` throws
   * SeedLogCorrupt, `'drop'` ignores that line. @defaultValue 'error'
   */
  readonly incompleteLastLine?: 'error' | 'drop';
}

/**
 * Reads a seed log from its JSON form (`JSON.stringify(log)`, text or parsed object) or its JSONL form (the header
 * line, then one entry per line), checking the format, the version, the layout's fingerprint and that the steps
 * are contiguous. Directions are checked in full by `replayInPlace`, before it writes anything.
 *
 * @throws SeedLogCorrupt when the text is not a seed log of this version, or an entry is malformed
 * @throws SeedLogGap when an entry is missing
 *
 * @example
 * ```ts
 * const log = parseSeedLog(readFileSync('run.seedlog.jsonl', 'utf8'));
 * replayInPlace(baseParams, log);
 * ```
 */
export function parseSeedLog(input: string | object, options: ParseSeedLogOptions = {}): SeedLog {
  if (typeof input !== 'string') return fromJson(input, 'the log');
  const text = input.trim();
  if (text === '') throw new SeedLogCorrupt('the text', 'it is empty');
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    // One JSON document, or a JSONL log that holds only its header.
    if (whole === null || typeof whole !== 'object') throw new SeedLogCorrupt('the text', 'it is not a JSON object');
    return fromJson('entries' in whole ? whole : { ...whole, entries: [] }, 'the log');
  }
  const lines = text.split('\n');
  const parsed: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      parsed.push(JSON.parse(line));
    } catch {
      if (i === lines.length - 1 && options.incompleteLastLine === 'drop') return;
      throw new SeedLogCorrupt(`line ${i + 1}`, i === lines.length - 1 ? 'the last line is incomplete (pass incompleteLastLine: "drop" to ignore it)' : 'it is not JSON');
    }
  });
  const [head, ...entries] = parsed;
  return fromJson({ ...(head as object), entries }, 'line 1');
}

function fromJson(json: object, where: string): SeedLog {
  const o = json as Record<string, unknown>;
  if (o['format'] !== SEED_LOG_FORMAT) throw new SeedLogCorrupt(where, `"format" is ${JSON.stringify(o['format'])}, not "${SEED_LOG_FORMAT}"`);
  if (o['version'] !== SEED_LOG_VERSION) {
    throw new SeedLogCorrupt(where, `version ${JSON.stringify(o['version'])} is not supported (this zeroth reads version ${SEED_LOG_VERSION})`);
  }
  const start = o['start'];
  if (!isUint(start)) throw new SeedLogCorrupt(where, '"start" is not an integer ≥ 0');
  const header: SeedLogHeader = {
    format: SEED_LOG_FORMAT,
    version: SEED_LOG_VERSION,
    layout: checkLayoutJson(o['layout'], where),
    start,
    ...(o['meta'] === undefined ? {} : { meta: o['meta'] as JsonValue }),
  };
  const raw = o['entries'];
  if (!Array.isArray(raw)) throw new SeedLogCorrupt(where, '"entries" is not an array');
  let expected = start;
  const entries = raw.map((e: unknown, i): SeedLogEntry => {
    const at = `entry ${i}`;
    const entry = checkEntry(e, at);
    if (entry.step !== expected) throw new SeedLogGap(expected, entry.step, `${at} of the log`);
    if (entry.failed !== true) expected++;
    return entry;
  });
  return seedLogOf(header, entries);
}

function checkLayoutJson(json: unknown, where: string): SeedLogHeader['layout'] {
  const l = json as { fingerprint?: unknown; blocks?: unknown } | null;
  if (l === null || typeof l !== 'object' || typeof l.fingerprint !== 'string' || !Array.isArray(l.blocks)) {
    throw new SeedLogCorrupt(where, '"layout" is not { fingerprint, blocks }');
  }
  const blocks: LayoutBlock[] = l.blocks.map((b: unknown, i) => {
    const x = b as { name?: unknown; shape?: unknown } | null;
    if (x === null || typeof x !== 'object' || typeof x.name !== 'string' || !Array.isArray(x.shape) || !x.shape.every(isUint)) {
      throw new SeedLogCorrupt(where, `layout block ${i} is not { name, shape }`);
    }
    return { name: x.name, shape: x.shape as number[] };
  });
  if (fingerprintOf(blocks) !== l.fingerprint) throw new SeedLogCorrupt(where, 'the layout does not match its fingerprint (the header was edited)');
  return { fingerprint: l.fingerprint, blocks };
}

function checkEntry(json: unknown, at: string): SeedLogEntry {
  const e = json as { step?: unknown; failed?: unknown; writes?: unknown } | null;
  if (e === null || typeof e !== 'object' || !isUint(e.step) || !Array.isArray(e.writes)) {
    throw new SeedLogCorrupt(at, 'it is not { step, writes }');
  }
  if (e.failed !== undefined && e.failed !== true) throw new SeedLogCorrupt(at, '"failed" is neither true nor absent');
  const writes = e.writes.map((w: unknown, j): EncodedWrites => {
    const x = w as { d?: unknown; a?: unknown } | null;
    if (x === null || typeof x !== 'object' || !Array.isArray(x.d) || !Array.isArray(x.a) || x.a.length === 0) {
      throw new SeedLogCorrupt(`${at}, write ${j}`, 'it is not { d, a } with at least one alpha');
    }
    if (!x.a.every((a) => typeof a === 'number' && Number.isFinite(a))) throw new SeedLogCorrupt(`${at}, write ${j}`, 'an alpha is not a finite number');
    return { d: x.d as unknown as EncodedWrites['d'], a: x.a as number[] };
  });
  return { step: e.step, ...(e.failed === true ? { failed: true as const } : {}), writes };
}

function isUint(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}
