/**
 * The Markdown report of the RL benchmark (report/rl/index.md + SVG learning curves), from bench/results/rl.json.
 * Standalone: `npx tsx bench/rl/report.ts [results.json] [outDir]`. Tables and plots reuse bench/quality's
 * Markdown helpers and vega-lite plotting.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMs, formatQueries, markdownTable } from '../quality/markdown.js';
import { checkpointGrid, median, medianCurve, type Curve } from '../quality/metrics.js';
import { curveSpec, renderSvg, type Axes, type Series } from '../quality/plots.js';
import type { Params } from '../../src/types.js';
import type { RlRecord } from './runRl.js';
import { ENV_SPECS, ENVIRONMENTS, METHODS, SETTINGS, budgetOf, isPolicyGradient, type EnvName, type MethodName } from './settings.js';
import type { Throughput } from './speed.js';

/** Everything bench/rl/run.ts records. */
export interface RlResults {
  readonly meta: {
    readonly mode: 'quick' | 'full';
    readonly startedAt: string;
    readonly totalMs: number;
    readonly node: string;
    readonly cpus: number;
    readonly loadAverage: readonly number[];
    readonly seeds: readonly number[];
  };
  readonly speed: readonly Throughput[];
  readonly runs: readonly RlRecord[];
}

/** One target of the issue and whether it was met. */
export interface Target {
  readonly name: string;
  readonly measured: string;
  readonly threshold: string;
  readonly status: 'met' | 'missed' | 'not run';
  readonly detail?: string;
}

/** A method × environment cell: its runs summarised. */
export interface RlCell {
  readonly method: MethodName;
  readonly env: EnvName;
  readonly runs: readonly RlRecord[];
  readonly solved: number;
  /** Median training episodes / environment steps to the target (null: the median run did not reach it). */
  readonly episodesToTarget: number | null;
  readonly stepsToTarget: number | null;
  readonly finalScore: number;
  readonly wallMs: number;
  readonly updates: number;
}

/** Cells of the results, in environment × method order. */
export function rlCells(runs: readonly RlRecord[]): RlCell[] {
  const out: RlCell[] = [];
  for (const env of ENVIRONMENTS) {
    for (const method of METHODS) {
      const here = runs.filter((r) => r.env === env && r.method === method);
      if (here.length === 0) continue;
      out.push({
        method,
        env,
        runs: here,
        solved: here.filter((r) => r.solved !== null).length,
        episodesToTarget: median(here.map((r) => r.solved?.episodes ?? null)),
        stepsToTarget: median(here.map((r) => r.solved?.steps ?? null)),
        finalScore: median(here.map((r) => r.final)) ?? NaN,
        wallMs: median(here.map((r) => r.wallMs)) ?? NaN,
        updates: median(here.map((r) => r.updates)) ?? NaN,
      });
    }
  }
  return out;
}

