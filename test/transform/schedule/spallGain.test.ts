import { describe, expect, test } from 'vitest';
import { spallGain } from '../../../src/schedule/spallGain.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('spallGain', () => {
  test('a_k = a/(A + k + 1)^α against the closed form for k = 0..200 (defaults A = 0, α = 0.602)', () => {
    const s = spallGain({ a: 0.5 });
    for (let k = 0; k <= 200; k++) expect(s(k)).toBeCloseTo(0.5 / Math.pow(k + 1, 0.602), 14);
    expect(s(0)).toBe(0.5);
  });

  test('a_0 = a/(A + 1)^α, and the doc example', () => {
    const s = spallGain({ a: 0.16, A: 10 });
    expect(s(0)).toBeCloseTo(0.16 / 11 ** 0.602, 15);
    expect(s(0)).toBeCloseTo(0.037775, 6);
    const t = spallGain({ a: 2, A: 3, alpha: 1 });
    expect([0, 1, 2, 3].map(t)).toEqual([2 / 4, 2 / 5, 2 / 6, 2 / 7]);
  });

  test('monotone non-increasing over k = 0..1000', () => {
    const s = spallGain({ a: 1, A: 50, alpha: 0.602 });
    for (let k = 0; k < 1000; k++) expect(s(k + 1)).toBeLessThanOrEqual(s(k));
  });

  test('validates a, A and alpha', () => {
    for (const bad of [0, -1, NaN, Infinity]) expectInvalid(() => spallGain({ a: bad }), 'a');
    for (const bad of [-1, NaN, Infinity]) expectInvalid(() => spallGain({ a: 1, A: bad }), 'A');
    for (const bad of [-0.1, NaN, Infinity]) expectInvalid(() => spallGain({ a: 1, alpha: bad }), 'alpha');
  });
});
