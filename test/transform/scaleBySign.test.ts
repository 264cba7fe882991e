import { describe, expect, test } from 'vitest';
import { scaleBySign } from '../../src/transform/scaleBySign.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectNeedsMaterialize } from './_support/expectInvalid.js';

describe('scaleBySign', () => {
  const params = paramsOf([[0, 0, 0], [0]]);

  test('elementwise sign, in place (doc example)', () => {
    const t = scaleBySign();
    const u = denseOf([[-3, 0, 0.2], [1e-30]]);
    const [out] = t.update(u, t.init(params), params);
    expect(out).toBe(u);
    expect(u.blocks.map((b) => Array.from(b))).toEqual([[-1, 0, 1], [1]]);
  });

  test('refuses implicit updates, naming materialize() as the fix', () => {
    const t = scaleBySign();
    expectNeedsMaterialize(() => t.update({ kind: 'implicit', terms: [] }, t.init(params), params), 'scaleBySign');
  });
});
