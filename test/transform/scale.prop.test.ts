import fc from 'fast-check';
import { describe, test } from 'vitest';
import { chain } from '../../src/transform/chain.js';
import { scale } from '../../src/transform/scale.js';
import { fcOptions } from '../_support/fcConfig.js';
import { paramsOf } from './_support/blocks.js';

describe('scale (properties)', () => {
  const params = paramsOf([[0]]);
  const factor = fc.double({ min: -1e3, max: 1e3, noNaN: true });

  test('chain(scale(a), scale(b)) ≡ scale(a·b) on implicit coefficients (to float64 rounding)', () => {
    fc.assert(
      fc.property(factor, factor, fc.double({ min: -1e3, max: 1e3, noNaN: true }), (a, b, c) => {
        const u = { kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 9 }, coeff: c }] } as const;
        const two = chain(scale(a), scale(b));
        const one = scale(a * b);
        const [x] = two.update(u, two.init(params), params);
        const [y] = one.update(u, one.init(params), params);
        if (x.kind !== 'implicit' || y.kind !== 'implicit') return false;
        const p = x.terms[0]!.coeff;
        const q = y.terms[0]!.coeff;
        return Math.abs(p - q) <= 4 * Number.EPSILON * Math.abs(a * b * c) + 1e-300; // slack for subnormal products
      }),
      fcOptions(200),
    );
  });
});
