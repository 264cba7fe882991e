import { describe, expect, test } from 'vitest';
import { estimators, type EstimatorEntry } from '../../estimators/index.js';
import { quadratic } from '../../problems/quadratic.js';
import type { Estimator } from '../../src/estimator.js';
import { minimize } from '../../src/minimize.js';
import { optimizer } from '../../src/optimizer.js';
import { gradientOracle, rankingFromValues, valueOracle } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Params } from '../../src/types.js';
import { estimatorLaws } from '../laws/estimatorLaws.js';
import { lawContext, type LawContext } from '../laws/_internal/lawContext.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import { adam } from '../../src/transform/aliases/adam.js';

const problem = quadratic({ dim: 6, condition: 4, seed: 3 });
const x0 = Float32Array.from([1, -1, 0.5, 0.25, -0.75, 1]);
const f0 = problem.value(x0);
const rolloutContext = lawContext([6], { value: (x) => problem.value(Float32Array.from(x)) });

function oracleFor(est: Estimator<unknown>): Oracle<Params> {
  const value = valueOracle((p: Params) => problem.value(p[0]!.data));
  if (est.response === 'ranking') return rankingFromValues(value);
  if (est.response === 'valueAndGrad') {
    return gradientOracle((p: Params) => {
      const g = new Float32Array(6);
      problem.grad!(p[0]!.data, g);
      return { value: problem.value(p[0]!.data), grad: [g] };
    });
  }
  return value;
}

for (const [key, entry] of Object.entries(estimators) as [string, EstimatorEntry][]) {
  describe(`registry entry ${key}`, () => {
    entry.variants.forEach((options, v) => {
      // A rollouts estimator is built with the policy of the law context (the one its oracle runs).
      const build = (ctx?: LawContext): Estimator<unknown> => entry.build(entry.response === 'rollouts' ? { ...options, policy: (ctx ?? rolloutContext).policy } : options);
      const unbiased = typeof entry.unbiased === 'function' ? entry.unbiased(options) : entry.unbiased;
      const label = `${key}#${v} ${JSON.stringify(options)}`;
      for (const law of estimatorLaws({ name: label, build, unbiased })) {
        test(law.name, law.run);
      }
      if (entry.response === 'rollouts') {
        test(`${label}: runs through optimizer().step on a rollouts oracle and lowers a quadratic bandit's cost`, async () => {
          const est = build();
          const opt = optimizer({ estimator: est, update: adam(0.05) });
          const params: Params = [{ name: 'b0', shape: [6], data: x0.slice() }];
          let state = opt.init(params, 11);
          const oracle = rolloutsOracle(rolloutContext);
          for (let k = 0; k < 60; k++) state = (await opt.step(params, oracle, state)).state;
          expect(problem.value(params[0]!.data)).toBeLessThan(0.5 * f0);
          expect(state.queries).toBeGreaterThan(0);
        });
        return;
      }
      test(`${label}: runs through minimize and through optimizer().step, and lowers a quadratic`, async () => {
        const r = await minimize(problem, x0, { estimator: build(), update: sgd(0.005), budget: { queries: 600 }, seed: 11 });
        expect(r.stoppedBy.reason).toBe('queries');
        expect(r.value).toBeLessThan(f0);
        const est = build();
        const opt = optimizer({ estimator: est, update: sgd(0.005) });
        const params: Params = [{ name: 'x', shape: [6], data: x0.slice() }];
        let state = opt.init(params, 11);
        for (let k = 0; k < 40; k++) state = (await opt.step(params, oracleFor(est), state)).state;
        expect(problem.value(params[0]!.data)).toBeLessThan(f0);
      });
    });
  });
}
