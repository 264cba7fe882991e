import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startRedis, type RedisServer } from '../_support/redis.js';
import { scratch, zeroth, type ZerothProcess } from './_support/processes.js';

const { dir, file } = scratch('zeroth-cli-dist-');
const objective = file(
  'objective.mjs',
  `export default async function (x) {
     await new Promise((r) => setTimeout(r, 4));
     return (Math.log10(x.lr) + 2) ** 2 + (x.momentum - 0.9) ** 2;
   }`,
);
const spaceFile = file('space.json', JSON.stringify({ lr: { type: 'logFloat', low: 1e-4, high: 1 }, momentum: { type: 'float', low: 0, high: 0.99 } }));
const base = ['tune', '--objective', objective, '--space', spaceFile, '--budget', '400', '--seed', '4', '--no-progress'];
const result = (p: ZerothProcess): unknown => JSON.parse(p.stdout().trim().split('\n').at(-1)!);

const started: ZerothProcess[] = [];
const servers: RedisServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.kill('SIGKILL')));
  await Promise.all(servers.map((s) => s.stop()));
});
const run = (args: string[]): ZerothProcess => {
  const p = zeroth(args, dir);
  started.push(p);
  return p;
};
const workers = async (url: string, queue: string, n: number): Promise<ZerothProcess[]> => {
  const ws = Array.from({ length: n }, () => run(['worker', '--redis', url, '--queue', queue, '--objective', objective, '--lock-ms', '2000']));
  await Promise.all(ws.map((w) => w.waitFor(/serving queue/)));
  return ws;
};

describe('zeroth worker and zeroth tune --redis', () => {
  test('usage mistakes are named', async () => {
    const cases: [string[], RegExp][] = [
      [['worker', '--queue', 'q', '--objective', objective], /give --redis URL/],
      [['worker', '--redis', 'redis://127.0.0.1:1', '--objective', objective], /give --queue NAME/],
      [['worker', '--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--objective', join(dir, 'missing.mjs')], /not found/],
      [['worker', '--redis', 'http://127.0.0.1:1', '--queue', 'q', '--objective', objective], /Invalid redis/],
      [['worker', '--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--objective', objective, '--concurrency', '-3'], /--concurrency must be an integer ≥ 1, got "-3"/],
      [['worker', '--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--objective', objective, '--lock-ms', '5'], /--lock-ms must be an integer ≥ 100, got "5"/],
      [[...base, '--queue', 'q'], /--queue needs --redis/],
    ];
    for (const [args, message] of cases) {
      const p = run(args);
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toMatch(message);
    }
  });

  test('two worker processes give the result of --workers 0; Redis dies, Ctrl-C saves a checkpoint, --resume finishes it identically', async () => {
    const redis = await startRedis();
    servers.push(redis);
    const inline = run([...base, '--workers', '0']);
    expect(await inline.exited).toBe(0);

    const ws = await workers(redis.url, 'cli', 2);
    const distributed = run([...base, '--redis', redis.url, '--queue', 'cli']);
    expect(await distributed.exited).toBe(0);
    expect(result(distributed)).toEqual(result(inline));

    // Redis dies mid-run: the coordinator waits; Ctrl-C saves the checkpoint.
    const log = join(dir, 'trials.jsonl');
    const checkpoint = join(dir, 'run.json');
    const first = run([...base, '--redis', redis.url, '--queue', 'cli', '--log', log, '--checkpoint', checkpoint]);
    const end = Date.now() + 30_000;
    while ((!existsSync(log) || readFileSync(log, 'utf8').split('\n').length < 100) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(first.stderr()).toMatch(/checkpoint saved/);
    await redis.restart();
    const resumed = run(['tune', '--resume', checkpoint, '--redis', redis.url, '--queue', 'cli', '--no-progress']);
    expect(await resumed.exited).toBe(0);
    expect(result(resumed)).toEqual(result(inline));
    await Promise.all(ws.map((w) => w.kill('SIGTERM')));
    expect(ws[0]!.stderr()).toMatch(/stopped after \d+ jobs/);
  }, 120_000);
});
