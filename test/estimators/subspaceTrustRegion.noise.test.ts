import { describe, expect, test } from 'vitest';
import type { GradientState, SubspaceTrustRegionState } from '../../estimators/subspaceTrustRegion.js';
import { subspaceTrustRegion } from '../../estimators/subspaceTrustRegion.js';
import { quadratic } from '../../problems/quadratic.js';
import { minimize } from '../../src/minimize.js';
import { rotated } from '../../problems/wrappers/rotated.js';
import { noisy } from '../../problems/wrappers/noisy.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import { optimizer } from '../../src/optimizer.js';
import { identity } from '../../src/transform/identity.js';
import type { Params } from '../../src/types.js';

interface Run {
  readonly x: Float32Array;
  /** The estimator's states after every step. */
  readonly states: SubspaceTrustRegionState[];
}

/**
 * Runs the estimator on `value` (x, noise seed) for `budget` queries. `fresh`: every query gets its own noise
 * seed whatever key the estimator passed (a plain noisy black box); else the estimator's key is used.
 */
async function run(value: (x: Float32Array, noiseSeed: number) => number, x0: Float32Array, budget: number, fresh: boolean): Promise<Run> {
  let calls = 0;
  const oracle = valueOracle((ps: Params, c) => value(ps[0]!.data, fresh ? (0x9e3779b9 * ++calls + 12345) >>> 0 : c.noiseSeed));
  const params: Params = [{ name: 'x', shape: [x0.length], data: x0.slice() }];
  const opt = optimizer({ estimator: subspaceTrustRegion(), update: identity(), backend: cpuBackend() });
  let state = opt.init(params, 1);
  const states: SubspaceTrustRegionState[] = [];
  for (let q = 0; q < budget; ) {
    const r = await opt.step(params, oracle, state, budget - q);
    state = r.state;
    q += r.queries;
    states.push(state.estimator as SubspaceTrustRegionState);
  }
  return { x: params[0]!.data, states };
}

describe('subspaceTrustRegion under noise', () => {
  const d = 20;
  const inner = rotated(quadratic({ dim: d, condition: 100 }), 1);
  const x0 = new Float32Array(d).fill(1);
  const f0 = inner.value(x0);
  const sd = 0.01 * f0;
  const problem = noisy(inner, sd);
  const value = (x: Float32Array, noiseSeed: number): number => problem.value(x, { noiseSeed, step: 0 });

  test('fresh noise (sd 1 % of f(x0)), rotated quadratic d = 20: the noise is found, σ estimated, central differences at h ≥ h_σ; f − f* below 1 % of f(x0) (the noise sd) within 3,000 queries', async () => {
    const r = await run(value, x0, 3000, true);
    const last = r.states[r.states.length - 1]!;
    expect(last.mode).toBe('gradient');
    const g = last as GradientState;
    const sdHat = Math.sqrt(g.noiseSum / g.noiseCount);
    expect(g.noiseCount).toBeGreaterThan(10);
    expect(Math.abs(sdHat / sd - 1)).toBeLessThan(0.35);
    // The difference step never fell below the noise radius (on a quadratic the third-order check agrees).
    const noisyStates = r.states.filter((s): s is GradientState => s.mode === 'gradient' && s.pending.kind === 'difference');
    expect(noisyStates.length).toBeGreaterThan(0);
    for (const s of noisyStates) expect(s.h).toBeGreaterThanOrEqual(s.hNoise);
    expect(Math.max(...noisyStates.map((s) => s.hNoise))).toBeGreaterThan(0.5);
    expect(inner.value(r.x) / f0).toBeLessThan(1e-2);
  });

  test('common random numbers (the same noise key for every query): one consistent function, the interpolation mode to 10⁻⁶', async () => {
    const r = await run(value, x0, 1500, false);
    expect(r.states.every((s) => s.mode === 'interpolation' && !s.noisy)).toBe(true);
    expect(inner.value(r.x) / f0).toBeLessThan(1e-6);
  });

  test('f not quadratic at the noise radius (a quartic): the third-order check caps the difference step, and f still falls tenfold', async () => {
    // f(x) = Σ 10xᵢ⁴ + xᵢ², d = 10, from x = 1 (f = 110), noise sd 1.1 (1 % of f(x0)).
    const truthOf = (x: Float32Array): number => {
      let t = 0;
      for (let i = 0; i < x.length; i++) t += 10 * x[i]! ** 4 + x[i]! ** 2;
      return t;
    };
    const noise = noisy(quadratic({ dim: 1 }), 1.1);
    const quartic = (x: Float32Array, noiseSeed: number): number => truthOf(x) + noise.noiseAt(noiseSeed);
    const start = new Float32Array(10).fill(1);
    const r = await run(quartic, start, 3000, true);
    const capped = r.states.some((s) => s.mode === 'gradient' && s.hMax > 0);
    expect(capped).toBe(true);
    expect(truthOf(r.x)).toBeLessThan(0.1 * truthOf(start));
  });

  test('fresh noise with bounds (the box [−1, 1] of the tuner): every query inside the box, difference steps at most a quarter of it; f − f* below 1 % of f(x0) within 500 queries', async () => {
    const q = rotated(quadratic({ dim: 5, condition: 10 }), 3);
    const centre = Float32Array.from({ length: 5 }, (_, i) => 0.3 * Math.cos(i));
    const truth = (x: Float32Array): number => q.value(Float32Array.from(x, (v, i) => v - centre[i]!));
    const start = new Float32Array(5).fill(-0.8);
    const noise = noisy(quadratic({ dim: 1 }), 0.01 * truth(start));
    let calls = 0;
    let outside = 0;
    const r = await minimize(
      (x) => {
        if (x.some((v) => v < -1 || v > 1)) outside++;
        return truth(x) + noise.noiseAt((7919 + ++calls * 104729) >>> 0);
      },
      start,
      { estimator: subspaceTrustRegion({ bounds: { lower: -1, upper: 1 } }), update: identity(), budget: { queries: 500 }, seed: 1, evaluateFinal: false },
    );
    expect(outside).toBe(0);
    expect(truth(r.x) / truth(start)).toBeLessThan(1e-2);
  });
});
