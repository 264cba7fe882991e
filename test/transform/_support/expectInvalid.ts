import { expect } from 'vitest';
import { InvalidHyperparameter, UnsupportedUpdate } from '../../../src/errors.js';

/** Asserts that `fn` throws InvalidHyperparameter for `parameter`, and that the message names it. */
export function expectInvalid(fn: () => unknown, parameter: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidHyperparameter);
  const e = error as InvalidHyperparameter;
  expect(e.parameter).toBe(parameter);
  expect(e.code).toBe('INVALID_HYPERPARAMETER');
  expect(e.message).toContain(`Invalid ${parameter}:`);
}

/** Asserts that `fn` throws UnsupportedUpdate naming the transform and materialize() as the fix. */
export function expectNeedsMaterialize(fn: () => unknown, transform: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UnsupportedUpdate);
  const e = error as UnsupportedUpdate;
  expect(e.code).toBe('UNSUPPORTED_UPDATE');
  expect(e.message).toContain(`"${transform}"`);
  expect(e.message).toContain('materialize()');
}
