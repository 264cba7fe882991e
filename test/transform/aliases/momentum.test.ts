import { describe, expect, test } from 'vitest';
import { momentum } from '../../../src/transform/aliases/momentum.js';
import type { Update } from '../../../src/types.js';
import { denseOf, paramsOf } from '../_support/blocks.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('momentum', () => {
  const params = paramsOf([[0, 0]]);

  test('is chain(materialize, trace, scaleByLearningRate): x ← x − η·b, b ← β·b + g (doc example)', () => {
    const opt = momentum(0.5, 0.5);
    expect(opt.name).toBe('chain(materialize,trace,scaleByLearningRate)');
    let state = opt.init(params);
    const steps: number[][] = [];
    for (const g of [[2, -4], [2, 0], [0, 0]]) {
      let step: Update;
      [step, state] = opt.update(denseOf([g]), state, params);
      if (step.kind === 'dense') steps.push(Array.from(step.blocks[0]!));
    }
    // b = [2, −4], [3, −2], [1.5, −1]; step = −0.5·b
    expect(steps).toEqual([[-1, 2], [-1.5, 1], [-0.75, 0.5]]);
  });

  test('takes implicit estimates (materialised inside)', () => {
    const opt = momentum(1, 0.9);
    const [step] = opt.update(
      { kind: 'implicit', terms: [{ direction: { kind: 'coordinate', block: 0, index: 1 }, coeff: 2 }] },
      opt.init(params),
      params,
    );
    expect(step.kind === 'dense' && Array.from(step.blocks[0]!)).toEqual([-0, -2]);
  });

  test('validates learningRate and decay', () => {
    expectInvalid(() => momentum(0), 'learningRate');
    expectInvalid(() => momentum(0.1, 1), 'decay');
    expectInvalid(() => momentum(0.1, -0.5), 'decay');
  });
});
