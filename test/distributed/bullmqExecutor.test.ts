import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { bullmqExecutor } from '../../src/distributed/bullmqExecutor.js';
import { startWorker, type ZerothWorker } from '../../src/distributed/startWorker.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float, int } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';
import type { TrialContext } from '../../src/tuner/types.js';
import { sharedRedis } from '../_support/redis.js';

type X = { a: number; k: number };
const s = space({ a: float(-1, 1), k: int(0, 4) });
const options = () => ({ space: s, estimator: spsa({ sigma: 0.2, numProbes: 2 }), update: adam(0.1), budget: 60, seed: 11 });
// Finishes out of order (a delay that depends on the trial), and fails on some trials.
const objective = async (x: X, c: TrialContext): Promise<number> => {
  await new Promise((r) => setTimeout(r, (c.trial * 7) % 5));
  if (c.trial % 17 === 3) throw new Error('simulated failure');
  return (x.a - 0.3) ** 2 + (x.k - 2) ** 2 / 10 + c.noiseSeed / 2 ** 40;
};

let url = '';
const workers: ZerothWorker[] = [];
let n = 0;
const queue = (): string => `bx-${process.pid}-${n++}`;

beforeAll(async () => {
  url = (await sharedRedis()).url;
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await (await sharedRedis()).stop();
});

describe('bullmqExecutor', () => {
  test('1 and 3 workers give the run of the inline executor, bit for bit; failures are told as failed', async () => {
    const inline = await tune(createTuner<X>(options()), { objective });
    for (const count of [1, 3]) {
      const q = queue();
      for (let i = 0; i < count; i++) {
        const w = startWorker({ redis: url, queue: q, objective, concurrency: 2 });
        workers.push(w);
        await w.ready();
      }
      const executor = await bullmqExecutor<X>({ redis: url, queue: q, concurrency: 4 });
      try {
        const told: string[] = [];
        const r = await tune(createTuner<X>(options()), { executor, onTrial: (t) => told.push(t.state) });
        expect(Array.from(r.recommendation.u)).toEqual(Array.from(inline.recommendation.u));
        expect({ q: r.numQueries, s: r.numSteps }).toEqual({ q: inline.numQueries, s: inline.numSteps });
        expect(told.filter((t) => t === 'failed').length).toBeGreaterThan(0);
        expect(executor.stats.submitted).toBe(r.numTold);
        expect(executor.stats.completed + executor.stats.failed).toBe(r.numTold);
      } finally {
        await executor.close();
      }
    }
  });

  test('one executor serves several runs in a row: every trial is evaluated, none answered from an earlier run', async () => {
    const q = queue();
    const w = startWorker({ redis: url, queue: q, objective });
    workers.push(w);
    await w.ready();
    const executor = await bullmqExecutor<X>({ redis: url, queue: q, concurrency: 4 });
    try {
      for (const seed of [1, 2, 1]) {
        const inline = await tune(createTuner<X>({ ...options(), seed }), { objective });
        const r = await tune(createTuner<X>({ ...options(), seed }), { executor });
        expect(Array.from(r.recommendation.u)).toEqual(Array.from(inline.recommendation.u));
      }
    } finally {
      await executor.close();
    }
  });

  test('bad options are typed errors naming the option', async () => {
    await expect(bullmqExecutor({ redis: 'http://x', queue: 'q' })).rejects.toThrow(/Invalid redis/);
    await expect(bullmqExecutor({ redis: url, queue: 'a:b' })).rejects.toThrow(/Invalid queue/);
    await expect(bullmqExecutor({ redis: url, queue: 'q', concurrency: 0 })).rejects.toThrow(/Invalid concurrency/);
    expect(() => startWorker({ redis: url, queue: 'q', objective: 42 as never })).toThrow(/Invalid objective/);
  });
});
