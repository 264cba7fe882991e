import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { InvalidInput } from '../../src/errors.js';
import { loadObjective } from '../../src/node/tunerObjective.js';
import { workerPoolExecutor } from '../../src/node/tunerPool.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float, int } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';

const dir = mkdtempSync(join(tmpdir(), 'zeroth-pool-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
// CPU-bound: a few ms of busy work whose length depends on the trial, so workers finish out of order.
const objective = file(
  'objective.mjs',
  `export default function (x, context) {
     const end = Date.now() + 1 + (context.trial * 7919) % 5;
     while (Date.now() < end) {}
     if (context.trial % 13 === 5) throw new Error('simulated failure');
     return (x.a - 0.3) ** 2 + (x.k - 2) ** 2 / 10;
   }`,
);
const named = file('named.cjs', `exports.objective = (x) => (x.a - 0.3) ** 2 + (x.k - 2) ** 2 / 10;`);
const noFunction = file('none.mjs', `export const answer = 42;`);
const broken = file('broken.mjs', `export default function ( {`);
const hung = file('hung.mjs', `export default function () { for (;;) {} }`);

const s = space({ a: float(-1, 1), k: int(0, 4) });
const options = () => ({ space: s, estimator: spsa({ sigma: 0.2, numProbes: 2 }), update: adam(0.1), budget: 80, seed: 6 });

describe('worker-pool executor', () => {
  const pools: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  test('1 and 2 workers (and the inline executor) give identical results', async () => {
    const ends = [];
    for (const workers of [1, 2]) {
      const executor = workerPoolExecutor<{ a: number; k: number }>({ module: objective, workers });
      pools.push(executor);
      await executor.check();
      const r = await tune(createTuner(options()), { executor });
      ends.push({ u: Array.from(r.recommendation.u), x: r.recommendation.x, steps: r.numSteps, queries: r.numQueries });
    }
    const inline = await tune(createTuner(options()), { objective: await loadObjective(objective), concurrency: 3 });
    expect(ends[1]).toEqual(ends[0]);
    expect(Array.from(inline.recommendation.u)).toEqual(ends[0]!.u);
    expect(ends[0]!.steps).toBeGreaterThan(0);
  });

  test('a named export of a CommonJS module works', async () => {
    const executor = workerPoolExecutor<{ a: number; k: number }>({ module: named, workers: 1 });
    pools.push(executor);
    await executor.check();
    const r = await tune(createTuner(options()), { executor });
    expect(r.numSteps).toBeGreaterThan(0);
  });

  test('clear errors: missing file, no function, a module that does not load', async () => {
    expect(() => workerPoolExecutor({ module: join(dir, 'missing.mjs') })).toThrow(/does not exist/);
    for (const [path, message] of [
      [noFunction, /does not export a function \(it exports answer\)/],
      [broken, /failed to load/],
    ] as const) {
      const executor = workerPoolExecutor({ module: path, workers: 1 });
      pools.push(executor);
      await expect(executor.check()).rejects.toThrow(message);
      await expect(loadObjective(path)).rejects.toThrow(InvalidInput);
    }
    const executor = workerPoolExecutor({ module: named, exportName: 'other', workers: 1 });
    pools.push(executor);
    await expect(executor.check()).rejects.toThrow(/named "other"/);
  });

  test('an abort terminates a hung evaluation', async () => {
    const executor = workerPoolExecutor<{ a: number; k: number }>({ module: hung, workers: 1 });
    pools.push(executor);
    const t0 = Date.now();
    const r = await tune(createTuner(options()), { executor, timeMs: 300 });
    expect(r.stoppedBy.reason).toBe('time');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
