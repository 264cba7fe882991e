import { sameDirection } from '../../../eval/sameDirection.js';
import type { EncodedDirection, SeedLogEntry } from '../../../seedLog/seedLog.js';
import type { Direction, Probe } from '../../../types.js';
import type { Json } from '../../../tuner/_internal/codec.js';
import { decodeDirection, encodeDirection } from '../wire.js';
import { ByteReader, ByteWriter, malformed } from './bytes.js';

/**
 * The messages the coordinator broadcasts to the workers of a run (one per round, tens of bytes), in a binary
 * form that leans on the round before: the write of step k − 1 is along the probe direction of round k − 1
 * (one byte instead of its seed), MeZO's σ repeats, the ± pair shares its direction and noise seed.
 *
 * Byte 0 (read by the Redis function too): bits 0–1 the kind (0 round, 1 again, 2 end); bit 2 an explicit
 * round follows; bit 3 the number of tasks follows; bit 4 a new parameter version; bit 5 an assignment;
 * bit 6 self-contained (no reference to the round before); bit 7 the version is the run's snapshot.
 * Then: [round] [tasks] [version: fingerprint, entries unless snapshot] [probes: count·4 + step mode, …]
 * [assignment: count, worker ids]. A round message without an explicit round is the round after the last.
 */
export interface RoundMessage {
  readonly kind: 'round' | 'again' | 'end';
  /** The round number, when explicit (always for 'again'). */
  readonly round?: number;
  /** The number of tasks of the round (probe groups × shards), when it changed. */
  readonly tasks?: number;
  /** No reference to the round before (the first round, and after Redis lost the run). */
  readonly selfContained?: boolean;
  /** A new parameter version: its fingerprint, and its seed-log entries unless it is the run's snapshot. */
  readonly version?: { readonly fingerprint: string; readonly snapshot: boolean; readonly entries?: readonly SeedLogEntry[] };
  /** The step of the round's probes (their context.step). */
  readonly step?: number;
  readonly probes?: readonly Probe[];
  /** Worker id per task. */
  readonly assignment?: readonly number[];
}

/** Bytes of the fingerprint on the wire (the first bytes of the coordinator's SHA-256 of the parameters). */
export const FINGERPRINT_BYTES = 4;

export const KIND_ROUND = 0;
export const KIND_AGAIN = 1;
export const KIND_END = 2;
/** Byte-0 kind of a worker's answer. */
export const KIND_ANSWER = 3;

const F_ROUND = 4;
const F_TASKS = 8;
const F_VERSION = 16;
const F_ASSIGN = 32;
const F_SELF = 64;
const F_SNAPSHOT = 128;

// Probe code: bits 0–2 direction, 3–4 scale (0: a float64 follows), 5–6 noise key (0: a uint32 follows), 7 a
// mirror follows.
const D_PREV = 0;
const D_GAUSS = 1;
const D_RADEMACHER = 2;
const D_COORD = 3;
const D_NONE = 4;
const D_JSON = 5;
const S_NEG_PREV = 1;
const S_LAST_ROUND = 2;
const S_PREV = 3;
const N_PREV = 1;
const N_F64 = 2;
const N_LAST_ROUND = 3;
/** Bit 7: the probe is followed by its antithetic mirror (not written). */
const MIRROR = 128;
// Write code: bits 0–2 direction, 3–7 the number of alphas (0: a varint follows).
const W_REF0 = 0;
const W_GAUSS = 1;
const W_RADEMACHER = 2;
const W_COORD = 3;
const W_PARAMS = 4;
const W_JSON = 5;
const W_REF = 6;

const isU32 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v < 2 ** 32;

/**
 * Encodes and decodes the round messages of one run, keeping the context both sides share: the probes and step
 * of the last round, and the step the next seed-log entry carries. A coordinator encodes every round in order;
 * a worker decodes every round in order (from the live channel, or from the run's log).
 */
export class RoundCodec {
  private probes: readonly Probe[] | undefined;
  private step: number | undefined;
  private entryStep: number | undefined;

