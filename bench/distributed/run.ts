// npm run bench:distributed [-- --quick] [--runs N]
//
// zeroth/distributed on a private redis-server (127.0.0.1, free port; Debian's redis-server, installed with apt-get
// when absent) with real `zeroth worker` processes:
//  1. throughput: tuner trials per second with a 50 ms objective (one that waits, like a simulation service) for
//     1 inline evaluator, the in-process worker-thread pool (4 threads) and BullMQ with 1, 2 and 4 workers;
//  2. per-job overhead: a 0 ms objective, one job at a time on one worker (added latency per job) and 8 at a time;
//  3. bytes on the wire, measured with Redis's own counters (INFO stats: total_net_input_bytes +
//     total_net_output_bytes, every client together — coordinator, workers, BullMQ's bookkeeping): per tuner
//     query, and per data-parallel MeZO step per worker at 1e3 and 1e6 parameters, with zeroth's own payload
//     (job data + reply, counted as sent) beside it.
// Medians of --runs runs (default 3). Writes bench/results/distributed.json and distributed.md. Never run by npm test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { mezo } from '../../estimators/mezo.js';
import { spsa } from '../../estimators/spsa.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { bullmqExecutor } from '../../src/distributed/bullmqExecutor.js';
import { distributedOracle } from '../../src/distributed/distributedOracle.js';
import { workerPoolExecutor } from '../../src/node/tunerPool.js';
import { loadObjective } from '../../src/node/tunerObjective.js';
import { optimizer } from '../../src/optimizer.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createSeedLog } from '../../src/seedLog/seedLog.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import type { Executor } from '../../src/tuner/executor.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';
import type { Params } from '../../src/types.js';
import { startRedis, type RedisServer } from '../../test/_support/redis.js';
import { scratch, zeroth, type ZerothProcess } from '../../test/distributed/_support/processes.js';
import { formatReport, type Report } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runsAt = args.indexOf('--runs');
const runs = Math.max(1, runsAt >= 0 ? Number(args[runsAt + 1]) : quick ? 1 : 3);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function ensureRedisServer(): void {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('redis-server is not installed; run `apt-get install -y redis-server` as root');
  console.log('bench:distributed: installing redis-server with apt-get…');
  const install = (): boolean => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    if (!install()) throw new Error('apt-get install -y redis-server failed');
  }
}

const { dir, file } = scratch('zeroth-bench-dist-');
const objectiveFile = (ms: number): string =>
  file(
    `objective-${ms}.mjs`,
    `const wait = (ms) => new Promise((r) => setTimeout(r, ms));
     export default async function (x, context) {
       ${ms > 0 ? `await wait(${ms});` : ''}
       if (Array.isArray(x)) { let s = 0; const d = x[0].data; for (let i = context.shard; i < d.length; i += 997) s += (d[i] - 0.1) ** 2; return s; }
       return (x.a - 0.3) ** 2 + (x.b + 0.2) ** 2;
     }`,
  );
const slow = objectiveFile(50);
const instant = objectiveFile(0);

type X = { a: number; b: number };
// A new seed for every run: an executor answers a trial it has seen (same run, point and context) from Redis.
let seeds = 0;
const tuner = (budget: number) =>
  createTuner<X>({ space: space({ a: float(-1, 1), b: float(-1, 1) }), estimator: spsa({ sigma: 0.1, numProbes: 4 }), update: adam(0.05), budget, seed: ++seeds });

let redis: RedisServer;
let info: Redis;
const live: ZerothProcess[] = [];
let queues = 0;

async function netBytes(): Promise<number> {
  const text = await info.info('stats');
  const get = (k: string): number => Number(new RegExp(`${k}:(\\d+)`).exec(text)![1]);
  return get('total_net_input_bytes') + get('total_net_output_bytes');
}
/** Bytes of one INFO round trip, to subtract. */
let infoCost = 0;

async function workers(count: number, objective: string): Promise<{ queue: string; stop(): Promise<void> }> {
  const queue = `bench-${queues++}`;
  const ps = Array.from({ length: count }, () => zeroth(['worker', '--redis', redis.url, '--queue', queue, '--objective', objective, '--concurrency', '1'], dir));
  live.push(...ps);
  await Promise.all(ps.map((p) => p.waitFor(/serving queue/, 60_000)));
  return { queue, stop: async () => void (await Promise.all(ps.map((p) => p.kill('SIGTERM')))) };
}

async function trialsPerSecond(executor: Executor<X>, budget: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  const r = await tune(tuner(budget), { executor, concurrency });
  return r.numTold / ((performance.now() - t0) / 1000);
}

