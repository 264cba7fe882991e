import { describe, expect, test } from 'vitest';
import { identity } from '../../src/transform/identity.js';
import type { Update } from '../../src/types.js';
import { denseOf, paramsOf } from './_support/blocks.js';

describe('identity', () => {
  const params = paramsOf([[1, 2, 3]]);

  test('returns the update it was given, implicit or dense, and keeps the empty state', () => {
    const t = identity();
    expect(t.name).toBe('identity');
    const state = t.init(params);
    expect(state).toEqual({});
    const implicit: Update = { kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 1 }, coeff: 4 }] };
    const dense = denseOf([[1, -1, 0]]);
    expect(t.update(implicit, state, params)[0]).toBe(implicit);
    const [out, next] = t.update(dense, state, params);
    expect(out).toBe(dense);
    expect(next).toBe(state);
  });
});
