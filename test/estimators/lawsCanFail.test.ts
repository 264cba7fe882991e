import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import type { Estimator } from '../../src/estimator.js';
import { estimatorLaws } from '../laws/estimatorLaws.js';

/** Wraps an estimator and corrupts it, to check that the laws notice. */
let calls = 0; // shared across builds: hidden state, as a global RNG would be

function corrupt(base: Estimator<unknown>, how: 'scale' | 'flip' | 'extraQuery' | 'random'): Estimator<unknown> {
  return {
    ...base,
    propose(state, params, seed) {
      const b = base.propose(state, params, how === 'random' ? seed + calls++ : seed);
      return how === 'extraQuery' ? { ...b, probes: [...b.probes, b.probes[0]!] } : b;
    },
    combine(state, batch, responses, params) {
      const r = base.combine(state, how === 'extraQuery' ? { ...batch, probes: batch.probes.slice(0, -1) } : batch, responses, params);
      if (r.update?.kind !== 'implicit') return r;
      const k = how === 'scale' ? 1.25 : how === 'flip' ? -1 : 1;
      return { ...r, update: { kind: 'implicit', terms: r.update.terms.map((t) => ({ ...t, coeff: k * t.coeff })) } };
    },
  };
}

const lawNamed = (e: () => Estimator<unknown>, part: string) =>
  estimatorLaws({ name: 'corrupt', build: e, unbiased: true, numRuns: 10 }).find((l) => l.name.includes(part))!;

describe('the estimator laws catch broken estimators', () => {
  test('a biased scale fails unbiasedness', async () => {
    await expect(lawNamed(() => corrupt(spsa({ distribution: 'gaussian' }), 'scale'), 'unbiased').run()).rejects.toThrow(/coordinate \d: mean/);
  });
  test('an ascent direction fails the descent law', async () => {
    await expect(lawNamed(() => corrupt(spsa(), 'flip'), 'lowers').run()).rejects.toThrow(/mean change/);
  });
  test('an undocumented query fails query accounting', async () => {
    await expect(lawNamed(() => corrupt(spsa(), 'extraQuery'), 'queriesPerStep').run()).rejects.toThrow(/documented 2, step reported 3/);
  });
  test('hidden randomness fails determinism', async () => {
    const build = () => corrupt(spsa(), 'random');
    await expect(lawNamed(build, 'same seed').run()).rejects.toThrow(/differ for one seed/);
  });
});
