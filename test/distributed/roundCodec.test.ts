import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ByteReader, ByteWriter } from '../../src/distributed/_internal/lean/bytes.js';
import { FINGERPRINT_BYTES, RoundCodec, encodeAnswer, type RoundMessage } from '../../src/distributed/_internal/lean/roundCodec.js';
import type { EncodedDirection, SeedLogEntry } from '../../src/seedLog/seedLog.js';
import type { Direction, Probe } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';

const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const direction: fc.Arbitrary<Direction> = fc.oneof(
  fc.constant<Direction>({ kind: 'none' }),
  u32.map((seed): Direction => ({ kind: 'gaussian', seed })),
  u32.map((seed): Direction => ({ kind: 'rademacher', seed })),
  fc.tuple(fc.nat(4), fc.nat(1000)).map(([block, index]): Direction => ({ kind: 'coordinate', block, index })),
  fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 3 }).map((v): Direction => ({ kind: 'dense', blocks: [Float32Array.from(v), undefined] })),
);
const number = fc.oneof(fc.double(), fc.constant(-0), fc.constant(1e-3), fc.constant(-1e-3));
const probe: fc.Arbitrary<Probe[]> = fc.tuple(direction, number, fc.oneof(u32, fc.double()), fc.boolean()).map(([d, scale, noiseKey, pair]) => {
  const p = { direction: d, scale, noiseKey };
  return pair ? [p, { ...p, scale: -scale }] : [p];
});
const encoded: fc.Arbitrary<EncodedDirection> = fc.oneof(
  u32.map((s): EncodedDirection => ['gaussian', s]),
  u32.map((s): EncodedDirection => ['rademacher', s]),
  fc.tuple(fc.nat(4), fc.nat(1000)).map(([b, i]): EncodedDirection => ['coordinate', b, i]),
  fc.oneof(fc.constant(null), fc.stringMatching(/^[01]{1,20}$/)).map((m): EncodedDirection => ['params', m]),
  fc.constant<EncodedDirection>(['dense', ['AAAAAA==', null]]),
);
const entry = fc.record({
  step: fc.nat(10_000),
  failed: fc.boolean(),
  writes: fc.array(fc.record({ d: encoded, a: fc.array(fc.double(), { minLength: 1, maxLength: 40 }) }), { maxLength: 3 }),
});
const round = fc.record({
  self: fc.boolean(),
  explicit: fc.option(fc.nat(100_000)),
  tasks: fc.option(fc.nat(300)),
  version: fc.option(fc.record({ snapshot: fc.boolean(), entries: fc.array(entry, { minLength: 1, maxLength: 3 }) })),
  step: fc.nat(10_000),
  probes: fc.array(probe, { minLength: 1, maxLength: 3 }).map((ps) => ps.flat()),
  assignment: fc.option(fc.array(u32, { maxLength: 6 })),
  refer: fc.boolean(),
});

type Round = typeof round extends fc.Arbitrary<infer T> ? T : never;

function message(r: Round, last: readonly Probe[] | undefined): RoundMessage {
  const entries: SeedLogEntry[] = (r.version?.entries ?? []).map((e) => (e.failed ? { step: e.step, failed: true as const, writes: e.writes } : { step: e.step, writes: e.writes }));
  // Half of the time the first write is along the first probe of the round before (as MeZO's is).
  const first = entries[0]?.writes[0];
  const d0 = last?.[0]?.direction;
  if (r.refer && first !== undefined && d0 !== undefined && (d0.kind === 'gaussian' || d0.kind === 'rademacher')) {
    entries[0] = { ...entries[0]!, writes: [{ d: [d0.kind, d0.seed], a: first.a }, ...entries[0]!.writes.slice(1)] };
  }
  return {
    kind: 'round',
    ...(r.explicit === null ? {} : { round: r.explicit }),
    ...(r.tasks === null ? {} : { tasks: r.tasks }),
    selfContained: r.self,
    ...(r.version === null ? {} : { version: { fingerprint: 'a1b2c3d4e5f6', snapshot: r.version.snapshot, ...(r.version.snapshot ? {} : { entries }) } }),
    step: r.step,
    probes: r.probes,
    ...(r.assignment === null ? {} : { assignment: r.assignment }),
  };
}

