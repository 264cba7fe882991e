// npx tsx bench/perf/interrupts.ts [--runs N]
//
// How fast time limits and signals act on a synchronous objective that never yields (20 ms of busy work per
// call, evaluated in this thread):
// - `tune(..., { timeMs: 500 })`: milliseconds until it returns (target: < 1000);
// - `zeroth tune --workers 0 --checkpoint …`, sent SIGINT (then, in another run, SIGTERM) once 10 trials are
//   logged: milliseconds from the signal to the exit, the exit code (130 / 143) and whether the checkpoint was
//   written (target: < 1000 ms, a checkpoint, 130).
// Median and maximum of N runs (default 5). Never run by npm test.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spsa } from '../../estimators/spsa.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
const runsAt = process.argv.indexOf('--runs');
const runs = Math.max(1, runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 5);
const busy = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // never yields
  }
};
const summary = (xs: number[]): string => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
};

const s = space({ a: float(0, 1), b: float(0, 1) });
const returns: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const result = await tune(createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.05), budget: 1000, seed: r }), {
    objective: (x) => (busy(20), (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2),
    timeMs: 500,
  });
  returns.push(performance.now() - t0);
  if (result.stoppedBy.reason !== 'time') throw new Error(`stopped by ${result.stoppedBy.reason}`);
}
console.log(`tune, 20 ms synchronous objective, timeMs 500: returned after ${summary(returns)}`);

const dir = mkdtempSync(join(tmpdir(), 'zeroth-interrupts-'));
const objective = join(dir, 'sync20.mjs');
writeFileSync(objective, 'export default function (x) { const end = Date.now() + 20; while (Date.now() < end) {} return (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2; }\n');
const spaceFile = join(dir, 'space.json');
writeFileSync(spaceFile, JSON.stringify({ a: { type: 'float', low: 0, high: 1 }, b: { type: 'float', low: 0, high: 1 } }));

function interrupt(signal: NodeJS.Signals, k: number): Promise<{ ms: number; code: number | null; saved: boolean }> {
  const checkpoint = join(dir, `ck-${signal}-${k}.json`);
  const log = join(dir, `log-${signal}-${k}.jsonl`);
  return new Promise((done) => {
    const args = ['--import', tsx, join(root, 'src/node/cli.ts'), 'tune', '--objective', objective, '--space', spaceFile, '--budget', '100000'];
    const child = spawn(process.execPath, [...args, '--workers', '0', '--checkpoint', checkpoint, '--log', log, '--no-progress'], { stdio: 'ignore' });
    let sent = 0;
    const poll = setInterval(() => {
      if (!existsSync(log) || readFileSync(log, 'utf8').split('\n').length <= 10) return;
      clearInterval(poll);
      sent = performance.now();
      child.kill(signal);
    }, 5);
    child.on('close', (code) => {
      clearInterval(poll);
      done({ ms: performance.now() - sent, code, saved: existsSync(checkpoint) });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  const got = [];
  for (let r = 0; r < runs; r++) got.push(await interrupt(signal, r));
  const codes = [...new Set(got.map((g) => g.code))].join(', ');
  console.log(`zeroth tune --workers 0, ${signal}: exit ${codes}, checkpoint written ${got.filter((g) => g.saved).length}/${runs}, exit after ${summary(got.map((g) => g.ms))}`);
}
rmSync(dir, { recursive: true, force: true });
