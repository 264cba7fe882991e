/**
 * Reads each estimator's documented cost lines ("Queries per step: …", "Extra memory: …") from the TSDoc of
 * estimators/<name>.ts, so the report's memory column follows the code's own documentation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ESTIMATORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'estimators');

/** The documented cost lines of one estimator ('' when not found). */
export interface CostDoc {
  readonly queriesPerStep: string;
  readonly extraMemory: string;
}

/**
 * Extracts "Queries per step:" and "Extra memory:" from a TSDoc comment: each runs to the end of its sentence
 * group (the next cost label, "Value reported", a blank comment line or a tag).
 */
export function parseCostDoc(source: string): CostDoc {
  const text = source
    .split('\n')
    .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').trimEnd())
    .join('\n');
  const grab = (label: string): string => {
    const i = text.indexOf(label);
    if (i < 0) return '';
    const rest = text.slice(i + label.length);
    const stop = rest.search(/(Extra memory:|Queries per step:|Value reported|\n\s*\n|\n@)/);
    return (stop < 0 ? rest : rest.slice(0, stop)).replace(/\s+/g, ' ').trim();
  };
  return { queriesPerStep: grab('Queries per step:'), extraMemory: grab('Extra memory:') };
}

/** The cost lines of the registry estimator `name` (from estimators/<name>.ts). */
export function costDocOf(name: string): CostDoc {
  const file = join(ESTIMATORS_DIR, `${name}.ts`);
  if (!existsSync(file)) return { queriesPerStep: '', extraMemory: '' };
  return parseCostDoc(readFileSync(file, 'utf8'));
}
