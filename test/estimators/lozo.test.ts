import { describe, expect, test } from 'vitest';
import { lozo, type LozoState } from '../../estimators/lozo.js';
import { spsa } from '../../estimators/spsa.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Backend } from '../../src/backend/backend.js';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { optimizer } from '../../src/optimizer.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { streams } from '../../src/rng/streams.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Direction, Params } from '../../src/types.js';
import { densify } from '../laws/_internal/estimate.js';
import { blocks, materialise, minus, noise, norm, quadratic } from './lozoHelpers.js';

const be = cpuBackend();
const MIXED = [[5, 4], [3], [2, 2, 2]] as const;

describe('lozo', () => {
  test('the TSDoc example runs and lowers f', async () => {
    const w = [{ name: 'W', shape: [8, 6], data: new Float32Array(48).fill(1) }];
    const f = valueOracle((p: typeof w) => p[0]!.data.reduce((s, v) => s + v * v, 0));
    const opt = optimizer({ estimator: lozo({ rank: 2, resampleEvery: 10 }), update: sgd(2e-3) });
    let state = opt.init(w, 7);
    for (let k = 0; k < 200; k++) state = (await opt.step(w, f, state)).state;
    expect(w[0]!.data.reduce((s, v) => s + v * v, 0)).toBeLessThan(0.5 * 48);
  });

  test('bad options throw InvalidHyperparameter naming the option', () => {
    expect(() => lozo({ rank: 0 })).toThrow(InvalidHyperparameter);
    expect(() => lozo({ rank: 1.5 })).toThrow(/Invalid rank/);
    expect(() => lozo({ resampleEvery: 0 })).toThrow(/Invalid resampleEvery/);
    expect(() => lozo({ sigma: 0 })).toThrow(/Invalid sigma/);
    expect(() => lozo({ sigma: NaN })).toThrow(/sigma/);
  });

  test('2 queries per step: one antithetic pair sharing a direction and a noise key', () => {
    const est = lozo({ sigma: 0.01 });
    const p = blocks(MIXED);
    const batch = est.propose(est.init(p), p, 5);
    expect(est.queriesPerStep(p)).toBe(2);
    expect(batch.probes).toHaveLength(2);
    expect(batch.probes[0]!.direction).toBe(batch.probes[1]!.direction);
    expect(batch.probes[0]!.noiseKey).toBe(batch.probes[1]!.noiseKey);
    expect(batch.probes.map((q) => q.scale)).toEqual([0.01, -0.01]);
  });

  test('on 1-D layouts LOZO is the Gaussian two-point estimate: spsa({ distribution: "gaussian" }), bit for bit', async () => {
    for (const seed of [1, 2, 3, 99]) {
      const p = blocks([[4], [3]], (b, i) => noise(seed, b, i));
      const f = valueOracle(quadratic(seed));
      const a = lozo({ sigma: 0.01, rank: 3 });
      const s = spsa({ sigma: 0.01, distribution: 'gaussian' });
      const ba = a.propose(a.init(p), p, seed);
      const bs = s.propose(s.init(p), p, seed);
      expect(materialise(ba.probes[0]!.direction, p)).toEqual(materialise(bs.probes[0]!.direction, p));
      expect(ba.probes[0]!.noiseKey).toBe(bs.probes[0]!.noiseKey);
      const ra = await evaluateProbes(be, p, ba, f, { step: 0, restore: 'exact' });
      const rs = await evaluateProbes(be, p, bs, f, { step: 0, restore: 'exact' });
      const ua = a.combine(a.init(p), ba, ra.responses, p).update!;
      const us = s.combine(s.init(p), bs, rs.responses, p).update!;
      expect(densify(ua, p)).toEqual(densify(us, p));
    }
  });

  test('L-6 and the direction: U·Vᵀ on 2-D blocks (U from lowRankU, V in the state); Gaussian z of the same seed elsewhere', async () => {
    const rank = 2;
    const p = blocks(MIXED, (b, i) => noise(4, b, i));
    const est = lozo({ rank, sigma: 0.01 });
    const batch = est.propose(est.init(p), p, 11);
    const d = batch.probes[0]!.direction;
    if (d.kind !== 'lowRank') throw new Error('expected a lowRank direction');
    const got = materialise(d, p);
    const z = materialise({ kind: 'gaussian', seed: d.seed }, p);
    expect(got[1]).toEqual(z[1]);
    expect(got[2]).toEqual(z[2]);
    const v = d.v[0]!;
    expect(v).toHaveLength(4 * rank);
    expect(d.v[1]).toBeUndefined();
    expect(d.v[2]).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let j = 0; j < rank; j++) s += gaussianAt(d.seed, 0, i * rank + j, streams.lowRankU) * v[c * rank + j]!;
        expect(got[0]![i * 4 + c]!).toBeCloseTo(s, 5);
      }
    }
    // The estimate is p times that direction, block by block.
    const r = await evaluateProbes(be, p, batch, valueOracle(quadratic(4)), { step: 0 });
    const values = r.responses.kind === 'values' ? r.responses.values : new Float64Array();
    const pg = (values[0]! - values[1]!) / (2 * Math.fround(0.01));
    const c = est.combine(est.init(p), batch, r.responses, p);
    const dense = densify(c.update!, p);
    const flat = got.flatMap((b) => [...b]);
    dense.forEach((x, i) => expect(x).toBeCloseTo(pg * flat[i]!, 4));
    expect((c.state as LozoState).v).toBe(d.v);
    expect(c.state.step).toBe(1);
  });

  test('normalize: the matrix part of the estimate is divided by rank, the 1-D part is not', async () => {
    const p = blocks(MIXED, (b, i) => noise(8, b, i));
    const f = valueOracle(quadratic(8));
    for (const rank of [1, 3]) {
      const plain = lozo({ rank, sigma: 0.01 });
      const norm1 = lozo({ rank, sigma: 0.01, normalize: true });
      const batch = plain.propose(plain.init(p), p, 21);
      const r = await evaluateProbes(be, p, batch, f, { step: 0 });
      const a = densify(plain.combine(plain.init(p), batch, r.responses, p).update!, p);
      const b = densify(norm1.combine(norm1.init(p), batch, r.responses, p).update!, p);
      for (let i = 0; i < a.length; i++) {
        const expected = i < 20 ? a[i]! / rank : a[i]!;
        expect(Math.abs(b[i]! - expected)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(a[i]!)));
      }
    }
  });

  test('L-4 / P-MeZO-5 (LOZO#3 regression): on every step, also where V is redrawn, the update moves W along exactly the perturbed direction; V is redrawn exactly at steps ≡ 0 (mod ν)', async () => {
    const nu = 3;
    const sigma = 0.125;
    const lr = 0.05;
    const seen: Params[] = [];
    const values: number[] = [];
    const fq = quadratic(5);
    const oracle = valueOracle((x: Params) => {
      seen.push(x.map((b) => ({ ...b, data: b.data.slice() })));
      const v = fq(x);
      values.push(v);
      return v;
    });
    const directions: Direction[] = [];
    const recording: Backend = {
      ...be,
      perturbInPlace(direction, alpha, x) {
        directions.push(direction);
        be.perturbInPlace(direction, alpha, x);
      },
    };
    const opt = optimizer({ estimator: lozo({ sigma, rank: 2, resampleEvery: nu }), update: sgd(lr), backend: recording, restore: 'exact' });
    const p = blocks(MIXED, (b, i) => noise(6, b, i));
    let state = opt.init(p, 123);
    const vs: Float32Array[] = [];
    for (let k = 0; k < 3 * nu + 1; k++) {
      seen.length = 0;
      values.length = 0;
      directions.length = 0;
      const before = p.map((b) => Float64Array.from(b.data));
      state = (await opt.step(p, oracle, state)).state;
      // Every direction the backend applied in this step (probes and update) is the same vector, bit for bit.
      const first = materialise(directions[0]!, p);
      for (const d of directions) expect(materialise(d, p)).toEqual(first);
      // Independently of the direction descriptions: the probe displacement and the applied step agree.
      const pg = (values[0]! - values[1]!) / (2 * sigma);
      p.forEach((block, b) => {
        const probe = minus(seen[0]![b]!.data, seen[1]![b]!.data).map((x) => x / (2 * sigma));
        const step = minus(before[b]!, block.data).map((x) => x / (lr * pg));
        expect(norm(minus(probe, step))).toBeLessThan(1e-3 * norm(probe));
      });
      const d = directions[0]!;
      if (d.kind !== 'lowRank') throw new Error('expected a lowRank direction');
      vs.push(d.v[0]!);
      if (k > 0) {
        if (k % nu === 0) expect(vs[k]).not.toEqual(vs[k - 1]);
        else expect(vs[k]).toBe(vs[k - 1]);
      }
    }
  });

  test('a state whose layout does not match the parameters is refused between resample steps', () => {
    const est = lozo({ resampleEvery: 4 });
    const p = blocks([[3, 2]]);
    const s0 = est.init(p);
    const batch = est.propose(s0, p, 1);
    const s1 = est.combine(s0, batch, { kind: 'values', values: Float64Array.from([1, 0]) }, p).state;
    expect(() => est.propose(s1, blocks([[2, 3]]), 2)).toThrow(InvalidInput);
    expect(() => est.propose(s1, blocks([[6]]), 2)).toThrow(/layout/);
    expect(() => est.propose(s1, p, 2)).not.toThrow();
  });

  test('on matrix layouts: same seed, same trajectory; probes are undone within the float32 bound', async () => {
    const run = async (): Promise<Float32Array[]> => {
      const opt = optimizer({ estimator: lozo({ rank: 2, resampleEvery: 2, sigma: 0.01 }), update: sgd(0.01) });
      const p = blocks(MIXED, (b, i) => noise(9, b, i));
      let state = opt.init(p, 77);
      for (let k = 0; k < 5; k++) state = (await opt.step(p, valueOracle(quadratic(9)), state)).state;
      return p.map((b) => b.data);
    };
    expect(await run()).toEqual(await run());
    const p = blocks(MIXED, (b, i) => noise(10, b, i));
    const x0 = p.map((b) => b.data.slice());
    const est = lozo({ rank: 3, sigma: 0.05 });
    await evaluateProbes(be, p, est.propose(est.init(p), p, 3), valueOracle(quadratic(1)), { step: 0 });
    p.forEach((b, i) => b.data.forEach((v, j) => expect(Math.abs(v - x0[i]![j]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(x0[i]![j]!)))));
  });
});
