// npm run bench:perf [-- --quick] [--runs N] [--no-torch] [--no-install]
//
// Speed of the in-place perturbation primitives: ns/element and GB/s (8 B/element: θ is read and written, z is
// regenerated) for Gaussian and Rademacher directions at d = 1e6 and 1e7, on cpu (TypeScript), wasm 1 thread
// and wasm 2 threads, each measurement in a fresh child process (median of ≥ 5 runs after 2 warm-ups), beside
// memory-bandwidth references measured in the same run (Float32Array.set copy, wasm axpy) and the PyTorch MeZO
// reference (Debian python3-torch, installed with apt-get when absent and possible). Writes
// bench/results/perf.json and bench/results/perf.md. Never run by npm test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTorch } from '../_support/ensureTorch.js';
import { formatReport, targets } from './report.js';
import type { Measurement } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runsAt = args.indexOf('--runs');
const runs = Math.max(5, runsAt >= 0 ? Number(args[runsAt + 1]) : 7);
const sizes = quick ? [1e6] : [1e6, 1e7];
const python = '/usr/bin/python3';

function child(impl: string, kind: string, d: number): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'child.ts'), impl, kind, String(d), String(runs)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

function torch(d: number, threads: number): Measurement {
  const out = execFileSync(python, [join(here, 'torch_mezo.py'), String(d), String(threads), String(runs)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

const results: Measurement[] = [];
const log = (m: Measurement): void => {
  results.push(m);
  console.log(`  ${m.impl.padEnd(7)} ${m.kind.padEnd(10)} d=${m.d.toExponential(0)}  ${m.median.toFixed(3)} ns/elem`);
};

const loadBefore = loadavg()[0]!;
console.log(`bench:perf: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${runs} runs per point, load average ${loadBefore.toFixed(2)}`);
if (loadBefore > 0.5 * cpus().length) console.log('bench:perf: WARNING — the machine is busy; other processes will slow the measurements (most of all the 2-thread ones).');
const torchSkip = ensureTorch(args);
if (torchSkip !== undefined) console.log(`bench:perf: PyTorch reference SKIPPED — ${torchSkip}`);

for (const d of sizes) {
  console.log(`d = ${d.toExponential(0)}`);
  log(child('cpu', 'copy', d));
  for (const impl of ['wasm1', 'wasm2']) log(child(impl, 'axpy', d));
  for (const impl of ['cpu', 'wasm1', 'wasm2']) for (const kind of ['gaussian', 'rademacher']) log(child(impl, kind, d));
  if (torchSkip === undefined) for (const t of [1, 2]) log(torch(d, t));
}

const env = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  runs,
  loadAverage: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)} (1-min, start → end)`,
  torch: torchSkip === undefined ? (results.find((m) => m.impl.startsWith('torch'))?.version ?? 'yes') : `skipped: ${torchSkip}`,
};
const md = formatReport(results, env);
const outDir = join(root, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'perf.json'), `${JSON.stringify({ env, targets, results }, null, 2)}\n`);
writeFileSync(join(outDir, 'perf.md'), md);
console.log(`\n${md}`);
console.log(`bench:perf: wrote ${join('bench', 'results', 'perf.json')} and perf.md`);
