import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { groupAdvantages } from '../../estimators/_internal/groupAdvantages.js';
import { grpo } from '../../estimators/grpo.js';
import { ppo } from '../../estimators/ppo.js';
import { reinforce } from '../../estimators/reinforce.js';
import { bandit } from '../../problems/rl/bandit.js';
import { cartPole } from '../../problems/rl/cartPole.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Estimator } from '../../src/estimator.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { optimizer } from '../../src/optimizer.js';
import type { Environment } from '../../src/rl/environment.js';
import type { Episode } from '../../src/rl/episode.js';
import { gae } from '../../src/rl/gae.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import type { Policy, ValueFunction } from '../../src/rl/policy.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import { valueNetwork } from '../../src/rl/valueNetwork.js';
import { adam } from '../../src/transform/aliases/adam.js';
import type { Params, Update } from '../../src/types.js';
import { randomParams } from './_support.js';

const backend = cpuBackend();

/** One full step of an estimator at `params` (all rounds), with the episodes it saw. */
async function estimate<S>(est: Estimator<S>, params: Params, env: Environment, policy: Policy, seed: number, state: S = est.init(params)): Promise<{ update: Update; episodes: Episode[]; state: S }> {
  const oracle = rolloutsOracle({ environment: env, policy });
  const episodes: Episode[] = [];
  for (;;) {
    const batch = est.propose(state, params, seed);
    const r = await evaluateProbes(backend, params, batch, oracle, { step: 0 });
    if (r.responses.kind === 'rollouts') episodes.push(...r.responses.episodes);
    const c = est.combine(state, batch, r.responses, params);
    state = c.state;
    if (c.update !== undefined) return { update: c.update, episodes, state };
  }
}

const flat = (u: Update): number[] => (u.kind === 'dense' ? u.blocks.flatMap((b) => Array.from(b)) : []);

describe('REINFORCE: the score-function estimator is unbiased on a bandit with a known gradient', () => {
  // J(θ) = Σₐ πₐ μₐ with π = softmax(w·1 + b): ∂J/∂wₐ = ∂J/∂bₐ = πₐ (μₐ − J); the estimators return ∇(−J).
  test.prop([fc.integer({ min: 0, max: 1e6 }), fc.constantFrom<'none' | 'mean'>('none', 'mean')], { numRuns: 3 })(
    'the Monte Carlo mean of the estimate is within 5 standard errors of −∇J',
    async (seed, baseline) => {
      const env = bandit({ means: [0.3, -0.5, 1.2, 0.1], std: 0.5 });
      const policy = linearSoftmax({ observationSize: 1, actions: 4 });
      const params = randomParams(policy, seed, 0.7);
      const logits = Array.from({ length: 4 }, (_, a) => params[0]!.data[a]! + params[1]!.data[a]!);
      const z = logits.map(Math.exp);
      const pi = z.map((v) => v / z.reduce((s, x) => s + x, 0));
      const J = pi.reduce((s, p, a) => s + p * env.means[a]!, 0);
      const g = pi.map((p, a) => -p * (env.means[a]! - J));
      const est = reinforce({ policy, episodes: 8, baseline, normalizeAdvantages: false, discount: 1 });
      // A running-mean baseline from earlier batches shifts nothing in expectation.
      const start = { step: 3, baseline: baseline === 'mean' ? 0.9 : 0 };
      const M = 3000;
      const sum = new Float64Array(8);
      const sum2 = new Float64Array(8);
      for (let s = 0; s < M; s++) {
        const v = flat((await estimate(est, params, env, policy, seed * 7919 + s, start)).update);
        v.forEach((x, i) => ((sum[i] = sum[i]! + x), (sum2[i] = sum2[i]! + x * x)));
      }
      for (let i = 0; i < 8; i++) {
        const mean = sum[i]! / M;
        const se = Math.sqrt((sum2[i]! / M - mean * mean) / M);
        expect(Math.abs(mean - g[i % 4]!), `coordinate ${i}: ${mean} vs ${g[i % 4]} (se ${se})`).toBeLessThan(5 * se + 1e-9);
      }
    },
  );
});

