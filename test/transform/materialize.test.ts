import { describe, expect, test } from 'vitest';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { materialize } from '../../src/transform/materialize.js';
import type { Update } from '../../src/types.js';
import { denseOf, paramsOf } from './_support/blocks.js';

describe('materialize', () => {
  const cpu = cpuBackend();

  test('a gaussian term becomes coeff·z, as perturbInPlace would add it (doc example)', () => {
    const params = paramsOf([[1, 2, 3], [4, 5]]);
    const t = materialize();
    expect(t.name).toBe('materialize');
    const [dense, state] = t.update(
      { kind: 'implicit', terms: [{ direction: { kind: 'gaussian', seed: 3 }, coeff: 0.5 }] },
      t.init(params),
      params,
    );
    const expected = cpu.zerosLike(params);
    cpu.perturbInPlace({ kind: 'gaussian', seed: 3 }, 0.5, expected);
    expect(dense.kind).toBe('dense');
    if (dense.kind === 'dense') expect(dense.blocks).toEqual(expected.map((b) => b.data));
    expect(state).toEqual({});
  });

  test('sums terms in order, and a params term adds coeff·θ of the (masked) blocks', () => {
    const params = paramsOf([[1, 2], [10]]);
    const t = materialize();
    const u: Update = {
      kind: 'implicit',
      terms: [
        { direction: { kind: 'params', blocks: [true, false] }, coeff: -0.5 },
        { direction: { kind: 'coordinate', block: 1, index: 0 }, coeff: 3 },
        { direction: { kind: 'params' }, coeff: 0.25 },
        { direction: { kind: 'none' }, coeff: 100 },
      ],
    };
    const [dense] = t.update(u, t.init(params), params);
    // block 0: −0.5·θ + 0.25·θ = [−0.25, −0.5]; block 1: 3 + 0.25·10 = 5.5
    expect(dense.kind === 'dense' && dense.blocks.map((b) => Array.from(b))).toEqual([[-0.25, -0.5], [5.5]]);
    expect(Array.from(params[0]!.data)).toEqual([1, 2]);
  });

  test('returns fresh arrays, and an empty implicit update is zeros', () => {
    const params = paramsOf([[1, 2]]);
    const t = materialize(cpu);
    const [dense] = t.update({ kind: 'implicit', terms: [] }, t.init(params), params);
    expect(dense.kind === 'dense' && dense.blocks[0]).not.toBe(params[0]!.data);
    expect(dense.kind === 'dense' && Array.from(dense.blocks[0]!)).toEqual([0, 0]);
  });

  test('dense updates pass through', () => {
    const params = paramsOf([[1, 2]]);
    const t = materialize();
    const u = denseOf([[5, 6]]);
    expect(t.update(u, t.init(params), params)[0]).toBe(u);
  });
});
