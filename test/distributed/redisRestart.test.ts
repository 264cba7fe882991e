import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mezo } from '../../estimators/mezo.js';
import { spsa } from '../../estimators/spsa.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { bullmqExecutor } from '../../src/distributed/bullmqExecutor.js';
import { distributedOracle } from '../../src/distributed/distributedOracle.js';
import { startWorker, type StartWorkerOptions, type ZerothWorker } from '../../src/distributed/startWorker.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';
import type { EvalContext, Params } from '../../src/types.js';
import { startRedis, type RedisServer } from '../_support/redis.js';

type X = { a: number; b: number };
const slow = async (x: X): Promise<number> => {
  await new Promise((r) => setTimeout(r, 3));
  return (x.a - 0.3) ** 2 + (x.b + 0.2) ** 2;
};
// Slow at step 12, so that Redis restarts while that step's jobs are in flight.
const loss = async (x: Params, c: EvalContext): Promise<number> => {
  await new Promise((r) => setTimeout(r, c.step === 12 ? 400 : 3));
  let s = 0;
  for (const b of x) for (let i = 0; i < b.data.length; i++) s += (b.data[i]! - 0.01 * i) ** 2;
  return s;
};

let redis: RedisServer;
const workers: ZerothWorker[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await redis.stop();
});

async function serve(queue: string, objective: StartWorkerOptions['objective']): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const w = startWorker({ redis: redis.url, queue, objective, lockMs: 1000 });
    workers.push(w);
    await w.ready();
  }
}

describe('Redis restarted mid-run (all its data lost)', () => {
  test('the tuner run finishes with the inline result: the lost jobs are submitted again', async () => {
    const options = () => ({ space: space({ a: float(-1, 1), b: float(-1, 1) }), estimator: spsa({ sigma: 0.1, numProbes: 2 }), update: adam(0.05), budget: 300, seed: 3 });
    const inline = await tune(createTuner<X>(options()), { objective: slow });
    await serve('restart-tune', slow);
    const executor = await bullmqExecutor<X>({ redis: redis.url, queue: 'restart-tune', concurrency: 4, checkMs: 2000 });
    try {
      let restarted = false;
      const r = await tune(createTuner<X>(options()), {
        executor,
        onTrial: (t) => {
          if (!restarted && t.trial.id === 100) {
            restarted = true;
            void redis.restart();
          }
        },
      });
      expect(restarted).toBe(true);
      expect(Array.from(r.recommendation.u)).toEqual(Array.from(inline.recommendation.u));
      expect(r.numQueries).toBe(inline.numQueries);
      expect(executor.stats.resubmitted).toBeGreaterThan(0);
      expect(executor.stats.completed + executor.stats.failed).toBe(r.numTold);
    } finally {
      await executor.close();
    }
  }, 60_000);

  test('an optimizer run on distributedOracle finishes with the in-process result: the version is published again', async () => {
    const x0 = (): Params => [{ name: 'x', shape: [64], data: new Float32Array(64).fill(0.5) }];
    const run = async (oracle: Oracle<Params>, restartAt: number, submitted?: () => number): Promise<Float32Array> => {
      const opt = optimizer({ estimator: mezo({ sigma: 1e-2 }), update: sgd(0.01), backend: cpuBackend(), restore: 'exact' });
      const x = x0();
      let state = opt.init(x, 9);
      for (let k = 0; k < 30; k++) {
        const before = submitted?.() ?? 0;
        const step = opt.step(x, oracle, state);
        if (k === restartAt) {
          // Restart while the step's jobs are out (the objective takes 400 ms at this step).
          while (submitted !== undefined && submitted() === before) await new Promise((r) => setTimeout(r, 5));
          await redis.restart();
        }
        state = (await step).state;
      }
      return x[0]!.data;
    };
    const inline = await run(valueOracle(loss), -1);
    await serve('restart-oracle', loss);
    const oracle = await distributedOracle({ redis: redis.url, queue: 'restart-oracle', checkMs: 2000 });
    try {
      const remote = await run(oracle, 12, () => oracle.stats.submitted);
      expect(Array.from(remote)).toEqual(Array.from(inline));
      expect(oracle.stats.resubmitted).toBeGreaterThan(0);
    } finally {
      await oracle.close();
    }
  }, 60_000);
});
