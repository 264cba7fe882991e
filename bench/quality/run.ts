/**
 * Runs the quality suite and writes bench/results/quality.json, report/index.md and the SVG plots.
 *
 *   npx tsx bench/quality/run.ts [--quick] [--workers 2] [--methods a,b] [--families f,g] [--dims 10,100] [--peers A,B | --no-peers]
 *                                [--out bench/results/quality.json] [--report report]
 *
 * `--methods` selects registry estimators, `--peers` peer methods by name (bench/peers/peerMethods.ts;
 * default: all available in the mode); `--families` problem families.
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
import { PEER_METHODS } from '../peers/peerMethods.js';
import { ensurePeers, type Library } from '../peers/pythonPeer.js';
import { registryMethods, suiteTasks, type Family, type Mode, type Task } from './suite.js';

/** Options of {@link runQuality}. */
export interface RunQualityOptions {
  readonly mode: Mode;
  readonly workers?: number;
  readonly methods?: readonly string[];
  readonly families?: readonly Family[];
  /** Nominal dimensions to run (default: all of each family). */
  readonly dims?: readonly number[];
  /** Peer methods to run (names); undefined: every available one of the mode; [] none. */
  readonly peers?: readonly string[];
  readonly out?: string;
  readonly reportDir?: string;
  readonly log?: (line: string) => void;
}

/** Per-run time limits (seconds) by mode. */
export const LIMITS: Record<Mode, Limits> = { quick: { zerothS: 3, peerS: 5 }, full: { zerothS: 120, peerS: 90 } };

/** Runs the suite, writes the results and the report; returns the console summary. */
export async function runQuality(options: RunQualityOptions): Promise<{ results: QualityResults; summary: string }> {
  const log = options.log ?? ((l: string) => console.error(l));
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const workers = options.workers ?? Math.min(2, cpus().length);
  const wanted = PEER_METHODS.filter((m) => options.peers === undefined || options.peers.includes(m.name));
  const libraries = [...new Set(wanted.map((m) => m.library))] as Library[];
  const status = libraries.length > 0 ? ensurePeers(libraries, log) : { versions: {}, message: 'no peers requested' };
  log(status.message);
  let tasks = suiteTasks(options.mode, {
    ...(options.methods ? { methods: options.methods } : {}),
    ...(options.families ? { families: options.families } : {}),
    ...(options.dims ? { dims: options.dims } : {}),
    peers: (m) => wanted.includes(m) && status.versions[m.library] !== undefined,
  });
  // The peers are deterministic for a fixed start without fresh noise: run the first seed, repeat its record.
  const replicate = (t: Task): boolean => t.kind === 'peer' && isFixedStart(t.family) && t.seed !== 1 && !t.method.startsWith('Optuna') && t.method !== 'CMA-ES';
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
    const src = runs.find((r) => r.kind === 'peer' && r.method === t.method && r.family === t.family && r.d === t.d && r.seed === 1);
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
      peers: { message: status.message, methods: [...new Set(runs.filter((r) => r.kind === 'peer').map((r) => r.method))] },
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
  return family === 'rotatedQuadratic' || family === 'noisyRotatedQuadratic';
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
    ...(arg('dims') !== undefined ? { dims: arg('dims')!.split(',').map(Number) } : {}),
    ...(process.argv.includes('--no-peers') ? { peers: [] } : arg('peers') !== undefined ? { peers: arg('peers')!.split(',') } : {}),
    ...(arg('out') !== undefined ? { out: arg('out')! } : {}),
    ...(arg('report') !== undefined ? { reportDir: arg('report')! } : {}),
  });
  console.log(summary);
}
