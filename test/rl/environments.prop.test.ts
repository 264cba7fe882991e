import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { environments } from '../../problems/index.js';
import { actionSize } from '../../src/rl/environment.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import { ENVIRONMENTS, linearPolicyFor, randomParams } from './_support.js';

const seed = fc.integer({ min: 0, max: 0xffffffff });

describe.each(ENVIRONMENTS.map((make) => [make().name + ' ' + JSON.stringify({ obs: make().observationSize, max: make().maxSteps }), make] as const))('environment %s', (_label, make) => {
  test.prop([seed, fc.integer({ min: 0, max: 5 }), seed], { numRuns: 15 })('is deterministic under a seed: equal requests give equal episodes', (episodeSeed, sample, paramSeed) => {
    const env = make();
    const policy = linearPolicyFor(env);
    const params = randomParams(policy, paramSeed);
    const a = rolloutsOracle({ environment: env, policy }).rollouts(params, [{ seed: episodeSeed, sample }]);
    const b = rolloutsOracle({ environment: make(), policy: linearPolicyFor(env) }).rollouts(params, [{ seed: episodeSeed, sample }]);
    expect(a).toEqual(b);
  });

  test.prop([fc.array(seed, { minLength: 1, maxLength: 12 }), seed], { numRuns: 15 })('the vectorised step equals N single steps, bit for bit', (seeds, actSeed) => {
    const env = make();
    const n = seeds.length;
    const S = env.stateSize;
    const A = actionSize(env.action);
    const state = new Float64Array(n * S);
    seeds.forEach((s, r) => env.reset(state, r, s, r % 3));
    // Advance every row a few steps so the states differ from the start states.
    const actions = new Float32Array(n * A);
    const draw = (i: number): number => {
      const u = ((Math.imul(actSeed ^ i, 0x9e3779b9) >>> 0) % 1000) / 1000;
      return env.action.kind === 'discrete' ? Math.floor(u * env.action.n) : env.action.low === -Infinity ? 4 * u - 2 : env.action.low + u * (env.action.high - env.action.low) * 1.2;
    };
    for (let k = 0; k < Math.min(3, env.maxSteps); k++) {
      for (let i = 0; i < n * A; i++) actions[i] = draw(i + 1000 * k);
      const reward = new Float64Array(n);
      const term = new Uint8Array(n);
      const rows = state.slice();
      env.step(state, n, actions, reward, term);
      for (let r = 0; r < n; r++) {
        const one = rows.slice(r * S, r * S + S);
        const rr = new Float64Array(1);
        const tt = new Uint8Array(1);
        env.step(one, 1, actions.slice(r * A, r * A + A), rr, tt);
        expect(Array.from(one)).toEqual(Array.from(state.slice(r * S, r * S + S)));
        expect(Object.is(rr[0], reward[r])).toBe(true);
        expect(tt[0]).toBe(term[r]);
      }
      const obsAll = new Float32Array(n * env.observationSize);
      env.observe(state, n, obsAll);
      for (let r = 0; r < n; r++) {
        const o = new Float32Array(env.observationSize);
        env.observe(state.slice(r * S, r * S + S), 1, o);
        expect(Array.from(o)).toEqual(Array.from(obsAll.slice(r * env.observationSize, (r + 1) * env.observationSize)));
      }
    }
  });

  test.prop([seed, seed], { numRuns: 10 })('returns, lengths and rewards stay within their documented bounds', (paramSeed, base) => {
    const env = make();
    const policy = linearPolicyFor(env);
    const oracle = rolloutsOracle({ environment: env, policy });
    const requests = Array.from({ length: 24 }, (_, i) => ({ seed: (base + i) >>> 0, sample: i % 2 }));
    for (const params of [policy.init(0), randomParams(policy, paramSeed, 2)]) {
      for (const e of oracle.rollouts(params, requests)) {
        expect(e.return).toBeGreaterThanOrEqual(env.returnBounds.lower);
        expect(e.return).toBeLessThanOrEqual(env.returnBounds.upper);
        expect(e.length).toBeGreaterThanOrEqual(1);
        expect(e.length).toBeLessThanOrEqual(env.maxSteps);
        expect(e.terminated || e.length === env.maxSteps).toBe(true);
        expect(e.rewards.reduce((s, r) => s + r, 0)).toBeCloseTo(e.return, 9);
        if (e.optimalReturn !== undefined) expect(Number.isFinite(e.optimalReturn)).toBe(true);
      }
    }
  });

  test.prop([seed], { numRuns: 10 })('a group (one seed, several samples) shares its start state', (episodeSeed) => {
    const env = make();
    const policy = linearPolicyFor(env);
    const eps = rolloutsOracle({ environment: env, policy }).rollouts(randomParams(policy, 1), [0, 1, 2, 3].map((sample) => ({ seed: episodeSeed, sample })));
    for (const e of eps) expect(Array.from(e.observations.slice(0, env.observationSize))).toEqual(Array.from(eps[0]!.observations.slice(0, env.observationSize)));
  });
});

describe('known optima and definitions', () => {
  test('the registry builds every environment under its own name', () => {
    for (const [name, entry] of Object.entries(environments)) expect(entry.build(entry.defaultOptions as never).name).toBe(name);
  });
});
