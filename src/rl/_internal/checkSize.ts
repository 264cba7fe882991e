import { InvalidHyperparameter } from '../../errors.js';

/** Checks an integer ≥ 1 (a size), naming the option. */
export function checkSize(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidHyperparameter(name, value, 'must be an integer ≥ 1');
  return value;
}

/** Checks a list of hidden-layer widths (integers ≥ 1; empty for none). */
export function checkHidden(value: unknown): readonly number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && (v as number) >= 1)) {
    throw new InvalidHyperparameter('hidden', value, 'must be an array of integers ≥ 1 (e.g. [64, 64]; [] for none)');
  }
  return value as number[];
}

/** Checks a finite number. */
export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidHyperparameter(name, value, 'must be a finite number');
  return value;
}
