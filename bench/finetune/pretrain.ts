// Pretrains a benchmark model on digits 0–4 with Adam by backprop (zeroth's own first-order path:
// exactGradient + adam through fineTune) and writes its weights:
//   tsx bench/finetune/pretrain.ts <mlp|cnn> <data prefix> <weights path> <steps> <wasm|cpu>
// (tfjs-wasm has no Conv2DBackpropFilter kernel: the CNN is pretrained on tfjs-cpu.)
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { exactGradient } from '../../estimators/index.js';
import { adam } from '../../src/index.js';
import { evaluateModel, fineTune } from '../../src/tfjs/index.js';
import { buildModel, saveWeights, type ModelKind } from './models.js';

const [kind, data, out, stepsArg, backend] = process.argv.slice(2) as [ModelKind, string, string, string, string];
await tf.setBackend(backend);
const read = (name: string): Float32Array => {
  const b = readFileSync(`${data}-${name}.bin`);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const set = (name: string): { x: tf.Tensor2D; y: tf.Tensor1D } => {
  const x = read(`${name}-x`);
  return { x: tf.tensor2d(x, [x.length / 784, 784]), y: tf.tensor1d(read(`${name}-y`)) };
};
const model = buildModel(kind);
const train = set('train04');
const r = await fineTune(model, { data: train, estimator: exactGradient(), update: adam(1e-3), steps: Number(stepsArg), batchSize: 64, seed: 7, progress: false });
const old = evaluateModel(model, set('test04')).accuracy!;
const fresh = evaluateModel(model, set('test59')).accuracy!;
saveWeights(model, out);
process.stdout.write(`${JSON.stringify({ model: kind, tfBackend: backend, steps: r.steps, stoppedBy: r.stoppedBy.reason, heldOut04: old, heldOut59: fresh })}\n`);
