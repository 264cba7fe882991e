import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lozo } from '../../estimators/lozo.js';
import { lozoM, type LozoMState } from '../../estimators/lozoM.js';
import { applyUpdates } from '../../src/applyUpdates.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { InvalidHyperparameter } from '../../src/errors.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { optimizer } from '../../src/optimizer.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import { streams } from '../../src/rng/streams.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { fcOptions } from '../_support/fcConfig.js';
import { densify } from '../laws/_internal/estimate.js';
import { blocks, checkLazyWindows, minus, noise, norm, quadratic } from './lozoHelpers.js';

const be = cpuBackend();
const MIXED = [[5, 4], [3], [2, 2, 2]] as const;

function close(a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-5): void {
  expect(a.length).toBe(b.length);
  expect(norm(minus(a, b))).toBeLessThanOrEqual(rel * (1 + norm(b)));
}

describe('lozoM', () => {
  test('the TSDoc example runs and lowers f', async () => {
    const w = [{ name: 'W', shape: [8, 6], data: new Float32Array(48).fill(1) }];
    const f = valueOracle((p: typeof w) => p[0]!.data.reduce((s, v) => s + v * v, 0));
    const opt = optimizer({ estimator: lozoM({ rank: 2, resampleEvery: 10, beta: 0.9 }), update: sgd(2e-3) });
    let state = opt.init(w, 7);
    for (let k = 0; k < 200; k++) state = (await opt.step(w, f, state)).state;
    expect(w[0]!.data.reduce((s, v) => s + v * v, 0)).toBeLessThan(0.5 * 48);
  });

  test('bad options throw InvalidHyperparameter naming the option', () => {
    expect(() => lozoM({ beta: 1 })).toThrow(InvalidHyperparameter);
    expect(() => lozoM({ beta: -0.1 })).toThrow(/Invalid beta/);
    expect(() => lozoM({ beta: NaN })).toThrow(/beta/);
    expect(() => lozoM({ rank: 0 })).toThrow(/Invalid rank/);
    expect(() => lozoM({ resampleEvery: 2.5 })).toThrow(/Invalid resampleEvery/);
  });

  test('L-5: the compressed momentum follows M ← βM + (1−β)pU, and M ← βM V_oldᵀV_new/n + (1−β)pU at a V switch (hand computation)', async () => {
    const rank = 2;
    const nu = 2;
    const beta = 0.7;
    const sigma = 0.01;
    const [m, n] = [4, 3];
    const est = lozoM({ rank, resampleEvery: nu, beta, sigma });
    const p = blocks([[m, n], [2]], (b, i) => noise(31, b, i));
    const f = valueOracle(quadratic(31));
    let state: LozoMState = est.init(p);
    let mh = new Float64Array(m * rank);
    let eh = new Float64Array(2);
    let vOld: Float32Array | undefined;
    let carried = 0;
    for (let k = 0; k < 7; k++) {
      const batch = est.propose(state, p, 1000 + k);
      const d = batch.probes[0]!.direction;
      if (d.kind !== 'lowRank') throw new Error('expected lowRank');
      const r = await evaluateProbes(be, p, batch, f, { step: k, restore: 'exact' });
      const values = r.responses.kind === 'values' ? r.responses.values : new Float64Array();
      const pg = (values[0]! - values[1]!) / (Math.fround(sigma) - Math.fround(-sigma));
      const u = Float64Array.from({ length: m * rank }, (_, i) => gaussianAt(d.seed, 0, i, streams.lowRankU));
      const z = Float64Array.from({ length: 2 }, (_, i) => gaussianAt(d.seed, 1, i, streams.gaussian));
      const v = d.v[0]!;
      if (k === 0) {
        mh = u.map((x) => pg * x);
        eh = z.map((x) => pg * x);
      } else {
        if (k % nu === 0) {
          expect(v).not.toEqual(vOld);
          const c = new Float64Array(rank * rank);
          for (let a = 0; a < rank; a++) for (let b = 0; b < rank; b++) for (let row = 0; row < n; row++) c[a * rank + b] = c[a * rank + b]! + (vOld![row * rank + a]! * v[row * rank + b]!) / n;
          const next = new Float64Array(m * rank);
          for (let i = 0; i < m; i++) for (let j = 0; j < rank; j++) {
            let s = 0;
            for (let a = 0; a < rank; a++) s += mh[i * rank + a]! * c[a * rank + j]!;
            next[i * rank + j] = beta * s + (1 - beta) * pg * u[i * rank + j]!;
          }
          // The carry is not the identity: without it M would be far from this.
          carried = Math.max(carried, norm(minus(next, mh.map((x, i) => beta * x + (1 - beta) * pg * u[i]!))) / norm(next));
          mh = next;
        } else {
          expect(v).toBe(vOld);
          mh = mh.map((x, i) => beta * x + (1 - beta) * pg * u[i]!);
        }
        eh = eh.map((x, i) => beta * x + (1 - beta) * pg * z[i]!);
      }
      const c = est.combine(state, batch, r.responses, p);
      state = c.state;
      close(state.m[0]!, mh);
      expect(state.m[1]).toBeUndefined();
      close(state.dense[1]!, eh);
      expect(state.dense[0]).toBeUndefined();
      expect(state.v[0]).toBe(v);
      // The estimate is M Vᵀ on the matrix and the EMA on the vector.
      const mvt = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let col = 0; col < n; col++) for (let j = 0; j < rank; j++) mvt[i * n + col] = mvt[i * n + col]! + mh[i * rank + j]! * v[col * rank + j]!;
      close(densify(c.update!, p), [...mvt, ...eh]);
      const t = sgd(0.01);
      applyUpdates(be, t.update(c.update!, t.init(p), p)[0], p);
      vOld = v;
    }
    expect(carried).toBeGreaterThan(0.05);
  });

  test('L-5: with β = 0 LOZO-M is LOZO (same trajectory up to float32 rounding), on every step incl. V switches', async () => {
    for (const seed of [1, 2, 3]) {
      const run = async (estimator: ReturnType<typeof lozo> | ReturnType<typeof lozoM>): Promise<Float64Array[]> => {
        const opt = optimizer({ estimator, update: sgd(0.02) });
        const p = blocks(MIXED, (b, i) => noise(seed, b, i));
        let state = opt.init(p, seed);
        const trajectory: Float64Array[] = [];
        for (let k = 0; k < 10; k++) {
          state = (await opt.step(p, valueOracle(quadratic(seed)), state)).state;
          trajectory.push(Float64Array.from(p.flatMap((b) => [...b.data])));
        }
        return trajectory;
      };
      const a = await run(lozo({ rank: 2, resampleEvery: 3, sigma: 0.01 }));
      const b = await run(lozoM({ rank: 2, resampleEvery: 3, sigma: 0.01, beta: 0 }));
      a.forEach((x, k) => close(b[k]!, x, 1e-5));
    }
  });

  test('state sizes: M is m × rank and V is n × rank per matrix; other blocks keep a dense momentum', async () => {
    const est = lozoM({ rank: 3 });
    const p = blocks(MIXED, (b, i) => noise(2, b, i));
    const batch = est.propose(est.init(p), p, 4);
    const r = await evaluateProbes(be, p, batch, valueOracle(quadratic(2)), { step: 0 });
    const s = est.combine(est.init(p), batch, r.responses, p).state;
    expect(s.m.map((x) => x?.length)).toEqual([15, undefined, undefined]);
    expect(s.v.map((x) => x?.length)).toEqual([12, undefined, undefined]);
    expect(s.dense.map((x) => x?.length)).toEqual([undefined, 3, 8]);
  });

  test('L-3: within one lazy window the change M Vᵀ accumulated stays in {A Vᵀ}', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 3, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        async (m, n, r, nu, seed, beta) => {
          await checkLazyWindows((rk, every) => lozoM({ rank: rk, resampleEvery: every, sigma: 0.01, beta }), m, n, Math.min(r, n - 1), nu, seed);
        },
      ),
      fcOptions(30),
    );
  });
});
