/**
 * `npm start`: a short demo that minimises a few problems with the estimators of zeroth and prints a table.
 * The full quality benchmark is `npm run bench`.
 */
import { adam, minimize, sgd, targetValue, type Estimator, type Transform } from '../src/index.js';
import { spsa } from '../estimators/index.js';
import { quadratic } from '../problems/quadratic.js';
import { rosenbrock } from '../problems/rosenbrock.js';
import { sphere } from '../problems/sphere.js';
import type { Problem } from '../problems/problem.js';

interface Row {
  readonly problem: string;
  readonly method: string;
  readonly start: number;
  readonly final: number;
  readonly queries: number;
  readonly ms: number;
}

const cases: { problem: Problem; x0: Float32Array; method: string; estimator: () => Estimator<unknown>; update: () => Transform<unknown>; queries: number }[] = [];
const rb = rosenbrock();
const q = quadratic({ dim: 100, condition: 100 });
const sp = sphere({ dim: 10 });
for (const [problem, x0, queries] of [
  [sp, sp.initialPoint(1), 4000],
  [rb, rb.initialPoint(0), 20000],
  [q, new Float32Array(100).fill(1), 20000],
] as const) {
  const lr = problem === rb ? { adam: 0.01, sgd: 2e-4 } : problem === q ? { adam: 0.05, sgd: 3e-4 } : { adam: 0.05, sgd: 3e-3 };
  cases.push({ problem, x0, method: 'spsa gaussian + adam', estimator: () => spsa({ sigma: 1e-3, distribution: 'gaussian' }), update: () => adam(lr.adam), queries });
  cases.push({ problem, x0, method: 'spsa rademacher + sgd', estimator: () => spsa({ sigma: 1e-3 }), update: () => sgd(lr.sgd), queries });
}

const rows: Row[] = [];
for (const c of cases) {
  const t0 = performance.now();
  const r = await minimize(c.problem, c.x0, {
    estimator: c.estimator(),
    update: c.update(),
    budget: { queries: c.queries },
    stoppers: [targetValue(1e-6)],
    seed: 1,
  });
  rows.push({ problem: `${c.problem.name} (d=${c.problem.dim})`, method: c.method, start: c.problem.value(c.x0), final: r.value, queries: r.queries, ms: performance.now() - t0 });
}

const fmt = (v: number): string => (Math.abs(v) >= 1e-2 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(2));
const table = [
  '| problem | method | f(x0) | f(x) | queries | time (ms) |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.problem} | ${r.method} | ${fmt(r.start)} | ${fmt(r.final)} | ${r.queries} | ${r.ms.toFixed(0)} |`),
].join('\n');
console.log(table);
