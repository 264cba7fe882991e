import { describe, expect, test } from 'vitest';
import { exactGradient } from '../../estimators/exactGradient.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../../src/errors.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { gradientOracle, valueOracle } from '../../src/oracle/adapters.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { EvalContext, Params } from '../../src/types.js';
import { paramsFrom } from '../laws/_internal/quadratic.js';

/** f(x) = Σ cᵢ (xᵢ − tᵢ)², with its gradient. */
const target = [1, -2, 0.5];
const curv = [1, 4, 0.25];
const problem = {
  name: 'inline-quadratic',
  dim: 3,
  value: (x: Float32Array) => x.reduce((s, v, i) => s + curv[i]! * (v - target[i]!) ** 2, 0),
  grad: (x: Float32Array, out: Float32Array) => x.forEach((v, i) => (out[i] = 2 * curv[i]! * (v - target[i]!))),
};

describe('exactGradient', () => {
  test('the documented example converges', async () => {
    const f = {
      dim: 2,
      value: (x: Float32Array) => (x[0]! - 1) ** 2 + 4 * x[1]! ** 2,
      grad: (x: Float32Array, out: Float32Array) => {
        out[0] = 2 * (x[0]! - 1);
        out[1] = 8 * x[1]!;
      },
    };
    const r = await minimize(f, [0, 1], { estimator: exactGradient(), update: adam(0.05), budget: { steps: 300 }, seed: 1 });
    expect(r.value).toBeLessThan(1e-3);
  });

  test('FO-Adam through minimize: the objective’s grad is used, one query per step', async () => {
    const r = await minimize(problem, [0, 0, 0], { estimator: exactGradient(), update: adam(0.05), budget: { queries: 601 }, seed: 3 });
    expect(r.steps).toBe(600);
    expect(r.queries).toBe(601);
    expect(r.value).toBeLessThan(1e-3);
    Array.from(r.x).forEach((v, i) => expect(v).toBeCloseTo(target[i]!, 1));
    expect(r.history.every((h) => Number.isFinite(h.value))).toBe(true);
  });

  test('FO-SGD through optimizer().step with a gradient oracle: x ← x − η∇f exactly, value f(x)', async () => {
    const calls: EvalContext[] = [];
    const oracle = gradientOracle((p: Params, c: EvalContext) => {
      calls.push(c);
      const x = Float32Array.from([...p[0]!.data, ...p[1]!.data]);
      const g = new Float32Array(3);
      problem.grad(x, g);
      return { value: problem.value(x), grad: [g.subarray(0, 2), g.subarray(2)] };
    });
    const opt = optimizer({ estimator: exactGradient(), update: sgd(0.1) });
    const p = paramsFrom([0, 0, 0], [2, 1]);
    let state = opt.init(p, 7);
    const x = [0, 0, 0];
    for (let k = 0; k < 5; k++) {
      const f0 = problem.value(Float32Array.from(x));
      const r = await opt.step(p, oracle, state);
      expect(r.queries).toBe(1);
      expect(r.value).toBe(f0);
      for (let i = 0; i < 3; i++) x[i] = Math.fround(x[i]! - Math.fround(0.1 * Math.fround(2 * curv[i]! * (x[i]! - target[i]!))));
      expect([...p[0]!.data, ...p[1]!.data]).toEqual(x);
      state = r.state;
    }
    expect(calls).toHaveLength(5);
    expect(new Set(calls.map((c) => c.noiseSeed)).size).toBe(5);
    expect(state.queries).toBe(5);
  });

  test('proposes one probe at x (no direction, scale 0) asking for value and gradient', () => {
    const est = exactGradient();
    const p = paramsFrom([1, 2], [2]);
    expect(est.queriesPerStep(p)).toBe(1);
    const batch = est.propose(est.init(p), p, 9);
    expect(batch.response).toBe('valueAndGrad');
    expect(batch.probes).toHaveLength(1);
    expect(batch.probes[0]!.direction).toEqual({ kind: 'none' });
    expect(batch.probes[0]!.scale).toBe(0);
    expect(est.propose(est.init(p), p, 9).probes[0]!.noiseKey).toBe(batch.probes[0]!.noiseKey);
  });

  test('a wrong oracle kind is an OracleMismatch, in the optimizer and in combine', async () => {
    const opt = optimizer({ estimator: exactGradient(), update: sgd(0.1) });
    const p = paramsFrom([1, 2], [2]);
    const before = Float32Array.from(p[0]!.data);
    await expect(opt.step(p, valueOracle((x: Params) => x[0]!.data[0]!), opt.init(p, 1))).rejects.toThrow(OracleMismatch);
    expect(p[0]!.data).toEqual(before);
    const est = exactGradient();
    const batch = est.propose(est.init(p), p, 1);
    expect(() => est.combine(est.init(p), batch, { kind: 'values', values: new Float64Array(1) }, p)).toThrow(OracleMismatch);
    expect(() => est.combine(est.init(p), batch, { kind: 'valueAndGrad', values: new Float64Array(1), grads: [[]] }, p)).toThrow(InvalidInput);
  });

  test('minimize without a gradient is an InvalidHyperparameter naming gradient', async () => {
    await expect(
      minimize((x) => x[0]! ** 2, [1], { estimator: exactGradient(), update: sgd(0.1), budget: { steps: 3 } }),
    ).rejects.toThrow(InvalidHyperparameter);
  });
});
