import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { actionSize } from '../../src/rl/environment.js';
import { linearGaussian } from '../../src/rl/linearGaussian.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import { mlpPolicy } from '../../src/rl/mlpPolicy.js';
import type { Policy } from '../../src/rl/policy.js';
import { valueNetwork } from '../../src/rl/valueNetwork.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import type { Params } from '../../src/types.js';
import { randomParams } from './_support.js';

const POLICIES: readonly [string, () => Policy][] = [
  ['linearSoftmax', () => linearSoftmax({ observationSize: 3, actions: 4 })],
  ['linearGaussian', () => linearGaussian({ observationSize: 3, actionSize: 2, initialLogStd: -0.3 })],
  ['mlpPolicy (discrete)', () => mlpPolicy({ observationSize: 3, action: { kind: 'discrete', n: 3 }, hidden: [5, 4] })],
  ['mlpPolicy (continuous)', () => mlpPolicy({ observationSize: 3, action: { kind: 'continuous', size: 2, low: -2, high: 2 }, hidden: [6] })],
];

const normal = (seed: number, i: number): number => gaussianAt(seed, 9, i, 6);

/** n observations, and actions sampled by the policy itself. */
function batch(policy: Policy, params: Params, seed: number, n: number): { obs: Float32Array; actions: Float32Array; logp: Float64Array } {
  const obs = Float32Array.from({ length: n * policy.observationSize }, (_, i) => normal(seed, i));
  const actions = new Float32Array(n * actionSize(policy.action));
  const logp = new Float64Array(n);
  const noise = Float64Array.from({ length: n * policy.noise.size }, (_, i) => (policy.noise.kind === 'uniform' ? (i * 0.618034 + seed * 1e-9) % 1 : normal(seed + 1, i)));
  policy.act(params, obs, n, noise, actions, logp);
  return { obs, actions, logp };
}

/** Central finite difference of `f` in element j of block b, dividing by the float32 step actually taken. */
function finiteDifference(params: Params, b: number, j: number, f: () => number, h = 1e-3): number {
  const d = params[b]!.data;
  const x = d[j]!;
  d[j] = x + h;
  const up = d[j]!;
  const fu = f();
  d[j] = x - h;
  const down = d[j]!;
  const fd = f();
  d[j] = x;
  return (fu - fd) / (up - down);
}

describe.each(POLICIES)('%s', (_name, make) => {
  test.prop([fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: -10, max: 10 }).map((k) => k / 10 + 0.05)], { numRuns: 8 })(
    'the analytic gradient of Σ wᵢ log π(aᵢ|sᵢ) + e Σ H(π(·|sᵢ)) matches finite differences',
    (seed, e) => {
      const policy = make();
      const params = randomParams(policy, seed, 0.6);
      const n = 5;
      const { obs, actions } = batch(policy, params, seed, n);
      const w = Float64Array.from({ length: n }, (_, i) => normal(seed + 2, i));
      const grads = params.map((p) => new Float64Array(p.data.length));
      policy.accumulateGrad(params, obs, actions, n, w, e, grads);
      const lp = new Float64Array(n);
      const ent = new Float64Array(n);
      const f = (): number => {
        policy.logProb(params, obs, actions, n, lp, ent);
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i]! * lp[i]! + e * ent[i]!;
        return s;
      };
      for (let b = 0; b < params.length; b++) {
        for (let j = 0; j < params[b]!.data.length; j++) {
          const fd = finiteDifference(params, b, j, f);
          expect(Math.abs(grads[b]![j]! - fd), `block ${params[b]!.name}[${j}]: analytic ${grads[b]![j]} vs ${fd}`).toBeLessThan(2e-4 * (1 + Math.abs(fd)));
        }
      }
    },
  );

  test.prop([fc.integer({ min: 0, max: 1e6 })], { numRuns: 8 })('act returns log π of the actions it chose, and the greedy action is the mode', (seed) => {
    const policy = make();
    const params = randomParams(policy, seed, 0.6);
    const n = 6;
    const { obs, actions, logp } = batch(policy, params, seed, n);
    const again = new Float64Array(n);
    policy.logProb(params, obs, actions, n, again);
    for (let i = 0; i < n; i++) expect(logp[i]).toBeCloseTo(again[i]!, 10);
    const greedy = new Float32Array(actions.length);
    const greedyLogp = new Float64Array(n);
    policy.act(params, obs, n, null, greedy, greedyLogp);
    if (policy.action.kind === 'discrete') {
      // The greedy action has the largest probability of all actions.
      const k = policy.action.n;
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < k; a++) {
          const other = new Float64Array(1);
          policy.logProb(params, obs.slice(i * policy.observationSize, (i + 1) * policy.observationSize), Float32Array.of(a), 1, other);
          expect(greedyLogp[i]!).toBeGreaterThanOrEqual(other[0]! - 1e-12);
        }
      }
    } else {
      // The greedy action is the mean: its density is the peak, −Σ (log σ + ½ log 2π).
      const logStd = params[params.length - 1]!.data;
      const peak = -Array.from(logStd).reduce((s, l) => s + l + 0.5 * Math.log(2 * Math.PI), 0);
      for (let i = 0; i < n; i++) expect(greedyLogp[i]).toBeCloseTo(peak, 10);
    }
  });
});

