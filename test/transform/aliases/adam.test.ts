import { describe, expect, test } from 'vitest';
import { adam } from '../../../src/transform/aliases/adam.js';
import type { Update } from '../../../src/types.js';
import { denseOf, paramsOf } from '../_support/blocks.js';
import { expectInvalid } from '../_support/expectInvalid.js';

describe('adam', () => {
  const params = paramsOf([[0, 0, 0, 0]]);

  test('is −η times scaleByAdam: the hand-computed two steps with η = 0.01 (doc example)', () => {
    const opt = adam(0.01);
    expect(opt.name).toBe('chain(materialize,scaleByAdam,scaleByLearningRate)');
    let state = opt.init(params);
    let step: Update;
    [step, state] = opt.update(denseOf([[1, -2, 0.5, 0]]), state, params);
    expect(step.kind === 'dense' && Array.from(step.blocks[0]!)).toEqual([-0.01, 0.01, -0.01, -0].map(Math.fround));
    [step, state] = opt.update(denseOf([[0.5, 1, -1, 0]]), state, params);
    // −0.01 × (0.93217962701839, −0.26633703797568, −0.36610352240565, 0); see scaleByAdam.test.ts
    const expected = [-0.0093217962701839, 0.0026633703797568, 0.0036610352240565, 0];
    expect(step.kind).toBe('dense');
    if (step.kind === 'dense') step.blocks[0]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 8));
    expect(state[1].count).toBe(2);
    expect(state[2].count).toBe(2);
  });

  test('passes options to scaleByAdam and takes implicit estimates', () => {
    const opt = adam(1, { b1: 0, b2: 0, eps: 1 });
    // b1 = b2 = 0: m̂ = g, v̂ = g², step = −g/(|g| + 1)
    const [step] = opt.update(
      { kind: 'implicit', terms: [{ direction: { kind: 'coordinate', block: 0, index: 2 }, coeff: 3 }] },
      opt.init(params),
      params,
    );
    expect(step.kind === 'dense' && Array.from(step.blocks[0]!)).toEqual([-0, -0, -0.75, -0]);
  });

  test('validates learningRate and options', () => {
    expectInvalid(() => adam(-1), 'learningRate');
    expectInvalid(() => adam(1e-3, { b1: 1 }), 'b1');
    expectInvalid(() => adam(1e-3, { b2: -1 }), 'b2');
    expectInvalid(() => adam(1e-3, { eps: 0 }), 'eps');
  });
});
