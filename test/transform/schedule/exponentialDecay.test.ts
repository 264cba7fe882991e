import { describe, expect, test } from 'vitest';
import { exponentialDecay } from '../../../src/schedule/exponentialDecay.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('exponentialDecay', () => {
  test('k ↦ init·rate^(k/every), smooth by default (doc example)', () => {
    const s = exponentialDecay({ init: 0.1, rate: 0.5, every: 100 });
    expect(s(0)).toBe(0.1);
    expect(s(100)).toBeCloseTo(0.05, 15);
    expect(s(50)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    expect(s(300)).toBeCloseTo(0.0125, 15);
  });

  test('staircase multiplies in whole jumps', () => {
    const s = exponentialDecay({ init: 1, rate: 0.1, every: 10, staircase: true });
    expect([0, 9, 10, 19, 20].map(s)).toEqual([1, 1, 0.1, 0.1, 0.1 ** 2]);
  });

  test('validates init, rate, every and staircase', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      expectInvalid(() => exponentialDecay({ init: bad, rate: 0.5, every: 1 }), 'init');
      expectInvalid(() => exponentialDecay({ init: 1, rate: bad, every: 1 }), 'rate');
      expectInvalid(() => exponentialDecay({ init: 1, rate: 0.5, every: bad }), 'every');
    }
    expectInvalid(() => exponentialDecay({ init: 1, rate: 0.5, every: 1, staircase: 1 as unknown as boolean }), 'staircase');
  });
});