const fmtScore = (v: number): string => (Number.isNaN(v) ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const ZO = ['spsa', 'mezo', 'zoRankSgd', 'lozo'] as const;

/** The issue's targets, checked against the results. */
export function targets(results: RlResults): Target[] {
  const cells = rlCells(results.runs);
  const cell = (env: EnvName, method: MethodName): RlCell | undefined => cells.find((c) => c.env === env && c.method === method);
  const out: Target[] = [];
  const atMost = (name: string, c: RlCell | undefined, what: 'episodes' | 'steps', limit: number, unit: string): void => {
    if (c === undefined) {
      out.push({ name, measured: '—', threshold: `≤ ${formatQueries(limit)} ${unit}`, status: 'not run' });
      return;
    }
    const v = what === 'episodes' ? c.episodesToTarget : c.stepsToTarget;
    const ok = v !== null && v <= limit;
    const runs = c.runs.map((r) => formatQueries(what === 'episodes' ? (r.solved?.episodes ?? null) : (r.solved?.steps ?? null))).join(', ');
    out.push({
      name,
      measured: `${formatQueries(v)} (median of ${c.runs.length}: ${runs})`,
      threshold: `≤ ${formatQueries(limit)} ${unit}`,
      status: ok ? 'met' : 'missed',
      ...(ok ? {} : { detail: v === null ? `the median run did not reach the target; best score ${fmtScore(Math.max(...c.runs.map((r) => Math.max(...r.curve.score))))}` : `over by ${formatQueries(v - limit)} ${unit}` }),
    });
  };
  for (const m of ['reinforce', 'ppo', 'grpo', 'spsa', 'mezo'] as const) atMost(`CartPole-v1 solved (greedy mean ≥ 475 over 100 episodes) by ${m}, linear policy`, cell('cartPole', m), 'episodes', 2000, 'training episodes');
  const zoCells = ZO.map((m) => cell('cartPole', m)).filter((c): c is RlCell => c !== undefined);
  const bestZo = zoCells.reduce<RlCell | undefined>((b, c) => (b === undefined || (c.episodesToTarget ?? Infinity) < (b.episodesToTarget ?? Infinity) ? c : b), undefined);
  atMost(`CartPole-v1: best zeroth-order method (${bestZo?.method ?? '—'}) beats the 400-episode SPSA anchor`, bestZo, 'episodes', 400, 'training episodes');
  const reinforceCell = cell('cartPole', 'reinforce');
  atMost('CartPole-v1: REINFORCE beats its 700–800-episode numpy anchor', reinforceCell, 'episodes', 700, 'training episodes');
  atMost('CartPole-v1: PPO within the CleanRL anchor', cell('cartPole', 'ppo'), 'steps', 150_000, 'environment steps');
  atMost('Pendulum-v1: PPO with an MLP policy reaches greedy mean ≥ −300 (100 episodes)', cell('pendulum', 'ppo'), 'steps', 200_000, 'environment steps');
  const pendZo = ZO.map((m) => cell('pendulum', m)).filter((c): c is RlCell => c !== undefined);
  const bestPendZo = pendZo.reduce<RlCell | undefined>((b, c) => (b === undefined || (c.stepsToTarget ?? Infinity) < (b.stepsToTarget ?? Infinity) ? c : b), undefined);
  atMost(`Pendulum-v1: at least one zeroth-order method reaches ≥ −300 (best: ${bestPendZo?.method ?? '—'})`, bestPendZo, 'steps', 2_000_000, 'environment steps');
  for (const m of ['grpo', 'reinforce'] as const) atMost(`sequenceTask: ${m} reaches ≥ 90 % verified success on held-out prompts (samples = training episodes)`, cell('sequenceTask', m), 'episodes', budgetOf('sequenceTask', m), 'training episodes');
  for (const env of ['bandit', 'contextualBandit'] as const) {
    for (const m of ['reinforce', 'grpo'] as const) {
      const c = cell(env, m);
      if (c === undefined) {
        out.push({ name: `${ENV_SPECS[env].title}: regret curve of ${m}`, measured: '—', threshold: 'regret falls below the uniform policy’s', status: 'not run' });
        continue;
      }
      const first = median(c.runs.map((r) => r.curve.score[0]!)) ?? NaN;
      const ok = c.finalScore < 0.1 * first;
      out.push({
        name: `${ENV_SPECS[env].title}: regret curve of ${m} against the known optimum (drawn below)`,
        measured: `expected regret ${fmtScore(first)} → ${fmtScore(c.finalScore)} after ${formatQueries(c.runs[0]!.episodes)} episodes; cumulative ${fmtScore(median(c.runs.map((r) => r.regret?.cumulative.at(-1) ?? NaN)) ?? NaN)}`,
        threshold: 'final expected regret < 10 % of the initial (uniform) policy’s',
        status: ok ? 'met' : 'missed',
      });
    }
  }
  const cp = results.speed.find((t) => t.what.startsWith('cartPole: environment step'));
  out.push(
    cp === undefined
      ? { name: 'Vectorised CartPole ≥ 10 million environment steps per second per core', measured: '—', threshold: '≥ 10,000,000 steps/s', status: 'not run' }
      : {
          name: 'Vectorised CartPole ≥ 10 million environment steps per second per core',
          measured: `${(cp.medianCpu / 1e6).toFixed(1)} M steps per CPU-second (${(cp.medianWall / 1e6).toFixed(1)} M per wall-clock second, load average ${results.meta.loadAverage.map((l) => l.toFixed(1)).join(' ')} on ${results.meta.cpus} cores)`,
          threshold: '≥ 10 M steps/s per core',
          status: cp.medianCpu >= 1e7 ? 'met' : 'missed',
          ...(cp.medianCpu >= 1e7 ? {} : { detail: `short by ${((1e7 - cp.medianCpu) / 1e6).toFixed(1)} M` }),
        },
  );
  return out;
}

function targetsTable(ts: readonly Target[]): string {
  return markdownTable(['target', 'measured', 'threshold', 'result'], ts.map((t) => [t.name, t.measured, t.threshold, t.detail === undefined ? t.status : `${t.status} (${t.detail})`]));
}

function cellTable(env: EnvName, cells: readonly RlCell[]): string {
  const spec = ENV_SPECS[env];
  const hasTarget = spec.target !== undefined;
  const rows = cells.map((c) => [
    c.method + (isPolicyGradient(c.method) ? '' : ' (ZO)'),
    hasTarget ? `${c.solved}/${c.runs.length}` : '—',
    hasTarget ? formatQueries(c.episodesToTarget) : '—',
    hasTarget ? formatQueries(c.stepsToTarget) : '—',
    fmtScore(c.finalScore),
    ...(c.runs[0]!.regret !== undefined ? [fmtScore(median(c.runs.map((r) => r.regret!.cumulative.at(-1)!)) ?? NaN)] : []),
    formatQueries(median(c.runs.map((r) => r.episodes))),
    formatQueries(c.updates),
    formatMs(c.wallMs),
  ]);
  const header = [
    'method',
    'reached target',
    'episodes to target',
    'env steps to target',
    `final score (${spec.score === 'expectedRegret' ? 'expected regret' : spec.score === 'heldOutSuccess' ? 'held-out success' : 'greedy return'})`,
    ...(cells[0]?.runs[0]?.regret !== undefined ? ['cumulative regret'] : []),
    'episodes used',
    'updates',
    'training time',
  ];
  return markdownTable(header, rows, header.map((_, i) => (i === 0 ? 'l' : 'r')));
}

function curveOf(runs: readonly RlRecord[], y: (r: RlRecord) => { xs: number[]; ys: number[] }, budget: number, log = false): Curve {
  const curves = runs.map((r) => {
    const c = y(r);
    return { queries: c.xs, subopt: c.ys };
  });
  const grid = log ? checkpointGrid(budget, 1.03) : Array.from({ length: 201 }, (_, i) => Math.round((i * budget) / 200));
  return medianCurve(curves, grid);
}

function hyperparameterTable(): string {
  const rows: string[][] = [];
  for (const env of ENVIRONMENTS) {
    for (const method of METHODS) {
      const s = SETTINGS[env][method];
      const e = ENV_SPECS[env].build();
      const p = s.policy(e);
      const critic = s.critic?.(e);
      const hidden = (blocks: Params): string => blocks.filter((b) => /\/b\d+$/.test(b.name)).slice(0, -1).map((b) => b.data.length).join('×') || 'none';
      const policyText = `${p.name}${p.name === 'mlpPolicy' ? ` (hidden ${hidden(p.init(0))})` : ''}${critic ? `, critic valueNetwork (hidden ${hidden(critic.init(0))})` : ''}`;
      const oracle = isPolicyGradient(method) ? 'rollouts (sampled actions)' : `return of ${s.episodesPerQuery ?? 1} episode(s), ${s.actions ?? 'greedy'} actions${method === 'zoRankSgd' ? ', ranked' : ''}`;
      rows.push([ENV_SPECS[env].title, method, policyText, oracle, JSON.stringify(s.options), `adam(${s.update.lr})${s.update.clip !== undefined ? `, clip ${s.update.clip}` : ''}`]);
    }
  }
  return markdownTable(['environment', 'method', 'policy', 'oracle', 'estimator options', 'step rule'], rows);
}

/** Builds the report (no file I/O). */
export async function buildRlReport(results: RlResults): Promise<{ markdown: string; summary: string; plots: { file: string; svg: string }[] }> {
  const cells = rlCells(results.runs);
  const ts = targets(results);
  const m = results.meta;
  const out: string[] = [];
  const plots: { file: string; svg: string }[] = [];
  out.push(`# zeroth — reinforcement-learning benchmark (${m.mode === 'quick' ? 'quick' : 'full: `npm run bench:rl`'})`);
  out.push('');
  out.push(
    `Run ${m.startedAt}, ${formatMs(m.totalMs)} in all, one process on ${m.cpus} cores (load average at the start ${m.loadAverage.map((l) => l.toFixed(1)).join(' ')}), Node ${m.node}. ` +
      `${results.runs.length} runs: ${METHODS.length} methods × ${ENVIRONMENTS.length} environments × seeds ${m.seeds.join(', ')}.`,
  );
  out.push('');
  out.push(
    [
      '- Policy-gradient methods (REINFORCE, PPO, GRPO) are registry estimators answered by the rollouts oracle; zeroth-order (ZO) methods are the registry\'s value estimators on the return of a rollouts oracle (`returnOracle`; ZO-RankSGD through `rankingFromValues`), with no code of their own. All share `optimizer({ estimator, update })` with Adam.',
      '- **Episodes / env steps to target**: training episodes and environment steps spent before the first evaluation that met the target (evaluations every few episodes, outside the budget, so within one interval); median over seeds, a run that never met it counting as +∞ (— when the median run did not).',
      '- **Score**: the greedy policy\'s mean return over 100 fixed evaluation episodes (CartPole, Pendulum), verified success of greedy answers on 400 held-out-prompt episodes (sequence task), or the exact expected regret of the sampling policy (bandits). Runs stop at the target or at the budget.',
      '- **Training time** is the median wall time of the training steps (evaluations excluded) on a shared machine.',
    ].join('\n'),
  );
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push(targetsTable(ts));
  out.push('');
  for (const env of ENVIRONMENTS) {
    const here = cells.filter((c) => c.env === env);
    if (here.length === 0) continue;
    const spec = ENV_SPECS[env];
    out.push(`## ${spec.title}`);
    out.push('');
    const budgets = [...new Set(here.map((c) => c.runs[0]!.budgetEpisodes))];
    out.push(`Score: ${spec.scoreTitle}${spec.target !== undefined ? `; target ${spec.target}` : ''}. Budget ${budgets.length === 1 ? formatQueries(budgets[0]!) : here.map((c) => `${c.method} ${formatQueries(c.runs[0]!.budgetEpisodes)}`).join(', ')} training episodes.`);
    out.push('');
    out.push(cellTable(env, here));
    out.push('');
    const series: Series[] = here.map((c) => ({
      name: c.method,
      group: isPolicyGradient(c.method) ? 'policy-gradient' : 'zeroth',
      // Each method's median curve ends at its own budget (runs that stopped at the target keep their last score).
      curve: curveOf(c.runs, (r) => ({ xs: r.curve.episodes, ys: r.curve.score }), c.runs[0]!.budgetEpisodes, spec.logEpisodes),
    }));
    const axes: Axes = { x: { title: 'training episodes', log: spec.logEpisodes === true }, y: { title: `${spec.axisTitle} (median of seeds)`, log: spec.score === 'expectedRegret' } };
    const file = `${env}.svg`;
    plots.push({ file, svg: await renderSvg(curveSpec(`${spec.title}: learning curves`, series, spec.target, axes)) });
    out.push(`![${spec.title}](${file})`);
    out.push('');
    if (here[0]!.runs[0]!.regret !== undefined) {
      const regret: Series[] = here.map((c) => ({
        name: c.method,
        group: isPolicyGradient(c.method) ? 'policy-gradient' : 'zeroth',
        curve: curveOf(c.runs, (r) => ({ xs: r.regret!.episodes, ys: r.regret!.cumulative }), c.runs[0]!.budgetEpisodes),
      }));
      const rfile = `${env}-regret.svg`;
      plots.push({
        file: rfile,
        svg: await renderSvg(curveSpec(`${spec.title}: cumulative regret of the training pulls`, regret, undefined, { x: { title: 'training episodes', log: false }, y: { title: 'cumulative pseudo-regret (median of seeds)', log: false } })),
      });
      out.push(`![${spec.title} regret](${rfile})`);
      out.push('');
    }
  }
  out.push('## Throughput (one thread)');
  out.push('');
  out.push(
    markdownTable(
      ['measurement', 'copies', 'median steps / CPU-second', 'median steps / wall-clock second'],
      results.speed.map((t) => [t.what, String(t.copies), formatQueries(t.medianCpu), formatQueries(t.medianWall)]),
      ['l', 'r', 'r', 'r'],
    ),
  );
  out.push('');
  out.push(
    'The environment rows time `env.step` alone on 1,024 copies (2,000 steps, actions alternating between two fixed patterns); the rollouts rows time whole calls of the oracle on 1,024 episodes (policy, noise draws, bookkeeping; the second also records every observation and action). CPU-seconds are this process\'s user + system time, i.e. per core; wall-clock rates also count the time the OS gave the other processes of a shared machine. Median of 7 repetitions after one warm-up.',
  );
  out.push('');
  out.push('## Hyperparameters');
  out.push('');
  out.push(`From bench/rl/settings.ts, chosen by hand with short sweeps on seeds 1–3${m.seeds.some((s) => s <= 3) ? ' (some of the seeds reported here)' : ', not the seeds reported here'}; linear policies start at zero, MLPs and critics from the run seed.`);
  out.push('');
  out.push(hyperparameterTable());
  out.push('');
  const failures = results.runs.filter((r) => r.stoppedBy === 'error');
  if (failures.length > 0) {
    out.push('## Failed runs');
    out.push('');
    for (const f of failures) out.push(`- ${f.method} on ${f.env}, seed ${f.seed}: ${f.error}`);
    out.push('');
  }
  const summary = ['RL benchmark targets:', targetsTable(ts)].join('\n');
  return { markdown: out.join('\n'), summary, plots };
}

/** Writes index.md and the SVGs into `dir` (old SVGs there are removed first). */
export async function writeRlReport(results: RlResults, dir: string): Promise<{ summary: string; plots: number }> {
  const built = await buildRlReport(results);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.svg')) rmSync(join(dir, f));
  for (const p of built.plots) writeFileSync(join(dir, p.file), p.svg);
  writeFileSync(join(dir, 'index.md'), built.markdown + '\n');
  return { summary: built.summary, plots: built.plots.length };
}

if (process.argv[1] !== undefined && /rl[/\\]report\.ts$/.test(process.argv[1])) {
  const file = process.argv[2] ?? 'bench/results/rl.json';
  const dir = process.argv[3] ?? 'report/rl';
  const r = await writeRlReport(JSON.parse(readFileSync(file, 'utf8')) as RlResults, dir);
  console.log(r.summary);
}