  encode(m: RoundMessage): Buffer {
    const w = new ByteWriter();
    const self = m.selfContained === true || this.probes === undefined;
    let ctl = m.kind === 'round' ? KIND_ROUND : m.kind === 'again' ? KIND_AGAIN : KIND_END;
    if (m.round !== undefined) ctl |= F_ROUND;
    if (m.tasks !== undefined) ctl |= F_TASKS;
    if (m.version !== undefined) ctl |= F_VERSION | (m.version.snapshot ? F_SNAPSHOT : 0);
    if (m.assignment !== undefined) ctl |= F_ASSIGN;
    if (m.kind === 'round' && self) ctl |= F_SELF;
    w.u8(ctl);
    if (m.round !== undefined) w.varint(m.round);
    if (m.tasks !== undefined) w.varint(m.tasks);
    if (m.kind === 'round') {
      const ctx = self ? undefined : this;
      let entryStep = ctx?.entryStep;
      if (m.version !== undefined) {
        w.bytes(Buffer.from(m.version.fingerprint.slice(0, 2 * FINGERPRINT_BYTES), 'hex'));
        if (!m.version.snapshot) entryStep = writeEntries(w, m.version.entries ?? [], ctx?.probes, entryStep);
      }
      const probes = m.probes ?? [];
      const step = m.step ?? 0;
      const mode = ctx?.step === step ? 0 : ctx?.step !== undefined && ctx.step + 1 === step ? 1 : 2;
      w.varint(probes.length * 4 + mode);
      if (mode === 2) w.varint(step);
      writeProbes(w, probes, ctx?.probes);
      this.probes = probes;
      this.step = step;
      this.entryStep = entryStep;
    }
    if (m.assignment !== undefined) {
      w.varint(m.assignment.length);
      for (const id of m.assignment) w.u32(id);
    }
    return w.done();
  }

  /** Decodes a message; a round message becomes the context of the next. `round` is the log's, when known. */
  decode(buf: Buffer): RoundMessage {
    const r = new ByteReader(buf);
    const ctl = r.u8();
    const kindBits = ctl & 3;
    if (kindBits === KIND_ANSWER) throw malformed('an answer where a round was expected');
    const kind = kindBits === KIND_ROUND ? 'round' : kindBits === KIND_AGAIN ? 'again' : 'end';
    const out: { -readonly [K in keyof RoundMessage]: RoundMessage[K] } = { kind };
    if (ctl & F_ROUND) out.round = r.varint();
    if (ctl & F_TASKS) out.tasks = r.varint();
    if (kind === 'round') {
      const self = (ctl & F_SELF) !== 0;
      if (!self && this.probes === undefined) throw malformed('a round refers to a round before it that this replica has not seen');
      const ctx = self ? undefined : this;
      let entryStep = ctx?.entryStep;
      if (ctl & F_VERSION) {
        const fingerprint = r.bytes(FINGERPRINT_BYTES).toString('hex');
        const snapshot = (ctl & F_SNAPSHOT) !== 0;
        if (snapshot) out.version = { fingerprint, snapshot };
        else {
          const got = readEntries(r, ctx?.probes, entryStep);
          entryStep = got.next;
          out.version = { fingerprint, snapshot, entries: got.entries };
        }
      }
      const head = r.varint();
      const mode = head % 4;
      const count = (head - mode) / 4;
      let step: number;
      if (mode === 2) step = r.varint();
      else if (ctx?.step === undefined || mode === 3) throw malformed('a round step refers to no round before it');
      else step = ctx.step + mode;
      const probes = readProbes(r, count, ctx?.probes);
      out.step = step;
      out.probes = probes;
      this.probes = probes;
      this.step = step;
      this.entryStep = entryStep;
    }
    if (ctl & F_ASSIGN) {
      const n = r.varint();
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push(r.u32());
      out.assignment = ids;
    }
    r.end();
    return out;
  }
}

