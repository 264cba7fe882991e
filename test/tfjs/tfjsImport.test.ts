import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// tfjs is an optional peer dependency, reached only through the 'zeroth/tfjs' subpath: importing 'zeroth' (or its
// estimators and problems) must never load it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const child = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
await import(pathToFileURL(process.argv[1]).href);
const cache = createRequire(import.meta.url).cache;
const loaded = Object.keys(cache).filter((k) => /[\\\\/]node_modules[\\\\/]@tensorflow[\\\\/]/.test(k));
process.stdout.write(JSON.stringify(loaded));
`;

function tfjsModulesLoadedBy(file: string): string[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, join(root, file)], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as string[];
}

describe('tfjs stays behind zeroth/tfjs', () => {
  test('importing zeroth, zeroth/estimators and zeroth/problems loads no @tensorflow module', () => {
    for (const file of ['src/index.ts', 'estimators/index.ts', 'problems/index.ts']) expect(tfjsModulesLoadedBy(file), file).toEqual([]);
  });

  test('importing zeroth/tfjs does load it (the check can see a load)', () => {
    expect(tfjsModulesLoadedBy('src/tfjs/index.ts').some((k) => k.includes('tfjs-core'))).toBe(true);
  });

  test("only src/tfjs/ imports '@tensorflow/…'", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && /from ['"]@tensorflow\/|import\(['"]@tensorflow\//.test(readFileSync(p, 'utf8'))) offenders.push(relative(root, p));
      }
    };
    for (const dir of ['src', 'estimators', 'problems']) walk(join(root, dir));
    expect(offenders.filter((p) => !p.startsWith('src/tfjs/'))).toEqual([]);
  });
});
