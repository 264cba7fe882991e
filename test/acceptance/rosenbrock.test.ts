import { expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { rosenbrock } from '../../problems/rosenbrock.js';
import { minimize } from '../../src/minimize.js';
import { cosineDecay } from '../../src/schedule/cosineDecay.js';
import { adam } from '../../src/transform/aliases/adam.js';

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

test('Gaussian SPSA (q = 1, central) with Adam reaches f ≤ 1e-3 on 2-d Rosenbrock from (−1.2, 1) within 20,000 queries (median of 5 seeds)', async () => {
  const problem = rosenbrock();
  const x0 = problem.initialPoint(0);
  expect(Array.from(x0)).toEqual([Math.fround(-1.2), 1]);
  const finals: number[] = [];
  const queries: number[] = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = await minimize(problem, x0, {
      estimator: spsa({ sigma: 1e-3, distribution: 'gaussian', difference: 'central', numProbes: 1 }),
      // Adam with a cosine-decayed learning rate over the 10,000 steps that 20,000 queries buy.
      update: adam(cosineDecay({ init: 0.02, steps: 10_000 })),
      budget: { queries: 20_000 },
      seed,
    });
    expect(r.queries).toBeLessThanOrEqual(20_000);
    finals.push(r.value); // f at the returned x, evaluated once more (counted in queries)
    queries.push(r.history.find((h) => h.value <= 1e-3)?.queries ?? Infinity);
  }
  expect(median(finals)).toBeLessThanOrEqual(1e-3);
  console.log(`rosenbrock: median f = ${median(finals).toExponential(2)}, median queries until a step's value ≤ 1e-3 = ${median(queries)}`);
});
