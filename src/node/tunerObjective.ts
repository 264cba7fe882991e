import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidInput } from '../errors.js';
import type { TrialObjective } from '../tuner/executor.js';

/**
 * Imports an objective module in this thread and returns its objective: the default export if it is a
 * function, else the export `objective` (or `exportName`). For `--workers 0` of the CLI and for tests; worker
 * pools import the module in each thread instead.
 *
 * @throws InvalidInput when the file is missing, fails to load, or exports no such function
 */
export async function loadObjective<X>(modulePath: string, exportName?: string): Promise<TrialObjective<X>> {
  const path = resolve(modulePath);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InvalidInput('objective', `the module ${path} does not exist`, 'Pass the path of a JavaScript module that exports the objective function.');
  }
  let m: Record<string, unknown>;
  try {
    m = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidInput('objective', `the module ${path} failed to load: ${e instanceof Error ? e.message : String(e)}`, 'Fix the module so that it can be imported.');
  }
  const def = m['default'] as Record<string, unknown> | undefined;
  const fn =
    exportName !== undefined
      ? (m[exportName] ?? (def !== null && typeof def === 'object' ? def[exportName] : undefined))
      : typeof def === 'function'
        ? def
        : typeof m['objective'] === 'function'
          ? m['objective']
          : def !== null && typeof def === 'object'
            ? def['objective']
            : undefined;
  if (typeof fn !== 'function') {
    const keys = Object.keys(m);
    throw new InvalidInput(
      'objective',
      `the module ${path} does not export a function${exportName === undefined ? '' : ` named "${exportName}"`} (it exports ${keys.length === 0 ? 'nothing' : keys.join(', ')})`,
      'Export the objective as `export default function (x, context) { return number }` or `export function objective`.',
    );
  }
  return fn as TrialObjective<X>;
}
