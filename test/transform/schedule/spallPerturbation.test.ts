import { describe, expect, test } from 'vitest';
import { spallPerturbation } from '../../../src/schedule/spallPerturbation.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('spallPerturbation', () => {
  test('c_k = c/(k + 1)^γ against the closed form for k = 0..200 (default γ = 0.101), c_0 = c', () => {
    const s = spallPerturbation({ c: 0.1 });
    expect(s(0)).toBe(0.1);
    for (let k = 0; k <= 200; k++) expect(s(k)).toBeCloseTo(0.1 / Math.pow(k + 1, 0.101), 15);
    expect(s(9)).toBeCloseTo(0.1 / 10 ** 0.101, 15);
    const t = spallPerturbation({ c: 1, gamma: 1 / 6 });
    expect(t(63)).toBeCloseTo(0.5, 14);
  });

  test('monotone non-increasing over k = 0..1000', () => {
    const s = spallPerturbation({ c: 2, gamma: 0.101 });
    for (let k = 0; k < 1000; k++) expect(s(k + 1)).toBeLessThanOrEqual(s(k));
  });

  test('validates c and gamma', () => {
    for (const bad of [0, -1, NaN, Infinity]) expectInvalid(() => spallPerturbation({ c: bad }), 'c');
    for (const bad of [-0.1, NaN, Infinity]) expectInvalid(() => spallPerturbation({ c: 1, gamma: bad }), 'gamma');
  });
});
