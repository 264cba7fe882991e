import { describe, expect, test } from 'vitest';
import { bandit } from '../../problems/rl/bandit.js';
import { cartPole } from '../../problems/rl/cartPole.js';
import { contextualBandit } from '../../problems/rl/contextualBandit.js';
import { pendulum } from '../../problems/rl/pendulum.js';
import { sequenceTask } from '../../problems/rl/sequenceTask.js';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';

/** One step of row 0 from `s` under `action`. */
function stepFrom(env: ReturnType<typeof cartPole>, s: number[], action: number): { next: number[]; reward: number; terminated: number } {
  const state = Float64Array.from(s);
  const reward = new Float64Array(1);
  const terminated = new Uint8Array(1);
  env.step(state, 1, Float32Array.of(action), reward, terminated);
  return { next: Array.from(state), reward: reward[0]!, terminated: terminated[0]! };
}

describe('cartPole', () => {
  // Expected values from Gymnasium's CartPole-v1 equations evaluated in float64 by NumPy.
  test.each([
    [1, [0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081]],
    [0, [0.009600000000000001, -0.21553901710278936, 0.030799999999999998, 0.34199522377603914]],
  ])('one Euler step with action %i matches the reference equations', (action, expected) => {
    const r = stepFrom(cartPole(), [0.01, -0.02, 0.03, 0.04], action);
    r.next.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 13));
    expect(r.reward).toBe(1);
    expect(r.terminated).toBe(0);
  });
  test('terminates past 12° or 2.4 and truncates at the time limit', () => {
    expect(stepFrom(cartPole(), [0, 0, 0.2094, 1], 1).terminated).toBe(1);
    expect(stepFrom(cartPole(), [2.39, 1, 0, 0], 1).terminated).toBe(1);
    const policy = linearSoftmax({ observationSize: 4, actions: 2 });
    const params = policy.init(0);
    params[0]!.data.set([0, 0, -1, -1, 0, 0, 1, 1]); // push towards the lean: balances
    const eps = rolloutsOracle({ environment: cartPole({ maxSteps: 200 }), policy, actions: 'greedy' }).rollouts(params, [{ seed: 1, sample: 0 }]);
    expect(eps[0]!.length).toBe(200);
    expect(eps[0]!.terminated).toBe(false);
    expect(eps[0]!.return).toBe(200);
  });
  test('starts uniform in ±0.05 and rejects actions other than 0 and 1', () => {
    const env = cartPole();
    const state = new Float64Array(4 * 100);
    for (let r = 0; r < 100; r++) env.reset(state, r, r, 0);
    expect(Math.max(...state.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(Math.max(...state.map(Math.abs))).toBeGreaterThan(0.04);
    expect(() => stepFrom(env, [0, 0, 0, 0], 2)).toThrow(InvalidInput);
    expect(() => cartPole({ maxSteps: 0 })).toThrow(InvalidHyperparameter);
  });
});

describe('pendulum', () => {
  test.each([
    [3.0, -1.5, 1.75, -9.2280625, 2.943417000302245, -1.1316599939550995],
    [-7.0, 7.9, -5, -6.758823303843224, -6.644636997451954, 7.1072600509609085],
  ])('θ = %d, θ̇ = %d, u = %d matches the reference equations (u clipped to ±2, θ̇ to ±8)', (th, thd, u, reward, nth, nthd) => {
    const env = pendulum();
    const state = Float64Array.of(th, thd);
    const r = new Float64Array(1);
    const t = new Uint8Array(1);
    env.step(state, 1, Float32Array.of(u), r, t);
    expect(r[0]).toBeCloseTo(reward, 12);
    expect(state[0]).toBeCloseTo(nth, 12);
    expect(state[1]).toBeCloseTo(nthd, 12);
    expect(t[0]).toBe(0);
    const obs = new Float32Array(3);
    env.observe(state, 1, obs);
    expect(obs[0]).toBeCloseTo(Math.cos(nth), 6);
    expect(obs[1]).toBeCloseTo(Math.sin(nth), 6);
  });
});

