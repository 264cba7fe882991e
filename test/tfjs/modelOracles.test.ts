import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { exactGradient } from '../../estimators/exactGradient.js';
import { lozo } from '../../estimators/lozo.js';
import { mezo } from '../../estimators/mezo.js';
import { InvalidHyperparameter, InvalidInput, NonFiniteValue } from '../../src/errors.js';
import { optimizer } from '../../src/optimizer.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { evaluateModel } from '../../src/tfjs/evaluateModel.js';
import { modelGradientOracle } from '../../src/tfjs/modelGradientOracle.js';
import { modelValueOracle } from '../../src/tfjs/modelValueOracle.js';
import { tfjsBackend } from '../../src/tfjs/tfjsBackend.js';
import { tfjsParams } from '../../src/tfjs/tfjsParams.js';
import type { EvalContext } from '../../src/types.js';
import { bitsOf, smallMlp, snapshot, synthetic, useBackend } from './_support/models.js';

const ctx = (noiseSeed: number): EvalContext => ({ noiseSeed, step: 0 });

for (const name of ['cpu', 'wasm'] as const) {
  describe(`model oracles on tfjs-${name}`, () => {
    beforeAll(() => useBackend(name));

    test('the ± evaluations of a pair see one minibatch (picked by noiseSeed); other steps see others', async () => {
      const { x, y } = synthetic(200);
      const model = smallMlp();
      const seen: string[] = [];
      const recording = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => {
        seen.push(Array.from(yTrue.dataSync()).join(','));
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(yTrue, 'int32') as tf.Tensor1D, 3), yPred) as tf.Scalar;
      };
      const oracle = modelValueOracle(model, { x, y }, { objective: recording, batchSize: 16 });
      seen.length = 0; // the check at construction evaluated it once
      const params = tfjsParams(model);
      const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(1e-2), backend: tfjsBackend() });
      let state = opt.init(params, 5);
      for (let k = 0; k < 3; k++) state = (await opt.step(params, oracle, state)).state;
      expect(seen).toHaveLength(6);
      for (let k = 0; k < 3; k++) expect(seen[2 * k]).toBe(seen[2 * k + 1]);
      expect(new Set(seen).size).toBe(3);
      expect(oracle.forwardPasses).toBe(6);
      oracle.dispose();
      x.dispose();
      y.dispose();
    });

    test('value queries run with no gradient tape; gradient queries backpropagate', () => {
      const { x, y } = synthetic(64);
      const model = smallMlp();
      const tape: boolean[] = [];
      const probe = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => {
        tape.push((tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn());
        return tf.mean(tf.square(tf.sub(yPred, tf.oneHot(tf.cast(yTrue, 'int32') as tf.Tensor1D, 3)))) as tf.Scalar;
      };
      const params = tfjsParams(model);
      const v = modelValueOracle(model, { x, y }, { objective: probe, batchSize: 8 });
      const g = modelGradientOracle(model, { x, y }, { objective: probe, batchSize: 8 });
      tape.length = 0;
      v.value(params, ctx(1));
      g.valueAndGrad(params, ctx(1));
      expect(tape).toEqual([false, true]);
      v.dispose();
      g.dispose();
      x.dispose();
      y.dispose();
    });

    test('the gradient oracle agrees with central differences of the value oracle', () => {
      const { x, y } = synthetic(64);
      const model = smallMlp();
      const params = tfjsParams(model);
      const v = modelValueOracle(model, { x, y }, { batchSize: 32 });
      const g = modelGradientOracle(model, { x, y }, { batchSize: 32 });
      const { value, grad } = g.valueAndGrad(params, ctx(9));
      expect(value).toBeCloseTo(v.value(params, ctx(9)), 6);
      const be = tfjsBackend();
      for (const [b, i] of [[0, 5], [1, 2], [2, 7], [3, 1]] as const) {
        const h = 1e-2;
        be.perturbInPlace({ kind: 'coordinate', block: b, index: i }, h, params);
        const up = v.value(params, ctx(9));
        be.perturbInPlace({ kind: 'coordinate', block: b, index: i }, -2 * h, params);
        const down = v.value(params, ctx(9));
        be.perturbInPlace({ kind: 'coordinate', block: b, index: i }, h, params);
        expect((up - down) / (2 * h)).toBeCloseTo(grad[b]![i]!, 2);
      }
      v.dispose();
      g.dispose();
      x.dispose();
      y.dispose();
    });

    test('no tensor leaks across optimizer steps (MeZO, LOZO, FO-Adam) and a held-out evaluation', async () => {
      const { x, y } = synthetic(120);
      for (const [est, upd, grad] of [
        [mezo({ sigma: 1e-3 }), sgd(1e-2), false],
        [lozo({ rank: 2, resampleEvery: 2 }), sgd(1e-2), false],
        [exactGradient(), adam(1e-2), true],
      ] as const) {
        const model = smallMlp();
        const params = tfjsParams(model);
        const oracle = grad ? modelGradientOracle(model, { x, y }) : modelValueOracle(model, { x, y }, { batchSize: 32 });
        const opt = optimizer({ estimator: est as never, update: upd as never, backend: tfjsBackend() });
        let state = opt.init(params, 3);
        state = (await opt.step(params, oracle, state)).state; // warm-up (kernels, scratch)
        const before = tf.memory().numTensors;
        for (let k = 0; k < 4; k++) state = (await opt.step(params, oracle, state)).state;
        evaluateModel(model, { x, y });
        expect(tf.memory().numTensors).toBe(before);
        oracle.dispose();
      }
      x.dispose();
      y.dispose();
    });

    test('MeZO on the error rate (a non-differentiable metric) and FO-SGD both learn', async () => {
      const { x, y } = synthetic(300);
      const start = evaluateModel(smallMlp(), { x, y }).accuracy!;
      const fo = smallMlp();
      const foParams = tfjsParams(fo);
      const opt = optimizer({ estimator: exactGradient(), update: sgd(0.5), backend: tfjsBackend() });
      const oracle = modelGradientOracle(fo, { x, y }, { batchSize: 64 });
      let s = opt.init(foParams, 1);
      for (let k = 0; k < 60; k++) s = (await opt.step(foParams, oracle, s)).state;
      expect(evaluateModel(fo, { x, y }).accuracy!).toBeGreaterThan(Math.max(0.8, start + 0.2));
      oracle.dispose();
      const zo = smallMlp();
      const zoParams = tfjsParams(zo);
      const err = modelValueOracle(zo, { x, y }, { objective: 'errorRate', batchSize: 300 });
      const before = err.value(zoParams, ctx(0));
      const mz = optimizer({ estimator: mezo({ sigma: 0.05 }), update: sgd(0.02), backend: tfjsBackend() });
      let t = mz.init(zoParams, 2);
      for (let k = 0; k < 150; k++) t = (await mz.step(zoParams, err, t)).state;
      expect(err.value(zoParams, ctx(0))).toBeLessThan(before - 0.1);
      err.dispose();
      x.dispose();
      y.dispose();
    });

    test('bad input: wrong sample shape, labels out of range, wrong target count, a non-scalar or NaN loss — typed, nothing written', async () => {
      const model = smallMlp();
      const params = tfjsParams(model);
      const before = bitsOf(params);
      const { x, y, xs, labels } = synthetic(40);
      const wide = tf.zeros([40, 9]);
      expect(() => modelValueOracle(model, { x: wide, y })).toThrow(/samples have shape \[9\] but the model takes \[8\]/);
      const bad = Array.from(labels, (l, i) => (i === 7 ? 3 : l));
      expect(() => modelValueOracle(model, { x, y: bad })).toThrow(/label 3 of sample 7 is not a class index in \[0, 3\)/);
      expect(() => modelValueOracle(model, { x, y: [0, 1] })).toThrow(/2 targets for 40 samples/);
      expect(() => modelValueOracle(model, { x, y }, { objective: (_t, p) => tf.mean(p, 0) as unknown as tf.Scalar })).toThrow(InvalidInput);
      expect(() => modelValueOracle(model, { x, y }, { objective: () => tf.scalar(NaN) })).toThrow(NonFiniteValue);
      expect(() => modelGradientOracle(model, { x, y }, { objective: 'errorRate' })).toThrow(InvalidHyperparameter);
      const rows = Array.from({ length: 40 }, (_, i) => xs.subarray(i * 8, i * 8 + 8));
      expect(() => modelValueOracle(model, { x: rows, y: Array.from(labels) }).dispose()).not.toThrow();
      expect(bitsOf(params)).toEqual(before);
      // A NaN that appears only later, mid-step: the step throws NonFiniteValue and the parameters are restored.
      let calls = 0;
      const late = modelValueOracle(model, { x, y }, { objective: (t, p) => (++calls > 2 ? tf.scalar(NaN) : tf.losses.meanSquaredError(tf.oneHot(tf.cast(t, 'int32') as tf.Tensor1D, 3), p)) as tf.Scalar });
      const opt = optimizer({ estimator: mezo(), update: sgd(1e-2), backend: tfjsBackend(), restore: 'exact' });
      await expect(opt.step(params, late, opt.init(params, 1))).rejects.toThrow(NonFiniteValue);
      expect(bitsOf(params)).toEqual(before);
      // Parameters that are not the model's variables are refused.
      const other = tfjsParams(smallMlp());
      expect(() => late.value(other, ctx(0))).toThrow(/is not a variable of the model/);
      void snapshot;
      wide.dispose();
      x.dispose();
      y.dispose();
    });
  });
}
