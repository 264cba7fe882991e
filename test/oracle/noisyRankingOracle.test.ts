import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidHyperparameter } from '../../src/errors.js';
import { noisyRankingOracle, type NoisyRankingOracleOptions } from '../../src/index.js';
import type { EvalContext } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';

type X = number;
const id = (x: X): number => x;
const models = ['plackettLuce', 'bradleyTerry'] as const;

/** Frequencies of each returned order over N contexts. */
async function frequencies(values: number[], options: NoisyRankingOracleOptions, N: number): Promise<Map<string, number>> {
  const judge = noisyRankingOracle(id, options);
  const counts = new Map<string, number>();
  for (let s = 0; s < N; s++) {
    const order = Array.from(await judge.rank(values, { noiseSeed: s, step: s % 7 })).join(',');
    counts.set(order, (counts.get(order) ?? 0) + 1);
  }
  return counts;
}

/** |p̂ − p| within 5 binomial standard errors. */
function expectProportion(count: number, N: number, p: number): void {
  expect(Math.abs(count / N - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
}

describe('noisyRankingOracle', () => {
  test('the example runs', async () => {
    const judge = noisyRankingOracle((x: Float32Array) => x[0]! ** 2, { temperature: 0.1, seed: 1 });
    const order = await judge.rank([Float32Array.of(1), Float32Array.of(0)], { noiseSeed: 0, step: 0 });
    expect(Array.from(order).sort()).toEqual([0, 1]);
  });

  test('m = 2: P(a ranked above b) is the Bradley–Terry 1/(1 + exp((f_a − f_b)/T)) in both models (MC, 5 s.e.)', async () => {
    const N = 20000;
    for (const model of models) {
      for (const [fa, fb, T] of [
        [0, 0.5, 1],
        [1, 0.2, 0.5],
        [3, 3, 2],
      ] as const) {
        const counts = await frequencies([fa, fb], { model, temperature: T, seed: 42 }, N);
        expectProportion(counts.get('0,1') ?? 0, N, 1 / (1 + Math.exp((fa - fb) / T)));
      }
    }
  });

  test('Plackett–Luce: every order of 3 has probability Πₜ wₜ / Σ_{s ≥ t} w_s with w = exp(−f/T) (MC, 5 s.e.)', async () => {
    const f = [0.3, 0, 1];
    const T = 0.5;
    const w = f.map((v) => Math.exp(-v / T));
    const N = 30000;
    const counts = await frequencies(f, { model: 'plackettLuce', temperature: T, seed: 7 }, N);
    for (const order of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
      const p = (w[order[0]!]! / (w[0]! + w[1]! + w[2]!)) * (w[order[1]!]! / (w[order[1]!]! + w[order[2]!]!));
      expectProportion(counts.get(order.join(',')) ?? 0, N, p);
    }
  });

  test('Bradley–Terry tournament of 3: a candidate wins all its matches with probability Π of its pairwise BT odds', async () => {
    const f = [0, 0.4, 1];
    const T = 0.5;
    const bt = (a: number, b: number) => 1 / (1 + Math.exp((f[a]! - f[b]!) / T));
    const N = 20000;
    const counts = await frequencies(f, { model: 'bradleyTerry', temperature: T, seed: 9 }, N);
    // Candidate 2 is ranked first with 2 wins only if it beats both others (a 1-1-1 cycle puts candidate 0 first).
    const firstIs2 = [...counts].filter(([k]) => k.startsWith('2,')).reduce((s, [, c]) => s + c, 0);
    expectProportion(firstIs2, N, bt(2, 0) * bt(2, 1));
  });

  test('deterministic: equal seed and context give equal rankings; the seed, noiseSeed and step all matter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...models), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), async (model, seed, noiseSeed) => {
        const values = Array.from({ length: 8 }, (_, i) => Math.sin(i) * 0.1);
        const ctx: EvalContext = { noiseSeed, step: 3 };
        const a = await noisyRankingOracle(id, { model, temperature: 1, seed }).rank(values, ctx);
        const b = await noisyRankingOracle(id, { model, temperature: 1, seed }).rank(values, { ...ctx });
        expect(Array.from(b)).toEqual(Array.from(a));
      }),
      fcOptions(50),
    );
    const values = Array.from({ length: 8 }, (_, i) => Math.sin(i) * 0.1);
    const rank = async (seed: number, ctx: EvalContext) => Array.from(await noisyRankingOracle(id, { temperature: 1, seed }).rank(values, ctx)).join();
    const base = await rank(1, { noiseSeed: 0, step: 0 });
    const differs = async (make: (i: number) => Promise<string>) => {
      for (let i = 1; i < 20; i++) if ((await make(i)) !== base) return true;
      return false;
    };
    expect(await differs((i) => rank(1 + i, { noiseSeed: 0, step: 0 }))).toBe(true);
    expect(await differs((i) => rank(1, { noiseSeed: i, step: 0 }))).toBe(true);
    expect(await differs((i) => rank(1, { noiseSeed: 0, step: i }))).toBe(true);
  });

  test('temperature → 0 recovers the exact ranking (ties by index); topK keeps the best k', async () => {
    const values = [0.3, -1, 7, 0.3, 2, -1e-3];
    for (const model of models) {
      for (const temperature of [0, 1e-9]) {
        for (let s = 0; s < 20; s++) {
          const order = await noisyRankingOracle(id, { model, temperature, seed: s }).rank(values, { noiseSeed: s, step: 0 });
          if (temperature === 0) expect(Array.from(order)).toEqual([1, 5, 0, 3, 4, 2]);
          else {
            // Only the exact tie (candidates 0 and 3) may be reordered by the noise.
            const o = Array.from(order);
            expect([...o.slice(0, 2), ...o.slice(2, 4).sort(), ...o.slice(4)]).toEqual([1, 5, 0, 3, 4, 2]);
          }
        }
      }
      const top = await noisyRankingOracle(id, { model, temperature: 0, seed: 0, topK: 2 }).rank(values, { noiseSeed: 0, step: 0 });
      expect(Array.from(top)).toEqual([1, 5]);
      const all = await noisyRankingOracle(id, { model, temperature: 0, seed: 0, topK: 10 }).rank(values, { noiseSeed: 0, step: 0 });
      expect(all).toHaveLength(6);
    }
  });

  test('values receive each candidate and the context; async values work', async () => {
    const seen: [number, EvalContext][] = [];
    const judge = noisyRankingOracle(async (x: X, c: EvalContext) => (seen.push([x, c]), -x), { temperature: 0, seed: 0 });
    const order = await judge.rank([1, 3, 2], { noiseSeed: 5, step: 2 });
    expect(Array.from(order)).toEqual([1, 2, 0]);
    expect(seen).toEqual([
      [1, { noiseSeed: 5, step: 2 }],
      [3, { noiseSeed: 5, step: 2 }],
      [2, { noiseSeed: 5, step: 2 }],
    ]);
  });

  test('options are validated', () => {
    const bad: [unknown, string][] = [
      [{ temperature: -1, seed: 0 }, 'temperature'],
      [{ temperature: Number.NaN, seed: 0 }, 'temperature'],
      [{ temperature: Infinity, seed: 0 }, 'temperature'],
      [{ seed: 0 }, 'temperature'],
      [{ temperature: 1 }, 'seed'],
      [{ temperature: 1, seed: -1 }, 'seed'],
      [{ temperature: 1, seed: 0, model: 'thurstone' }, 'model'],
      [{ temperature: 1, seed: 0, topK: 0 }, 'topK'],
      [undefined, 'options'],
    ];
    for (const [options, parameter] of bad) {
      try {
        noisyRankingOracle(id, options as NoisyRankingOracleOptions);
        expect.unreachable(`accepted ${JSON.stringify(options)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidHyperparameter);
        expect((e as InvalidHyperparameter).parameter).toBe(parameter);
      }
    }
    expect(() => noisyRankingOracle(42 as never, { temperature: 1, seed: 0 })).toThrow(InvalidHyperparameter);
  });
});
