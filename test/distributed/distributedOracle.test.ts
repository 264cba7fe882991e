import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mezo } from '../../estimators/mezo.js';
import { spsa } from '../../estimators/spsa.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { distributedOracle } from '../../src/distributed/distributedOracle.js';
import { startWorker, type ShardContext, type ZerothWorker } from '../../src/distributed/startWorker.js';
import type { Estimator } from '../../src/estimator.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Transform } from '../../src/transform/transform.js';
import type { EvalContext, Params } from '../../src/types.js';
import { sharedRedis } from '../_support/redis.js';

// A least-squares objective whose data is split into shards; the noise seed picks a minibatch offset.
const target = (s: number, i: number): number => Math.sin(0.37 * i + 1.3 * s);
const shardLoss = (x: Params, c: ShardContext): number => {
  let sum = 0;
  let n = 0;
  for (const b of x) {
    for (let i = (c.noiseSeed + c.shard) % 3; i < b.data.length; i += 3) {
      const d = b.data[i]! - target(c.shard, i);
      sum += d * d;
      n++;
    }
  }
  return sum / n;
};
/** The same objective in process: the mean over shards, summed in shard order (what the coordinator computes). */
const meanOverShards =
  (shards: number) =>
  (x: Params, c: EvalContext): number => {
    let sum = shardLoss(x, { ...c, shard: 0, shards });
    for (let s = 1; s < shards; s++) sum += shardLoss(x, { ...c, shard: s, shards });
    return shards === 1 ? sum : sum / shards;
  };
const params = (): Params => [
  { name: 'w', shape: [40, 25], data: Float32Array.from({ length: 1000 }, (_, i) => Math.cos(i)) },
  { name: 'b', shape: [25], data: new Float32Array(25) },
];

let url = '';
const workers: ZerothWorker[] = [];
let n = 0;
beforeAll(async () => {
  url = (await sharedRedis()).url;
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await (await sharedRedis()).stop();
});

async function runSteps(estimator: Estimator<unknown>, update: Transform<unknown>, oracle: Oracle<Params>, steps: number): Promise<{ x: Params; values: number[] }> {
  const opt = optimizer({ estimator, update, backend: cpuBackend(), restore: 'exact' });
  const x = params();
  let state = opt.init(x, 7);
  const values: number[] = [];
  for (let k = 0; k < steps; k++) {
    const r = await opt.step(x, oracle, state);
    state = r.state;
    values.push(r.value);
  }
  return { x, values };
}

async function serve(count: number): Promise<string> {
  const queue = `do-${process.pid}-${n++}`;
  for (let i = 0; i < count; i++) {
    const w = startWorker({ redis: url, queue, objective: shardLoss, concurrency: 2 });
    workers.push(w);
    await w.ready();
  }
  return queue;
}

describe('distributedOracle', () => {
  test('MeZO and SPSA on 2 workers equal the in-process run (restore exact), bit for bit', async () => {
    const queue = await serve(2);
    for (const estimator of [mezo({ sigma: 1e-2 }), spsa({ sigma: 1e-2, numProbes: 3 })] as Estimator<unknown>[]) {
      const inline = await runSteps(estimator, sgd(0.05) as Transform<unknown>, valueOracle(meanOverShards(1)), 12);
      const oracle = await distributedOracle({ redis: url, queue });
      try {
        const remote = await runSteps(estimator, sgd(0.05) as Transform<unknown>, oracle, 12);
        expect(remote.values).toEqual(inline.values);
        for (let b = 0; b < 2; b++) expect(Array.from(remote.x[b]!.data)).toEqual(Array.from(inline.x[b]!.data));
        expect(oracle.stats.versions).toBe(12);
        expect(oracle.stats.completed).toBe(oracle.stats.submitted);
      } finally {
        await oracle.close();
      }
    }
  });

  test('data-parallel MeZO: 3 shards on 3 workers equal the mean over shards in process', async () => {
    const queue = await serve(3);
    const inline = await runSteps(mezo({ sigma: 1e-2 }) as Estimator<unknown>, sgd(0.05) as Transform<unknown>, valueOracle(meanOverShards(3)), 10);
    const oracle = await distributedOracle({ redis: url, queue, shards: 3 });
    try {
      const remote = await runSteps(mezo({ sigma: 1e-2 }) as Estimator<unknown>, sgd(0.05) as Transform<unknown>, oracle, 10);
      expect(remote.values).toEqual(inline.values);
      expect(Array.from(remote.x[0]!.data)).toEqual(Array.from(inline.x[0]!.data));
      // one job per shard per step: the ± pair travels together
      expect(oracle.stats.submitted).toBe(30);
    } finally {
      await oracle.close();
    }
  });

  test('an objective that throws on a worker fails the step with the objective error, parameters untouched', async () => {
    const queue = `do-${process.pid}-${n++}`;
    const w = startWorker({ redis: url, queue, objective: () => { throw new Error('out of memory on the worker'); } });
    workers.push(w);
    await w.ready();
    const oracle = await distributedOracle({ redis: url, queue });
    try {
      const opt = optimizer({ estimator: mezo({ sigma: 1e-2 }), update: sgd(0.05), backend: cpuBackend() });
      const x = params();
      const before = Array.from(x[0]!.data);
      await expect(opt.step(x, oracle, opt.init(x, 1))).rejects.toThrow(/out of memory on the worker/);
      expect(Array.from(x[0]!.data)).toEqual(before);
    } finally {
      await oracle.close();
    }
  });
});
