// One method of the fine-tuning benchmark in a fresh process (so its peak RSS is its own):
//   tsx bench/finetune/child.ts '<json MethodRun>'
// Prints one JSON line (MethodResult) on stdout.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { exactGradient, lozo, mezo, zoAdam } from '../../estimators/index.js';
import { adam, sgd, type Estimator, type Transform } from '../../src/index.js';
import { evaluateModel, fineTune, modelValueOracle, tfjsBackend, tfjsParams } from '../../src/tfjs/index.js';
import { buildModel, loadWeights, parameterCount, type ModelKind } from './models.js';

/** What the parent asks for. */
export interface MethodRun {
  readonly model: ModelKind;
  readonly method: 'inference' | 'mezo' | 'lozo' | 'zoAdam' | 'foSgd' | 'foAdam';
  readonly learningRate: number;
  readonly sigma: number;
  readonly steps: number;
  readonly evalEvery: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Base weights (path without extension); random initialisation when absent. */
  readonly weights?: string;
  /** Cached data (path of the .bin files written by the parent). */
  readonly data: string;
  /** Samples per held-out evaluation forward pass. @defaultValue 1024 */
  readonly evalBatchSize?: number;
  /** The tfjs backend. @defaultValue 'wasm' */
  readonly tfBackend?: 'wasm' | 'cpu';
}

/** What the child reports. */
export interface MethodResult {
  readonly run: MethodRun;
  readonly parameters: number;
  readonly evaluations: readonly { step: number; forwardPasses: number; elapsedMs: number; accuracy: number; loss: number }[];
  readonly forgetting?: number;
  readonly stepMs: number;
  readonly forwardMs: number;
  readonly forwardCachedMs: number;
  readonly writesPerStep?: number;
  readonly logBytesPerStep?: number;
  readonly rss: { readonly beforeModelMB: number; readonly modelLoadedMB: number; readonly peakMB: number };
  readonly tfjsPeakBytes: number;
  readonly tfjsModelBytes: number;
}

const run = JSON.parse(process.argv[2]!) as MethodRun;
await tf.setBackend(run.tfBackend ?? 'wasm');
await tf.ready();

const read = (name: string): Float32Array => {
  const b = readFileSync(`${run.data}-${name}.bin`);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const xTrain = read('train59-x');
const yTrain = read('train59-y');
const xTest = read('test59-x');
const yTest = read('test59-y');
const xOld = read('test04-x');
const yOld = read('test04-y');
const MB = 1024 * 1024;
const rssNow = (): number => process.memoryUsage().rss;
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;
const train = { x: tf.tensor2d(xTrain, [xTrain.length / 784, 784]), y: tf.tensor1d(yTrain) };
const test = { x: tf.tensor2d(xTest, [xTest.length / 784, 784]), y: tf.tensor1d(yTest) };
const old = { x: tf.tensor2d(xOld, [xOld.length / 784, 784]), y: tf.tensor1d(yOld) };

(globalThis as { gc?: () => void }).gc?.();
const beforeModel = rssNow();
const model = buildModel(run.model);
if (run.weights !== undefined) loadWeights(model, run.weights);
const params = tfjsParams(model);
const modelBytes = tf.memory().numBytes;
(globalThis as { gc?: () => void }).gc?.();
const modelLoaded = rssNow();
let tfjsPeak = tf.memory().numBytes;
const sample = (): void => {
  tfjsPeak = Math.max(tfjsPeak, tf.memory().numBytes);
};
const objective = 'softmaxCrossEntropy';

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1] ?? NaN;
const stepTimes: number[] = [];
let result: MethodResult;
if (run.method === 'inference') {
  const oracle = modelValueOracle(model, train, { objective, batchSize: run.batchSize });
  for (let k = 0; k < run.steps; k++) {
    const t0 = performance.now();
    oracle.value(params, { noiseSeed: k, step: k });
    stepTimes.push(performance.now() - t0);
  }
  oracle.dispose();
  result = report([], undefined, median(stepTimes), undefined, undefined);
} else {
  const { estimator, update } = methodOf(run);
  let last = performance.now();
  const r = await fineTune(model, {
    data: train,
    evalData: test,
    objective,
    estimator,
    update,
    steps: run.steps,
    evalEvery: run.evalEvery,
    evalBatchSize: run.evalBatchSize ?? 1024,
    batchSize: run.batchSize,
    seed: run.seed,
    progress: false,
    onEvent: (e) => {
      if (e.type !== 'step') return;
      const now = performance.now();
      if (e.step % run.evalEvery !== 1) stepTimes.push(now - last); // the step after an evaluation includes it
      last = now;
      sample();
    },
  });
  last = performance.now();
  const entries = r.log?.entries ?? [];
  const writes = entries.length === 0 ? undefined : median(entries.map((e) => e.writes.reduce((n, w) => n + w.a.length, 0)));
  const logBytes = r.log === undefined ? undefined : r.log.toJsonl().length / Math.max(1, entries.length);
  const forgetting = evaluateModel(model, old).accuracy;
  result = report(
    r.evaluations.map((e) => ({ step: e.step, forwardPasses: e.forwardPasses, elapsedMs: e.elapsedMs, accuracy: e.accuracy ?? NaN, loss: e.loss })),
    forgetting,
    median(stepTimes),
    writes,
    logBytes,
  );
}
process.stdout.write(`${JSON.stringify(result)}\n`);

