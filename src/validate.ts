/** Validation helpers for estimator and transform options: each throws InvalidHyperparameter naming the option. */
import { InvalidHyperparameter } from './errors.js';
import type { Schedule } from './transform/transform.js';

/** Checks a finite number > 0. */
export function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidHyperparameter(name, value, 'must be a finite number > 0');
  }
  return value;
}

/** Checks a finite number ≥ 0. */
export function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidHyperparameter(name, value, 'must be a finite number ≥ 0');
  }
  return value;
}

/** Checks an integer ≥ `min`. */
export function integerAtLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidHyperparameter(name, value, `must be an integer ≥ ${min}`);
  }
  return value;
}

/** Checks one of the allowed string values. */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidHyperparameter(name, value, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** A number or a schedule, as a schedule whose values are checked to be finite and > 0 when used. */
export function positiveSchedule(name: string, value: unknown): Schedule {
  if (typeof value === 'function') {
    const fn = value as Schedule;
    return (k: number) => positive(`${name}(${k})`, fn(k));
  }
  const v = positive(name, value);
  return () => v;
}
