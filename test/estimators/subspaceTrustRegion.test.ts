import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kktInverse, kktOrder, replacementTerms, replacePointInPlace, shiftKktInPlace } from '../../estimators/_internal/kktInverse.js';
import { modelHessian, modelValue } from '../../estimators/_internal/quadraticModel.js';
import { advance, fullPoint, initialState, type EngineConfig } from '../../estimators/_internal/trustRegionEngine.js';
import { trustRegionStep } from '../../estimators/_internal/trustRegionStep.js';
import { subspaceTrustRegion } from '../../estimators/subspaceTrustRegion.js';
import { quadratic } from '../../problems/quadratic.js';
import { minimize } from '../../src/minimize.js';
import { identity } from '../../src/transform/identity.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { fcOptions } from '../_support/fcConfig.js';

const config: EngineConfig = {
  subspaceDim: undefined,
  rhoBeg: 0.3,
  rhoEnd: 1e-6,
  lower: undefined,
  upper: undefined,
  switchEvery: Infinity,
  memory: 2,
  numPoints: (p) => 2 * p + 1,
  restart: 'best',
};

function maxRelDiff(a: Float64Array, b: Float64Array, n: number): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return d / m;
}

describe('the KKT inverse of least-Frobenius-norm interpolation', () => {
  const p = 4;
  const m = 2 * p + 1;
  const points = (shift: number): Float64Array => {
    const y = new Float64Array(m * p);
    for (let k = 1; k <= p; k++) {
      y[k * p + k - 1] = 0.5;
      y[(p + k) * p + k - 1] = -0.5;
    }
    for (let i = 0; i < y.length; i++) y[i] = y[i]! + 0.05 * Math.sin(7 * i + shift);
    return y;
  };

  test("Powell's rank-two update after a replacement equals the inverse built again", () => {
    const y = points(1);
    const h = kktInverse(y, m, p)!;
    const n = kktOrder(m, p);
    const fresh = Float64Array.from({ length: p }, (_, k) => 0.3 * Math.cos(k + 2));
    replacePointInPlace(h, n, 3, replacementTerms(h, y, m, p, fresh));
    y.set(fresh, 3 * p);
    expect(maxRelDiff(h, kktInverse(y, m, p)!, n * n)).toBeLessThan(1e-9);
  });

  test('moving the origin re-expresses H exactly (O(m N p) instead of a new inverse)', () => {
    const y = points(2);
    const h = kktInverse(y, m, p)!;
    const delta = Float64Array.from({ length: p }, (_, k) => 0.2 * Math.sin(k));
    shiftKktInPlace(h, y, m, p, delta);
    const moved = y.map((v, i) => v - delta[i % p]!);
    expect(maxRelDiff(h, kktInverse(moved, m, p)!, kktOrder(m, p) ** 2)).toBeLessThan(1e-9);
  });
});

describe('the quadratic model on a quadratic with exact evaluations', () => {
  test("after the 2p + 1 initial points: it interpolates every point, and its gradient and the Hessian's diagonal are f's (NEWUOA's model)", () => {
    const d = 5;
    const q = quadratic({ dim: d, condition: 10, seed: 4 });
    const x0 = Float64Array.from({ length: d }, (_, i) => 0.25 * (i + 1) - 0.5);
    let state = initialState(x0, config);
    for (let k = 0; k < 2 * d + 1; k++) state = advance(state, q.value(Float32Array.from(fullPoint(state, state.pending.s))), config) as typeof state;
    expect(state.model).not.toBeNull();
    const { model, points, m, p } = state as Required<typeof state> & { model: NonNullable<typeof state.model> };
    for (let j = 0; j < m; j++) {
      const y = points.subarray(j * p, j * p + p);
      expect(Math.abs(modelValue(model, points, m, p, y) - state.values[j]!)).toBeLessThan(1e-9 * (1 + Math.abs(state.values[j]!)));
    }
    // The base is x0 (float32); the true gradient there and the Hessian's diagonal.
    const xb = Float32Array.from(state.xbase);
    const g = new Float32Array(d);
    q.grad(xb, g);
    const hess = modelHessian(model, points, m, p);
    for (let i = 0; i < d; i++) {
      const e = new Float64Array(d);
      e[i] = 1;
      const hi = q.hessianTimes(e);
      expect(model.g[i]).toBeCloseTo(g[i]!, 4);
      expect(hess[i * p + i]).toBeCloseTo(hi[i]!, 4);
    }
  });

  test('a trust-region step never increases the model (so a final step never raises its value)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 1e-3, max: 10, noNaN: true }), (p, seed, radius) => {
        const r = (i: number): number => Math.sin(seed * 0.001 + i * 12.9898) * 2;
        const b = new Float64Array(p * p);
        for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) b[i * p + j] = b[j * p + i] = r(i * 31 + j);
        const g = Float64Array.from({ length: p }, (_, i) => r(100 + i));
        const hv = (v: Float64Array, out: Float64Array): Float64Array => {
          for (let i = 0; i < p; i++) out[i] = b.subarray(i * p, i * p + p).reduce((s, x, j) => s + x * v[j]!, 0);
          return out;
        };
        const step = trustRegionStep(g, hv, radius);
        const bd = hv(step.d, new Float64Array(p));
        const q = step.d.reduce((s, v, i) => s + v * (g[i]! + 0.5 * bd[i]!), 0);
        expect(q).toBeLessThanOrEqual(1e-12);
        expect(Math.hypot(...step.d)).toBeLessThanOrEqual(radius * (1 + 1e-9));
        expect(Math.abs(q - step.predicted)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(q)));
      }),
      fcOptions(200),
    );
  });
});

