import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mezo } from '../../estimators/mezo.js';
import { zoAdam } from '../../estimators/zoAdam.js';
import { zoSgdCons } from '../../estimators/zoSgdCons.js';
import { zoSgdMomentum } from '../../estimators/zoSgdMomentum.js';
import { zoSgdSign } from '../../estimators/zoSgdSign.js';
import { zoSgdSignElementwise } from '../../estimators/zoSgdSignElementwise.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Estimator } from '../../src/estimator.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { identity } from '../../src/transform/identity.js';
import type { Params } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { flatten, testQuadratic } from '../laws/_internal/quadratic.js';

const be = cpuBackend();
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const model = (): Params => [
  { name: 'layer.weight', shape: [2, 3], data: Float32Array.from([0.5, -0.25, 1, 0.75, -1, 0.125]) },
  { name: 'layer.bias', shape: [3], data: Float32Array.from([0.1, 0.2, -0.3]) },
  { name: 'final_layernorm.weight', shape: [2], data: Float32Array.from([1, 1]) },
];
const q = testQuadratic(11, 5);
const loss = valueOracle((p: Params) => q.value(flatten(p)));

async function trajectory(est: Estimator<unknown>, seed: number, steps: number, f = loss, lr = 0.01): Promise<Float64Array> {
  const opt = optimizer({ estimator: est, update: sgd(lr) });
  const p = model();
  let s = opt.init(p, seed);
  for (let k = 0; k < steps; k++) s = (await opt.step(p, f, s)).state;
  return flatten(p);
}

describe('MeZO', () => {
  test('P-MeZO-7: θ_{t+1} − θ_t = −η(p·z + λθ_t) on decayed blocks and −η·p·z on bias/norm blocks', async () => {
    await fc.assert(
      fc.asyncProperty(u32, async (seed) => {
        const eta = 0.01;
        const lambda = 0.1;
        const est = mezo({ sigma: 1e-3, weightDecay: lambda });
        const opt = optimizer({ estimator: est, update: sgd(eta) });
        const p = model();
        const before = p.map((b) => Float64Array.from(b.data));
        const batch = est.propose(est.init(p), p, 0);
        void batch;
        const s = opt.init(p, seed);
        // Recompute p and z independently from the probes of the same step.
        const probe = est.propose(s.estimator, p, (await import('../../src/rng/seedStream.js')).seedStream(seed).next());
        const plus = be.copy(p);
        be.perturbInPlace(probe.probes[0]!.direction, 1e-3, plus);
        const minus = be.copy(p);
        be.perturbInPlace(probe.probes[0]!.direction, -1e-3, minus);
        const pg = (q.value(flatten(plus)) - q.value(flatten(minus))) / (2 * Math.fround(1e-3));
        const z = be.zerosLike(p);
        be.perturbInPlace(probe.probes[0]!.direction, 1, z);
        await opt.step(p, loss, s);
        p.forEach((b, k) => {
          const decayed = k === 0;
          for (let i = 0; i < b.data.length; i++) {
            const expected = before[k]![i]! - eta * (pg * z[k]!.data[i]! + (decayed ? lambda * before[k]![i]! : 0));
            expect(Math.abs(b.data[i]! - expected)).toBeLessThan(1e-5 * (1 + Math.abs(expected)));
          }
        });
      }),
      fcOptions(20),
    );
  });

  test('works on a non-differentiable objective (a 0/1 accuracy)', async () => {
    // −accuracy of a linear classifier on 400 separable points: piecewise constant, no gradient anywhere.
    const w = [1, -2, 0.5, 1.5];
    const pts = Array.from({ length: 400 }, (_, k) => w.map((_, i) => Math.sin(7.1 * k + 3.3 * i) * 2));
    const labels = pts.map((x) => Math.sign(x.reduce((s, v, i) => s + v * w[i]!, 0)));
    const negAccuracy = (x: Float32Array) => -pts.filter((pt, k) => Math.sign(pt.reduce((s, v, i) => s + v * x[i]!, 0)) === labels[k]).length / pts.length;
    const start = [-1, 1, 1, -1];
    const r = await minimize(negAccuracy, start, { estimator: mezo({ sigma: 0.05 }), update: sgd(1), budget: { queries: 3000 }, seed: 4 });
    expect(negAccuracy(Float32Array.from(start))).toBeGreaterThan(-0.5);
    expect(r.value).toBeLessThan(-0.85); // from under 50 % to over 85 % accuracy
  });

  test('evaluateBase logs L(θ) itself, at one more query per step', async () => {
    const est = mezo({ evaluateBase: true });
    const p = model();
    const opt = optimizer({ estimator: est, update: sgd(0.01) });
    const r = await opt.step(p, loss, opt.init(p, 1));
    expect(r.queries).toBe(3);
    expect(r.value).toBe(q.value(flatten(model())));
  });
});

describe('ZO-Bench variants', () => {
  test('Sign: the update is invariant to multiplying f by c > 0 and its size does not depend on |p|', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), async (seed, c) => {
        for (const est of [() => zoSgdSign(), () => zoSgdSignElementwise()]) {
          const scaled = valueOracle((p: Params) => c * q.value(flatten(p)));
          expect(await trajectory(est(), seed, 3, scaled)).toEqual(await trajectory(est(), seed, 3));
        }
      }),
      fcOptions(20),
    );
  });

  test('MMT: with β = 0 it is exactly ZO-SGD', async () => {
    await fc.assert(
      fc.asyncProperty(u32, async (seed) => {
        const a = await trajectory(zoSgdMomentum({ momentum: 0 }), seed, 4);
        const b = await trajectory(mezo(), seed, 4);
        a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
      }),
      fcOptions(20),
    );
  });

  test('Cons: L(θ_{t+1}) ≤ L(θ_t) on every step, at 5 queries per step', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.double({ min: 1e-3, max: 1, noNaN: true }), async (seed, lr) => {
        const est = zoSgdCons({ learningRate: lr, sigma: 1e-2 });
        const opt = optimizer({ estimator: est, update: identity() });
        const p = model();
        let s = opt.init(p, seed);
        for (let k = 0; k < 5; k++) {
          const f0 = q.value(flatten(p));
          const r = await opt.step(p, loss, s);
          expect(r.queries).toBe(5);
          expect(r.value).toBe(f0);
          expect(q.value(flatten(p))).toBeLessThanOrEqual(f0 + 1e-6 * Math.abs(f0));
          s = r.state;
        }
      }),
      fcOptions(20),
    );
  });

  test('ZO-Adam: fed the same estimate, its step equals a hand-computed Adam step', async () => {
    const est = zoAdam({ sigma: 1e-3 });
    const p = model();
    const seed = 99;
    let s = est.init(p);
    const m = new Float64Array(11);
    const v = new Float64Array(11);
    for (let t = 1; t <= 3; t++) {
      const batch = est.propose(s, p, seed + t);
      const values = Float64Array.from([2 + t, 1]);
      const c = est.combine(s, batch, { kind: 'values', values }, p);
      s = c.state;
      const pg = (values[0]! - values[1]!) / (2 * Math.fround(1e-3));
      const z = be.zerosLike(p);
      be.perturbInPlace(batch.probes[0]!.direction, pg, z);
      const g = flatten(z);
      const got = c.update!.kind === 'dense' ? flatten(c.update!.blocks.map((data, i) => ({ name: `${i}`, shape: [data.length], data }))) : new Float64Array();
      g.forEach((gi, i) => {
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        const expected = m[i]! / (1 - 0.9 ** t) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8);
        expect(got[i]).toBeCloseTo(expected, 4);
      });
    }
  });
});
