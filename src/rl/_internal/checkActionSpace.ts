import { InvalidHyperparameter } from '../../errors.js';
import type { ActionSpace } from '../environment.js';

/** Checks an action space: discrete with n ≥ 1, or continuous with size ≥ 1 and low < high. */
export function checkActionSpace(name: string, value: unknown): ActionSpace {
  const a = value as ActionSpace | undefined;
  const ok =
    a !== null &&
    typeof a === 'object' &&
    ((a.kind === 'discrete' && Number.isInteger(a.n) && a.n >= 1) ||
      (a.kind === 'continuous' && Number.isInteger(a.size) && a.size >= 1 && typeof a.low === 'number' && typeof a.high === 'number' && a.low < a.high));
  if (!ok) {
    throw new InvalidHyperparameter(name, value, "must be { kind: 'discrete', n } or { kind: 'continuous', size, low, high } with n, size ≥ 1 and low < high");
  }
  return a;
}