/** The step's estimator and transform. */
function methodOf(r: MethodRun): { estimator: Estimator<unknown>; update: Transform<unknown> } {
  switch (r.method) {
    case 'mezo':
      return { estimator: mezo({ sigma: r.sigma }) as Estimator<unknown>, update: sgd(r.learningRate) as Transform<unknown> };
    case 'lozo':
      return { estimator: lozo({ sigma: r.sigma, rank: 2, resampleEvery: 50 }) as Estimator<unknown>, update: sgd(r.learningRate) as Transform<unknown> };
    case 'zoAdam':
      return { estimator: zoAdam({ sigma: r.sigma }) as Estimator<unknown>, update: sgd(r.learningRate) as Transform<unknown> };
    case 'foSgd':
      return { estimator: exactGradient() as Estimator<unknown>, update: sgd(r.learningRate) as Transform<unknown> };
    case 'foAdam':
      return { estimator: exactGradient() as Estimator<unknown>, update: adam(r.learningRate) as Transform<unknown> };
    default:
      throw new Error(`no method ${r.method}`);
  }
}

/** Forward-pass times in this process: after a write to every weight (as in a MeZO step) and with cached weights. */
function forwardTimes(): { after: number; cached: number } {
  const oracle = modelValueOracle(model, train, { objective, batchSize: run.batchSize });
  const be = tfjsBackend();
  const after: number[] = [];
  const cached: number[] = [];
  const reps = run.model === 'big' ? 3 : 40;
  for (let k = 0; k < reps; k++) {
    be.perturbInPlace({ kind: 'gaussian', seed: k }, k % 2 === 0 ? 1e-6 : -1e-6, params);
    let t0 = performance.now();
    oracle.value(params, { noiseSeed: k, step: 0 });
    after.push(performance.now() - t0);
    t0 = performance.now();
    oracle.value(params, { noiseSeed: k + 1, step: 0 });
    cached.push(performance.now() - t0);
  }
  oracle.dispose();
  return { after: median(after), cached: median(cached) };
}

function report(
  evaluations: MethodResult['evaluations'],
  forgetting: number | undefined,
  stepMs: number,
  writesPerStep: number | undefined,
  logBytesPerStep: number | undefined,
): MethodResult {
  const peak = maxRss();
  const fwd = forwardTimes();
  return {
    run,
    parameters: parameterCount(model),
    evaluations,
    ...(forgetting === undefined ? {} : { forgetting }),
    stepMs,
    forwardMs: fwd.after,
    forwardCachedMs: fwd.cached,
    ...(writesPerStep === undefined ? {} : { writesPerStep }),
    ...(logBytesPerStep === undefined ? {} : { logBytesPerStep }),
    rss: { beforeModelMB: beforeModel / MB, modelLoadedMB: modelLoaded / MB, peakMB: peak / MB },
    tfjsPeakBytes: tfjsPeak,
    tfjsModelBytes: modelBytes,
  };
}