describe('subspaceTrustRegion', () => {
  test('in the tuner with bounds: every point asked lies in the box and none is shortened; it ends on the face of the constrained optimum', () => {
    const sp = space({ a: float(-1, 1), b: float(-1, 1), c: float(-1, 1) });
    const tuner = createTuner({ space: sp, estimator: subspaceTrustRegion({ bounds: { lower: -1, upper: 1 } }), update: identity(), budget: 150, seed: 3 });
    // Optimum at (2, 0.3, −0.4): outside the box in a.
    const f = (x: { a: number; b: number; c: number }): number => (x.a - 2) ** 2 + 3 * (x.b - 0.3) ** 2 + (x.c + 0.4) ** 2 + x.b * x.c;
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) {
      for (const v of t.u) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      tuner.tell(t, f(t.x));
    }
    const best = tuner.recommend({ policy: 'bestSeen' });
    expect(best.x.a).toBeCloseTo(1, 3);
    expect(best.value!).toBeLessThan(f({ a: 1, b: 0.3, c: -0.4 }) + 1e-3);
  });

  test('fresh noise on every query: still lowers f tenfold (the noise is detected; central differences above the noise radius); with common random numbers the run sees one noise-free function', async () => {
    const q = quadratic({ dim: 4, condition: 10, seed: 2 });
    const noise = (key: number): number => 0.05 * Math.sin(key * 12.9898 + 78.233);
    let calls = 0;
    const fresh = await minimize((x) => q.value(x) + noise(++calls), [1, -1, 0.5, 0.25], { estimator: subspaceTrustRegion(), update: identity(), budget: { queries: 400 }, seed: 1, evaluateFinal: false });
    const crn = await minimize((x, c) => q.value(x) + noise(c.noiseSeed), [1, -1, 0.5, 0.25], { estimator: subspaceTrustRegion(), update: identity(), budget: { queries: 400 }, seed: 1, evaluateFinal: false });
    const truth = (x: Float32Array): number => q.value(x);
    expect(truth(fresh.x)).toBeLessThan(0.1 * truth(Float32Array.from([1, -1, 0.5, 0.25])));
    expect(truth(crn.x)).toBeLessThan(1e-6);
  });

  test('gradient-subspace mode at d = 300: conjugate-gradient-like progress, about (d + 2) queries per iteration', async () => {
    const d = 300;
    const q = quadratic({ dim: d, condition: 100 });
    const x0 = Float32Array.from({ length: d }, (_, i) => Math.cos(i));
    const f0 = q.value(x0);
    const r = await minimize(q, x0, { estimator: subspaceTrustRegion(), update: identity(), budget: { queries: 20 * (d + 2) }, seed: 1, evaluateFinal: false });
    // Steepest descent with exact line searches needs about 45 iterations for 10⁻³ here, CG about 13.
    expect(q.value(r.x) / f0).toBeLessThan(1e-3);
  });
});
