import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { InvalidInput } from '../../src/errors.js';
import { tfjsBackend } from '../../src/tfjs/tfjsBackend.js';
import { tfjsParams } from '../../src/tfjs/tfjsParams.js';
import type { Direction } from '../../src/types.js';
import { bitsOf, smallMlp, snapshot, useBackend } from './_support/models.js';

const cpu = cpuBackend();

for (const name of ['cpu', 'wasm'] as const) {
  describe(`tfjs backend on tfjs-${name}`, () => {
    beforeAll(() => useBackend(name));

    test('model variables are written in place (same storage), with the cpu backend’s bits', () => {
      const model = smallMlp();
      const params = tfjsParams(model);
      expect(params.map((b) => b.name)).toEqual([`${model.layers[0]!.name}/kernel`, `${model.layers[0]!.name}/bias`, `${model.layers[1]!.name}/kernel`, `${model.layers[1]!.name}/bias`]);
      const be = tfjsBackend();
      expect(params.map((b) => be.writePath(b))).toEqual(params.map(() => name));
      const ids = params.map((b) => b.variable.dataId);
      const want = snapshot(params);
      const lowRank: Direction = { kind: 'lowRank', seed: 5, rank: 2, v: params.map((b) => (b.shape.length === 2 ? Float32Array.from({ length: b.shape[1]! * 2 }, (_, i) => Math.cos(i)) : undefined)) };
      for (const [d, a] of [
        [{ kind: 'gaussian', seed: 11 }, 1e-3],
        [{ kind: 'rademacher', seed: 12 }, -2e-3],
        [lowRank, 0.5],
        [{ kind: 'params' }, -0.01],
      ] as [Direction, number][]) {
        cpu.perturbInPlace(d, a, want);
        be.perturbInPlace(d, a, params);
      }
      expect(bitsOf(params)).toEqual(bitsOf(want));
      expect(params.map((b) => b.variable.dataId)).toEqual(ids); // no new buffer: in place
    });

    test('the forward pass sees every in-place write (tfjs-wasm’s packed-weight cache is dropped)', () => {
      const model = smallMlp(4, 5, 2);
      const params = tfjsParams(model);
      const x = tf.tensor2d([[0.3, -1, 0.5, 2], [1, 1, -1, 0]]);
      const manual = (): number[] =>
        tf.tidy(() => {
          const [w1, b1, w2, b2] = params.map((b) => tf.tensor(Float32Array.from(b.data), [...b.shape]));
          return Array.from(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1!), b1!)), w2!), b2!).dataSync());
        });
      const predict = (): number[] => tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
      expect(predict()).toEqual(manual());
      const be = tfjsBackend();
      be.perturbInPlace({ kind: 'gaussian', seed: 3 }, 0.5, params);
      expect(predict()).toEqual(manual());
      be.perturbInPlace({ kind: 'dense', blocks: params.map((b, i) => (i === 3 ? new Float32Array(b.size).fill(1) : undefined)) }, 2, params);
      expect(predict()).toEqual(manual()); // a bias-only write
      x.dispose();
    });

    test('+σz, −2σz, +σz returns within the float32 rounding bound, and leaks no tensor', () => {
      const params = tfjsParams(smallMlp());
      const be = tfjsBackend();
      const base = snapshot(params);
      const before = tf.memory().numTensors;
      const d: Direction = { kind: 'gaussian', seed: 99 };
      const x1 = snapshot(params);
      be.perturbInPlace(d, 1e-3, params);
      const p1 = snapshot(params);
      be.perturbInPlace(d, -2e-3, params);
      const p2 = snapshot(params);
      be.perturbInPlace(d, 1e-3, params);
      params.forEach((b, k) =>
        Float32Array.from(b.data).forEach((v, i) => {
          const bound = 2 ** -24 * (Math.abs(p1[k]!.data[i]!) + Math.abs(p2[k]!.data[i]!) + Math.abs(v));
          expect(Math.abs(v - base[k]!.data[i]!)).toBeLessThanOrEqual(bound);
        }),
      );
      expect(tf.memory().numTensors).toBe(before);
      void x1;
    });

    test('a variable that shares its buffer with another tensor gets its own before the first write', () => {
      const t = tf.tensor1d([1, 2, 3, 4]);
      const v = tf.variable(t, true, `shared_${name}`);
      const params = tfjsParams([v]);
      tfjsBackend().perturbInPlace({ kind: 'rademacher', seed: 1 }, 0.5, params);
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
      expect(Array.from(v.dataSync()).map((a, i) => Math.abs(a - (i + 1)))).toEqual([0.5, 0.5, 0.5, 0.5]);
      t.dispose();
      v.dispose();
    });

    test('writes after the tfjs heap grew use fresh views (same bits as cpu)', () => {
      const params = tfjsParams(smallMlp(16, 32, 4));
      const be = tfjsBackend();
      const want = snapshot(params);
      be.perturbInPlace({ kind: 'gaussian', seed: 1 }, 1e-2, params);
      cpu.perturbInPlace({ kind: 'gaussian', seed: 1 }, 1e-2, want);
      const big = tf.zeros([48 * 1024 * 1024 / 4]); // grows a wasm heap
      be.perturbInPlace({ kind: 'gaussian', seed: 2 }, 1e-2, params);
      cpu.perturbInPlace({ kind: 'gaussian', seed: 2 }, 1e-2, want);
      big.dispose();
      expect(bitsOf(params)).toEqual(bitsOf(want));
    });

    test('the upload path (inPlace: false, as on webgl / tfjs-node) gives the same bits', () => {
      const params = tfjsParams(smallMlp());
      const be = tfjsBackend({ inPlace: false });
      expect(be.writePath(params[0]!)).toBe('upload');
      const want = snapshot(params);
      const before = tf.memory().numTensors;
      for (const [d, a] of [
        [{ kind: 'gaussian', seed: 4 }, 1e-3],
        [{ kind: 'params', blocks: [true, false, true, false] }, -0.1],
        [{ kind: 'coordinate', block: 1, index: 3 }, 0.25],
      ] as [Direction, number][]) {
        cpu.perturbInPlace(d, a, want);
        be.perturbInPlace(d, a, params);
      }
      expect(bitsOf(params)).toEqual(bitsOf(want));
      expect(tf.memory().numTensors).toBe(before);
    });

    test('bad input: no trainable variables, a disposed variable, a non-float variable — typed errors, nothing written', () => {
      const frozen = smallMlp();
      frozen.layers.forEach((l) => (l.trainable = false));
      expect(() => tfjsParams(frozen)).toThrow(InvalidInput);
      expect(() => tfjsParams(frozen)).toThrow(/no trainable variables/);
      expect(tfjsParams(frozen, { trainable: false })).toHaveLength(4);
      const ints = tf.variable(tf.tensor1d([1, 2], 'int32'), true, `ints_${name}`);
      expect(() => tfjsParams([ints])).toThrow(/dtype int32/);
      ints.dispose();
      const model = smallMlp();
      const params = tfjsParams(model);
      const before = snapshot(params.slice(0, 2));
      params[2]!.variable.dispose();
      expect(() => tfjsBackend().perturbInPlace({ kind: 'gaussian', seed: 1 }, 1, params)).toThrow(/was disposed/);
      expect(bitsOf(params.slice(0, 2))).toEqual(bitsOf(before));
    });
  });
}

test('tfjs-node and tfjs-node-gpu are optional: detected at run time, skipped loudly when absent', async () => {
  const { loadTfjsNode } = await import('../../src/tfjs/loadTfjsNode.js');
  for (const gpu of [false, true]) {
    const loaded = await loadTfjsNode({ gpu });
    if (loaded === undefined) {
      console.warn(`\n${'!'.repeat(72)}\n!! SKIPPED: @tensorflow/tfjs-node${gpu ? '-gpu' : ''} is not installed (its install downloads libtensorflow);\n!! the tfjs backend's upload path that it would use is tested with inPlace: false.\n${'!'.repeat(72)}\n`);
      continue;
    }
    const params = tfjsParams([tf.variable(tf.tensor1d([1, 2, 3]))]);
    tfjsBackend().perturbInPlace({ kind: 'gaussian', seed: 1 }, 1e-3, params);
    expect(tfjsBackend().writePath(params[0]!)).toBe('upload');
  }
  void tfl;
});
