import fc from 'fast-check';
import { describe, test } from 'vitest';
import { applyUpdates } from '../../src/applyUpdates.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { addDecayedWeights } from '../../src/transform/addDecayedWeights.js';
import { chain } from '../../src/transform/chain.js';
import { materialize } from '../../src/transform/materialize.js';
import { scaleByLearningRate } from '../../src/transform/scaleByLearningRate.js';
import type { Transform } from '../../src/transform/transform.js';
import type { Params, UpdateTerm } from '../../src/types.js';
import { fcOptions } from '../_support/fcConfig.js';
import { paramsOf } from './_support/blocks.js';
import { materializeTerm } from './_support/materializeTerm.js';

const cpu = cpuBackend();
/** Absolute slack for float32 subnormals, where rounding is absolute (2⁻¹⁴⁹ per operation), not relative. */
const TINY = 16 * 2 ** -149;

const cases = fc.array(fc.record({ n: fc.integer({ min: 1, max: 20 }), decayed: fc.boolean() }), { minLength: 1, maxLength: 3 }).chain((blocks) =>
  fc.record({
    blocks: fc.constant(blocks),
    x: fc.tuple(...blocks.map(({ n }) => fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }))),
    terms: fc.array(
      fc.record({
        direction: fc.oneof(
          fc.integer({ min: 0, max: 0xffffffff }).map((seed) => ({ kind: 'gaussian' as const, seed })),
          fc.integer({ min: 0, max: 0xffffffff }).map((seed) => ({ kind: 'rademacher' as const, seed })),
        ),
        coeff: fc.double({ min: -10, max: 10, noNaN: true }),
      }),
      { minLength: 0, maxLength: 3 },
    ),
    weightDecay: fc.double({ min: 0, max: 1, noNaN: true }),
    lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
  }),
);

function stepWith(t: Transform<unknown>, terms: readonly UpdateTerm[], params: Params): Params {
  const x = cpu.copy(params);
  const [step] = t.update({ kind: 'implicit', terms }, t.init(params), params);
  applyUpdates(cpu, step, x);
  return x;
}

describe('addDecayedWeights (properties)', () => {
  test('implicit (params term, applied first) ≡ dense (λθ added elementwise) ≡ materialised params term, within 1e-6 relative', () => {
    fc.assert(
      fc.property(cases, ({ blocks, x, terms, weightDecay, lr }) => {
        const params = paramsOf(x, blocks.map((b, i) => `${i}.${b.decayed ? 'weight' : 'bias'}`));
        const mask = (b: { name: string }): boolean => b.name.endsWith('weight');
        const implicit = stepWith(chain(addDecayedWeights(weightDecay, mask), scaleByLearningRate(lr)), terms, params);
        const dense = stepWith(chain(materialize(), addDecayedWeights(weightDecay, mask), scaleByLearningRate(lr)), terms, params);
        const late = stepWith(chain(addDecayedWeights(weightDecay, mask), materialize(), scaleByLearningRate(lr)), terms, params);
        const sizes = terms.map((term) => materializeTerm(term, params));
        return params.every((block, b) =>
          block.data.every((xi, i) => {
            const mag = Math.abs(xi) * (1 + lr * weightDecay) + lr * sizes.reduce((s, m) => s + m[b]![i]!, 0);
            const tol = 1e-6 * mag + TINY;
            const p = implicit[b]!.data[i]!;
            return Math.abs(p - dense[b]!.data[i]!) <= tol && Math.abs(p - late[b]!.data[i]!) <= tol;
          }),
        );
      }),
      fcOptions(200),
    );
  });
});
