import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The package as a user gets it: `npm pack` (which builds through `prepack`), installed into an empty project
// in a temporary directory, imported from plain Node ESM and type-checked by TypeScript under both module
// resolutions a project may use.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; npm's own lifecycle variables of an enclosing `npm test` are not passed on. */
function run(command: string, args: readonly string[], cwd: string, timeoutMs = 240_000): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(package|lifecycle)_/.test(k)));
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`);
  return r;
}

interface PackedFile {
  readonly path: string;
}

const work = mkdtempSync(join(tmpdir(), 'zeroth-consumer-'));
const consumer = join(work, 'project');
let files: string[] = [];
let install: Run;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types: string; default: string }>;
  types?: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  keywords?: string[];
  scripts: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

beforeAll(async () => {
  const packed = ok(await run(npm, ['pack', '--json', '--pack-destination', work], root), 'npm pack');
  // npm's JSON report, wherever the build's output (prepack) went.
  const out = packed.stdout;
  const report = JSON.parse(out.slice(out.indexOf('[\n  {'), out.lastIndexOf('\n]') + 2)) as { filename: string; files: PackedFile[] }[];
  files = report[0]!.files.map((f) => f.path);
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  install = ok(await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, report[0]!.filename)], consumer), 'npm install of the tarball');
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball in an empty consumer project', () => {
  test('BullMQ and ioredis are optional peers: zeroth worker and tune --redis name them until they are installed', async () => {
    for (const name of ['bullmq', 'ioredis']) {
      expect(pkg.peerDependenciesMeta?.[name]?.optional).toBe(true);
      expect(existsSync(join(consumer, 'node_modules', name, 'package.json'))).toBe(false);
    }
    writeFileSync(join(consumer, 'objective.mjs'), 'export default (x) => x.lr ** 2;\n');
    writeFileSync(join(consumer, 'space.json'), JSON.stringify({ lr: { type: 'float', low: -1, high: 1 } }));
    const zeroth = join(consumer, 'node_modules/.bin/zeroth');
    const worker = await run(zeroth, ['worker', '--redis', 'redis://127.0.0.1:9', '--queue', 'q', '--objective', 'objective.mjs'], consumer, 60_000);
    const tune = await run(zeroth, ['tune', '--objective', 'objective.mjs', '--space', 'space.json', '--budget', '4', '--redis', 'redis://127.0.0.1:9'], consumer, 60_000);
    for (const r of [worker, tune]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/optional peer dependencies of zeroth that are not installed here: npm install bullmq@6\.7\.0 ioredis@5\.11\.1/);
    }
    ok(await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', 'bullmq@6.7.0', 'ioredis@5.11.1'], consumer), 'npm install bullmq ioredis');
  });

  test('plain Node ESM imports zeroth, zeroth/estimators, zeroth/problems, zeroth/testing, zeroth/node and zeroth/distributed, and they work', async () => {
    writeFileSync(
      join(consumer, 'check.mjs'),
      `import { minimize, sgd } from 'zeroth';
