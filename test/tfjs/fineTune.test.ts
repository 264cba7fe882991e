import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { exactGradient } from '../../estimators/exactGradient.js';
import { lozo } from '../../estimators/lozo.js';
import { mezo } from '../../estimators/mezo.js';
import { InvalidHyperparameter, SeedLogMismatch } from '../../src/errors.js';
import { replayInPlace } from '../../src/replayInPlace.js';
import { parseSeedLog } from '../../src/seedLog/parseSeedLog.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { fineTune, type FineTuneEvent } from '../../src/tfjs/fineTune.js';
import type { FineTuneCheckpoint } from '../../src/tfjs/fineTuneCheckpoint.js';
import { tfjsBackend } from '../../src/tfjs/tfjsBackend.js';
import { tfjsParams } from '../../src/tfjs/tfjsParams.js';
import { bitsOf, smallMlp, snapshot, synthetic, useBackend } from './_support/models.js';

describe('fineTune (tfjs-wasm)', () => {
  beforeAll(() => useBackend('wasm'));

  test('MeZO learns, evaluates on a schedule, and its seed log rebuilds the model bit for bit', async () => {
    const { x, y } = synthetic(300);
    const model = smallMlp();
    const params = tfjsParams(model);
    const base = snapshot(params);
    const events: FineTuneEvent['type'][] = [];
    const before = tf.memory().numTensors;
    const r = await fineTune(model, {
      data: { x, y }, evalData: { x, y },
      estimator: mezo({ sigma: 1e-2 }), update: sgd(0.05),
      steps: 120, evalEvery: 40, batchSize: 64, seed: 3, progress: false,
      onEvent: (e) => events.push(e.type),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.steps).toBe(120);
    expect(r.queries).toBe(240);
    expect(r.forwardPasses).toBe(240);
    expect(r.stoppedBy.reason).toBe('steps');
    expect(r.evaluations.map((e) => e.step)).toEqual([0, 40, 80, 120]);
    expect(r.evaluations[3]!.accuracy!).toBeGreaterThan(r.evaluations[0]!.accuracy! + 0.1);
    expect(r.best).toBeDefined();
    expect(events.filter((t) => t === 'step')).toHaveLength(120);
    expect(events.filter((t) => t === 'eval')).toHaveLength(4);
    expect(events.at(-1)).toBe('end');
    const tuned = bitsOf(params);
    tfjsBackend().assignInPlace(base, params);
    replayInPlace(params, parseSeedLog(r.log!.toJsonl()), { backend: tfjsBackend() });
    expect(bitsOf(params)).toEqual(tuned);
    expect(r.log!.toJsonl().length / 120).toBeLessThan(120);
    x.dispose();
    y.dispose();
  });

  test('a checkpointed run resumed from base + checkpoint ends bit for bit where an uninterrupted run ends', async () => {
    const { x, y } = synthetic(200);
    for (const est of [() => mezo({ sigma: 1e-2 }), () => lozo({ rank: 2, resampleEvery: 3, sigma: 1e-2 })]) {
      const model = smallMlp();
      const params = tfjsParams(model);
      const base = snapshot(params);
      const opts = { data: { x, y }, estimator: est(), update: sgd(0.05), seed: 9, progress: false } as const;
      await fineTune(model, { ...opts, steps: 10 });
      const straight = bitsOf(params);
      tfjsBackend().assignInPlace(base, params);
      let saved: FineTuneCheckpoint | undefined;
      await fineTune(model, { ...opts, estimator: est(), steps: 4, onCheckpoint: (c) => void (saved = JSON.parse(JSON.stringify(c)) as FineTuneCheckpoint) });
      expect(saved!.step).toBe(4);
      tfjsBackend().assignInPlace(base, params); // a fresh process would load the base model
      const resumed = await fineTune(model, { ...opts, estimator: est(), steps: 6, resume: saved! });
      expect(resumed.log!.entries).toHaveLength(10);
      expect(bitsOf(params)).toEqual(straight);
    }
    x.dispose();
    y.dispose();
  });

  test('FO-Adam through exactGradient learns; its dense steps are not logged, checkpoints carry the parameters', async () => {
    const { x, y } = synthetic(300);
    const model = smallMlp(8, 256, 3);
    const r = await fineTune(model, { data: { x, y }, evalData: { x, y }, estimator: exactGradient(), update: adam(1e-2), steps: 60, seed: 1, progress: false });
    expect(r.evaluations.at(-1)!.accuracy!).toBeGreaterThan(0.85);
    expect(r.log).toBeUndefined();
    expect(r.logOmitted).toMatch(/dense step/);
    expect(r.checkpoint().params).toBeDefined();
    x.dispose();
    y.dispose();
  });

  test('an async iterator of minibatches: one batch per step, the run ends with the data', async () => {
    const { x, y, xs, labels } = synthetic(160);
    x.dispose();
    y.dispose();
    async function* batches(): AsyncGenerator<{ x: number[][]; y: number[] }> {
      for (let b = 0; b < 5; b++) {
        const rows = Array.from({ length: 32 }, (_, i) => Array.from(xs.subarray((b * 32 + i) * 8, (b * 32 + i + 1) * 8)));
        yield { x: rows, y: Array.from(labels.subarray(b * 32, b * 32 + 32)) };
      }
    }
    const model = smallMlp();
    const before = tf.memory().numTensors;
    const r = await fineTune(model, { data: batches(), estimator: mezo(), update: sgd(1e-2), steps: 100, seed: 2, progress: false });
    expect(r.steps).toBe(5);
    expect(r.stoppedBy).toMatchObject({ reason: 'stopper', stopper: 'data' });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('an AbortSignal, early stopping and a NaN loss end the run with the reason', async () => {
    const { x, y } = synthetic(100);
    const ac = new AbortController();
    const aborted = await fineTune(smallMlp(), { data: { x, y }, estimator: mezo(), update: sgd(1e-3), seed: 1, signal: ac.signal, progress: false, onEvent: (e) => e.type === 'step' && e.step === 3 && ac.abort() });
    expect(aborted).toMatchObject({ steps: 3, stoppedBy: { reason: 'signal' } });
    const early = await fineTune(smallMlp(), { data: { x, y }, evalData: { x, y }, estimator: mezo({ sigma: 1e-3 }), update: sgd(1e-12), seed: 1, steps: 100, evalEvery: 2, earlyStopping: { patience: 2, metric: 'loss', minDelta: 1 }, progress: false });
    expect(early.stoppedBy).toMatchObject({ reason: 'stopper', stopper: 'earlyStopping' });
    expect(early.steps).toBe(4);
    let calls = 0;
    const model = smallMlp();
    const params = tfjsParams(model);
    const base = snapshot(params);
    const nan = await fineTune(model, {
      data: { x, y }, estimator: mezo(), update: sgd(1e-2), seed: 1, steps: 50, progress: false,
      objective: (t, p) => (++calls === 8 ? tf.scalar(NaN) : tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(t, 'int32') as tf.Tensor1D, 3), p)) as tf.Scalar,
    });
    expect(nan.stoppedBy.reason).toBe('error');
    expect(nan.stoppedBy.error?.code).toBe('NON_FINITE_VALUE');
    expect(nan.log!.entries.at(-1)!.failed).toBe(true);
    const final = bitsOf(params);
    tfjsBackend().assignInPlace(base, params);
    replayInPlace(params, nan.log!, { backend: tfjsBackend() });
    expect(bitsOf(params)).toEqual(final);
    x.dispose();
    y.dispose();
  });

  test('bad input: no estimator, no budget, a ranking estimator, a checkpoint of another model — typed errors', async () => {
    const { x, y } = synthetic(50);
    const model = smallMlp();
    await expect(fineTune(model, { data: { x, y }, update: sgd(1), seed: 1, steps: 1 } as never)).rejects.toThrow(InvalidHyperparameter);
    await expect(fineTune(model, { data: { x, y }, estimator: mezo(), update: sgd(1), seed: 1 })).rejects.toThrow(/needs an end/);
    const other = smallMlp();
    const r = await fineTune(other, { data: { x, y }, estimator: mezo(), update: sgd(1e-3), seed: 1, steps: 2, progress: false });
    const params = tfjsParams(model);
    const before = bitsOf(params);
    await expect(fineTune(model, { data: { x, y }, estimator: mezo(), update: sgd(1e-3), seed: 1, steps: 2, resume: r.checkpoint(), progress: false })).rejects.toThrow(SeedLogMismatch);
    expect(bitsOf(params)).toEqual(before);
    x.dispose();
    y.dispose();
  });
});
