import fc from 'fast-check';
import { describe, test } from 'vitest';
import { spallGain } from '../../../src/schedule/spallGain.js';
import { spallPerturbation } from '../../../src/schedule/spallPerturbation.js';
import { fcOptions } from '../../_support/fcConfig.js';

const positive = fc.double({ min: 1e-6, max: 1e3, noNaN: true });
const exponent = fc.double({ min: 0, max: 2, noNaN: true });
const steps = fc.integer({ min: 0, max: 100_000 });

describe('Spall schedules (properties)', () => {
  test('spallGain equals a/(A + k + 1)^α, is positive and non-increasing in k', () => {
    fc.assert(
      fc.property(positive, fc.double({ min: 0, max: 1e4, noNaN: true }), exponent, steps, (a, A, alpha, k) => {
        const s = spallGain({ a, A, alpha });
        const expected = a / (A + k + 1) ** alpha;
        return Math.abs(s(k) - expected) <= 1e-12 * expected && s(k) > 0 && s(k + 1) <= s(k) && s(0) === a / (A + 1) ** alpha;
      }),
      fcOptions(300),
    );
  });

  test('spallPerturbation equals c/(k + 1)^γ, is positive and non-increasing in k', () => {
    fc.assert(
      fc.property(positive, exponent, steps, (c, gamma, k) => {
        const s = spallPerturbation({ c, gamma });
        const expected = c / (k + 1) ** gamma;
        return Math.abs(s(k) - expected) <= 1e-12 * expected && s(k) > 0 && s(k + 1) <= s(k) && s(0) === c;
      }),
      fcOptions(300),
    );
  });
});