import { spsa } from 'zeroth/estimators';
import { sphere } from 'zeroth/problems';
import { estimatorLaws } from 'zeroth/testing';
import { workerPoolExecutor } from 'zeroth/node';
import { bullmqExecutor } from 'zeroth/distributed';
const r = await minimize(sphere({ dim: 3 }), [1, -1, 0.5], { estimator: spsa({ sigma: 1e-2 }), update: sgd(0.1), budget: { queries: 201 }, seed: 1 });
const laws = estimatorLaws({ name: 'spsa', build: () => spsa(), numRuns: 3 });
await laws.find((l) => l.name.includes('same seed')).run();
console.log(JSON.stringify({ queries: r.queries, better: r.value < 2.25, laws: laws.length, executor: typeof workerPoolExecutor, distributed: typeof bullmqExecutor }));
`,
    );
    const r = ok(await run(process.execPath, ['check.mjs'], consumer), 'node check.mjs');
    expect(JSON.parse(r.stdout.trim())).toEqual({ queries: 201, better: true, laws: expect.any(Number), executor: 'function', distributed: 'function' });
  });

  test('fast-check, the peer dependency of zeroth/testing, is installed with zeroth; no install script runs or warns', () => {
    expect(pkg.peerDependencies?.['fast-check']).toBeDefined();
    expect(pkg.peerDependenciesMeta?.['fast-check']?.optional).not.toBe(true);
    expect(existsSync(join(consumer, 'node_modules/fast-check/package.json'))).toBe(true);
    // Building is prepack's job: a consumer's install runs no script of zeroth (npm warns about unapproved ones).
    expect(pkg.scripts['prepare']).toBeUndefined();
    expect(pkg.scripts['prepack']).toBe('npm run build');
    expect(`${install.stdout}\n${install.stderr}`).not.toMatch(/zeroth@[^\s]* \(prepare|install-scripts.*zeroth/);
  });

  test('the zeroth command runs from the installed bin', async () => {
    const r = ok(await run(join(consumer, 'node_modules/.bin/zeroth'), ['--help'], consumer, 60_000), 'zeroth --help');
    expect(r.stdout).toMatch(/zeroth tune/);
  });

  test('TypeScript finds the types under moduleResolution node10 and nodenext', async () => {
    writeFileSync(
      join(consumer, 'index.ts'),
      `import { minimize, sgd, type MinimizeResult } from 'zeroth';
import { spsa, type SpsaOptions } from 'zeroth/estimators';
import { sphere } from 'zeroth/problems';
import { estimatorLaws, type Law } from 'zeroth/testing';
import { workerPoolExecutor } from 'zeroth/node';
import { distributedOracle, type DistributedOracle } from 'zeroth/distributed';
const options: SpsaOptions = { sigma: 0.01 };
export const result: Promise<MinimizeResult> = minimize(sphere({ dim: 2 }), [1, 1], { estimator: spsa(options), update: sgd(0.1), budget: { queries: 10 } });
export const laws: Law[] = estimatorLaws({ name: 'spsa', build: () => spsa() });
export const pool: typeof workerPoolExecutor = workerPoolExecutor;
export const remote: (o: { redis: string; queue: string }) => Promise<DistributedOracle> = distributedOracle;
// @ts-expect-error the types are real, not any: a string sigma is an error
export const bad: SpsaOptions = { sigma: 'large' };
`,
    );
    const configs = {
      node10: { module: 'es2022', moduleResolution: 'node10' },
      nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
    };
    for (const [name, resolution] of Object.entries(configs)) {
      const config = { compilerOptions: { ...resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['index.ts'] };
      writeFileSync(join(consumer, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
      const r = await run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], consumer, 120_000);
      expect(`${name}: ${r.stdout}${r.stderr}`.trim()).toBe(`${name}:`);
      expect(r.code).toBe(0);
    }
  });

  test('package.json: LICENSE shipped, keywords, types and typesVersions for every subpath export', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'src/rng/DEFINITION.md', 'dist/src/index.js', 'dist/test/laws/index.js']));
    expect(readFileSync(join(consumer, 'node_modules/zeroth/LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.keywords?.length).toBeGreaterThan(3);
    const root = pkg.exports['.'] as { types: string };
    expect(pkg.types).toBe(root.types);
    for (const [subpath, entry] of Object.entries(pkg.exports)) {
      if (subpath === '.' || typeof entry === 'string') continue;
      expect(pkg.typesVersions?.['*']?.[subpath.slice(2)], `typesVersions for ${subpath}`).toEqual([entry.types]);
      expect(files, `${subpath}'s files are shipped`).toEqual(expect.arrayContaining([entry.types.slice(2), entry.default.slice(2)]));
    }
    // Only the library: no test other than the law suites, no benchmark, no source TypeScript.
    expect(files.filter((f) => /(^|\/)(bench|test)\//.test(f) && !f.startsWith('dist/test/laws/'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('every file the README points to is in the package', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    const paths = [...readme.matchAll(/`([\w.-]+(?:\/[\w.-]+)+\.(?:md|json|ts|js|mjs))`/g)].map((m) => m[1]!);
    for (const p of [...links, ...paths]) expect(files, `the README refers to ${p}`).toContain(p.replace(/^\.\//, ''));
    expect(paths).toContain('src/rng/DEFINITION.md');
  });
});