describe('the lean transport\'s round messages', () => {
  test('a sequence of rounds, agains and ends decodes to what was encoded (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(round, fc.constant('again' as const), fc.constant('end' as const)), { minLength: 1, maxLength: 6 }), (items) => {
        const sender = new RoundCodec();
        const receiver = new RoundCodec();
        let last: readonly Probe[] | undefined;
        for (const item of items) {
          const m: RoundMessage = item === 'again' ? { kind: 'again', round: 7, assignment: [1, 2] } : item === 'end' ? { kind: 'end' } : message(item, last);
          const got = receiver.decode(sender.encode(m));
          expect(got.kind).toBe(m.kind);
          expect(got.round).toBe(m.round);
          expect(got.tasks).toBe(m.tasks);
          expect(got.assignment).toEqual(m.assignment);
          if (m.kind !== 'round') continue;
          expect(got.step).toBe(m.step);
          expect(got.probes).toEqual(m.probes);
          if (m.version === undefined) expect(got.version).toBeUndefined();
          else {
            expect(got.version!.fingerprint).toBe(m.version.fingerprint.slice(0, 2 * FINGERPRINT_BYTES));
            expect(got.version!.snapshot).toBe(m.version.snapshot);
            if (!m.version.snapshot) expect(got.version!.entries).toEqual(m.version.entries);
          }
          last = m.probes;
        }
      }),
      fcOptions(200),
    );
  });

  test('a data-parallel MeZO step costs 25 bytes: fingerprint, seed-log entry, ± pair', () => {
    const codec = new RoundCodec();
    const pair = (seed: number, noise: number): Probe[] => [
      { direction: { kind: 'gaussian', seed }, scale: 1e-3, noiseKey: noise },
      { direction: { kind: 'gaussian', seed }, scale: -1e-3, noiseKey: noise },
    ];
    codec.encode({ kind: 'round', round: 0, tasks: 2, selfContained: true, version: { fingerprint: '00112233aabb', snapshot: true }, step: 0, probes: pair(11, 12), assignment: [5, 6] });
    const step = (k: number): Buffer =>
      codec.encode({
        kind: 'round',
        version: { fingerprint: '445566778899', snapshot: false, entries: [{ step: k - 1, writes: [{ d: ['gaussian', 10 * k + 1], a: [-0.0123 * k] }] }] },
        step: k,
        probes: pair(10 * (k + 1) + 1, 10 * (k + 1) + 2),
      });
    expect(step(1).length).toBe(26); // the first entry after the base carries its step
    // ctl 1 + fingerprint 4 + entry (head, write code, alpha) 10 + probes (head, code, seed, noise) 10
    expect(step(2).length).toBe(25);
  });

  test('an answer carries the handle, task, round and exact float64 values', () => {
    const a = encodeAnswer('abc', 40, 300, [Math.PI, -0]);
    const r = new ByteReader(a, 3);
    expect(a.subarray(0, 3).toString('latin1')).toBe('abc');
    expect(r.u8()).toBe(3 | (31 << 3));
    expect(r.varint()).toBe(40);
    expect(r.varint()).toBe(300);
    expect(r.f64()).toBe(Math.PI);
    expect(Object.is(r.f64(), -0)).toBe(true);
    r.end();
  });

  test('varints up to 2^53 round-trip; a truncated message fails clearly', () => {
    const w = new ByteWriter();
    for (const v of [0, 127, 128, 16383, 16384, 2 ** 32, 2 ** 53 - 1]) w.varint(v);
    const r = new ByteReader(w.done());
    for (const v of [0, 127, 128, 16383, 16384, 2 ** 32, 2 ** 53 - 1]) expect(r.varint()).toBe(v);
    expect(() => new RoundCodec().decode(Buffer.from([0x40 | 0x10, 1, 2]))).toThrow(/malformed/);
  });
});
