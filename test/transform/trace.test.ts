import { describe, expect, test } from 'vitest';
import { NonFiniteValue } from '../../src/errors.js';
import { trace } from '../../src/transform/trace.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid, expectNeedsMaterialize } from './_support/expectInvalid.js';

describe('trace', () => {
  const params = paramsOf([[0, 0], [0]]);

  test('heavy ball without dampening: b ← β·b + g, output b', () => {
    const t = trace({ decay: 0.5 });
    let state = t.init(params);
    expect(state.momentum.map((b) => Array.from(b))).toEqual([[0, 0], [0]]);
    const outs: number[][][] = [];
    for (const g of [[[1, 2], [4]], [[1, 0], [-4]], [[0, 0], [0]]]) {
      const [out, next] = t.update(denseOf(g), state, params);
      state = next;
      if (out.kind === 'dense') outs.push(out.blocks.map((b) => Array.from(b)));
    }
    // b1 = g1 = [1, 2 | 4]; b2 = 0.5·b1 + g2 = [1.5, 1 | -2]; b3 = 0.5·b2 = [0.75, 0.5 | -1]
    expect(outs).toEqual([[[1, 2], [4]], [[1.5, 1], [-2]], [[0.75, 0.5], [-1]]]);
    expect(state.momentum.map((b) => Array.from(b))).toEqual([[0.75, 0.5], [-1]]);
  });

  test('nesterov outputs g + β·b with the new b', () => {
    const t = trace({ decay: 0.5, nesterov: true });
    let state = t.init(params);
    const [o1, s1] = t.update(denseOf([[1, 2], [4]]), state, params);
    state = s1;
    // b = [1, 2 | 4]; out = g + 0.5·b = [1.5, 3 | 6]
    expect(o1.kind === 'dense' && o1.blocks.map((b) => Array.from(b))).toEqual([[1.5, 3], [6]]);
    const [o2] = t.update(denseOf([[1, 0], [-4]]), state, params);
    // b = [1.5, 1 | -2]; out = [1 + 0.75, 0 + 0.5 | -4 - 1]
    expect(o2.kind === 'dense' && o2.blocks.map((b) => Array.from(b))).toEqual([[1.75, 0.5], [-5]]);
  });

  test('writes the output into the update’s arrays, never into the state buffer', () => {
    const t = trace({ decay: 0.9 });
    const state = t.init(params);
    const u = denseOf([[1, 1], [1]]);
    const [out, next] = t.update(u, state, params);
    expect(out).toBe(u);
    if (out.kind === 'dense') out.blocks[0]![0] = 99;
    expect(next.momentum[0]![0]).toBe(1);
  });

  test('refuses a non-finite update and leaves the state unchanged', () => {
    const t = trace({ decay: 0.9 });
    const [, state] = t.update(denseOf([[1, 2], [3]]), t.init(params), params);
    expect(() => t.update(denseOf([[NaN, 0], [0]]), state, params)).toThrow(NonFiniteValue);
    expect(state.momentum.map((b) => Array.from(b))).toEqual([[1, 2], [3]]);
  });

  test('refuses implicit updates, naming materialize() as the fix', () => {
    const t = trace({ decay: 0.9 });
    expectNeedsMaterialize(
      () => t.update({ kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 1 }, coeff: 1 }] }, t.init(params), params),
      'trace',
    );
  });

  test('validates decay and nesterov', () => {
    for (const bad of [-0.1, 1, 1.5, NaN]) expectInvalid(() => trace({ decay: bad }), 'decay');
    expectInvalid(() => trace({} as unknown as { decay: number }), 'decay');
    expectInvalid(() => trace({ decay: 0.9, nesterov: 'yes' as unknown as boolean }), 'nesterov');
    expect(() => trace({ decay: 0 })).not.toThrow();
  });
});
