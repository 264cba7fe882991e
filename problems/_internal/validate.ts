import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';

/* Construction-time checks shared by the problems. Each throws a typed error naming the parameter and the fix. */

/** Checks that `value` is an integer ≥ `min` and returns it. */
export function checkInteger(parameter: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidHyperparameter(parameter, value, `must be an integer ≥ ${min}`);
  }
  return value;
}

/** Checks that `value` is a uint32 seed and returns it. */
export function checkSeed(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InvalidHyperparameter(parameter, value, 'must be an integer in [0, 2^32 − 1]');
  }
  return value;
}

/** Checks that `value` is a finite number with `value ≥ min` (or `> min` when `strict`) and returns it. */
export function checkNumber(parameter: string, value: unknown, min: number, strict = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (strict ? value > min : value >= min);
  if (!ok) throw new InvalidHyperparameter(parameter, value, `must be a finite number ${strict ? '>' : '≥'} ${min}`);
  return value;
}

/** Checks at evaluation time that the vector `x` has length `dim`. */
export function checkLength(parameter: string, x: ArrayLike<number>, dim: number, problem: string): void {
  if (x.length !== dim) {
    throw new InvalidInput(
      parameter,
      `has length ${x.length} but problem "${problem}" has dim ${dim}`,
      `Pass a Float32Array of length ${dim} (e.g. from problem.initialPoint(seed)).`,
    );
  }
}
