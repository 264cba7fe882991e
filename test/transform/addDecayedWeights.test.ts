import { describe, expect, test } from 'vitest';
import { addDecayedWeights } from '../../src/transform/addDecayedWeights.js';
import { noDecayForBiasAndNorm } from '../../src/transform/noDecayForBiasAndNorm.js';
import type { Update } from '../../src/types.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid } from './_support/expectInvalid.js';

describe('addDecayedWeights', () => {
  const params = paramsOf([[1, 2], [10]], ['fc.weight', 'fc.bias']);
  const gaussian = { direction: { kind: 'gaussian', seed: 5 }, coeff: 2 } as const;
  const implicit: Update = { kind: 'implicit', terms: [gaussian] };

  test('implicit: prepends a params term with coeff λ (all blocks: no flags)', () => {
    const t = addDecayedWeights(0.1);
    expect(t.name).toBe('addDecayedWeights');
    const [out] = t.update(implicit, t.init(params), params);
    expect(out).toEqual({ kind: 'implicit', terms: [{ direction: { kind: 'params' }, coeff: 0.1 }, gaussian] });
  });

  test('implicit: a mask gives per-block flags; nothing selected or λ = 0 leaves the update alone', () => {
    const t = addDecayedWeights(0.1, noDecayForBiasAndNorm);
    const [out] = t.update(implicit, t.init(params), params);
    expect(out).toEqual({
      kind: 'implicit',
      terms: [{ direction: { kind: 'params', blocks: [true, false] }, coeff: 0.1 }, gaussian],
    });
    const none = addDecayedWeights(0.1, () => false);
    expect(none.update(implicit, none.init(params), params)[0]).toBe(implicit);
    const zero = addDecayedWeights(0);
    expect(zero.update(implicit, zero.init(params), params)[0]).toBe(implicit);
  });

  test('the mask sees each block’s name and shape', () => {
    const seen: string[] = [];
    const t = addDecayedWeights(0.1, (b) => {
      seen.push(`${b.name}:${b.shape.join('x')}`);
      return true;
    });
    t.update(implicit, t.init(params), params);
    expect(seen).toEqual(['fc.weight:2', 'fc.bias:1']);
  });

  test('dense: adds λ·θ in place, for the selected blocks only', () => {
    const t = addDecayedWeights(0.5, noDecayForBiasAndNorm);
    const u = denseOf([[1, 1], [1]]);
    const [out] = t.update(u, t.init(params), params);
    expect(out).toBe(u);
    expect(u.blocks.map((b) => Array.from(b))).toEqual([[1.5, 2], [1]]);
    expect(Array.from(params[0]!.data)).toEqual([1, 2]);
  });

  test('validates weightDecay and mask', () => {
    for (const bad of [-0.1, NaN, Infinity]) expectInvalid(() => addDecayedWeights(bad), 'weightDecay');
    expectInvalid(() => addDecayedWeights(0.1, 'bias' as unknown as () => boolean), 'mask');
  });
});
