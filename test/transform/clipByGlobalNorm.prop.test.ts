import fc from 'fast-check';
import { describe, test } from 'vitest';
import { clipByGlobalNorm } from '../../src/transform/clipByGlobalNorm.js';
import { fcOptions } from '../_support/fcConfig.js';
import { paramsOf } from './_support/blocks.js';

const block = fc.float32Array({ minLength: 1, maxLength: 8, min: -1e4, max: 1e4, noNaN: true });
const norm = (blocks: readonly Float32Array[]): number =>
  Math.sqrt(blocks.reduce((s, b) => s + b.reduce((t, x) => t + x * x, 0), 0));

describe('clipByGlobalNorm (properties)', () => {
  test('‖out‖ ≤ maxNorm (to float32 rounding), direction kept, and unchanged when already within', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 3 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (blocks, maxNorm) => {
        const params = paramsOf(blocks.map((b) => Array.from(b)));
        const t = clipByGlobalNorm(maxNorm);
        const before = norm(blocks);
        const [out] = t.update({ kind: 'dense', blocks: blocks.map((b) => b.slice()) }, t.init(params), params);
        if (out.kind !== 'dense') return false;
        const after = norm(out.blocks);
        if (after > maxNorm * (1 + 1e-6)) return false;
        if (before <= maxNorm) return out.blocks.every((b, k) => b.every((x, i) => Object.is(x, blocks[k]![i])));
        // Same direction: every element scaled by the same factor maxNorm/‖g‖ (to float32 rounding).
        const f = maxNorm / before;
        return out.blocks.every((b, k) =>
          b.every((x, i) => Math.abs(x - f * blocks[k]![i]!) <= 1e-6 * Math.abs(f * blocks[k]![i]!) + 1e-38),
        );
      }),
      fcOptions(200),
    );
  });
});
