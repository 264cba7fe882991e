import { describe, expect, test } from 'vitest';
import { cge } from '../../estimators/cge.js';
import { exactGradient } from '../../estimators/exactGradient.js';
import { lozo } from '../../estimators/lozo.js';
import { lozoM } from '../../estimators/lozoM.js';
import { mezo } from '../../estimators/mezo.js';
import { spsa } from '../../estimators/spsa.js';
import { zoAdam } from '../../estimators/zoAdam.js';
import { zoRankSgd } from '../../estimators/zoRankSgd.js';
import { zoSgdCons } from '../../estimators/zoSgdCons.js';
import { zoSgdMomentum } from '../../estimators/zoSgdMomentum.js';
import { zoSgdSign } from '../../estimators/zoSgdSign.js';
import { zoSgdSignElementwise } from '../../estimators/zoSgdSignElementwise.js';
import type { Estimator } from '../../src/estimator.js';
import type { Params, Probe } from '../../src/types.js';
import { derived as D, gaussian, permutation, sample, tags } from './fromText.js';

// The table "Derived seeds" of src/rng/DEFINITION.md, checked against what each estimator proposes.
const s = 0x5aa38e10; // the first step seed of run seed 42
const params = (): Params => [
  { name: 'w', shape: [3, 4], data: new Float32Array(12).fill(0.5) },
  { name: 'b', shape: [4], data: new Float32Array(4).fill(-0.25) },
];
const seedOf = (p: Probe): number | undefined => ('seed' in p.direction ? p.direction.seed : undefined);
const summary = (e: Estimator<unknown>, state?: unknown): { kind: string; seed: number | undefined; sign: number; key: number }[] =>
  e.propose(state ?? e.init(params()), params(), s).probes.map((p) => ({ kind: p.direction.kind, seed: seedOf(p), sign: Math.sign(p.scale), key: p.noiseKey }));

