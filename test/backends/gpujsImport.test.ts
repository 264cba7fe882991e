import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { filesImporting, modulesLoadedBy } from '../_support/loadedPackages.js';

// gpu.js is an optional peer dependency, reached only through the 'zeroth/gpujs' subpath: importing 'zeroth' (or
// its estimators and problems) must never load it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const gpujs = '[\\\\/]node_modules[\\\\/](gpu\\.js|gl|webgpu|gpu-mock\\.js)[\\\\/]';
const gpujsModulesLoadedBy = (file: string): string[] => modulesLoadedBy(root, file, gpujs);

describe('gpu.js stays behind zeroth/gpujs', () => {
  test('importing zeroth, zeroth/estimators and zeroth/problems loads no gpu.js module', () => {
    for (const file of ['src/index.ts', 'estimators/index.ts', 'problems/index.ts']) expect(gpujsModulesLoadedBy(file), file).toEqual([]);
  });

  test('importing zeroth/gpujs does load it (the check can see a load)', () => {
    expect(gpujsModulesLoadedBy('src/backend/gpujs/index.ts').some((k) => k.includes('gpu.js'))).toBe(true);
  });

  test("only src/backend/gpujs/ imports 'gpu.js'", () => {
    const offenders = filesImporting(root, ['src', 'estimators', 'problems'], /from ['"]gpu\.js['"]|import\(['"]gpu\.js['"]\)/);
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
