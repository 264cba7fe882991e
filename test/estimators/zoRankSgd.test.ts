import { describe, expect, test } from 'vitest';
import { rankWeights } from '../../estimators/_internal/rankWeights.js';
import { zoRankSgd, type ZoRankSgdOptions, type ZoRankSgdState } from '../../estimators/zoRankSgd.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { InvalidHyperparameter, OracleMismatch } from '../../src/errors.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { identity, minimize, noisyRankingOracle, optimizer, rankingFromValues, rankingOracle, sgd, valueOracle } from '../../src/index.js';
import type { Params, ProbeBatch, Update } from '../../src/types.js';
import { densify } from '../laws/_internal/estimate.js';
import { flatten, paramsFrom } from '../laws/_internal/quadratic.js';

const be = cpuBackend();
const sphere = (p: Params): number => flatten(p).reduce((s, v, i) => s + (i + 1) * (v - 0.5) ** 2, 0);
const ranked = (order: number[]) => ({ kind: 'ranking' as const, order: Int32Array.from(order) });
const coeffsOf = (u: Update | undefined): number[] => (u?.kind === 'implicit' ? u.terms.map((t) => t.coeff) : []);
const seedsOf = (batch: ProbeBatch): number[] => batch.probes.map((p) => (p.direction.kind === 'gaussian' ? p.direction.seed : -1));

