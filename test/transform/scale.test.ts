import { describe, expect, test } from 'vitest';
import { scale } from '../../src/transform/scale.js';
import type { Update } from '../../src/types.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid } from './_support/expectInvalid.js';

describe('scale', () => {
  const params = paramsOf([[1, 2, 3]]);

  test('implicit: multiplies the coefficients into a new update, sharing the directions (doc example)', () => {
    const t = scale(0.5);
    const direction = { kind: 'gaussian', seed: 1 } as const;
    const u: Update = { kind: 'implicit', terms: [{ direction, coeff: 4 }, { direction: { kind: 'none' }, coeff: -2 }] };
    const [out] = t.update(u, t.init(params), params);
    expect(out).toEqual({ kind: 'implicit', terms: [{ direction, coeff: 2 }, { direction: { kind: 'none' }, coeff: -1 }] });
    expect(out.kind === 'implicit' && out.terms[0]!.direction).toBe(direction);
    expect(u.kind === 'implicit' && u.terms[0]!.coeff).toBe(4);
  });

  test('dense: scales the given arrays in place', () => {
    const t = scale(-2);
    const u = denseOf([[1, -0.5, 0]]);
    const [out] = t.update(u, t.init(params), params);
    expect(out).toBe(u);
    expect(Array.from(u.blocks[0]!)).toEqual([-2, 1, -0]);
  });

  test('validates factor', () => {
    for (const bad of [NaN, Infinity, -Infinity]) expectInvalid(() => scale(bad), 'factor');
    expectInvalid(() => scale('1' as unknown as number), 'factor');
  });
});
