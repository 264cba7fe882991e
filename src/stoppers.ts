import { InvalidHyperparameter } from './errors.js';
import { integerAtLeast, nonNegative } from './validate.js';

/** What a stopper sees after each step. */
export interface StepInfo {
  readonly step: number;
  readonly queries: number;
  readonly value: number;
  readonly elapsedMs: number;
}

/**
 * A stopping rule. `start()` is called once per run and returns a checker that sees every step's record in
 * order and returns a reason to stop, or `undefined` to go on.
 */
export interface Stopper {
  readonly name: string;
  start(): (info: StepInfo) => string | undefined;
}

/** Stops once a step's value is ≤ `target`. */
export function targetValue(target: number): Stopper {
  if (typeof target !== 'number' || Number.isNaN(target)) {
    throw new InvalidHyperparameter('targetValue', target, 'must be a number');
  }
  return {
    name: 'targetValue',
    start: () => (info) => (info.value <= target ? `value ${info.value} reached the target ${target}` : undefined),
  };
}

/** Stops when the best value has not improved by more than `minDelta` for `steps` consecutive steps. */
export function patience(steps: number, options: { readonly minDelta?: number } = {}): Stopper {
  integerAtLeast('patience', steps, 1);
  const minDelta = nonNegative('minDelta', options.minDelta ?? 0);
  return {
    name: 'patience',
    start() {
      let best = Infinity;
      let since = 0;
      return (info) => {
        if (info.value < best - minDelta) {
          best = info.value;
          since = 0;
          return undefined;
        }
        best = Math.min(best, info.value);
        since++;
        return since >= steps ? `no improvement larger than ${minDelta} in ${steps} steps` : undefined;
      };
    },
  };
}

/** Stops when max − min of the values of the last `window` steps is ≤ `tol`. */
export function tolerance(tol: number, options: { readonly window?: number } = {}): Stopper {
  nonNegative('tolerance', tol);
  const window = integerAtLeast('window', options.window ?? 10, 2);
  return {
    name: 'tolerance',
    start() {
      const last: number[] = [];
      return (info) => {
        last.push(info.value);
        if (last.length > window) last.shift();
        if (last.length < window) return undefined;
        return Math.max(...last) - Math.min(...last) <= tol ? `values within ${tol} over the last ${window} steps` : undefined;
      };
    },
  };
}