describe('categorical sampling', () => {
  test('inverts the CDF: the frequency of each action over a uniform grid of noise is its probability', () => {
    const policy = linearSoftmax({ observationSize: 1, actions: 3 });
    const params = policy.init(0);
    params[1]!.data.set([Math.log(0.2), Math.log(0.5), Math.log(0.3)]);
    const n = 10_000;
    const noise = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const actions = new Float32Array(n);
    policy.act(params, new Float32Array(n).fill(0), n, noise, actions, new Float64Array(n));
    const counts = [0, 0, 0];
    for (const a of actions) counts[a]!++;
    expect(counts.map((c) => c / n).map((p) => Math.round(p * 1000) / 1000)).toEqual([0.2, 0.5, 0.3]);
  });
});

describe('valueNetwork', () => {
  test.prop([fc.integer({ min: 0, max: 1e6 }), fc.constantFrom([], [4], [3, 5])], { numRuns: 8 })('backpropagation matches finite differences', (seed, hidden) => {
    const v = valueNetwork({ observationSize: 3, hidden });
    const params = v.init(seed).map((b, i) => ({ ...b, data: Float32Array.from(b.data, (x, j) => x + 0.3 * gaussianAt(seed, i, j, 6)) }));
    const n = 4;
    const obs = Float32Array.from({ length: n * 3 }, (_, i) => normal(seed, i));
    const w = Float64Array.from({ length: n }, (_, i) => normal(seed + 5, i));
    const grads = params.map((p) => new Float64Array(p.data.length));
    v.accumulateGrad(params, obs, n, w, grads);
    const out = new Float64Array(n);
    const f = (): number => {
      v.predict(params, obs, n, out);
      return out.reduce((s, x, i) => s + w[i]! * x, 0);
    };
    for (let b = 0; b < params.length; b++) {
      for (let j = 0; j < params[b]!.data.length; j++) {
        const fd = finiteDifference(params, b, j, f);
        expect(Math.abs(grads[b]![j]! - fd)).toBeLessThan(2e-4 * (1 + Math.abs(fd)));
      }
    }
  });
});

describe('validation', () => {
  test('bad sizes and mismatched parameters are refused with the parameter named', () => {
    expect(() => linearSoftmax({ observationSize: 0, actions: 2 })).toThrow(InvalidHyperparameter);
    expect(() => mlpPolicy({ observationSize: 3, action: { kind: 'continuous', size: 1, low: 2, high: -2 } })).toThrow(/action/);
    expect(() => valueNetwork({ observationSize: 3, hidden: [0] })).toThrow(/hidden/);
    const policy = linearSoftmax({ observationSize: 3, actions: 2 });
    const wrong = linearSoftmax({ observationSize: 4, actions: 2 }).init(0);
    expect(() => policy.act(wrong, new Float32Array(3), 1, null, new Float32Array(1), new Float64Array(1))).toThrow(InvalidInput);
  });
});
