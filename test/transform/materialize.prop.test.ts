import fc from 'fast-check';
import { describe, test } from 'vitest';
import { applyUpdates } from '../../src/applyUpdates.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { materialize } from '../../src/transform/materialize.js';
import type { Params, UpdateTerm } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { paramsOf } from './_support/blocks.js';
import { materializeTerm } from './_support/materializeTerm.js';

const cpu = cpuBackend();
/** Absolute slack for float32 subnormals, where rounding is absolute (2⁻¹⁴⁹ per operation), not relative. */
const TINY = 16 * 2 ** -149;
const sizes = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 });
const seed = fc.integer({ min: 0, max: 0xffffffff });
const coeff = fc.double({ min: -10, max: 10, noNaN: true });

function caseFor(ns: number[]): fc.Arbitrary<{ x: number[][]; terms: UpdateTerm[] }> {
  const coordinate = fc
    .integer({ min: 0, max: ns.length - 1 })
    .chain((block) => fc.integer({ min: 0, max: ns[block]! - 1 }).map((index) => ({ kind: 'coordinate' as const, block, index })));
  const direction = fc.oneof(
    seed.map((s) => ({ kind: 'gaussian' as const, seed: s })),
    seed.map((s) => ({ kind: 'rademacher' as const, seed: s })),
    coordinate,
  );
  return fc.record({
    x: fc.tuple(...ns.map((n) => fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }))),
    terms: fc.array(fc.record({ direction, coeff }), { minLength: 1, maxLength: 5 }),
  });
}

describe('materialize (properties)', () => {
  test('applyUpdates(implicit) ≡ applyUpdates(materialize(implicit)) within 1e-6 relative (gaussian, rademacher, coordinate)', () => {
    fc.assert(
      fc.property(sizes.chain(caseFor), ({ x, terms }) => {
        const params: Params = paramsOf(x);
        const implicit = { kind: 'implicit', terms } as const;
        const direct = cpu.copy(params);
        applyUpdates(cpu, implicit, direct);
        const t = materialize(cpu);
        const [dense] = t.update(implicit, t.init(params), params);
        if (dense.kind !== 'dense') return false;
        const viaDense = cpu.copy(params);
        applyUpdates(cpu, dense, viaDense);
        // Relative to the size of what is summed, |x| + Σ|cᵢ·dᵢ|: float32 rounds each partial sum differently.
        const sizes = terms.map((term) => materializeTerm(term, params));
        return params.every((block, b) =>
          block.data.every((xi, i) => {
            const mag = Math.abs(xi) + sizes.reduce((s, m) => s + m[b]![i]!, 0);
            return Math.abs(direct[b]!.data[i]! - viaDense[b]!.data[i]!) <= 1e-6 * mag + TINY;
          }),
        );
      }),
      fcOptions(200),
    );
  });
});
