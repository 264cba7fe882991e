import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * In a fresh Node process, imports `file` (a TypeScript module, through tsx) and lists the CommonJS modules then in
 * the require cache whose path matches `pattern` (a regular expression source over the path, e.g. a package folder).
 */
export function modulesLoadedBy(root: string, file: string, pattern: string): string[] {
  const child = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
await import(pathToFileURL(process.argv[1]).href);
const cache = createRequire(import.meta.url).cache;
process.stdout.write(JSON.stringify(Object.keys(cache).filter((k) => new RegExp(process.argv[2]).test(k))));
`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, join(root, file), pattern], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as string[];
}

/** The `.ts` files under `dirs` (relative to `root`) whose text matches `importPattern`. */
export function filesImporting(root: string, dirs: readonly string[], importPattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && importPattern.test(readFileSync(p, 'utf8'))) found.push(relative(root, p));
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return found;
}
