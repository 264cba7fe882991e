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
    await expect(lawNamed(() => corrupt(spsa(), 'extraQuery'), 'queriesPerStep').run()).rejects.toThrow(/documented 2, probes 3/);
  });
  test('hidden randomness fails determinism, and the counterexample names its parts', async () => {
    const build = () => corrupt(spsa(), 'random');
    await expect(lawNamed(build, 'same seed').run()).rejects.toThrow(/differ for one seed/);
    await expect(lawNamed(build, 'same seed').run()).rejects.toThrow(/Counterexample: \[\{"layout":\[[\d,]+\],"seed":\d+,"quadratic":\d+\}\]/);
  });

  test('a hand-written estimator that divides by its own sigma passes every law but the realised-scale law', async () => {
    const sigma = 1e-3;
    const ownSigma: Estimator<null> = {
      name: 'ownSigma',
      response: 'values',
      queriesPerStep: () => 2,
      init: () => null,
      propose: (_state, _params, seed) => {
        const direction = { kind: 'gaussian' as const, seed };
        return { response: 'values', probes: [{ direction, scale: sigma, noiseKey: seed }, { direction, scale: -sigma, noiseKey: seed }] };
      },
      combine: (_state, batch, responses) => {
        if (responses.kind !== 'values') throw new Error('values expected');
        const [plus, minus] = responses.values;
        return { state: null, update: { kind: 'implicit', terms: [{ direction: batch.probes[0]!.direction, coeff: (plus! - minus!) / (2 * sigma) }] }, value: (plus! + minus!) / 2 };
      },
    };
    const laws = estimatorLaws({ name: 'ownSigma', build: () => ownSigma, unbiased: true, numRuns: 10 });
    const failed: string[] = [];
    for (const law of laws) {
      try {
        await law.run();
      } catch (e) {
        failed.push(`${law.name}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/realised scale/);
    const realised = laws.find((l) => l.name.includes('realised scale'))!;
    await expect(realised.run()).rejects.toThrow(/not by its own sigma/);
    await expect(realised.run()).rejects.toThrow(/Counterexample: \[\{"shapes":/);
  });

  test('an estimator whose combine never returns an update fails the query law after a bounded number of rounds', { timeout: 20_000 }, async () => {
    const never = (): Estimator<unknown> => ({ ...spsa(), combine: (state) => ({ state, update: undefined, value: 0 }) });
    await expect(lawNamed(never, 'queriesPerStep').run()).rejects.toThrow(/more than 100 rounds/);
    await expect(lawNamed(never, 'same seed').run()).rejects.toThrow(/more than 100 rounds/);
  });
});
