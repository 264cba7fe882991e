import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cgeSample } from '../../estimators/_internal/cgeSample.js';
import { rankPermutation } from '../../estimators/_internal/rankPermutation.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Backend } from '../../src/backend/backend.js';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import { wasmSimdSupported } from '../../src/backend/wasm/wasmSimdSupported.js';
import { InvalidHyperparameter } from '../../src/errors.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { rademacherAt } from '../../src/rng/rademacher.js';
import { seedStream } from '../../src/rng/seedStream.js';
import { streamKey, streamWord } from '../../src/rng/streamKey.js';
import type { Direction, Params } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import * as text from './fromText.js';

const definition = readFileSync(new URL('../../src/rng/DEFINITION.md', import.meta.url), 'utf8');
const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const bits = (v: number): string => hex(new Uint32Array(new Float32Array([v]).buffer)[0]!);
const row = (input: string, output: string): string => `| ${input} | ${output} |`;
const seeds = fc.integer({ min: 0, max: 0xffffffff });
const backends: [string, Backend][] = [['cpu', cpuBackend()], ...(wasmSimdSupported() ? [['wasm', wasmBackend()] as [string, Backend]] : [])];

describe('src/rng/DEFINITION.md, implemented from its text, agrees with its known answers and with the library', () => {
  test('the known-answer table holds what the text gives', () => {
    const expected = [
      row('lowbias32(0), (1), (42), (0xffffffff)', [0, 1, 42, 0xffffffff].map((v) => hex(text.lowbias32(v))).join(', ')),
      row('keys (5, 5, 3)', (() => {
        const k = text.keys(5, 5, 3);
        return `k1 ${hex(k.k1)}, k2 ${hex(k.k2)}; words ${hex(text.word(k, 0))} ${hex(text.word(k, 1))}`;
      })()),
      row('Gaussian seed 7 block 0, elements 0–5', [0, 1, 2, 3, 4, 5].map((i) => bits(text.gaussian(7, 0, 0, i))).join(' ')),
      row('Gaussian of stream lowRankU, seed 42 block 0, elements 0–5', [0, 1, 2, 3, 4, 5].map((i) => bits(text.gaussian(42, text.tags.lowRankU, 0, i))).join(' ')),
      row('Rademacher seed 42 block 1, elements 0–39', `\`${Array.from({ length: 40 }, (_, i) => (text.rademacher(42, 1, i) > 0 ? '+' : '-')).join('')}\``),
      row(
        'low-rank seed 42, rank 2, block 0 of shape [3, 2], V = [1, 0.5, −1, 2], alpha 1, x = 0',
        Array.from(text.perturb({ kind: 'lowRank', seed: 42, rank: 2, v: [Float32Array.from([1, 0.5, -1, 2])] }, 1, [{ shape: [3, 2], data: new Float32Array(6) }])[0]!, bits).join(' '),
      ),
      row('Gaussian seed 42, x = [−0, 1, −0, −0], alpha 0, −0 or 1e-50', `x unchanged: ${Array.from(Float32Array.from([-0, 1, -0, -0]), bits).join(' ')}`),
      row('Gaussian seed 42, x = [−0, 1, −0, −0], alpha 1e-45 (f32: 2⁻¹⁴⁹)', Array.from(text.perturb({ kind: 'gaussian', seed: 42 }, 1e-45, [{ shape: [4], data: Float32Array.from([-0, 1, -0, -0]) }])[0]!, bits).join(' ')),
      row('step seeds of run seed 0, steps 0–2', text.stepSeeds(0, 3).map(hex).join(' ')),
      row('step seeds of run seed 42, steps 0–2', text.stepSeeds(42, 3).map(hex).join(' ')),
      row(
        'D(0, 0, 0), D(42, 0, 0), D(42, 1, 0), D(42, 0, 1), D(42, 0, 2), D(0xffffffff, 3, 2)',
        [[0, 0, 0], [42, 0, 0], [42, 1, 0], [42, 0, 1], [42, 0, 2], [0xffffffff, 3, 2]].map(([s, i, p]) => hex(text.derived(s!, i!, p!))).join(' '),
      ),
      row('permutation(6, seed 7)', `display ${text.permutation(6, 7).join(' ')}`),
      row('sample(7, block 0, n 10, k 3); sample(7, block 1, n 10, k 8)', `${text.sample(7, 0, 10, 3).join(' ')}; ${text.sample(7, 1, 10, 8).join(' ')}`),
    ];
    for (const line of expected) expect(definition).toContain(line);
    // The zero step of the table: alpha 0, −0 and 1e-50 all leave x as it is.
    for (const alpha of [0, -0, 1e-50]) {
      const out = text.perturb({ kind: 'gaussian', seed: 42 }, alpha, [{ shape: [4], data: Float32Array.from([-0, 1, -0, -0]) }])[0]!;
      expect(Array.from(out, bits)).toEqual(Array.from(Float32Array.from([-0, 1, -0, -0]), bits));
    }
  });

  test('stream keys, words, Gaussian elements of every stream and Rademacher signs', () => {
    fc.assert(
      fc.property(fc.record({ seed: seeds, stream: fc.integer({ min: 0, max: 6 }), block: fc.nat(40), element: fc.nat(5000) }), ({ seed, stream, block, element }) => {
        const k = text.keys(seed, stream, block);
        expect(streamKey(seed, stream, block)).toEqual(k);
        expect(streamWord(k.k1, k.k2, element)).toBe(text.word(k, element));
        expect(bits(gaussianAt(seed, block, element, stream))).toBe(bits(text.gaussian(seed, stream, block, element)));
        expect(rademacherAt(seed, block, element)).toBe(text.rademacher(seed, block, element));
      }),
      fcOptions(300),
    );
  });

  test.each(backends)('perturbations on the %s backend, bit for bit (flat row-major elements, block = position, zero steps)', (_name, be) => {
    const arb = fc.record({
      seed: seeds,
      kind: fc.constantFrom('gaussian' as const, 'rademacher' as const, 'lowRank' as const, 'coordinate' as const),
      shapes: fc.array(fc.oneof(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 7 })), fc.tuple(fc.integer({ min: 1, max: 40 }))), { minLength: 1, maxLength: 3 }),
      rank: fc.integer({ min: 1, max: 3 }),
      alpha: fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), fc.constantFrom(0, -0, 1e-50, -1e-50, 1e-45, -7e-46, 3e-46)),
      fill: fc.constantFrom('zeros' as const, 'negativeZeros' as const, 'values' as const),
    });
    fc.assert(
      fc.property(arb, ({ seed, kind, shapes, rank, alpha, fill }) => {
        const blocks = shapes.map((shape, b) => {
          const n = shape.reduce((a, s) => a * s, 1);
          const data = Float32Array.from({ length: n }, (_, i) => (fill === 'zeros' ? 0 : fill === 'negativeZeros' ? -0 : Math.sin(7 * i + b + seed)));
          return { name: `b${b}`, shape, data };
        });
        const v = shapes.map((shape, b) => (shape.length === 2 && b % 2 === 0 ? Float32Array.from({ length: shape[1]! * rank }, (_, i) => Math.cos(i + seed)) : undefined));
        const d: text.TextDirection & Direction =
          kind === 'lowRank' ? { kind, seed, rank, v } : kind === 'coordinate' ? { kind, block: seed % shapes.length, index: seed % blocks[seed % shapes.length]!.data.length } : { kind, seed };
        const want = text.perturb(d, alpha, blocks);
        const got: Params = be.copy(blocks);
        be.perturbInPlace(d, alpha, got);
        got.forEach((block, b) => expect(Array.from(be.read(block), bits)).toEqual(Array.from(want[b]!, bits)));
        be.dispose(got);
      }),
      fcOptions(200),
    );
  });

  test.each(backends)('the %s backend refuses a direction seed outside [0, 2³²), not an integer or NaN, even for a zero step', (_name, be) => {
    const x: Params = [{ name: 'x', shape: [3], data: new Float32Array(3) }];
    for (const seed of [NaN, -1, 2 ** 32, 2 ** 32 + 42, 1.5, Infinity]) {
      for (const d of [{ kind: 'gaussian', seed }, { kind: 'rademacher', seed }, { kind: 'lowRank', seed, rank: 1, v: [undefined] }] as Direction[]) {
        for (const alpha of [1, 0]) {
          expect(() => be.perturbInPlace(d, alpha, x)).toThrow(InvalidHyperparameter);
          expect(() => be.perturbInPlace(d, alpha, x)).toThrow(/Invalid direction\.seed/);
        }
      }
      expect(() => gaussianAt(seed, 0, 0)).toThrow(InvalidHyperparameter);
      expect(() => streamKey(seed, 0, 0)).toThrow(/never reduced modulo 2\^32/);
    }
    expect(Array.from(x[0]!.data)).toEqual([0, 0, 0]);
  });

  test('step seeds (Alea from the text) and derived seeds', () => {
    fc.assert(
      fc.property(fc.record({ runSeed: seeds, index: fc.nat(1000), purpose: fc.nat(10) }), ({ runSeed, index, purpose }) => {
        const stream = seedStream(runSeed);
        expect(Array.from({ length: 5 }, () => stream.next())).toEqual(text.stepSeeds(runSeed, 5));
        const s = text.stepSeeds(runSeed, 1)[0]!;
        expect(derivedSeed(s, index, purpose)).toBe(text.derived(s, index, purpose));
      }),
      fcOptions(100),
    );
  });

  test('mask stream: Floyd samples and Fisher–Yates display orders', () => {
    fc.assert(
      fc.property(fc.record({ seed: seeds, block: fc.nat(8), n: fc.integer({ min: 1, max: 60 }), k: fc.integer({ min: -1, max: 65 }) }), ({ seed, block, n, k }) => {
        expect(Array.from(cgeSample(seed, block, n, k))).toEqual(text.sample(seed, block, n, k));
        expect(Array.from(rankPermutation(n, seed))).toEqual(text.permutation(n, seed));
      }),
      fcOptions(200),
    );
  });
});
