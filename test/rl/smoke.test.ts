import { describe, expect, test } from 'vitest';
import { estimators } from '../../estimators/index.js';
import { environments } from '../../problems/index.js';
import type { Estimator } from '../../src/estimator.js';
import { rankingFromValues } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import type { Environment } from '../../src/rl/environment.js';
import { returnOracle } from '../../src/oracle/returnOracle.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import { valueNetwork } from '../../src/rl/valueNetwork.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { chain } from '../../src/transform/chain.js';
import { clipByGlobalNorm } from '../../src/transform/clipByGlobalNorm.js';
import { materialize } from '../../src/transform/materialize.js';
import type { Params } from '../../src/types.js';
import { linearPolicyFor } from './_support.js';

/** Small option sets: every estimator takes a few steps on every environment. */
const METHODS: Record<string, object> = {
  reinforce: { episodes: 8 },
  ppo: { episodes: 4, epochs: 2, minibatches: 2 },
  grpo: { groups: 2, groupSize: 3, epochs: 2 },
  spsa: { sigma: 0.5 },
  mezo: { sigma: 0.5 },
  zoRankSgd: { sigma: 0.5, numCandidates: 4 },
  lozo: { sigma: 0.5, rank: 1 },
};

describe.each(Object.keys(environments))('smoke: %s', (envName) => {
  const entry = environments[envName as keyof typeof environments];
  test.each(Object.keys(METHODS))('%s takes steps through the optimizer, counts every episode and keeps the parameters finite', async (method) => {
    const env = entry.build(entry.defaultOptions as never) as Environment;
    const policy = linearPolicyFor(env);
    const registry = estimators as Record<string, { build(o?: object): Estimator<unknown>; response: string }>;
    const pg = registry[method]!.response === 'rollouts';
    const critic = method === 'ppo' ? valueNetwork({ observationSize: env.observationSize, hidden: [8] }) : undefined;
    const params: Params = [...policy.init(0), ...(critic ? critic.init(1) : [])];
    const before = params.map((b) => b.data.slice());
    const rollouts = rolloutsOracle({ environment: env, policy, actions: pg ? 'sample' : 'greedy' });
    const value = returnOracle(rollouts, { episodes: 8 });
    const oracle: Oracle<Params> = pg ? rollouts : registry[method]!.response === 'ranking' ? rankingFromValues(value) : value;
    const estimator = registry[method]!.build({ ...METHODS[method], ...(pg ? { policy, ...(critic ? { value: critic } : {}) } : {}) });
    const opt = optimizer({ estimator, update: chain(materialize(), clipByGlobalNorm(10), adam(0.05)) });
    let state = opt.init(params, 7);
    for (let k = 0; k < 6; k++) {
      const r = await opt.step(params, oracle, state);
      state = r.state;
      // f = −return: the reported value lies within the negated return bounds (a ranking has no values: NaN).
      if (method !== 'zoRankSgd') {
        expect(-r.value).toBeGreaterThanOrEqual(env.returnBounds.lower - 1e-9);
        expect(-r.value).toBeLessThanOrEqual(env.returnBounds.upper + 1e-9);
      }
    }
    expect(state.queries).toBeGreaterThan(0);
    expect(rollouts.episodes).toBe(pg ? state.queries : 8 * state.queries);
    expect(params.every((b) => b.data.every(Number.isFinite))).toBe(true);
    expect(params.some((b, i) => b.data.some((v, j) => v !== before[i]![j]))).toBe(true);
  });
});
