import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { filesImporting, modulesLoadedBy } from '../_support/loadedPackages.js';

// tfjs is an optional peer dependency, reached only through the 'zeroth/tfjs' subpath: importing 'zeroth' (or its
// estimators and problems) must never load it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tfjs = '[\\\\/]node_modules[\\\\/]@tensorflow[\\\\/]';

describe('tfjs stays behind zeroth/tfjs', () => {
  test('importing zeroth, zeroth/estimators and zeroth/problems loads no @tensorflow module', () => {
    for (const file of ['src/index.ts', 'estimators/index.ts', 'problems/index.ts']) expect(modulesLoadedBy(root, file, tfjs), file).toEqual([]);
  });

  test('importing zeroth/tfjs does load it (the check can see a load)', () => {
    expect(modulesLoadedBy(root, 'src/tfjs/index.ts', tfjs).some((k) => k.includes('tfjs-core'))).toBe(true);
  });

  test("only src/tfjs/ imports '@tensorflow/…'", () => {
    const offenders = filesImporting(root, ['src', 'estimators', 'problems'], /from ['"]@tensorflow\/|import\(['"]@tensorflow\//);
    expect(offenders.filter((p) => !p.startsWith('src/tfjs/'))).toEqual([]);
  });
});