function writeProbes(w: ByteWriter, probes: readonly Probe[], last: readonly Probe[] | undefined): void {
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    const prev = i > 0 ? probes[i - 1] : undefined;
    const before = last?.[i];
    const tail = new ByteWriter();
    const d = p.direction;
    let code: number;
    if (prev !== undefined && sameDirection(prev.direction, d)) code = D_PREV;
    else if (d.kind === 'gaussian' && isU32(d.seed)) {
      code = D_GAUSS;
      tail.u32(d.seed);
    } else if (d.kind === 'rademacher' && isU32(d.seed)) {
      code = D_RADEMACHER;
      tail.u32(d.seed);
    } else if (d.kind === 'coordinate') {
      code = D_COORD;
      tail.varint(d.block).varint(d.index);
    } else if (d.kind === 'none') code = D_NONE;
    else {
      code = D_JSON;
      tail.text(JSON.stringify(encodeDirection(d)));
    }
    if (prev !== undefined && Object.is(p.scale, -prev.scale)) code |= S_NEG_PREV << 3;
    else if (prev !== undefined && Object.is(p.scale, prev.scale)) code |= S_PREV << 3;
    else if (before !== undefined && Object.is(p.scale, before.scale)) code |= S_LAST_ROUND << 3;
    else tail.f64(p.scale); // S_F64
    if (prev !== undefined && Object.is(p.noiseKey, prev.noiseKey)) code |= N_PREV << 5;
    else if (before !== undefined && Object.is(p.noiseKey, before.noiseKey)) code |= N_LAST_ROUND << 5;
    else if (isU32(p.noiseKey)) tail.u32(p.noiseKey); // N_U32
    else {
      code |= N_F64 << 5;
      tail.f64(p.noiseKey);
    }
    const next = probes[i + 1];
    if (next !== undefined && isMirror(p, next)) {
      code |= MIRROR;
      i++;
    }
    w.u8(code).bytes(tail.done());
  }
}

/** The other half of an antithetic pair: the same direction and noise seed, the scale negated. */
function isMirror(p: Probe, q: Probe): boolean {
  return sameDirection(p.direction, q.direction) && Object.is(q.scale, -p.scale) && Object.is(q.noiseKey, p.noiseKey);
}

function readProbes(r: ByteReader, count: number, last: readonly Probe[] | undefined): Probe[] {
  const out: Probe[] = [];
  while (out.length < count) {
    const i = out.length;
    const code = r.u8();
    const prev = out[i - 1];
    const before = last?.[i];
    let direction: Direction;
    switch (code & 7) {
      case D_PREV:
        if (prev === undefined) throw malformed('the first probe refers to the one before it');
        direction = prev.direction;
        break;
      case D_GAUSS:
        direction = { kind: 'gaussian', seed: r.u32() };
        break;
      case D_RADEMACHER:
        direction = { kind: 'rademacher', seed: r.u32() };
        break;
      case D_COORD:
        direction = { kind: 'coordinate', block: r.varint(), index: r.varint() };
        break;
      case D_NONE:
        direction = { kind: 'none' };
        break;
      case D_JSON:
        direction = decodeDirection(JSON.parse(r.text()) as Json);
        break;
      default:
        throw malformed(`unknown direction code ${code & 7}`);
    }
    const s = (code >> 3) & 3;
    const n = (code >> 5) & 3;
    if ((s === S_NEG_PREV || s === S_PREV || n === N_PREV) && prev === undefined) throw malformed('the first probe refers to the one before it');
    if ((s === S_LAST_ROUND || n === N_LAST_ROUND) && before === undefined) throw malformed('a probe refers to a round before it');
    const scale = s === 0 ? r.f64() : s === S_NEG_PREV ? -prev!.scale : s === S_PREV ? prev!.scale : before!.scale;
    const noiseKey = n === 0 ? r.u32() : n === N_F64 ? r.f64() : n === N_PREV ? prev!.noiseKey : before!.noiseKey;
    out.push({ direction, scale, noiseKey });
    if (code & MIRROR) out.push({ direction, scale: -scale, noiseKey });
  }
  if (out.length !== count) throw malformed('a pair of probes runs past their count');
  return out;
}

/** The step a seed log expects after `e`: a failed step is repeated under the same number. */
const nextStep = (e: SeedLogEntry): number => (e.failed === true ? e.step : e.step + 1);

function writeEntries(w: ByteWriter, entries: readonly SeedLogEntry[], last: readonly Probe[] | undefined, expected: number | undefined): number | undefined {
  if (entries.length === 0) throw new RangeError('a version described by entries needs at least one');
  entries.forEach((e, k) => {
    const explicit = expected !== e.step;
    // failed + 2·explicit step + 4·last entry + 8·writes
    w.varint((e.failed === true ? 1 : 0) + (explicit ? 2 : 0) + (k === entries.length - 1 ? 4 : 0) + 8 * e.writes.length);
    if (explicit) w.varint(e.step);
    for (const x of e.writes) {
      const count = x.a.length < 32 ? x.a.length : 0;
      const [code, tail] = writeDirection(x.d, last);
      w.u8(code | (count << 3)).bytes(tail);
      if (count === 0) w.varint(x.a.length);
      for (const a of x.a) w.f64(a);
    }
    expected = nextStep(e);
  });
  return expected;
}

