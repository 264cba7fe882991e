import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { mezo } from '../../estimators/mezo.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { bullmqExecutor } from '../../src/distributed/bullmqExecutor.js';
import { distributedOracle } from '../../src/distributed/distributedOracle.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createSeedLog, type SeedLog } from '../../src/seedLog/seedLog.js';
import type { EvalContext, Params } from '../../src/types.js';
import { loadObjective } from '../../src/node/tunerObjective.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';
import { sharedRedis } from '../_support/redis.js';
import { lcg, scratch, zeroth, type ZerothProcess } from './_support/processes.js';

const { dir, file } = scratch('zeroth-faults-');
// About 2 ms of CPU per evaluation, so a killed worker almost always dies with a job in hand.
const objective = file(
  'objective.mjs',
  `export default function (x, context) {
     const end = performance.now() + 2;
     let s = 0;
     while (performance.now() < end) s++;
     return (x.a - 0.3) ** 2 + (x.b + 0.2) ** 2 + 0.5 * (x.c - 0.1) ** 2 + ((context.noiseSeed % 1000) - 500) * 1e-7;
   }`,
);
// A sharded least-squares loss over parameters (probe jobs of distributedOracle), about 3 ms per evaluation.
const loss = file(
  'loss.mjs',
  `export default function (x, context) {
     const end = performance.now() + 6;
     let spin = 0;
     while (performance.now() < end) spin++;
     const w = x[0].data;
     let s = 0;
     for (let i = (context.shard + context.noiseSeed) % 4; i < w.length; i += 4) s += (w[i] - Math.cos(i + context.shard)) ** 2;
     return s;
   }`,
);
type X = { a: number; b: number; c: number };
const options = () => ({
  space: space({ a: float(-1, 1), b: float(-1, 1), c: float(-1, 1) }),
  estimator: spsa({ sigma: 0.1, numProbes: 4 }),
  update: adam(0.05),
  budget: 2000,
  seed: 5,
});

let url = '';
const processes: ZerothProcess[] = [];
beforeAll(async () => {
  url = (await sharedRedis()).url;
});
const killers: { stop(): Promise<number> }[] = [];
afterAll(async () => {
  // A test that timed out never reached its own stop(): no replacement may be started after this.
  await Promise.all(killers.map((k) => k.stop()));
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  await (await sharedRedis()).stop();
});

/**
 * Kills a random serving worker of `workers` (SIGKILL) every `everyMs` and starts a replacement, until stopped;
 * then kills them all. Only a worker that has said it serves is killed, and never the last one serving, so a
 * slow start-up on a busy machine cannot leave no worker at all. `overlap: false` waits for each replacement
 * to serve before the next wait begins (one worker down at a time); `overlap: true` does not, so the number of
 * kills follows the run's length rather than the replacements' start-up time.
 */
function killer(workers: ZerothProcess[], start: () => ZerothProcess, everyMs: number, seed: number, overlap: boolean): { stop(): Promise<number> } {
  const random = lcg(seed);
  const serving = workers.map(() => true);
  let kills = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (!running) break;
      const ready = serving.flatMap((s, i) => (s ? [i] : []));
      if (ready.length < 2) continue;
      const i = ready[Math.floor(random() * ready.length)]!;
      serving[i] = false;
      await workers[i]!.kill('SIGKILL');
      kills++;
      const replacement = start();
      workers[i] = replacement;
      const up = replacement.waitFor(/serving queue/, 60_000).then(
        () => (serving[i] = workers[i] === replacement),
        () => undefined,
      );
      if (!overlap) await up;
    }
  })();
  const handle = {
    async stop() {
      running = false;
      await loop;
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      return kills;
    },
  };
  killers.push(handle);
  return handle;
}

