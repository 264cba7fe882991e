import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { bullmqExecutor } from '../../src/distributed/bullmqExecutor.js';
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
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  await (await sharedRedis()).stop();
});

describe('worker processes that die', () => {
  test('killing a random worker every second of a 2,000-query run changes nothing: same result, every query told once', async () => {
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
    const random = lcg(2024);
    let kills = 0;
    let running = true;
    const killer = (async () => {
      while (running) {
        await new Promise((r) => setTimeout(r, 1000));
        if (!running) break;
        const i = Math.floor(random() * workers.length);
        await workers[i]!.kill('SIGKILL');
        kills++;
        workers[i] = start();
      }
    })();
    const told = new Map<number, number>();
    let result;
    try {
      result = await tune(createTuner<X>(options()), { executor, onTrial: (r) => told.set(r.trial.id, (told.get(r.trial.id) ?? 0) + 1) });
    } finally {
      running = false;
      await killer;
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
  }, 150_000);
});