function writeDirection(d: EncodedDirection, last: readonly Probe[] | undefined): [number, Buffer] {
  const t = new ByteWriter();
  if (d[0] === 'gaussian' || d[0] === 'rademacher') {
    const k = last?.findIndex((p) => p.direction.kind === d[0] && p.direction.seed === d[1]) ?? -1;
    if (k === 0) return [W_REF0, t.done()];
    if (k > 0) return [W_REF, t.varint(k).done()];
    if (isU32(d[1])) return [d[0] === 'gaussian' ? W_GAUSS : W_RADEMACHER, t.u32(d[1]).done()];
  }
  if (d[0] === 'coordinate') return [W_COORD, t.varint(d[1]).varint(d[2]).done()];
  if (d[0] === 'params') {
    const mask = d[1];
    if (mask === null) return [W_PARAMS, t.varint(0).done()];
    t.varint(mask.length + 1);
    for (let i = 0; i < mask.length; i += 8) {
      let byte = 0;
      for (let j = 0; j < 8 && i + j < mask.length; j++) if (mask[i + j] === '1') byte |= 1 << j;
      t.u8(byte);
    }
    return [W_PARAMS, t.done()];
  }
  return [W_JSON, t.text(JSON.stringify(d)).done()];
}

function readEntries(r: ByteReader, last: readonly Probe[] | undefined, expected: number | undefined): { entries: SeedLogEntry[]; next: number | undefined } {
  const entries: SeedLogEntry[] = [];
  for (;;) {
    const head = r.varint();
    const failed = (head & 1) === 1;
    const explicit = (head & 2) === 2;
    const final = (head & 4) === 4;
    const count = Math.floor(head / 8);
    let step: number;
    if (explicit) step = r.varint();
    else if (expected === undefined) throw malformed('a seed-log entry has no step to follow');
    else step = expected;
    const writes: { d: EncodedDirection; a: number[] }[] = [];
    for (let j = 0; j < count; j++) {
      const code = r.u8();
      const d = readDirection(r, code & 7, last);
      let k = code >> 3;
      if (k === 0) k = r.varint();
      const a: number[] = [];
      for (let q = 0; q < k; q++) a.push(r.f64());
      writes.push({ d, a });
    }
    const e: SeedLogEntry = failed ? { step, failed: true, writes } : { step, writes };
    entries.push(e);
    expected = nextStep(e);
    if (final) return { entries, next: expected };
  }
}

function readDirection(r: ByteReader, code: number, last: readonly Probe[] | undefined): EncodedDirection {
  const ref = (k: number): EncodedDirection => {
    const d = last?.[k]?.direction;
    if (d === undefined || (d.kind !== 'gaussian' && d.kind !== 'rademacher')) throw malformed('a write refers to a probe that the round before does not have');
    return [d.kind, d.seed];
  };
  switch (code) {
    case W_REF0:
      return ref(0);
    case W_REF:
      return ref(r.varint());
    case W_GAUSS:
      return ['gaussian', r.u32()];
    case W_RADEMACHER:
      return ['rademacher', r.u32()];
    case W_COORD:
      return ['coordinate', r.varint(), r.varint()];
    case W_PARAMS: {
      const n = r.varint();
      if (n === 0) return ['params', null];
      let mask = '';
      for (let i = 0; i < n - 1; i += 8) {
        const byte = r.u8();
        for (let j = 0; j < 8 && i + j < n - 1; j++) mask += (byte >> j) & 1 ? '1' : '0';
      }
      return ['params', mask];
    }
    case W_JSON:
      return JSON.parse(r.text()) as EncodedDirection;
    default:
      throw malformed(`unknown write code ${code}`);
  }
}

/**
 * A worker's answer to the run's function: the handle, byte 0 (kind 3, bit 2 an error, bits 3–7 the task or 31
 * and a varint), the round, then the values as float64 (exact) or the error's message.
 */
export function encodeAnswer(handle: string, task: number, round: number, answer: readonly number[] | string): Buffer {
  const w = new ByteWriter().bytes(Buffer.from(handle, 'latin1'));
  const error = typeof answer === 'string';
  w.u8(KIND_ANSWER | (error ? 4 : 0) | (Math.min(task, 31) << 3));
  if (task >= 31) w.varint(task);
  w.varint(round);
  if (typeof answer === 'string') w.bytes(Buffer.from(answer.slice(0, 2000), 'utf8'));
  else for (const v of answer) w.f64(v);
  return w.done();
}