describe('worker processes that die', () => {
  test('killing a random worker every few seconds of a 2,000-query run changes nothing: same result, every query told once', async () => {
    const inline = await tune(createTuner<X>(options()), { objective: await loadObjective<X>(objective), concurrency: 8 });
    const queue = `faults-${process.pid}`;
    const start = (): ZerothProcess => {
      const p = zeroth(['worker', '--redis', url, '--queue', queue, '--objective', objective, '--lock-ms', '1000'], dir);
      processes.push(p);
      return p;
    };
    const workers = [start(), start(), start()];
    await Promise.all(workers.map((w) => w.waitFor(/serving queue/)));
    const executor = await bullmqExecutor<X>({ redis: url, queue, concurrency: 8 });
    const kill = killer(workers, start, 1500, 2024, true);
    const told = new Map<number, number>();
    let result;
    let kills = 0;
    try {
      result = await tune(createTuner<X>(options()), { executor, onTrial: (r) => told.set(r.trial.id, (told.get(r.trial.id) ?? 0) + 1) });
    } finally {
      kills = await kill.stop();
      await executor.close();
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(executor.stats.stalled).toBeGreaterThan(0);
    expect(Array.from(result.recommendation.u)).toEqual(Array.from(inline.recommendation.u));
    expect({ queries: result.numQueries, steps: result.numSteps }).toEqual({ queries: inline.numQueries, steps: inline.numSteps });
    expect(result.numQueries).toBe(2000);
    // Every trial told exactly once; every job submitted once, answered once.
    expect([...told.values()].every((n) => n === 1)).toBe(true);
    expect(told.size).toBe(result.numTold);
    expect(executor.stats.submitted).toBe(result.numTold);
    expect(executor.stats.completed).toBe(result.numTold);
    expect(executor.stats.failed).toBe(0);
  }, 180_000);

  test.each(['lean', 'bullmq'] as const)('data-parallel MeZO (transport %s) on 3 worker processes, killed one after another: the parameters equal the in-process run, bit for bit', async (transport) => {
    const f = await loadObjective<Params>(loss);
    const shards = 3;
    const inlineLoss = (x: Params, c: EvalContext): number => {
      let sum = f(x as never, { ...c, shard: 0, shards } as never, undefined as never) as number;
      for (let s = 1; s < shards; s++) sum += f(x as never, { ...c, shard: s, shards } as never, undefined as never) as number;
      return sum / shards;
    };
    const layout = [{ name: 'w', shape: [2000] }];
    const run = async (oracle: Oracle<Params>, log?: SeedLog): Promise<Float32Array> => {
      const opt = optimizer({ estimator: mezo({ sigma: 1e-2 }), update: sgd(0.01), backend: cpuBackend(), restore: 'exact' });
      const x: Params = [{ ...layout[0]!, data: new Float32Array(2000).fill(0.5) }];
      let state = opt.init(x, 77);
      for (let k = 0; k < 150; k++) {
        const r = await opt.step(x, oracle, state);
        log?.append(state.step, r.writes);
        state = r.state;
      }
      return x[0]!.data;
    };
    const inline = await run(valueOracle(inlineLoss));
    const queue = `faults-mezo-${transport}-${process.pid}`;
    const start = (): ZerothProcess => {
      const p = zeroth(['worker', '--redis', url, '--queue', queue, '--objective', loss, '--lock-ms', '1000'], dir);
      processes.push(p);
      return p;
    };
    const workers = [start(), start(), start()];
    await Promise.all(workers.map((w) => w.waitFor(/serving queue/)));
    const seedLog = createSeedLog(layout);
    const oracle = await distributedOracle({ redis: url, queue, shards, seedLog, transport });
    const kill = killer(workers, start, 500, 7, false);
    let remote: Float32Array;
    let kills = 0;
    try {
      remote = await run(oracle, seedLog);
    } finally {
      kills = await kill.stop();
      await oracle.close();
    }
    console.log(`data-parallel MeZO on ${transport}: ${kills} kills`, oracle.stats);
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(oracle.stats.stalled).toBeGreaterThan(0);
    expect(Array.from(remote)).toEqual(Array.from(inline));
    expect(oracle.stats.snapshots).toBe(1);
    expect(oracle.stats.submitted).toBe(150 * shards);
    expect(oracle.stats.completed).toBe(150 * shards);
  }, 180_000);
});
