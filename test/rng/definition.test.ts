import { describe, expect, test } from 'vitest';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { lowbias32 } from '../../src/rng/lowbias32.js';
import { rademacherAt } from '../../src/rng/rademacher.js';
import { streamKey, streamWord } from '../../src/rng/streamKey.js';

const bits = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0]!;

describe('canonical RNG known answers (src/rng/DEFINITION.md)', () => {
  test('lowbias32', () => {
    expect([0, 1, 42, 0xffffffff].map(lowbias32)).toEqual([0x00000000, 0x688990c0, 0x172733c2, 0x6768824a]);
  });
  test('stream keys and words', () => {
    const k = streamKey(0, 0, 0);
    expect([k.k1, k.k2]).toEqual([0x11c3ac09, 0x5ccf2a6a]);
    expect([0, 1, 2].map((i) => streamWord(k.k1, k.k2, i))).toEqual([0xa5a339e1, 0xb8ed19a2, 0xe76d35ed]);
    const k42 = streamKey(42, 0, 0);
    expect([k42.k1, k42.k2]).toEqual([0x75258378, 0x93ee76e9]);
    expect([0, 1, 2].map((i) => streamWord(k42.k1, k42.k2, i))).toEqual([0x5734a726, 0xcaf8fa1d, 0x36bf9c2c]);
    expect(streamKey(42, 0, 1)).toEqual({ k1: 0x1586f00f, k2: 0x94d27aad });
    expect(streamKey(42, 1, 0)).toEqual({ k1: 0x8dd7063b, k2: 0x0c3eb8d7 });
    expect(streamKey(1234, 2, 3)).toEqual({ k1: 0xac71d0fc, k2: 0x8183f2ad });
  });
  test('Gaussian elements', () => {
    const g = (seed: number, block: number) => Array.from({ length: 6 }, (_, i) => bits(gaussianAt(seed, block, i)));
    expect(g(42, 0)).toEqual([0xbf39673b, 0xbfa36276, 0x3fdc1720, 0x3eb769ba, 0xbff2f1be, 0xbebe43df]);
    expect(g(42, 1)).toEqual([0x3fea9aed, 0x3fd8f5fb, 0xbf7bd696, 0xbece2956, 0xbff1dccb, 0x3e5a9b35]);
    expect(g(7, 0)).toEqual([0x3f3e7e5d, 0xbfb21143, 0xbeb7558e, 0x3e16e71e, 0xbf31d616, 0x3f70a28a]);
  });
  test('Rademacher elements', () => {
    const r = (seed: number, block: number) => Array.from({ length: 40 }, (_, i) => (rademacherAt(seed, block, i) > 0 ? '+' : '-')).join('');
    expect(r(42, 0)).toBe('+--+-++-++++--++--+---++--+--++--+++-+++');
    expect(r(42, 1)).toBe('++-++--+---++-++--+-+-+--+--+++----+-+--');
  });
});
