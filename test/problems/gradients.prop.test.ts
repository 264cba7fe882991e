import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcOptions } from '../_support/fcConfig.js';
import type { Problem } from '../../problems/index.js';
import {
  logisticRegression,
  noisy,
  quadratic,
  rastrigin,
  rosenbrock,
  rotated,
  shifted,
  sphere,
} from '../../problems/index.js';
import { centralDifference, gradient, gridPoint, relativeMaxError } from './gradCheck.js';

interface Case {
  readonly problem: Problem;
  /** Sampled points satisfy |xᵢ| ≤ range. */
  readonly range: number;
  /** Finite-difference step, a power of two. */
  readonly h: number;
  /** Bound on max|fd − g| / (1 + max|g|). */
  readonly tol: number;
}

// Rotated and shifted problems feed f a float32 rounding of Qx or x − s, an error of ≈ 6e-8·|y| that the
// difference quotient divides by 2h; their steps are larger and tolerances looser.
const cases: readonly Case[] = [
  { problem: sphere({ dim: 5 }), range: 4, h: 2 ** -8, tol: 1e-6 },
  { problem: quadratic({ dim: 6, condition: 1000 }), range: 4, h: 2 ** -8, tol: 1e-6 },
  { problem: quadratic({ dim: 6, condition: 50, seed: 3 }), range: 4, h: 2 ** -6, tol: 1e-4 },
  { problem: rosenbrock(), range: 2, h: 2 ** -10, tol: 1e-5 },
  { problem: rosenbrock({ dim: 5 }), range: 2, h: 2 ** -10, tol: 1e-5 },
  { problem: rastrigin({ dim: 4 }), range: 5, h: 2 ** -10, tol: 1e-5 },
  { problem: logisticRegression({ dim: 4, samples: 40, seed: 2 }), range: 2, h: 2 ** -8, tol: 1e-5 },
  { problem: rotated(quadratic({ dim: 6, condition: 100 }), 11), range: 3, h: 2 ** -6, tol: 1e-4 },
  { problem: rotated(rosenbrock({ dim: 4 }), 12), range: 1, h: 2 ** -8, tol: 1e-3 },
  { problem: rotated(rastrigin({ dim: 3 }), 13), range: 3, h: 2 ** -9, tol: 1e-3 },
  { problem: rotated(logisticRegression({ dim: 5, samples: 30 }), 14), range: 2, h: 2 ** -6, tol: 1e-4 },
  { problem: shifted(rosenbrock({ dim: 3 }), 15), range: 2, h: 2 ** -10, tol: 1e-4 },
  { problem: shifted(rastrigin({ dim: 3 }), 16), range: 5, h: 2 ** -10, tol: 1e-4 },
  { problem: shifted(logisticRegression({ dim: 3, samples: 30 }), 17), range: 2, h: 2 ** -8, tol: 1e-5 },
  { problem: noisy(sphere({ dim: 4 }), 0.5), range: 4, h: 2 ** -8, tol: 1e-6 },
  {
    problem: noisy(rotated(shifted(quadratic({ dim: 5, condition: 30 }), 18), 19), 0.1),
    range: 3,
    h: 2 ** -6,
    tol: 1e-4,
  },
];

describe('gradients agree with central finite differences (float64) at random points', () => {
  for (const { problem, range, h, tol } of cases) {
    it(`${problem.name} (d = ${problem.dim})`, () => {
      expect(problem.grad).toBeTypeOf('function');
      fc.assert(
        fc.property(gridPoint(problem.dim, range), fc.nat(), (x, noiseSeed) => {
          // One noise seed for all evaluations of the quotient: common random numbers cancel the noise.
          const fd = centralDifference(problem, x, h, { noiseSeed, step: 0 });
          const g = gradient(problem, x);
          expect(relativeMaxError(g, fd)).toBeLessThanOrEqual(tol);
        }),
        fcOptions(50),
      );
    });
  }
});
