import { describe, expect, test } from 'vitest';
import { clipByGlobalNorm } from '../../src/transform/clipByGlobalNorm.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid, expectNeedsMaterialize } from './_support/expectInvalid.js';

describe('clipByGlobalNorm', () => {
  test('rescales to maxNorm when above it (doc example)', () => {
    const params = paramsOf([[0, 0]]);
    const t = clipByGlobalNorm(1);
    const [out] = t.update(denseOf([[3, 4]]), t.init(params), params);
    expect(out.kind === 'dense' && Array.from(out.blocks[0]!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  test('the norm is global across blocks', () => {
    const params = paramsOf([[0], [0]]);
    const t = clipByGlobalNorm(2.5);
    const [out] = t.update(denseOf([[3], [4]]), t.init(params), params);
    expect(out.kind === 'dense' && out.blocks.map((b) => b[0])).toEqual([1.5, 2]);
  });

  test('leaves an update within the bound unchanged', () => {
    const params = paramsOf([[0, 0]]);
    const t = clipByGlobalNorm(5);
    const u = denseOf([[3, 4]]);
    const [out] = t.update(u, t.init(params), params);
    expect(out).toBe(u);
    expect(Array.from(u.blocks[0]!)).toEqual([3, 4]);
  });

  test('refuses implicit updates, naming materialize() as the fix', () => {
    const params = paramsOf([[0]]);
    const t = clipByGlobalNorm(1);
    expectNeedsMaterialize(
      () => t.update({ kind: 'implicit', terms: [{ direction: { kind: 'coordinate', block: 0, index: 0 }, coeff: 9 }] }, t.init(params), params),
      'clipByGlobalNorm',
    );
  });

  test('validates maxNorm', () => {
    for (const bad of [0, -1, NaN, Infinity]) expectInvalid(() => clipByGlobalNorm(bad), 'maxNorm');
  });
});