describe('each estimator derives its seeds as the definition says', () => {
  test('spsa: central and forward, with and without common random numbers', () => {
    const central = (crn: boolean) => Array.from({ length: 3 }, (_, j) => [
      { kind: 'gaussian', seed: D(s, j, 0), sign: 1, key: crn ? D(s, j, 1) : D(s, 2 * j, 1) },
      { kind: 'gaussian', seed: D(s, j, 0), sign: -1, key: crn ? D(s, j, 1) : D(s, 2 * j + 1, 1) },
    ]).flat();
    expect(summary(spsa({ distribution: 'gaussian', numProbes: 3 }))).toEqual(central(true));
    expect(summary(spsa({ distribution: 'gaussian', numProbes: 3, commonRandomNumbers: false }))).toEqual(central(false));
    const forward = (crn: boolean) => [
      { kind: 'none', seed: undefined, sign: 0, key: D(s, 0, 1) },
      ...Array.from({ length: 3 }, (_, j) => ({ kind: 'rademacher', seed: D(s, j, 0), sign: 1, key: crn ? D(s, 0, 1) : D(s, j + 1, 1) })),
    ];
    expect(summary(spsa({ difference: 'forward', numProbes: 3 }))).toEqual(forward(true));
    expect(summary(spsa({ difference: 'forward', numProbes: 3, commonRandomNumbers: false }))).toEqual(forward(false));
  });

  test('MeZO and the ZO-Bench two-point variants; zoSgdCons; exactGradient', () => {
    const pair = [
      { kind: 'gaussian', seed: D(s, 0, 0), sign: 1, key: D(s, 0, 1) },
      { kind: 'gaussian', seed: D(s, 0, 0), sign: -1, key: D(s, 0, 1) },
    ];
    for (const e of [mezo(), zoSgdSign(), zoSgdSignElementwise(), zoSgdMomentum(), zoAdam()]) expect(summary(e)).toEqual(pair);
    expect(summary(mezo({ evaluateBase: true }))).toEqual([{ kind: 'none', seed: undefined, sign: 0, key: D(s, 0, 1) }, ...pair]);
    const cons = zoSgdCons({ learningRate: 0.1 });
    expect(summary(cons)).toEqual([{ kind: 'none', seed: undefined, sign: 0, key: D(s, 0, 1) }, ...pair]);
    expect(summary(cons, { step: 0, pending: { base: 1, p: 2 } })).toEqual([pair[1], pair[0]]);
    expect(summary(exactGradient())).toEqual([{ kind: 'none', seed: undefined, sign: 0, key: D(s, 0, 1) }]);
  });

  test('LOZO and LOZO-M: the low-rank seed, V from the lowRankV stream of D(s, 0, 2), one noise key', () => {
    for (const e of [lozo({ rank: 2 }), lozoM({ rank: 2 })]) {
      const probes = e.propose(e.init(params()), params(), s).probes;
      expect(probes.map((p) => [seedOf(p), Math.sign(p.scale), p.noiseKey])).toEqual([
        [D(s, 0, 0), 1, D(s, 0, 1)],
        [D(s, 0, 0), -1, D(s, 0, 1)],
      ]);
      const d = probes[0]!.direction;
      if (d.kind !== 'lowRank') throw new Error('not low-rank');
      // Block 0 is [3, 4]: V is 4 × 2; block 1 is 1-D: no V.
      expect(Array.from(d.v[0]!)).toEqual(Array.from({ length: 8 }, (_, i) => gaussian(D(s, 0, 2), tags.lowRankV, 0, i)));
      expect(d.v[1]).toBeUndefined();
    }
  });

  test('cge: noise keys by batch position, the drawn subset, random sparsity masks', () => {
    const all = cge({ commonRandomNumbers: false }).propose(cge().init(params()), params(), s).probes;
    expect(all.map((p) => p.noiseKey)).toEqual(all.map((_, p) => D(s, p, 1)));
    expect(all.map((p) => (p.direction.kind === 'coordinate' ? `${p.direction.block}:${p.direction.index}` : '?'))).toEqual(
      [...Array.from({ length: 12 }, (_, i) => `0:${i}`), ...Array.from({ length: 4 }, (_, i) => `1:${i}`)].flatMap((c) => [c, c]),
    );
    const some = cge({ numCoordinates: 5 }).propose(cge().init(params()), params(), s).probes;
    const ranks = sample(D(s, 0, 3), 0, 16, 5);
    expect(some.filter((_, i) => i % 2 === 0).map((p) => (p.direction.kind === 'coordinate' ? p.direction.block * 12 + p.direction.index : -1))).toEqual(ranks);
    expect(new Set(some.map((p) => p.noiseKey))).toEqual(new Set([D(s, 0, 1)]));
    const masked = cge({ sparsity: { ratio: 0.5, seed: 9, mode: 'random' } });
    const state = masked.init(params());
    expect(state.active?.map((a) => Array.from(a ?? []))).toEqual([sample(D(9, 0, 2), 0, 12, 6), sample(D(9, 0, 2), 1, 4, 2)]);
  });

  test('zoRankSgd: candidate seeds, the two rounds’ keys and the display permutation', () => {
    const m = 5;
    const plain = summary(zoRankSgd({ numCandidates: m }));
    expect(plain).toEqual(Array.from({ length: m }, (_, i) => ({ kind: 'gaussian', seed: D(s, i, 0), sign: 1, key: D(s, 0, 1) })));
    const shuffled = summary(zoRankSgd({ numCandidates: m, shuffleDisplay: true }));
    expect(shuffled.map((p) => p.seed)).toEqual(permutation(m, D(D(s, 0, 1), 0, 2)).map((c) => D(s, c, 0)));
    const ls = zoRankSgd({ numCandidates: m, lineSearch: true });
    const searching = { step: 0, phase: 'search', seeds: [D(s, 0, 0)], coeffs: [1], rounds: 1, best: D(s, 3, 0) };
    const search = summary(ls, searching);
    expect(search.map((p) => p.key)).toEqual(Array.from({ length: m }, () => D(s, 1, 1)));
    expect(search.map((p) => p.kind)).toEqual(['none', 'dense', 'dense', 'dense', 'gaussian']);
    expect(search[m - 1]!.seed).toBe(D(s, 3, 0));
    const lsShuffled = summary(zoRankSgd({ numCandidates: m, lineSearch: true, shuffleDisplay: true }), searching);
    const shown = permutation(m, D(D(s, 1, 1), 1, 2));
    expect(lsShuffled.map((p) => p.kind)).toEqual(shown.map((c) => search[c]!.kind));
  });
});
