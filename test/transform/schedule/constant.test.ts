import { describe, expect, test } from 'vitest';
import { constant } from '../../../src/schedule/constant.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('constant', () => {
  test('k ↦ value', () => {
    const s = constant(1e-3);
    expect([0, 1, 1000].map(s)).toEqual([1e-3, 1e-3, 1e-3]);
  });

  test('validates value', () => {
    for (const bad of [NaN, Infinity]) expectInvalid(() => constant(bad), 'value');
  });
});