describe('GRPO', () => {
  test.prop([fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 6 }), fc.boolean()])(
    'a group of equal returns gets zero advantages, never NaN',
    (values, g, scale) => {
      const returns = values.flatMap((v) => new Array<number>(g).fill(v));
      const a = groupAdvantages(returns, g, scale);
      expect(Array.from(a)).toEqual(new Array<number>(returns.length).fill(0));
    },
  );
  test.prop([fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 8 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: -100, max: 100 })])(
    'advantages sum to zero in a group and do not change under R ↦ aR + b (a > 0)',
    (returns, a, b) => {
      const adv = groupAdvantages(returns, returns.length, true);
      expect(Math.abs(adv.reduce((s, x) => s + x, 0))).toBeLessThan(1e-9);
      const moved = groupAdvantages(returns.map((r) => a * r + b), returns.length, true);
      moved.forEach((x, i) => expect(x).toBeCloseTo(adv[i]!, 9));
      adv.forEach((x) => expect(Number.isFinite(x)).toBe(true));
    },
  );
  test('on a constant reward the whole update is zero and finite (with and without the KL penalty)', async () => {
    const env = bandit({ means: [0.5, 0.5, 0.5], std: 0 });
    const policy = linearSoftmax({ observationSize: 1, actions: 3 });
    for (const options of [{ beta: 0.04 }, { beta: 0, scaleByStd: false }, { beta: 0.1, epochs: 2, minibatches: 2 }]) {
      const est = grpo({ policy, groups: 2, groupSize: 4, ...options });
      const params = randomParams(policy, 11, 0.5);
      let state = est.init(params);
      for (let k = 0; k < 3; k++) {
        const r = await estimate(est, params, env, policy, 100 + k, state);
        state = r.state;
        expect(flat(r.update).every((x) => x === 0)).toBe(true);
      }
    }
  });
});

