/**
 * Runs the quality suite and writes bench/results/quality.json, report/index.md and the SVG plots.
 *
 *   npx tsx bench/quality/run.ts [--quick] [--workers 2] [--methods a,b] [--families f,g] [--no-scipy]
 *                                [--out bench/results/quality.json] [--report report]
 *
 * `npm run bench` is the full suite; `npm start` the quick one (bench/demo.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { estimators } from '../../estimators/index.js';
import type { QualityResults } from './aggregate.js';
import { cgeGradientCheck } from './cgeCheck.js';
import { formatMs } from './markdown.js';
import { runTasks, type Limits } from './pool.js';
import type { RunRecord } from './record.js';
import { writeReport } from './report.js';
import { ensureScipy } from './scipyPeer.js';
import { registryMethods, suiteTasks, type Family, type Mode, type Task } from './suite.js';

/** Options of {@link runQuality}. */
export interface RunQualityOptions {
  readonly mode: Mode;
  readonly workers?: number;
  readonly methods?: readonly string[];
  readonly families?: readonly Family[];
  readonly scipy?: boolean;
  readonly out?: string;
  readonly reportDir?: string;
  readonly log?: (line: string) => void;
}

/** Per-run time limits (seconds) by mode. */
export const LIMITS: Record<Mode, Limits> = { quick: { zerothS: 3, scipyS: 5 }, full: { zerothS: 120, scipyS: 90 } };

/** Runs the suite, writes the results and the report; returns the console summary. */
export async function runQuality(options: RunQualityOptions): Promise<{ results: QualityResults; summary: string }> {
  const log = options.log ?? ((l: string) => console.error(l));
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const workers = options.workers ?? Math.min(2, cpus().length);
  const wantScipy = options.scipy !== false;
  const scipy = wantScipy ? ensureScipy(log) : { available: false, message: 'SciPy peers not requested (--no-scipy)' };
  if (wantScipy) log(scipy.message);
  let tasks = suiteTasks(options.mode, {
    ...(options.methods ? { methods: options.methods } : {}),
    ...(options.families ? { families: options.families } : {}),
    scipy: scipy.available,
  });
  // SciPy is deterministic for a fixed start: run the first seed, repeat its record for the others.
  const replicate = (t: Task): boolean => t.kind === 'scipy' && isFixedStart(t.family) && t.seed !== 1;
  const replicas = tasks.filter(replicate);
  tasks = tasks.filter((t) => !replicate(t));
  log(`quality suite (${options.mode}): ${tasks.length} runs on ${workers} worker${workers === 1 ? '' : 's'} …`);
  const limits = LIMITS[options.mode];
  const cge = await cgeGradientCheck();
  let lastLog = 0;
  const results = await runTasks(tasks, {
    workers,
    limits,
    onDone: (done, total) => {
      const now = performance.now();
      if (now - lastLog > 10_000 || done === total) {
        lastLog = now;
        log(`  ${done}/${total} runs done (${formatMs(now - t0)})`);
      }
    },
  });
  const runs: RunRecord[] = [];
  const failures: { task: unknown; error: string }[] = [];
  for (const r of results) {
    if ('error' in r) failures.push({ task: r.task, error: r.error });
    else runs.push(r);
  }
  for (const t of replicas) {
    const src = runs.find((r) => r.kind === 'scipy' && r.method === t.method && r.family === t.family && r.d === t.d && r.seed === 1);
    if (src !== undefined) runs.push({ ...src, seed: t.seed, replicatedFrom: 1 });
  }
  const registry = estimators as Record<string, { description: string; response: string }>;
  const out: QualityResults = {
    meta: {
      mode: options.mode,
      startedAt,
      totalMs: 0,
      node: process.version,
      cpus: cpus().length,
      workers,
      limits,
      scipy: { available: scipy.available, message: scipy.message },
      estimators: registryMethods()
        .filter((name) => options.methods === undefined || options.methods.includes(name))
        .map((name) => ({ name, description: registry[name]!.description, response: registry[name]!.response })),
    },
    checks: { cgeGradient: cge },
    runs,
    failures,
  };
  const file = options.out ?? 'bench/results/quality.json';
  const finalize = (): QualityResults => ({ ...out, meta: { ...out.meta, totalMs: performance.now() - t0 } });
  const built = await writeReport(finalize(), options.reportDir ?? 'report');
  const final = finalize();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(final));
  log(`wrote ${file}, ${join(options.reportDir ?? 'report', 'index.md')} and ${built.plots.length} SVG plots (${formatMs(final.meta.totalMs)})`);
  return { results: final, summary: built.summary };
}

function isFixedStart(family: Family): boolean {
  return family === 'rotatedQuadratic';
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && /quality[/\\]run\.ts$/.test(process.argv[1])) {
  const workers = arg('workers');
  const methods = arg('methods');
  const families = arg('families');
  const { summary } = await runQuality({
    mode: process.argv.includes('--quick') ? 'quick' : 'full',
    ...(workers !== undefined ? { workers: Number(workers) } : {}),
    ...(methods !== undefined ? { methods: methods.split(',') } : {}),
    ...(families !== undefined ? { families: families.split(',') as Family[] } : {}),
    scipy: !process.argv.includes('--no-scipy'),
    ...(arg('out') !== undefined ? { out: arg('out')! } : {}),
    ...(arg('report') !== undefined ? { reportDir: arg('report')! } : {}),
  });
  console.log(summary);
}
