import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// gpu.js is an optional peer dependency, reached only through the 'zeroth/gpujs' subpath: importing 'zeroth' (or
// its estimators and problems) must never load it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** In a fresh Node process, imports the module and lists the gpu.js-family modules now in the CommonJS cache. */
const child = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
await import(pathToFileURL(process.argv[1]).href);
const cache = createRequire(import.meta.url).cache;
const loaded = Object.keys(cache).filter((k) => /[\\\\/]node_modules[\\\\/](gpu\\.js|gl|webgpu|gpu-mock\\.js)[\\\\/]/.test(k));
process.stdout.write(JSON.stringify(loaded));
`;

function gpujsModulesLoadedBy(file: string): string[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, join(root, file)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as string[];
}

describe('gpu.js stays behind zeroth/gpujs', () => {
  test('importing zeroth, zeroth/estimators and zeroth/problems loads no gpu.js module', () => {
    for (const file of ['src/index.ts', 'estimators/index.ts', 'problems/index.ts']) expect(gpujsModulesLoadedBy(file), file).toEqual([]);
  });

  test('importing zeroth/gpujs does load it (the check can see a load)', () => {
    expect(gpujsModulesLoadedBy('src/backend/gpujs/index.ts').some((k) => k.includes('gpu.js'))).toBe(true);
  });

  test("only src/backend/gpujs/ imports 'gpu.js'", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && /from ['"]gpu\.js['"]|import\(['"]gpu\.js['"]\)/.test(readFileSync(p, 'utf8'))) offenders.push(relative(root, p));
      }
    };
    for (const dir of ['src', 'estimators', 'problems']) walk(join(root, dir));
    expect(offenders.filter((p) => !p.startsWith('src/backend/gpujs/'))).toEqual([]);
  });

  test('package.json exports ./gpujs (types first) and declares gpu.js an optional peer', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    const entry = pkg.exports['./gpujs']!;
    expect(Object.keys(entry)[0]).toBe('types');
    expect(entry).toEqual({ types: './dist/src/backend/gpujs/index.d.ts', default: './dist/src/backend/gpujs/index.js' });
    expect(pkg.peerDependencies?.['gpu.js']).toBe('^2.24.1');
    expect(pkg.peerDependenciesMeta?.['gpu.js']?.optional).toBe(true);
  });
});