describe('zoRankSgd', () => {
  test('the TSDoc example runs and both forms approach the minimiser', async () => {
    const f = (x: Float32Array) => (x[0]! - 1) ** 2 + x[1]! ** 2;
    const a = await minimize(f, [0, 0], { estimator: zoRankSgd({ normalize: true }), update: sgd(0.05), oracle: 'ranking', budget: { queries: 1200 }, seed: 1 });
    const b = await minimize(f, [0, 0], {
      estimator: zoRankSgd({ normalize: true, lineSearch: { initialStep: 0.5 } }),
      update: identity(),
      oracle: 'ranking',
      budget: { queries: 1200 },
      seed: 1,
    });
    expect(a.value).toBeLessThan(1e-2);
    expect(b.value).toBeLessThan(1e-3);
    expect(b.history.every((h) => Number.isNaN(h.value))).toBe(true);
  });

  test('R-2 regression: m = 6, k = 3 gives the DAG weights [5, 3, 1, −3, −3, −3] (not the app code’s [6, 4, 2, …])', () => {
    const r = rankWeights(6, [0, 1, 2]);
    expect(Array.from(r.weights)).toEqual([5, 3, 1, -3, -3, -3]);
    expect(r.edges).toBe(12);
    expect(r.k).toBe(3);
    expect(Array.from(rankWeights(6, [5, 4, 3, 2, 1, 0]).weights)).toEqual([-5, -3, -1, 1, 3, 5]);
  });

  test('the estimate is ĝ = −d = Σ −wᵢ/|E| · ξᵢ in candidate order; k = min(topK, what the oracle returned)', () => {
    const p = paramsFrom([0, 0, 0], [3]);
    for (const topK of [6, 3]) {
      const est = zoRankSgd({ topK });
      const batch = est.propose(est.init(p), p, 99);
      expect(batch.response).toBe('ranking');
      expect(batch.probes).toHaveLength(6);
      // The oracle returns 3 indices: k = 3 is used.
      const c = est.combine(est.init(p), batch, ranked([0, 1, 2]), p);
      expect(coeffsOf(c.update)).toEqual([5, 3, 1, -3, -3, -3].map((w) => -w / 12));
      expect(c.update?.kind === 'implicit' && c.update.terms.map((t) => (t.direction.kind === 'gaussian' ? t.direction.seed : -1))).toEqual(seedsOf(batch));
      expect(Number.isNaN(c.value)).toBe(true);
      expect(c.final).toBeUndefined();
    }
    // topK = 1 truncates a longer ranking to its best candidate: w = [5, −1, −1, −1, −1, −1], |E| = 5.
    const top1 = zoRankSgd({ topK: 1 });
    const b1 = top1.propose(top1.init(p), p, 99);
    expect(coeffsOf(top1.combine(top1.init(p), b1, ranked([0, 1, 2]), p).update)).toEqual([5, -1, -1, -1, -1, -1].map((w) => -w / 5));
    // A full ranking of 6: w = [5, 3, 1, −1, −3, −5], |E| = 15, listed by candidate.
    const est = zoRankSgd();
    const batch = est.propose(est.init(p), p, 5);
    const c = est.combine(est.init(p), batch, ranked([3, 0, 5, 1, 4, 2]), p);
    const w = [3, -1, -5, 5, -3, 1];
    expect(coeffsOf(c.update)).toEqual(w.map((v) => -v / 15));
  });

  test('a zero weight (middle rank, m odd) adds no term', () => {
    const p = paramsFrom([0, 0], [2]);
    const est = zoRankSgd({ numCandidates: 5 });
    const batch = est.propose(est.init(p), p, 1);
    const c = est.combine(est.init(p), batch, ranked([4, 3, 2, 1, 0]), p);
    expect(coeffsOf(c.update)).toEqual([4, 2, -2, -4].map((v) => v / 10));
  });

  test('normalize divides by ‖d‖: the dense estimate has unit norm', () => {
    const p = paramsFrom([0.1, 0.2, 0.3, 0.4], [1, 3]);
    const est = zoRankSgd({ normalize: true, numCandidates: 4 });
    const batch = est.propose(est.init(p), p, 17);
    const c = est.combine(est.init(p), batch, ranked([2, 0]), p);
    expect(Math.hypot(...densify(c.update!, p))).toBeCloseTo(1, 6);
  });

  test('sigma sets the candidate radius (a schedule of the step); queriesPerStep is m, or 2m with the line search', () => {
    const p = paramsFrom([0, 0], [2]);
    const est = zoRankSgd({ sigma: (k) => 0.1 / (k + 1), numCandidates: 4 });
    let state = est.init(p);
    for (let k = 0; k < 3; k++) {
      const batch = est.propose(state, p, k);
      expect(batch.probes.map((q) => q.scale)).toEqual([0.1 / (k + 1), 0.1 / (k + 1), 0.1 / (k + 1), 0.1 / (k + 1)]);
      state = est.combine(state, batch, ranked([0, 1, 2, 3]), p).state;
    }
    expect(zoRankSgd({ numCandidates: 7 }).queriesPerStep(p)).toBe(7);
    expect(zoRankSgd({ numCandidates: 7, lineSearch: true }).queriesPerStep(p)).toBe(14);
  });

  test('options are validated and errors name the option', () => {
    const bad: [ZoRankSgdOptions, string][] = [
      [{ numCandidates: 1 }, 'numCandidates'],
      [{ numCandidates: 2.5 }, 'numCandidates'],
      [{ topK: 0 }, 'topK'],
      [{ topK: 7 }, 'topK'],
      [{ sigma: -1 }, 'sigma'],
      [{ sigma: Number.NaN }, 'sigma'],
      [{ normalize: 'yes' as never }, 'normalize'],
      [{ shuffleDisplay: 1 as never }, 'shuffleDisplay'],
      [{ lineSearch: 'on' as never }, 'lineSearch'],
      [{ lineSearch: true, numCandidates: 2 }, 'numCandidates'],
      [{ lineSearch: { shrink: 1 } }, 'lineSearch.shrink'],
      [{ lineSearch: { shrink: 0 } }, 'lineSearch.shrink'],
      [{ lineSearch: { initialStep: 0 } }, 'lineSearch.initialStep'],
    ];
    for (const [options, parameter] of bad) {
      expect(() => zoRankSgd(options)).toThrow(InvalidHyperparameter);
      try {
        zoRankSgd(options);
      } catch (e) {
        expect((e as InvalidHyperparameter).parameter).toBe(parameter);
      }
    }
  });

  test('a values answer, a bad ranking or a foreign batch is refused', () => {
    const p = paramsFrom([0, 0], [2]);
    const est = zoRankSgd({ numCandidates: 3 });
    const batch = est.propose(est.init(p), p, 1);
    expect(() => est.combine(est.init(p), batch, { kind: 'values', values: new Float64Array(3) }, p)).toThrow(OracleMismatch);
    expect(() => est.combine(est.init(p), batch, ranked([0, 0]), p)).toThrow(OracleMismatch);
    expect(() => est.combine(est.init(p), batch, ranked([3]), p)).toThrow(OracleMismatch);
    expect(() => est.combine(est.init(p), batch, ranked([]), p)).toThrow(OracleMismatch);
    expect(() => est.combine(est.init(p), { ...batch, probes: batch.probes.slice(1) }, ranked([0]), p)).toThrow(/numCandidates/);
  });

  describe('line search', () => {
    const m = 5;
    const est = zoRankSgd({ numCandidates: m, sigma: 0.05, normalize: false, lineSearch: { initialStep: 0.4, shrink: 0.25 } });
    const p = paramsFrom([0.3, -0.2, 0.7, 1], [2, 2]);

    function estimateRound(state: ZoRankSgdState, seed: number, order: number[]) {
      const batch = est.propose(state, p, seed);
      const c = est.combine(state, batch, ranked(order), p);
      expect(c.update).toBeUndefined();
      return { batch, state: c.state };
    }

    test('proposes x, x + ηγʲd̄ (j = 0 … m − 3) and the best estimation candidate; moving there is a final implicit step', () => {
      const { batch: b1, state: s1 } = estimateRound(est.init(p), 11, [3, 1, 0, 4, 2]);
      expect(s1.phase).toBe('search');
      expect(s1.rounds).toBe(1);
      const b2 = est.propose(s1, p, 11);
      expect(b2.probes).toHaveLength(m);
      expect(b2.probes[0]!.direction.kind).toBe('none');
      expect(b2.probes.slice(1, m - 1).map((q) => q.scale)).toEqual([0.4, 0.1, 0.025]);
      expect(b2.probes.slice(1, m - 1).every((q) => q.direction.kind === 'dense')).toBe(true);
      expect(b2.probes[m - 1]!.direction).toEqual(b1.probes[3]!.direction);
      expect(b2.probes[m - 1]!.scale).toBe(0.05);
      // d̄ is the direction just estimated: the dense probe equals Σ wᵢ/|E| ξᵢ.
      const d = densify({ kind: 'implicit', terms: s1.seeds.map((seed, t) => ({ direction: { kind: 'gaussian', seed }, coeff: s1.coeffs[t]! })) }, p);
      const dir1 = b2.probes[1]!.direction;
      const dense = dir1.kind === 'dense' ? dir1.blocks.flatMap((x) => Array.from(x!)) : [];
      expect(dense).toHaveLength(4);
      dense.forEach((v, i) => expect(v).toBeCloseTo(d[i]!, 6));

      // Step j = 1 ranked best: x moves by 0.1·d̄, as a final implicit update; the average is reset.
      const c = est.combine(s1, b2, ranked([2, 0]), p);
      expect(c.final).toBe(true);
      expect(c.state).toMatchObject({ phase: 'estimate', rounds: 0, seeds: [], step: 1 });
      densify(c.update!, p).forEach((v, i) => expect(v).toBeCloseTo(0.1 * d[i]!, 6));

      // The best estimation candidate ranked best: the step is exactly its probe, bit for bit.
      const c2 = est.combine(s1, b2, ranked([m - 1]), p);
      expect(c2.final).toBe(true);
      const moved = be.copy(p);
      const probed = be.copy(p);
      be.perturbInPlace(b2.probes[m - 1]!.direction, b2.probes[m - 1]!.scale, probed);
      for (const t of c2.update!.kind === 'implicit' ? c2.update!.terms : []) be.perturbInPlace(t.direction, t.coeff, moved);
      expect(flatten(moved)).toEqual(flatten(probed));
    });

    test('x ranked best: no move, and the next line search uses the average of the directions at this x', () => {
      const { state: s1 } = estimateRound(est.init(p), 21, [0, 1, 2, 3, 4]);
      const stay = est.combine(s1, est.propose(s1, p, 21), ranked([0, 3]), p);
      expect(stay.final).toBe(true);
      expect(stay.update).toEqual({ kind: 'implicit', terms: [] });
      expect(stay.state).toMatchObject({ phase: 'estimate', rounds: 1, step: 1 });
      const { state: s2 } = estimateRound(stay.state, 22, [4, 3, 2, 1, 0]);
      expect(s2.rounds).toBe(2);
      expect(s2.seeds).toHaveLength(8);
      const b = est.propose(s2, p, 22);
      const avg = densify({ kind: 'implicit', terms: s2.seeds.map((seed, t) => ({ direction: { kind: 'gaussian', seed }, coeff: s2.coeffs[t]! / 2 })) }, p);
      const dir = b.probes[1]!.direction;
      const dense = dir.kind === 'dense' ? dir.blocks.flatMap((x) => Array.from(x!)) : [];
      dense.forEach((v, i) => expect(v).toBeCloseTo(avg[i]!, 6));
      // Moving along the average uses both rounds' seeded directions.
      const move = est.combine(s2, b, ranked([1]), p);
      expect(move.update?.kind === 'implicit' && move.update.terms).toHaveLength(8);
      densify(move.update!, p).forEach((v, i) => expect(v).toBeCloseTo(0.4 * avg[i]!, 6));
      // The previous state is untouched (combine returns new objects).
      expect(s1.seeds).toHaveLength(4);
    });

    test('with normalize, the line-search candidates are at distances η γʲ', async () => {
      const e = zoRankSgd({ numCandidates: 4, normalize: true, lineSearch: { initialStep: 2 } });
      const q = paramsFrom([1, 2, 3, 4, 5], [5]);
      const b1 = e.propose(e.init(q), q, 3);
      const s1 = e.combine(e.init(q), b1, ranked([1, 2, 0, 3]), q).state;
      const b2 = e.propose(s1, q, 3);
      for (const [j, probe] of b2.probes.slice(1, 3).entries()) {
        const z = be.zerosLike(q);
        be.perturbInPlace(probe.direction, probe.scale, z);
        expect(Math.hypot(...flatten(z))).toBeCloseTo(2 * 0.5 ** j, 5);
      }
      const r = await evaluateProbes(be, q, b2, rankingFromValues(valueOracle(sphere)), { step: 0 });
      expect(r.queries).toBe(4);
    });
  });

  test('top-k oracles: a ranking oracle that returns only the best 2 of 6 drives the descent', async () => {
    const f = valueOracle(sphere);
    const oracle = rankingFromValues(f, { topK: 2 });
    const opt = optimizer({ estimator: zoRankSgd({ topK: 2, normalize: true }), update: sgd(0.02) });
    const p = paramsFrom([2, -1, 0, 1], [4]);
    const f0 = sphere(p);
    let st = opt.init(p, 5);
    for (let k = 0; k < 150; k++) st = (await opt.step(p, oracle, st)).state;
    expect(sphere(p)).toBeLessThan(0.05 * f0);
  });

  test('with a noisy (Plackett–Luce) judge the line search still makes progress', async () => {
    const p = paramsFrom([2, -1, 0, 1], [4]);
    const f0 = sphere(p);
    const judge = noisyRankingOracle(sphere, { temperature: 0.01, seed: 3 });
    const opt = optimizer({ estimator: zoRankSgd({ normalize: true, lineSearch: { initialStep: 0.5 } }), update: identity() });
    let st = opt.init(p, 9);
    for (let k = 0; k < 100; k++) st = (await opt.step(p, judge, st)).state;
    expect(sphere(p)).toBeLessThan(0.05 * f0);
  });

  test('an oracle answering on displayed positions is unshuffled: shuffled and plain runs agree', async () => {
    const p1 = paramsFrom([1, 1, 1], [3]);
    const p2 = paramsFrom([1, 1, 1], [3]);
    const xFirst: boolean[] = [];
    const spy = rankingOracle(async (xs: readonly Params[], c) => {
      xFirst.push(flatten(xs[0]!).every((v, i) => v === p1[0]!.data[i]));
      return rankingFromValues(valueOracle(sphere)).rank(xs, c);
    });
    const a = optimizer({ estimator: zoRankSgd({ lineSearch: true, normalize: true, shuffleDisplay: true }), update: identity() });
    const b = optimizer({ estimator: zoRankSgd({ lineSearch: true, normalize: true }), update: identity() });
    let sa = a.init(p1, 4);
    let sb = b.init(p2, 4);
    for (let k = 0; k < 5; k++) {
      sa = (await a.step(p1, spy, sa)).state;
      sb = (await b.step(p2, rankingFromValues(valueOracle(sphere)), sb)).state;
    }
    expect(flatten(p1)).toEqual(flatten(p2));
    // Unshuffled, x is the first line-search candidate; shuffled, it is not always shown first.
    expect(xFirst.filter((_, i) => i % 2 === 1).some((first) => !first)).toBe(true);
  });
});
