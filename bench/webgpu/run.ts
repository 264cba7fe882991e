// npm run bench:webgpu [-- --quick]
//
// Throughput of the webgpu backend's kernels on whatever WebGPU adapter Debian's Chromium gets (SwiftShader, a CPU
// implementation, on machines without a GPU), each as a ratio to a plain buffer-copy kernel measured back to back
// in the same run (median of several rounds); the batch oracle's probes per second; and the bytes a d = 10^6 MeZO
// step on a WGSL quadratic reads back. Installs chromium with apt-get when it is missing (as root). Writes
// bench/results/webgpu.json and bench/results/webgpu.md. Never run by npm test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, openBrowserPage } from '../../test/browser/_support/chromium.js';
import type { BenchPage, KernelFigure } from './page.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
// sized for a software adapter (SwiftShader runs the checked kernels at about a million elements per second)
const n = quick ? 1 << 18 : 1 << 20;
const reps = 2;
const rounds = quick ? 3 : 5;
const oracleDim = 1 << 14;
const oracleProbes = 64;
const mezoDim = 1_000_000;
const mezoSteps = quick ? 1 : 2;

function ensureChromium(): void {
  if (existsSync(chromiumPath())) return;
  if (process.getuid?.() !== 0) throw new Error(`bench:webgpu: ${chromiumPath()} is missing; run \`apt-get install -y chromium\` as root or set CHROMIUM_PATH`);
  console.log('bench:webgpu: installing chromium with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): boolean => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (!install()) throw new Error('bench:webgpu: apt-get install -y chromium failed');
  }
}

ensureChromium();
const session = await openBrowserPage(join(here, 'page.ts'));
const call = async <K extends keyof BenchPage>(m: K, ...a: Parameters<BenchPage[K]>): Promise<Awaited<ReturnType<BenchPage[K]>>> =>
  (await session.page.evaluate(([name, args]) => (globalThis as unknown as { __zeroth: Record<string, (...x: unknown[]) => unknown> }).__zeroth[name as string]!(...(args as unknown[])), [m, a] as const)) as Awaited<ReturnType<BenchPage[K]>>;
try {
  const adapter = await call('init');
  console.log(`bench:webgpu: adapter ${adapter}; kernels at n = ${n} (${reps} dispatches × ${rounds} rounds)…`);
  const kernels = await call('kernels', n, reps, rounds);
  for (const k of kernels) console.log(`  ${k.kernel.padEnd(40)} ${(k.elementsPerSecond / 1e6).toFixed(1).padStart(8)} M elements/s  ${k.ratioToCopy.toFixed(2)}× copy`);
  console.log(`bench:webgpu: batch oracle, ${oracleProbes} Gaussian probes of a d = ${oracleDim} sphere…`);
  const oracle = await call('oracle', oracleDim, oracleProbes, rounds);
  console.log(`  ${oracle.probesPerSecond.toFixed(1)} probes/s, ${oracle.dispatchesPerCall} dispatch and ${oracle.bytesPerCall} bytes read back per call`);
  console.log(`bench:webgpu: MeZO step at d = ${mezoDim} on a WGSL quadratic (${mezoSteps} steps)…`);
  const step = await call('mezoStep', mezoDim, mezoSteps);
  console.log(`  ${step.bytesPerStep} bytes read back per step, ${step.secondsPerStep.toFixed(2)} s per step`);
  const env = { adapter, chromium: chromiumPath(), n, reps, rounds, quick, cpus: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(2)), date: new Date().toISOString() };
  const ratio = (name: string): number => kernels.find((k) => k.kernel === name)!.ratioToCopy;
  const targets = [
    { target: 'Rademacher perturbation ≥ 0.8× copy throughput', value: ratio('rademacher perturb'), met: ratio('rademacher perturb') >= 0.8 },
    { target: 'Gaussian perturbation ≥ 0.5× copy throughput', value: ratio('gaussian perturb'), met: ratio('gaussian perturb') >= 0.5 },
    { target: 'd = 10^6 MeZO step reads back ≤ 16 bytes', value: step.bytesPerStep, met: step.bytesPerStep <= 16 },
  ];
  const dir = join(here, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'webgpu.json'), JSON.stringify({ env, kernels, oracle: { dim: oracleDim, probes: oracleProbes, ...oracle }, mezoStep: { dim: mezoDim, ...step }, targets }, null, 2));
  writeFileSync(join(dir, 'webgpu.md'), report(env, kernels, oracle, step, targets));
  console.log(`bench:webgpu: wrote bench/results/webgpu.json and bench/results/webgpu.md`);
} finally {
  await session.close();
}

function report(
  env: Record<string, unknown>,
  kernels: readonly KernelFigure[],
  oracle: { probesPerSecond: number; dispatchesPerCall: number; bytesPerCall: number },
  step: { bytesPerStep: number; secondsPerStep: number; valueBefore: number; valueAfter: number },
  targets: readonly { target: string; value: number; met: boolean }[],
): string {
  const software = String(env['adapter']).includes('swiftshader');
  return [
    '# zeroth webgpu benchmark',
    '',
    `Adapter: **${String(env['adapter'])}**${software ? ' — SwiftShader runs WebGPU on the CPU: the absolute figures are functional only, the ratios say how close each kernel is to the memory-bound copy on this adapter' : ''}.`,
    `Chromium ${String(env['chromium'])}, ${String(env['cpus'])} cores, load average ${JSON.stringify(env['loadavg'])} at the end, ${String(env['date'])}.`,
    '',
    `## Kernels (n = ${String(env['n'])} float32 elements, ${String(env['reps'])} dispatches per timing, median of ${String(env['rounds'])} rounds)`,
    '',
    '| kernel | M elements/s | × copy |',
    '|---|---:|---:|',
    ...kernels.map((k) => `| ${k.kernel} | ${(k.elementsPerSecond / 1e6).toFixed(1)} | ${k.ratioToCopy.toFixed(2)} |`),
    '',
    `## Batch oracle (${oracleProbes} Gaussian probes of a d = ${oracleDim} sphere per call)`,
    '',
    `${oracle.probesPerSecond.toFixed(1)} probes/s; ${oracle.dispatchesPerCall} dispatch and ${oracle.bytesPerCall} bytes read back per call.`,
    '',
    `## MeZO step, d = ${mezoDim}, WGSL quadratic`,
    '',
    `${step.bytesPerStep} bytes read back per step (the two values); ${step.secondsPerStep.toFixed(2)} s per step; f ${step.valueBefore} → ${step.valueAfter}.`,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '|---|---:|---|',
    ...targets.map((t) => `| ${t.target} | ${t.value.toFixed(2)} | ${t.met ? 'met' : 'missed'} |`),
    '',
  ].join('\n');
}
