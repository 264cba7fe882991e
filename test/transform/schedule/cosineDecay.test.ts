import { describe, expect, test } from 'vitest';
import { cosineDecay } from '../../../src/schedule/cosineDecay.js';
import { scaleByLearningRate } from '../../../src/transform/scaleByLearningRate.js';
import { paramsOf } from '../_support/blocks.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('cosineDecay', () => {
  test('final + (init − final)·½(1 + cos(π·min(k, steps)/steps)) (doc example)', () => {
    const s = cosineDecay({ init: 0.1, steps: 1000, final: 1e-4 });
    expect(s(0)).toBe(0.1);
    expect(s(500)).toBeCloseTo(1e-4 + (0.1 - 1e-4) / 2, 15);
    expect(s(1000)).toBeCloseTo(1e-4, 15);
    expect(s(5000)).toBeCloseTo(1e-4, 15);
    for (let k = 0; k < 1000; k++) expect(s(k + 1)).toBeLessThanOrEqual(s(k));
  });

  test('with the default final = 0, scaleByLearningRate accepts the value 0 at step `steps` (a no-op step)', () => {
    const s = cosineDecay({ init: 1, steps: 2 });
    expect(s(1)).toBeCloseTo(0.5, 15);
    expect(s(2)).toBe(0);
    const t = scaleByLearningRate(s);
    const params = paramsOf([[0]]);
    const u = { kind: 'implicit', terms: [] } as const;
    let state = t.init(params);
    [, state] = t.update(u, state, params);
    [, state] = t.update(u, state, params);
    expect(() => t.update(u, state, params)).not.toThrow();
  });

  test('validates init, steps and final', () => {
    for (const bad of [0, -1, NaN, Infinity]) expectInvalid(() => cosineDecay({ init: bad, steps: 10 }), 'init');
    for (const bad of [0, -1, 2.5, NaN, Infinity]) expectInvalid(() => cosineDecay({ init: 1, steps: bad }), 'steps');
    for (const bad of [-1, NaN, Infinity]) expectInvalid(() => cosineDecay({ init: 1, steps: 10, final: bad }), 'final');
  });
});
