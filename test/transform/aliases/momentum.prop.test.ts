import fc from 'fast-check';
import { describe, test } from 'vitest';
import { momentum } from '../../../src/transform/aliases/momentum.js';
import { fcOptions } from '../../_support/fcConfig.js';
import { paramsOf } from '../_support/blocks.js';

describe('momentum (properties)', () => {
  test('matches the hand recurrence b ← β·b + g, step = −η·b (float64 reference, float32 state)', () => {
    const n = 5;
    const grads = fc.array(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(grads, fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), (gs, lr, beta) => {
        const params = paramsOf([new Array<number>(n).fill(0)]);
        const opt = momentum(lr, beta);
        let state = opt.init(params);
        const b = new Float64Array(n);
        const bAbs = new Float64Array(n); // Σ β^j |g|: the scale of the rounding error
        for (const g of gs) {
          const [step, next] = opt.update({ kind: 'dense', blocks: [Float32Array.from(g)] }, state, params);
          state = next;
          if (step.kind !== 'dense') return false;
          for (let i = 0; i < n; i++) {
            b[i] = beta * b[i]! + Math.fround(g[i]!);
            bAbs[i] = beta * bAbs[i]! + Math.abs(g[i]!);
            const expected = -lr * b[i]!;
            if (Math.abs(step.blocks[0]![i]! - expected) > 1e-6 * lr * bAbs[i]! * gs.length + 1e-40) return false;
          }
        }
        return true;
      }),
      fcOptions(200),
    );
  });
});
