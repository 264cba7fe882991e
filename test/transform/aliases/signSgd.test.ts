import { describe, expect, test } from 'vitest';
import { signSgd } from '../../../src/transform/aliases/signSgd.js';
import { denseOf, paramsOf } from '../_support/blocks.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('signSgd', () => {
  const params = paramsOf([[0, 0, 0]]);

  test('step = −η·sign(g), elementwise (doc example)', () => {
    const opt = signSgd(0.25);
    expect(opt.name).toBe('chain(materialize,scaleBySign,scaleByLearningRate)');
    const [step, state] = opt.update(denseOf([[-7, 0, 1e-9]]), opt.init(params), params);
    expect(step.kind === 'dense' && Array.from(step.blocks[0]!)).toEqual([0.25, -0, -0.25]);
    expect(state[2].count).toBe(1);
  });

  test('takes implicit estimates', () => {
    const opt = signSgd(1);
    const [step] = opt.update(
      { kind: 'implicit', terms: [{ direction: { kind: 'rademacher', seed: 4 }, coeff: 1e-3 }] },
      opt.init(params),
      params,
    );
    expect(step.kind === 'dense' && step.blocks[0]!.every((v) => v === 1 || v === -1)).toBe(true);
  });

  test('validates learningRate', () => {
    expectInvalid(() => signSgd(Infinity), 'learningRate');
  });
});