describe('bandits', () => {
  test('the bandit knows its optimum and pays its means on average', () => {
    const env = bandit({ means: [0.2, 0.9, 0.5], kind: 'bernoulli' });
    expect(env.optimalValue).toBe(0.9);
    expect(env.returnBounds).toEqual({ lower: 0, upper: 1 });
    const policy = linearSoftmax({ observationSize: 1, actions: 3 });
    const params = policy.init(0);
    params[1]!.data.set([0, 20, 0]); // always arm 1
    const eps = rolloutsOracle({ environment: env, policy }).rollouts(params, Array.from({ length: 4000 }, (_, i) => ({ seed: i, sample: 0 })));
    const mean = eps.reduce((s, e) => s + e.return, 0) / eps.length;
    expect(Math.abs(mean - 0.9)).toBeLessThan(5 * Math.sqrt((0.9 * 0.1) / 4000));
    expect(eps.every((e) => e.optimalReturn === 0.9 && e.length === 1 && e.terminated)).toBe(true);
  });
  test('bad options are refused with the option named', () => {
    expect(() => bandit({ means: [0.5, 2], kind: 'bernoulli' })).toThrow(/means/);
    expect(() => bandit({ kind: 'poisson' as never })).toThrow(/kind/);
    expect(() => contextualBandit({ arms: 0 })).toThrow(/arms/);
  });
  test('the contextual bandit pays θₐᵀx for its context, and optimalReturn is the best arm', () => {
    const env = contextualBandit({ arms: 3, contextSize: 2, std: 0 });
    const policy = linearSoftmax({ observationSize: 2, actions: 3 });
    const eps = rolloutsOracle({ environment: env, policy }).rollouts(policy.init(0), Array.from({ length: 50 }, (_, i) => ({ seed: i, sample: 0 })));
    for (const e of eps) {
      const x = env.context(e.seed);
      expect(Array.from(e.observations)).toEqual(Array.from(x, Math.fround));
      const a = e.actions[0]!;
      expect(e.return).toBeCloseTo(env.theta[2 * a]! * x[0]! + env.theta[2 * a + 1]! * x[1]!, 12);
      const best = Math.max(...[0, 1, 2].map((k) => env.theta[2 * k]! * x[0]! + env.theta[2 * k + 1]! * x[1]!));
      expect(e.optimalReturn).toBeCloseTo(best, 12);
    }
  });
});

describe('sequenceTask', () => {
  test('splits the targets into training and held-out prompts', () => {
    const train = sequenceTask();
    const held = sequenceTask({ split: 'heldOut' });
    expect(held.prompts).toEqual([2, 6, 10, 14, 18, 22, 26]);
    expect(train.prompts.length + held.prompts.length).toBe(28);
    expect(train.prompts.some((t) => held.prompts.includes(t))).toBe(false);
    expect(train.verify(12, [9, 3, 0])).toBe(1);
    expect(train.verify(12, [9, 2, 0])).toBe(0);
    expect(() => sequenceTask({ split: 'test' as never })).toThrow(/split/);
  });
  test('the "emit min(9, remaining)" answer solves every prompt, and the reward is the verifier on the last token', () => {
    const env = sequenceTask({ heldOutEvery: 1000 });
    const policy = linearSoftmax({ observationSize: env.observationSize, actions: 10 });
    const params = policy.init(0);
    // Logit of digit d in slot R (0 … 9): large when d = R; slot "R ≥ 10": digit 9.
    const w = params[0]!.data;
    const O = env.observationSize;
    for (let d = 0; d < 10; d++) w[d * O + d] = 10;
    w[9 * O + 10] = 10;
    const eps = rolloutsOracle({ environment: env, policy, actions: 'greedy' }).rollouts(params, Array.from({ length: 300 }, (_, i) => ({ seed: i, sample: 0 })));
    for (const e of eps) {
      expect(e.return).toBe(1);
      expect(env.verify(env.prompt(e.seed), e.actions)).toBe(1);
      expect(Array.from(e.rewards.slice(0, 2))).toEqual([0, 0]);
    }
    expect(new Set(eps.map((e) => env.prompt(e.seed))).size).toBe(28);
  });
});
