import { describe, expect, test } from 'vitest';
import { adam } from '../../src/transform/aliases/adam.js';
import { chain } from '../../src/transform/chain.js';
import { identity } from '../../src/transform/identity.js';
import { materialize } from '../../src/transform/materialize.js';
import { scale } from '../../src/transform/scale.js';
import { scaleByAdam } from '../../src/transform/scaleByAdam.js';
import { scaleByLearningRate } from '../../src/transform/scaleByLearningRate.js';
import type { Transform } from '../../src/transform/transform.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid } from './_support/expectInvalid.js';

describe('chain', () => {
  const params = paramsOf([[1, 2]]);

  test('names its parts in order', () => {
    expect(chain(materialize(), scaleByAdam(), scaleByLearningRate(1e-3)).name).toBe(
      'chain(materialize,scaleByAdam,scaleByLearningRate)',
    );
    expect(adam(1e-3).name).toBe('chain(materialize,scaleByAdam,scaleByLearningRate)');
    expect(chain().name).toBe('chain()');
  });

  test('the state is the tuple of the parts’ states, and each part advances its own', () => {
    const t = chain(identity(), scaleByLearningRate(0.5), scaleByLearningRate(2));
    const s0 = t.init(params);
    expect(s0).toEqual([{}, { count: 0 }, { count: 0 }]);
    const [, s1] = t.update(denseOf([[1, 1]]), s0, params);
    expect(s1).toEqual([{}, { count: 1 }, { count: 1 }]);
    expect(s0).toEqual([{}, { count: 0 }, { count: 0 }]);
  });

  test('applies the parts left to right', () => {
    const order: string[] = [];
    const tag = (name: string): Transform<null> => ({
      name,
      init: () => null,
      update: (u, s) => {
        order.push(name);
        return [u, s];
      },
    });
    const t = chain(tag('a'), tag('b'), tag('c'));
    t.update(denseOf([[0, 0]]), t.init(params), params);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  test('composes scales multiplicatively (doc example shape)', () => {
    const t = chain(scale(3), scaleByLearningRate(0.5));
    const [out] = t.update(denseOf([[2, -4]]), t.init(params), params);
    expect(out.kind === 'dense' && Array.from(out.blocks[0]!)).toEqual([-3, 6]);
  });

  test('an empty chain is the identity', () => {
    const t = chain();
    const u = denseOf([[1, 2]]);
    expect(t.update(u, t.init(params), params)[0]).toBe(u);
  });

  test('refuses a factory passed without calling it', () => {
    expectInvalid(() => chain(materialize as unknown as Transform, scale(1)), 'transforms[0]');
    expectInvalid(() => chain(scale(1), null as unknown as Transform), 'transforms[1]');
  });
});
