import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mezo } from '../../estimators/mezo.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { distributedOracle } from '../../src/distributed/distributedOracle.js';
import { startWorker, type ZerothWorker } from '../../src/distributed/startWorker.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createSeedLog, type SeedLog } from '../../src/seedLog/seedLog.js';
import type { EvalContext, Params } from '../../src/types.js';
import { sharedRedis } from '../_support/redis.js';

const loss = (x: Params, c: EvalContext): number => {
  let s = 0;
  const d = x[0]!.data;
  for (let i = c.noiseSeed % 5; i < d.length; i += 5) s += (d[i]! - Math.sin(i)) ** 2;
  return s;
};

let url = '';
const workers: ZerothWorker[] = [];
beforeAll(async () => {
  url = (await sharedRedis()).url;
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await (await sharedRedis()).stop();
});

const layout = [{ name: 'x', shape: [3000] }];
/** MeZO steps; each step's writes go to `log` when given (the coordinator's seed log). */
async function run(oracle: Oracle<Params>, log: SeedLog | undefined, steps: number, between?: (k: number) => Promise<void>): Promise<Float32Array> {
  const opt = optimizer({ estimator: mezo({ sigma: 1e-2 }), update: sgd(0.02), backend: cpuBackend(), restore: 'exact' });
  const x: Params = [{ ...layout[0]!, data: new Float32Array(3000).fill(0.25) }];
  let state = opt.init(x, 21);
  for (let k = 0; k < steps; k++) {
    await between?.(k);
    const r = await opt.step(x, oracle, state);
    log?.append(state.step, r.writes);
    state = r.state;
  }
  return x[0]!.data;
}

describe('versions as seed-log entries', () => {
  test('a worker that joins at step 30 catches up from the base and the seed log, bit for bit', async () => {
    const queue = `late-${process.pid}`;
    const inline = await run(valueOracle(loss), undefined, 40);
    const early = [startWorker({ redis: url, queue, objective: loss }), startWorker({ redis: url, queue, objective: loss })];
    workers.push(...early);
    await Promise.all(early.map((w) => w.ready()));
    const seedLog = createSeedLog(layout);
    const oracle = await distributedOracle({ redis: url, queue, seedLog });
    let late: ZerothWorker | undefined;
    try {
      const remote = await run(oracle, seedLog, 40, async (k) => {
        if (k !== 30) return;
        // The early workers leave; a new one joins and must replay 30 updates from the base.
        await Promise.all(early.map((w) => w.close()));
        late = startWorker({ redis: url, queue, objective: loss });
        workers.push(late);
        await late.ready();
      });
      expect(Array.from(remote)).toEqual(Array.from(inline));
      expect(oracle.stats.versions).toBe(40);
      expect(oracle.stats.snapshots).toBe(1); // only the base: every later version is seeds and coefficients
      expect(late!.stats.jobs).toBe(10);
      expect(late!.stats.versions).toBe(10);
    } finally {
      await oracle.close();
    }
  });

  test('an answer for a job not waited for (a late one, an old version) is ignored and counted', async () => {
    const queue = `stale-${process.pid}`;
    const w = startWorker({ redis: url, queue, objective: loss });
    workers.push(w);
    await w.ready();
    const seedLog = createSeedLog(layout);
    const oracle = await distributedOracle({ redis: url, queue, seedLog });
    const q = new Queue(queue, { connection: { host: new URL(url).hostname, port: Number(new URL(url).port) }, prefix: 'zeroth' });
    try {
      const first = await run(oracle, seedLog, 3);
      const before = oracle.stats;
      // A job of version 0 arrives again (as a duplicate delivery would): its answer matches nothing pending.
      await q.add('p', [oracle.run, 0, 0, 1, 0, [[['g', 5], 0.01, 1]]], { jobId: `${oracle.run}.0.9.0.0` });
      const end = Date.now() + 5000;
      while (oracle.stats.ignored === before.ignored && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(oracle.stats.ignored).toBe(before.ignored + 1);
      expect(oracle.stats.completed).toBe(before.completed);
      expect(first.length).toBe(3000);
    } finally {
      await q.close();
      await oracle.close();
    }
  });
});