describe('PPO', () => {
  const env = cartPole();
  const policy = linearSoftmax({ observationSize: 4, actions: 2 });
  const vanilla = { epochs: 1, minibatches: 1, clip: Infinity, entropyCoef: 0 } as const;

  /** −(1/ΣT) Σₜ Âₜ ∇ log π(aₜ|sₜ) (+ the critic's c_v (V − V̂)/ΣT ∇V), computed here from the episodes. */
  function vanillaGradient(params: Params, episodes: readonly Episode[], gamma: number, lambda: number, normalize: boolean, value?: ValueFunction, valueCoef = 0.5): number[] {
    const T = episodes.reduce((s, e) => s + e.length, 0);
    const pb = policy.blockCount;
    const vParams = params.slice(pb);
    const adv: number[] = [];
    const targets: number[] = [];
    const values: number[] = [];
    for (const e of episodes) {
      const v = new Float64Array(e.length);
      let boot = 0;
      if (value) {
        value.predict(vParams, e.observations, e.length, v);
        if (!e.terminated) {
          const b = new Float64Array(1);
          value.predict(vParams, e.finalObservation, 1, b);
          boot = b[0]!;
        }
      }
      const a = gae(e.rewards, v, boot, gamma, lambda, new Float64Array(e.length));
      adv.push(...a);
      values.push(...v);
      targets.push(...Array.from(a, (x, i) => x + v[i]!));
    }
    if (normalize) {
      const m = adv.reduce((s, x) => s + x, 0) / T;
      const sd = Math.sqrt(adv.reduce((s, x) => s + (x - m) ** 2, 0) / T);
      adv.forEach((x, i) => (adv[i] = (x - m) / (sd + 1e-8)));
    }
    const grads = params.map((b) => new Float64Array(b.data.length));
    const obs = new Float32Array(episodes.flatMap((e) => Array.from(e.observations)));
    const act = new Float32Array(episodes.flatMap((e) => Array.from(e.actions)));
    policy.accumulateGrad(params, obs, act, T, Float64Array.from(adv, (a) => -a / T), 0, grads);
    if (value) value.accumulateGrad(vParams, obs, T, Float64Array.from(values, (v, i) => (valueCoef * (v - targets[i]!)) / T), grads.slice(pb));
    return grads.flatMap((g) => Array.from(Float32Array.from(g)));
  }

  test.prop([fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.constantFrom(0.9, 1), fc.constantFrom(0.95, 1)], { numRuns: 6 })(
    'one epoch, one minibatch, no clipping and no entropy bonus is the vanilla policy gradient',
    async (seed, normalize, gamma, lambda) => {
      const params = randomParams(policy, seed, 0.3);
      const est = ppo({ policy, episodes: 5, discount: gamma, gaeLambda: lambda, normalizeAdvantages: normalize, ...vanilla });
      const r = await estimate(est, params, env, policy, seed);
      const mine = flat(r.update);
      const theirs = vanillaGradient(params, r.episodes, gamma, lambda, normalize);
      mine.forEach((x, i) => expect(x).toBeCloseTo(theirs[i]!, 6));
    },
  );
  test('with a critic: the policy part is the vanilla gradient on GAE advantages, the critic part the value-loss gradient', async () => {
    const value = valueNetwork({ observationSize: 4, hidden: [5] });
    const params = [...randomParams(policy, 3, 0.3), ...value.init(4)];
    const est = ppo({ policy, value, episodes: 4, normalizeAdvantages: false, ...vanilla });
    const r = await estimate(est, params, env, policy, 9);
    const theirs = vanillaGradient(params, r.episodes, 0.99, 0.95, false, value);
    flat(r.update).forEach((x, i) => expect(x).toBeCloseTo(theirs[i]!, 6));
  });
  test('on one-step episodes it equals REINFORCE exactly', async () => {
    const b = bandit({ means: [0.1, 0.7, 0.2] });
    const pol = linearSoftmax({ observationSize: 1, actions: 3 });
    const params = randomParams(pol, 5, 0.5);
    const a = await estimate(ppo({ policy: pol, episodes: 6, discount: 1, gaeLambda: 1, normalizeAdvantages: false, ...vanilla }), params, b, pol, 21);
    const c = await estimate(reinforce({ policy: pol, episodes: 6, discount: 1, baseline: 'none', normalizeAdvantages: false }), params, b, pol, 21);
    expect(flat(a.update)).toEqual(flat(c.update));
  });
  test('sweeps epochs × minibatches per batch, and the approximate-KL stop makes the next step collect again', async () => {
    const params = randomParams(policy, 8, 0.2);
    const oracle = rolloutsOracle({ environment: env, policy });
    const queries = async (options: object): Promise<number[]> => {
      const opt = optimizer({ estimator: ppo({ policy, episodes: 4, epochs: 2, minibatches: 3, ...options }), update: adam(0.05) });
      const p = params.map((b) => ({ ...b, data: b.data.slice() }));
      let st = opt.init(p, 1);
      const out: number[] = [];
      for (let k = 0; k < 8; k++) {
        const r = await opt.step(p, oracle, st);
        st = r.state;
        out.push(r.queries);
      }
      return out;
    };
    expect(await queries({})).toEqual([4, 0, 0, 0, 0, 0, 4, 0]);
    expect(await queries({ targetKl: 1e-12 })).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
  });
});

describe('GAE', () => {
  test.prop([fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })])(
    'λ = 1 with V ≡ 0 is the discounted reward-to-go plus the discounted bootstrap; λ = 0 is the TD error',
    (rewards, gamma, boot) => {
      const T = rewards.length;
      const zero = new Float64Array(T);
      const a = gae(rewards, zero, boot, gamma, 1, new Float64Array(T));
      for (let t = 0; t < T; t++) {
        let g = gamma ** (T - t) * boot;
        for (let k = t; k < T; k++) g += gamma ** (k - t) * rewards[k]!;
        expect(a[t]).toBeCloseTo(g, 8);
      }
      const v = Float64Array.from(rewards, (r, i) => r * 0.5 - i);
      const td = gae(rewards, v, boot, gamma, 0, new Float64Array(T));
      for (let t = 0; t < T; t++) expect(td[t]).toBeCloseTo(rewards[t]! + gamma * (t + 1 < T ? v[t + 1]! : boot) - v[t]!, 10);
    },
  );
});
