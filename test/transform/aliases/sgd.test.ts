import { describe, expect, test } from 'vitest';
import { applyUpdates } from '../../../src/applyUpdates.js';
import { cpuBackend } from '../../../src/backend/cpuBackend.js';
import { sgd } from '../../../src/transform/aliases/sgd.js';
import type { Update } from '../../../src/types.js';
import { paramsOf } from '../_support/blocks.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('sgd', () => {
  test('keeps an implicit estimate implicit: x ← x − η·c·z (doc example)', () => {
    const cpu = cpuBackend();
    const params = paramsOf([[1, 2, 3]]);
    const estimate: Update = { kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 11 }, coeff: 4 }] };
    const opt = sgd(1e-3);
    expect(opt.name).toBe('scaleByLearningRate');
    const [step, state] = opt.update(estimate, opt.init(params), params);
    expect(step).toEqual({ kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 11 }, coeff: -4e-3 }] });
    expect(state).toEqual({ count: 1 });
    const expected = cpu.copy(params);
    cpu.perturbInPlace({ kind: 'gaussian', seed: 11 }, -4e-3, expected);
    applyUpdates(cpu, step, params);
    expect(params[0]!.data).toEqual(expected[0]!.data);
  });

  test('validates learningRate', () => {
    for (const bad of [0, -1, NaN]) expectInvalid(() => sgd(bad), 'learningRate');
  });
});
