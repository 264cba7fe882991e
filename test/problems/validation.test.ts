import { describe, expect, it } from 'vitest';
import { InvalidHyperparameter } from '../../src/errors.js';
import {
  haarRotation,
  logisticRegression,
  noisy,
  quadratic,
  rastrigin,
  rosenbrock,
  rotated,
  shifted,
  sphere,
} from '../../problems/index.js';

const cases: readonly (readonly [string, string, () => unknown])[] = [
  ['sphere dim 0', 'dim', () => sphere({ dim: 0 })],
  ['sphere dim 2.5', 'dim', () => sphere({ dim: 2.5 })],
  ['quadratic dim NaN', 'dim', () => quadratic({ dim: Number.NaN })],
  ['quadratic condition 0.5', 'condition', () => quadratic({ dim: 3, condition: 0.5 })],
  ['quadratic condition Infinity', 'condition', () => quadratic({ dim: 3, condition: Infinity })],
  ['quadratic seed −1', 'seed', () => quadratic({ dim: 3, seed: -1 })],
  ['rosenbrock dim 1', 'dim', () => rosenbrock({ dim: 1 })],
  ['rastrigin dim −3', 'dim', () => rastrigin({ dim: -3 })],
  ['logisticRegression dim 0', 'dim', () => logisticRegression({ dim: 0 })],
  ['logisticRegression samples 0', 'samples', () => logisticRegression({ dim: 2, samples: 0 })],
  ['logisticRegression samples·dim > 2^28', 'samples', () => logisticRegression({ dim: 2 ** 15, samples: 2 ** 14 })],
  ['logisticRegression seed 1.5', 'seed', () => logisticRegression({ dim: 2, seed: 1.5 })],
  ['logisticRegression l2 0', 'l2', () => logisticRegression({ dim: 2, l2: 0 })],
  ['logisticRegression l2 NaN', 'l2', () => logisticRegression({ dim: 2, l2: Number.NaN })],
  ['noisy sd −1', 'sd', () => noisy(sphere({ dim: 2 }), -1)],
  ['noisy sd NaN', 'sd', () => noisy(sphere({ dim: 2 }), Number.NaN)],
  ['rotated seed 2^32', 'seed', () => rotated(sphere({ dim: 2 }), 2 ** 32)],
  ['shifted seed −2', 'seed', () => shifted(sphere({ dim: 2 }), -2)],
  ['haarRotation dim 0', 'dim', () => haarRotation(0, 1)],
  ['initialPoint seed −1', 'seed', () => sphere({ dim: 2 }).initialPoint(-1)],
];

describe('invalid options throw InvalidHyperparameter naming the parameter', () => {
  for (const [label, parameter, build] of cases) {
    it(label, () => {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidHyperparameter);
      expect((error as InvalidHyperparameter).parameter).toBe(parameter);
      expect((error as Error).message).toContain(parameter);
    });
  }
});
