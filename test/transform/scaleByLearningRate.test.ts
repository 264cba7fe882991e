import { describe, expect, test } from 'vitest';
import { InvalidHyperparameter } from '../../src/errors.js';
import { scaleByLearningRate } from '../../src/transform/scaleByLearningRate.js';
import type { Update } from '../../src/types.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid } from './_support/expectInvalid.js';

describe('scaleByLearningRate', () => {
  const params = paramsOf([[1, 2]]);
  const implicit: Update = { kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 7 }, coeff: 2 }] };

  test('implicit: multiplies the coefficients by −learningRate (doc example)', () => {
    const t = scaleByLearningRate(0.1);
    const [step, state] = t.update(implicit, t.init(params), params);
    expect(step.kind === 'implicit' && step.terms[0]!.coeff).toBeCloseTo(-0.2, 15);
    expect(step.kind === 'implicit' && step.terms[0]!.direction).toBe(implicit.kind === 'implicit' && implicit.terms[0]!.direction);
    expect(state).toEqual({ count: 1 });
  });

  test('dense: scales the given arrays in place by −learningRate', () => {
    const t = scaleByLearningRate(0.5);
    const u = denseOf([[2, -4]]);
    const [step] = t.update(u, t.init(params), params);
    expect(step).toBe(u);
    expect(Array.from(u.blocks[0]!)).toEqual([-1, 2]);
  });

  test('a schedule is called with k = 0, 1, 2, … and its value used at that step', () => {
    const seen: number[] = [];
    const t = scaleByLearningRate((k) => {
      seen.push(k);
      return 1 / (k + 1);
    });
    let state = t.init(params);
    const coeffs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [step, next] = t.update(implicit, state, params);
      state = next;
      if (step.kind === 'implicit') coeffs.push(step.terms[0]!.coeff);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(coeffs).toEqual([-2, -1, -2 / 3]);
    expect(state).toEqual({ count: 3 });
  });

  test('validates the learning rate at construction', () => {
    for (const bad of [0, -1e-3, NaN, Infinity]) expectInvalid(() => scaleByLearningRate(bad), 'learningRate');
    expectInvalid(() => scaleByLearningRate('0.1' as unknown as number), 'learningRate');
    expect(() => scaleByLearningRate(0)).toThrow(/learningRate must be a finite number > 0/);
  });

  test('checks a schedule’s value at the step it is used, naming the step', () => {
    const t = scaleByLearningRate((k) => (k < 2 ? 0.1 : -0.1));
    let state = t.init(params);
    [, state] = t.update(implicit, state, params);
    [, state] = t.update(implicit, state, params);
    expectInvalid(() => t.update(implicit, state, params), 'learningRate');
    try {
      t.update(implicit, state, params);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidHyperparameter);
      expect((e as Error).message).toContain('step 2');
    }
    expectInvalid(() => {
      const s = scaleByLearningRate(() => NaN);
      s.update(implicit, s.init(params), params);
    }, 'learningRate');
  });
});
