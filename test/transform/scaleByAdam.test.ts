import { describe, expect, test } from 'vitest';
import { InvalidInput, NonFiniteValue } from '../../src/errors.js';
import { scaleByAdam } from '../../src/transform/scaleByAdam.js';
import { denseOf, paramsOf } from './_support/blocks.js';
import { expectInvalid, expectNeedsMaterialize } from './_support/expectInvalid.js';

/** |actual − expected| ≤ tol·max(1, |expected|), elementwise. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) throw new Error(`element ${i}: ${a} vs ${e}`);
  });
}

describe('scaleByAdam', () => {
  const params = paramsOf([[0, 0, 0, 0]]);

  test('two steps against a hand-computed example (b1 = 0.9, b2 = 0.999, eps = 1e-8)', () => {
    const t = scaleByAdam();
    let state = t.init(params);
    const [o1, s1] = t.update(denseOf([[1, -2, 0.5, 0]]), state, params);
    state = s1;
    // Step 1: m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g², out = g/(|g| + 1e-8):
    // 0.99999999, −0.999999995, 0.99999998, 0 — which round to 1, −1, 1, 0 in float32.
    expect(o1.kind === 'dense' && Array.from(o1.blocks[0]!)).toEqual([1, -1, 1, 0]);
    expect(state.count).toBe(1);

    const [o2, s2] = t.update(denseOf([[0.5, 1, -1, 0]]), state, params);
    state = s2;
    // Step 2: m = 0.9·0.1·g1 + 0.1·g2 = [0.14, −0.08, −0.055, 0]
    //         v = 0.999·0.001·g1² + 0.001·g2² = [0.001249, 0.004996, 0.00124975, 0]
    //         m̂ = m/(1 − 0.9²) = m/0.19,  v̂ = v/(1 − 0.999²) = v/0.001999
    // element 0: (0.14/0.19)/(√(0.001249/0.001999) + 1e-8) = 0.7368421052631579/0.7904507614… = 0.93217962701839
    // element 1: (−0.08/0.19)/(√(0.004996/0.001999) + 1e-8) = −0.4210526315789474/1.5809015228… = −0.26633703797568
    // element 2: (−0.055/0.19)/(√(0.00124975/0.001999) + 1e-8) = −0.2894736842105263/0.7906880508… = −0.36610352240565
    expect(o2.kind).toBe('dense');
    if (o2.kind === 'dense') expectClose(o2.blocks[0]!, [0.93217962701839, -0.26633703797568, -0.36610352240565, 0], 1e-6);
    expect(state.count).toBe(2);
    expectClose(state.m[0]!, [0.14, -0.08, -0.055, 0], 1e-6);
    expectClose(state.v[0]!, [0.001249, 0.004996, 0.00124975, 0], 1e-6);
  });

  test('state: count 0 and zero moments of the parameters’ layout, 2× params of float32', () => {
    const p = paramsOf([[1, 2, 3], [4]]);
    const s = scaleByAdam().init(p);
    expect(s.count).toBe(0);
    expect(s.m.map((b) => b.length)).toEqual([3, 1]);
    expect(s.v.every((b) => b instanceof Float32Array && b.every((x) => x === 0))).toBe(true);
  });

  test('refuses a non-finite update and leaves the state unchanged', () => {
    const t = scaleByAdam();
    const [, state] = t.update(denseOf([[1, 1, 1, 1]]), t.init(params), params);
    const m = Array.from(state.m[0]!);
    expect(() => t.update(denseOf([[1, Infinity, 1, 1]]), state, params)).toThrow(NonFiniteValue);
    expect(Array.from(state.m[0]!)).toEqual(m);
    expect(state.count).toBe(1);
  });

  test('refuses a dense update of the wrong layout', () => {
    const t = scaleByAdam();
    expect(() => t.update(denseOf([[1, 2]]), t.init(params), params)).toThrow(InvalidInput);
  });

  test('refuses implicit updates, naming materialize() as the fix', () => {
    const t = scaleByAdam();
    expectNeedsMaterialize(
      () => t.update({ kind: 'implicit', terms: [{ direction: { kind: 'rademacher', seed: 1 }, coeff: 1 }] }, t.init(params), params),
      'scaleByAdam',
    );
  });

  test('validates b1, b2 and eps', () => {
    for (const bad of [-0.1, 1, NaN, Infinity]) {
      expectInvalid(() => scaleByAdam({ b1: bad }), 'b1');
      expectInvalid(() => scaleByAdam({ b2: bad }), 'b2');
    }
    for (const bad of [0, -1e-8, NaN, Infinity]) expectInvalid(() => scaleByAdam({ eps: bad }), 'eps');
    expect(() => scaleByAdam({ b1: 0, b2: 0 })).not.toThrow();
  });
});
