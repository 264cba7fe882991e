import { describe, expect, test } from 'vitest';
import { mezo } from '../../estimators/mezo.js';
import { reinforce } from '../../estimators/reinforce.js';
import { grpo } from '../../estimators/grpo.js';
import { spsa } from '../../estimators/spsa.js';
import { bandit } from '../../problems/rl/bandit.js';
import { cartPole } from '../../problems/rl/cartPole.js';
import { pendulum } from '../../problems/rl/pendulum.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { InvalidHyperparameter, InvalidInput, NonFiniteValue, ObjectiveError, OracleMismatch } from '../../src/errors.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { maximize, valueOracle, withBudget } from '../../src/oracle/adapters.js';
import type { RolloutsOracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import type { Environment } from '../../src/rl/environment.js';
import type { EpisodeRequest } from '../../src/rl/episode.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import { returnOracle } from '../../src/oracle/returnOracle.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import { minimize } from '../../src/minimize.js';
import { runOptimizer } from '../../src/run.js';
import { adam } from '../../src/transform/aliases/adam.js';
import type { Params } from '../../src/types.js';
import { randomParams } from './_support.js';

const policy = linearSoftmax({ observationSize: 4, actions: 2 });
const requests = (n: number, base = 0): EpisodeRequest[] => Array.from({ length: n }, (_, i) => ({ seed: base + i, sample: i % 3 }));

/** A rollouts oracle that records the requests of every call. */
function recording(inner: RolloutsOracle<Params>): RolloutsOracle<Params> & { calls: EpisodeRequest[][] } {
  const calls: EpisodeRequest[][] = [];
  return { kind: 'rollouts', calls, rollouts: (x, rs, c) => (calls.push([...rs]), inner.rollouts(x, rs, c)) };
}

describe('rolloutsOracle', () => {
  test('a vectorised batch gives the same episodes as running them one by one, and counts episodes and steps', () => {
    const params = randomParams(policy, 4, 0.3);
    const oracle = rolloutsOracle({ environment: cartPole(), policy });
    const together = oracle.rollouts(params, requests(20));
    const alone = requests(20).map((r) => oracle.rollouts(params, [r])[0]);
    expect(together).toEqual(alone);
    expect(oracle.episodes).toBe(40);
    expect(oracle.steps).toBe(2 * together.reduce((s, e) => s + e.length, 0));
    expect(Array.from(oracle.returns(params, requests(20)))).toEqual(together.map((e) => e.return));
    expect(oracle.rollouts(params, [])).toEqual([]);
  });
  test('greedy actions are deterministic and ignore the sample index', () => {
    const params = randomParams(policy, 5, 0.3);
    const oracle = rolloutsOracle({ environment: cartPole(), policy, actions: 'greedy' });
    const a = oracle.rollouts(params, [{ seed: 9, sample: 0 }, { seed: 9, sample: 4 }]);
    expect(a[0]!.actions).toEqual(a[1]!.actions);
  });
  test('refuses a policy that does not fit the environment, bad requests and bad options, naming them', () => {
    expect(() => rolloutsOracle({ environment: pendulum(), policy })).toThrow(InvalidInput);
    expect(() => rolloutsOracle({ environment: cartPole(), policy: linearSoftmax({ observationSize: 4, actions: 3 }) })).toThrow(/policy/);
    expect(() => rolloutsOracle({ environment: cartPole(), policy, actions: 'random' as never })).toThrow(InvalidHyperparameter);
    expect(() => rolloutsOracle({ environment: cartPole(), policy }).rollouts(policy.init(0), [{ seed: -1, sample: 0 }])).toThrow(/requests\[0\]/);
  });
});

describe('rollouts through the shared mechanism', () => {
  test('the + and − probes of a two-point estimator face the same episodes (common random numbers by seed)', async () => {
    const inner = rolloutsOracle({ environment: cartPole(), policy, actions: 'greedy' });
    const rec = recording(inner);
    const f = returnOracle(rec, { episodes: 3 });
    for (const est of [spsa({ sigma: 0.1, numProbes: 2 }), mezo({ sigma: 0.1 })]) {
      rec.calls.length = 0;
      const params = randomParams(policy, 1, 0.3);
      const batch = est.propose(est.init(params), params, 77);
      await evaluateProbes(cpuBackend(), params, batch, f, { step: 0 });
      expect(rec.calls.length).toBe(batch.probes.length);
      for (let j = 0; j < rec.calls.length; j += 2) {
        expect(rec.calls[j]).toEqual(rec.calls[j + 1]);
        expect(rec.calls[j]!.length).toBe(3);
      }
      expect(rec.calls[0]).not.toEqual(rec.calls[2] ?? []);
    }
  });
  test('a policy-gradient batch is one vectorised call; a GRPO group shares its seed', async () => {
    const rec = recording(rolloutsOracle({ environment: cartPole(), policy }));
    const params = policy.init(0);
    const est = grpo({ policy, groups: 3, groupSize: 4 });
    const batch = est.propose(est.init(params), params, 5);
    const r = await evaluateProbes(cpuBackend(), params, batch, rec, { step: 0 });
    expect(rec.calls.length).toBe(1);
    expect(r.queries).toBe(12);
    const seeds = rec.calls[0]!.map((q) => q.seed);
    expect(new Set(seeds).size).toBe(3);
    expect(rec.calls[0]!.slice(0, 4).map((q) => q.sample)).toEqual([0, 1, 2, 3]);
    if (r.responses.kind !== 'rollouts') throw new Error('expected episodes');
    expect(r.responses.episodes.map((e) => e.seed)).toEqual(seeds);
  });
  test('the optimizer refuses the wrong oracle kind for either family', async () => {
    const params = policy.init(0);
    const pg = optimizer({ estimator: reinforce({ policy }), update: adam(0.01) });
    await expect(pg.step(params, valueOracle(() => 0), pg.init(params, 1))).rejects.toThrow(OracleMismatch);
    const zo = optimizer({ estimator: spsa(), update: adam(0.01) });
    await expect(zo.step(params, rolloutsOracle({ environment: cartPole(), policy }), zo.init(params, 1))).rejects.toThrow(/'value' or 'batch'/);
  });
  test('withBudget counts an episode as a query; maximize refuses rollouts', async () => {
    const counted = withBudget(rolloutsOracle({ environment: cartPole(), policy }), 10);
    if (counted.kind !== 'rollouts') throw new Error('kind');
    await counted.rollouts(policy.init(0), requests(4), { noiseSeed: 0, step: 0 });
    await counted.returns!(policy.init(0), requests(4), { noiseSeed: 0, step: 0 });
    expect(counted.queries).toBe(8);
    await expect(counted.rollouts(policy.init(0), requests(4), { noiseSeed: 0, step: 0 })).rejects.toThrow(/budget/i);
    expect(() => maximize(rolloutsOracle({ environment: cartPole(), policy }))).toThrow(/returnOracle/);
  });
});

/** CartPole whose rewards turn bad (NaN) or whose step throws after `after` steps. */
function faulty(after: number, how: 'nan' | 'throw'): Environment {
  const base = cartPole();
  let calls = 0;
  return {
    ...base,
    step(state, count, actions, reward, terminated) {
      base.step(state, count, actions, reward, terminated);
      if (++calls > after) {
        if (how === 'throw') throw new Error('simulator crashed');
        reward[0] = NaN;
      }
    },
  };
}

describe('failures leave the parameters at their last good values', () => {
  test.each(['nan', 'throw'] as const)('an environment that goes %s mid-run ends the run with an error, parameters intact', async (how) => {
    const params = randomParams(policy, 2, 0.2);
    const opt = optimizer({ estimator: reinforce({ policy, episodes: 4 }), update: adam(0.05) });
    const oracle = rolloutsOracle({ environment: faulty(60, how), policy });
    const run = await runOptimizer(opt, params, oracle, opt.init(params, 3), { budget: { steps: 50 } });
    expect(run.stoppedBy.reason).toBe('error');
    expect(run.stoppedBy.error).toBeInstanceOf(how === 'nan' ? NonFiniteValue : ObjectiveError);
    // Replay the completed steps on fresh parameters: the run's parameters are exactly those.
    const replay = randomParams(policy, 2, 0.2);
    const clean = rolloutsOracle({ environment: cartPole(), policy });
    let st = opt.init(replay, 3);
    for (let k = 0; k < run.steps; k++) st = (await opt.step(replay, clean, st)).state;
    expect(params.map((b) => Array.from(b.data))).toEqual(replay.map((b) => Array.from(b.data)));
    expect(run.steps).toBeGreaterThan(0);
  });
  test('a bandit with a non-integer action is refused with the action named', async () => {
    const env = bandit({ arms: 3 });
    const state = new Float64Array(2);
    env.reset(state, 0, 1, 0);
    expect(() => env.step(state, 1, Float32Array.of(1.5), new Float64Array(1), new Uint8Array(1))).toThrow(/action/);
  });
});

describe('minimize', () => {
  test('refuses a policy-gradient estimator with the fix named', async () => {
    await expect(minimize((x) => x[0]! ** 2, [1], { estimator: reinforce({ policy }), update: adam(0.1), budget: { steps: 2 } })).rejects.toThrow(/rolloutsOracle/);
  });
});
