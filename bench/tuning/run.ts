/**
 * The tuning suite: zeroth's tuner (its default estimator and the previous default) against random search,
 * Optuna TPE, Optuna CMA-ES, CMA-ES and BOBYQA on bounded black-box problems (Branin, Hartmann-6, Levy-10,
 * Ackley-10, Rosenbrock-10 in a box) and a real hyperparameter problem (a classifier on Iris), at budgets of
 * 50, 200 and 500 evaluations, 10 seeds. Writes bench/results/tuning-suite.json and report/tuning.md.
 *
 *   npx tsx bench/tuning/run.ts [--seeds 10] [--problems a,b] [--methods "A,B"] [--out file] [--report dir]
 *
 * Every run evaluates the seeded start first; "best value found at B" is the lowest objective value among the
 * first B evaluations (the problems are deterministic, so it is the true value).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePeers, PythonPeer, type Library } from '../peers/pythonPeer.js';
import { runMethod, TUNING_METHODS } from './methods.js';
import { TUNING_PROBLEMS } from './problems.js';
import { buildTuningReport, BUDGETS, type TuningRecord, type TuningResults } from './report.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seeds = Number(arg('seeds') ?? 10);
const problems = TUNING_PROBLEMS.filter((p) => arg('problems') === undefined || arg('problems')!.split(',').includes(p.name));
const wantedMethods = TUNING_METHODS.filter((m) => arg('methods') === undefined || arg('methods')!.split(',').includes(m.name));
const libraries = [...new Set(wantedMethods.flatMap((m) => (m.library ? [m.library] : [])))] as Library[];
const log = (l: string): void => console.error(l);
const status = libraries.length > 0 ? ensurePeers(libraries, log) : { versions: {}, message: 'no peers requested' };
log(status.message);
const methods = wantedMethods.filter((m) => m.library === undefined || status.versions[m.library] !== undefined);
const budget = Math.max(...BUDGETS);
const t0 = performance.now();
let peer: PythonPeer | undefined;
if (methods.some((m) => m.library !== undefined)) {
  peer = new PythonPeer();
  await peer.hello();
}
const records: TuningRecord[] = [];
const total = problems.length * methods.length * seeds;
for (const problem of problems) {
  for (const method of methods) {
    for (let seed = 1; seed <= seeds; seed++) {
      const trace = await runMethod(method, problem, budget, seed, peer);
      const at = (b: number): number => trace.best[Math.min(b, trace.best.length) - 1] ?? NaN;
      records.push({ problem: problem.name, method: method.name, seed, best: BUDGETS.map(at), evaluations: trace.best.length, wallMs: Math.round(trace.wallMs) });
    }
    log(`  ${problem.name} × ${method.name}: done (${records.length}/${total}, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
}
peer?.close();
const results: TuningResults = {
  meta: { startedAt: new Date().toISOString(), totalMs: performance.now() - t0, seeds, budgets: [...BUDGETS], peers: status.message, node: process.version },
  problems: problems.map((p) => ({ name: p.name, title: p.title, dim: p.space.dim, fStar: p.fStar })),
  methods: methods.map((m) => ({ name: m.name, settings: m.settings })),
  records,
};
const out = arg('out') ?? 'bench/results/tuning-suite.json';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results));
const reportDir = arg('report') ?? 'report';
const built = buildTuningReport(results);
mkdirSync(reportDir, { recursive: true });
writeFileSync(join(reportDir, 'tuning.md'), built.markdown + '\n');
console.log(built.summary);
log(`wrote ${out} and ${join(reportDir, 'tuning.md')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
