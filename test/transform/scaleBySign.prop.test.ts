import fc from 'fast-check';
import { describe, test } from 'vitest';
import { scaleBySign } from '../../src/transform/scaleBySign.js';
import { fcOptions } from '../_support/fcConfig.js';
import { paramsOf } from './_support/blocks.js';

describe('scaleBySign (properties)', () => {
  test('invariant to scaling the update by any c > 0', () => {
    const g = fc.float32Array({ minLength: 1, maxLength: 16, min: -1e6, max: 1e6, noNaN: true });
    const c = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(g, c, (g, c) => {
        const params = paramsOf([Array.from(g)]);
        const t = scaleBySign();
        const [a] = t.update({ kind: 'dense', blocks: [g.slice()] }, t.init(params), params);
        const [b] = t.update({ kind: 'dense', blocks: [g.map((x) => x * c)] }, t.init(params), params);
        if (a.kind !== 'dense' || b.kind !== 'dense') return false;
        // Scaling can flush a tiny element to zero in float32, and zero's sign is 0; compare where c·g ≠ 0.
        return g.every((x, i) => Math.fround(x * c) === 0 || a.blocks[0]![i] === b.blocks[0]![i]);
      }),
      fcOptions(200),
    );
  });
});
