/**
 * The reinforcement-learning benchmark: every method × every environment × seeds, then the vectorised
 * throughput, written to bench/results/rl.json and report/rl/index.md with SVG learning curves.
 *
 *   npx tsx bench/rl/run.ts [--quick] [--seeds 1,2,3] [--methods a,b] [--envs x,y] [--no-speed]
 *                           [--out bench/results/rl.json] [--report report/rl]
 *
 * `npm run bench:rl` runs the full version (seeds 11–13, full budgets); `--quick` uses one seed and a fifth of
 * every budget. The hyperparameters (bench/rl/settings.ts) were tuned on seeds 1–3.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { formatMs } from '../quality/markdown.js';
import { writeRlReport, type RlResults } from './report.js';
import { runRl, type RlRecord } from './runRl.js';
import { ENVIRONMENTS, METHODS, type EnvName, type MethodName } from './settings.js';
import { measureAll } from './speed.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function pick<T extends string>(name: string, all: readonly T[]): T[] {
  const given = arg(name)?.split(',');
  if (given === undefined) return [...all];
  for (const g of given) if (!(all as readonly string[]).includes(g)) throw new Error(`--${name}: unknown ${g}; choose from ${all.join(', ')}`);
  return given as T[];
}

const quick = process.argv.includes('--quick');
// Hyperparameters were tuned on seeds 1–3; the benchmark reports fresh seeds.
const seeds = (arg('seeds') ?? (quick ? '11' : '11,12,13')).split(',').map(Number);
const methods = pick<MethodName>('methods', METHODS);
const envs = pick<EnvName>('envs', ENVIRONMENTS);
const out = arg('out') ?? 'bench/results/rl.json';
const reportDir = arg('report') ?? 'report/rl';
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const t0 = performance.now();
const startedAt = new Date().toISOString();
const loadAverage = loadavg();
const runs: RlRecord[] = [];
const total = envs.length * methods.length * seeds.length;
for (const env of envs) {
  for (const method of methods) {
    for (const seed of seeds) {
      const r = await runRl({ method, env, seed, budgetScale: quick ? 0.2 : 1 });
      runs.push(r);
      const reached = r.solved === null ? `not reached (final ${r.final.toPrecision(4)})` : `reached after ${r.solved.episodes} episodes / ${r.solved.steps} steps`;
      log(`[${runs.length}/${total}] ${method} on ${env}, seed ${seed}: ${reached}, ${formatMs(r.wallMs)} (${formatMs(performance.now() - t0)} so far)`);
    }
  }
}
const speed = process.argv.includes('--no-speed') ? [] : measureAll(quick);
for (const t of speed) log(`${t.what}: ${(t.medianCpu / 1e6).toFixed(2)} M steps per CPU-second, ${(t.medianWall / 1e6).toFixed(2)} M per wall-clock second`);
const results: RlResults = {
  meta: { mode: quick ? 'quick' : 'full', startedAt, totalMs: performance.now() - t0, node: process.version, cpus: cpus().length, loadAverage, seeds },
  speed,
  runs,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results));
const written = await writeRlReport(results, reportDir);
log(`wrote ${out}, ${join(reportDir, 'index.md')} and ${written.plots} SVG plots (${formatMs(results.meta.totalMs)})`);
console.log(written.summary);
