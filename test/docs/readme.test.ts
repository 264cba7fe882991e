import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedRedis } from '../_support/redis.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const out = join(root, 'test/docs/.generated');

const subpaths: Record<string, string> = {
  zeroth: 'src/index.ts',
  'zeroth/estimators': 'estimators/index.ts',
  'zeroth/problems': 'problems/index.ts',
  'zeroth/testing': 'test/laws/index.ts',
  'zeroth/gpujs': 'src/backend/gpujs/index.ts',
  'zeroth/webgpu': 'src/backend/webgpu/index.ts',
  'zeroth/distributed': 'src/distributed/index.ts',
  'zeroth/tfjs': 'src/tfjs/index.ts',
};

describe('README snippets run as written', () => {
  // The zeroth/distributed snippet talks to Redis: the server of this test run.
  beforeAll(async () => {
    process.env['REDIS_URL'] = (await sharedRedis()).url;
  });
  afterAll(async () => (await sharedRedis()).stop());
  test('there are snippets', () => expect(snippets.length).toBeGreaterThanOrEqual(3));
  snippets.forEach((code, i) => {
    test(`snippet ${i + 1}`, async () => {
      mkdirSync(out, { recursive: true });
      const rewritten = code.replace(/from '(zeroth(?:\/[a-z]+)?)'/g, (_m, spec: string) => {
        const target = subpaths[spec];
        if (target === undefined) throw new Error(`unknown import ${spec}`);
        return `from '${pathToFileURL(join(root, target)).href}'`;
      });
      const file = join(out, `snippet${i + 1}.ts`);
      writeFileSync(file, `${rewritten}\nexport {};\n`);
      await import(pathToFileURL(file).href);
    });
  });
});