const report: Report = { machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]!.toFixed(2)}`, runs, throughput: [], overhead: {} as Report['overhead'], bytes: {} as Report['bytes'], mezo: [] };

async function throughput(): Promise<void> {
  console.log('throughput (50 ms objective)…');
  const per = 40;
  const inline = await loadObjective<X>(slow);
  const measure = async (name: string, make: () => Promise<{ executor: Executor<X>; close(): Promise<void> }>, budget: number, concurrency: number): Promise<void> => {
    const xs: number[] = [];
    const h = await make();
    try {
      for (let r = 0; r < runs; r++) xs.push(await trialsPerSecond(h.executor, budget, concurrency));
    } finally {
      await h.close();
    }
    report.throughput.push({ name, perSecond: median(xs) });
    console.log(`  ${name.padEnd(28)} ${median(xs).toFixed(1)} trials/s`);
  };
  await measure('inline, 1 evaluator', async () => ({ executor: { name: 'inline', concurrency: 1, evaluate: (x, c) => Promise.resolve(inline(x, c, new AbortController().signal)), close: async () => undefined }, close: async () => undefined }), per, 1);
  await measure('worker-thread pool, 4 threads', async () => {
    const pool = workerPoolExecutor<X>({ module: slow, workers: 4 });
    await pool.check();
    return { executor: pool, close: () => pool.close() };
  }, 4 * per, 8);
  for (const n of [1, 2, 4]) {
    await measure(`BullMQ, ${n} worker${n > 1 ? 's' : ''}`, async () => {
      const w = await workers(n, slow);
      const executor = await bullmqExecutor<X>({ redis: redis.url, queue: w.queue, concurrency: 8 });
      return { executor, close: async () => (await executor.close(), await w.stop()) };
    }, n * per, 8);
  }
}

async function overhead(): Promise<void> {
  console.log('per-job overhead (0 ms objective, 1 worker)…');
  const w = await workers(1, instant);
  const executor = await bullmqExecutor<X>({ redis: redis.url, queue: w.queue, concurrency: 8 });
  try {
    await trialsPerSecond(executor, 40, 1); // warm-up
    const one: number[] = [];
    const eight: number[] = [];
    const bytes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const n = quick ? 100 : 200;
      one.push(1000 / (await trialsPerSecond(executor, n, 1)));
      const b0 = await netBytes();
      eight.push(await trialsPerSecond(executor, n, 8));
      bytes.push(((await netBytes()) - b0 - infoCost) / n);
    }
    report.overhead = { latencyMs: median(one), jobsPerSecond8: median(eight) };
    report.bytes = { perTunerQuery: median(bytes) };
    console.log(`  ${median(one).toFixed(2)} ms per job one at a time; ${median(eight).toFixed(0)} jobs/s 8 at a time; ${median(bytes).toFixed(0)} B per query`);
  } finally {
    await executor.close();
    await w.stop();
  }
}

async function mezoSteps(): Promise<void> {
  for (const d of quick ? [1e3, 1e6] : [1e3, 1e6]) {
    for (const n of [2, 4]) {
      console.log(`data-parallel MeZO, d = ${d.toExponential(0)}, ${n} workers (= shards)…`);
      const w = await workers(n, instant);
      const x: Params = [{ name: 'w', shape: [d], data: new Float32Array(d).fill(0.5) }];
      const seedLog = createSeedLog(x);
      const oracle = await distributedOracle({ redis: redis.url, queue: w.queue, shards: n, backend: cpuBackend(), seedLog });
      try {
        const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(1e-3), backend: cpuBackend() });
        let state = opt.init(x, 3);
        const step = async (): Promise<void> => {
          const r = await opt.step(x, oracle, state);
          seedLog.append(state.step, r.writes);
          state = r.state;
        };
        // Warm-up: version 0 (a snapshot of the base) reaches every worker.
        for (let k = 0; k < 3; k++) await step();
        const steps = quick ? 20 : 50;
        const perStep: number[] = [];
        const payload: number[] = [];
        const ms: number[] = [];
        for (let r = 0; r < runs; r++) {
          const s0 = oracle.stats;
          const b0 = await netBytes();
          const t0 = performance.now();
          for (let k = 0; k < steps; k++) await step();
          ms.push((performance.now() - t0) / steps);
          perStep.push(((await netBytes()) - b0 - infoCost) / steps / n);
          payload.push((oracle.stats.payloadBytes - s0.payloadBytes) / steps / n);
          if (oracle.stats.snapshots !== s0.snapshots) throw new Error('a snapshot was published during the measured steps');
        }
        report.mezo.push({ d, workers: n, bytesPerWorkerStep: median(perStep), payloadBytes: median(payload), msPerStep: median(ms) });
        console.log(`  ${median(perStep).toFixed(0)} B on the wire per worker per step (zeroth's payload ${median(payload).toFixed(0)} B); ${median(ms).toFixed(1)} ms per step`);
      } finally {
        await oracle.close();
        await w.stop();
      }
    }
  }
}

async function main(): Promise<void> {
  ensureRedisServer();
  redis = await startRedis();
  info = new Redis(redis.url);
  try {
    const a = await netBytes();
    const b = await netBytes();
    infoCost = b - a;
    await throughput();
    await overhead();
    await mezoSteps();
  } finally {
    info.disconnect();
    await Promise.all(live.map((p) => p.kill('SIGKILL')));
    await redis.stop();
  }
  const out = join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'distributed.json'), JSON.stringify(report, null, 2));
  const md = formatReport(report);
  writeFileSync(join(out, 'distributed.md'), md);
  console.log(`\n${md}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
