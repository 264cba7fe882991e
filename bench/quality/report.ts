/**
 * The Markdown report of the quality benchmark (report/index.md + one SVG plot per problem × d), written from
 * bench/results/quality.json. Standalone: `npx tsx bench/quality/report.ts [results.json] [outDir]`.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptanceChecks, lozoVsMezo, type Check } from './acceptance.js';
import { targetChecks } from './targets.js';
import { betterCell, cellCurve, cells, type Cell, type QualityResults } from './aggregate.js';
import { costDocOf } from './estimatorDocs.js';
import { scaledValue, settingOf } from './hyperparameters.js';
import { formatBytes, formatMs, formatQueries, formatSubopt, formatValue, markdownTable } from './markdown.js';
import { TARGET } from './metrics.js';
import { curveSpec, renderSvg, type Series } from './plots.js';
import { PEER_METHODS } from '../peers/peerMethods.js';
import { SLOW_PER_QUERY } from './pool.js';
import { FAMILIES, FAMILY_NAMES, isFirstOrder, type Family } from './suite.js';

const SHORT: Record<Family, string> = {
  sphere: 'sphere',
  rotatedQuadratic: 'rotQuad',
  rosenbrock: 'rosen',
  rastrigin: 'rastr',
  logisticRegression: 'logreg',
  noisySphere: 'noisy',
  noisySphereFresh: 'noisy fresh',
  noisyRotatedQuadratic: 'noisyRotQuad',
  noisyRotatedQuadraticFresh: 'noisyRotQuad fresh',
  lowRankMatrix: 'lowRank',
};

const DIMS = [2, 10, 100, 1000] as const;
const peerMemory = (name: string): string => PEER_METHODS.find((m) => m.name === name)?.memory ?? '';

interface Built {
  readonly markdown: string;
  /** The console summary: overview tables and acceptance checks. */
  readonly summary: string;
  readonly plots: readonly { readonly file: string; readonly svg: string }[];
}

/** Cells ordered: registry estimators in registry order, then the peers in their table's order. */
function methodOrder(results: QualityResults, all: readonly Cell[]): { kind: 'zeroth' | 'peer'; method: string }[] {
  const zeroth = results.meta.estimators.map((e) => ({ kind: 'zeroth' as const, method: e.name })).filter((m) => all.some((c) => c.kind === 'zeroth' && c.method === m.method));
  const peers = PEER_METHODS.filter((p) => all.some((c) => c.kind === 'peer' && c.method === p.name)).map((p) => ({ kind: 'peer' as const, method: p.name }));
  return [...zeroth, ...peers];
}

const label = (m: { kind: string; method: string }): string => m.method;

function problemColumns(all: readonly Cell[]): { family: Family; d: number }[] {
  const cols: { family: Family; d: number }[] = [];
  for (const family of FAMILY_NAMES) for (const d of DIMS) if (all.some((c) => c.family === family && c.d === d)) cols.push({ family, d });
  return cols;
}

function overview(results: QualityResults, all: readonly Cell[], what: 'queries' | 'final'): string {
  const cols = problemColumns(all);
  const methods = methodOrder(results, all);
  const best = new Map<string, Cell>();
  for (const col of cols) {
    for (const c of all.filter((x) => x.family === col.family && x.d === col.d)) {
      const k = `${col.family}|${col.d}`;
      const b = best.get(k);
      if (b === undefined || betterCell(c, b)) best.set(k, c);
    }
  }
  const rows = methods.map((m) => [
    label(m),
    ...cols.map((col) => {
      const c = all.find((x) => x.kind === m.kind && x.method === m.method && x.family === col.family && x.d === col.d);
      if (c === undefined) return '';
      const text = what === 'queries' ? formatQueries(c.queriesToTarget) : formatSubopt(c.finalSubopt);
      return best.get(`${col.family}|${col.d}`) === c ? `**${text}**` : text;
    }),
  ]);
  return markdownTable(['method', ...cols.map((c) => `${SHORT[c.family]} ${c.d}`)], rows, ['l', ...cols.map(() => 'r' as const)]);
}

function checksTable(checks: readonly Check[]): string {
  return markdownTable(
    ['check', 'measured', 'threshold', 'result'],
    checks.map((c) => [c.name, c.measured, c.threshold, c.detail === undefined ? c.status : `${c.status} (${c.detail})`]),
  );
}

function winsTable(all: readonly Cell[]): { table: string; zeroth: number; peers: number; n: number } {
  const rows: string[][] = [];
  let zeroth = 0;
  let peers = 0;
  for (const col of problemColumns(all)) {
    const here = all.filter((c) => c.family === col.family && c.d === col.d);
    const pick = (cs: Cell[]): Cell | undefined => cs.reduce<Cell | undefined>((b, c) => (b === undefined || betterCell(c, b) ? c : b), undefined);
    const z = pick(here.filter((c) => c.kind === 'zeroth' && !isFirstOrder(c.method)));
    const s = pick(here.filter((c) => c.kind === 'peer'));
    if (z === undefined || s === undefined) continue;
    const zWins = betterCell(z, s);
    const sWins = betterCell(s, z);
    if (zWins) zeroth++;
    if (sWins) peers++;
    const show = (c: Cell): string => `${c.method}: ${formatQueries(c.queriesToTarget)} q, final ${formatSubopt(c.finalSubopt)}, ${formatMs(c.wallMs)}`;
    rows.push([`${FAMILIES[col.family].title}, d = ${col.d}`, show(z), show(s), zWins ? 'zeroth' : sWins ? 'peer' : 'tie']);
  }
  return { table: markdownTable(['problem', 'best zeroth-order estimator', 'best peer', 'fewer queries to 10⁻³ (then lower final)'], rows), zeroth, peers, n: rows.length };
}

function cellTable(results: QualityResults, here: readonly Cell[]): string {
  const rows = methodOrder(results, here).flatMap((m) => {
    const c = here.find((x) => x.kind === m.kind && x.method === m.method);
    if (c === undefined) return [];
    const doc = c.kind === 'peer' ? peerMemory(c.method) : costDocOf(c.method).extraMemory;
    return [
      [
        label(m) + (c.untuned ? ' (untuned)' : ''),
        formatQueries(c.budget),
        `${c.reached}/${c.seeds}`,
        formatQueries(c.queriesToTarget),
        formatSubopt(c.finalSubopt),
        formatMs(c.wallMs),
        c.kind === 'peer' ? 'n/a' : formatBytes(c.stateBytes),
        doc,
        c.stops,
      ],
    ];
  });
  return markdownTable(['method', 'budget', 'reached', 'queries to 10⁻³', 'final subopt.', 'wall time', 'state (measured)', 'extra memory (documented)', 'stopped by'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l']);
}

function hyperparameterTable(results: QualityResults, all: readonly Cell[]): string {
  const rows: string[][] = [];
  for (const e of results.meta.estimators) {
    for (const family of FAMILY_NAMES) {
      const here = all.filter((c) => c.kind === 'zeroth' && c.method === e.name && c.family === family);
      if (here.length === 0) continue;
      const s = settingOf(e.name, family);
      const none = s.tuned === 'none';
      const rule = none
        ? 'identity (own trust-region steps, no learning rate)'
        : s.update === 'identity'
          ? `identity (own steps; tuned: ${s.tuned.replace('options.', '')})`
          : `sgd, ${s.schedule === 'cosine' ? 'cosine decay to η/1000 over min(budget, 200·d) queries' : 'constant'}`;
      const values = none
        ? '—'
        : here
            .sort((a, b) => a.d - b.d)
            .map((c) => `d=${c.dim}: ${formatValue(scaledValue(s.value, s.scaling, c.dim))}`)
            .join('; ');
      rows.push([
        e.name + (s.untuned ? ' (untuned)' : ''),
        family,
        rule,
        none ? '—' : formatValue(s.value),
        s.scaling,
        values,
        s.grid.length === 0 ? '—' : s.grid.map(formatValue).join(', '),
        JSON.stringify(s.options),
      ]);
    }
  }
  return markdownTable(['estimator', 'family', 'step rule', 'η at d=100', 'd scaling', 'η used', 'grid (d=100)', 'estimator options'], rows);
}

function estimatorTable(results: QualityResults): string {
  return markdownTable(
    ['estimator', 'oracle', 'description', 'queries per step (documented)', 'extra memory (documented)'],
    results.meta.estimators.map((e) => {
      const doc = costDocOf(e.name);
      return [e.name, e.response, e.description, doc.queriesPerStep, doc.extraMemory];
    }),
  );
}

const LOZO_NOTE = [
  'Why LOZO does not beat MeZO here. f(W) = ½‖Aᵀ(W − W*)B‖² only sees the k × k sketch AᵀWB (k = 2), so its Hessian',
  'E ↦ AAᵀEBBᵀ has rank k² = 4 and trace ≈ k² whatever the shape m × n. A two-point estimate along a Gaussian z has',
  'second moment ‖∇f‖²·tr H + 2∇fᵀH∇f, so MeZO\'s stable rate and its progress per query are set by tr H ≈ 4, not by',
  'mn: on this problem MeZO is already dimension-free (the effective-rank argument of the MeZO paper), and low-rank',
  'perturbations have nothing left to save in queries. LOZO loses a constant factor because of its lazy V: for ν = 50',
  'steps it moves only along X Vᵀ, and the curvature it sees there is that of the k × r matrix VᵀB (2 × 2, random',
  'Gaussian), which is often ill-conditioned, so windows with a badly aligned V make slow progress until V is redrawn.',
  'LOZO\'s gains are in memory and random numbers ((m + n)·r draws per step instead of mn), which a query count does',
  'not see; LOZO-M adds momentum carried across V switches, which the ill-conditioned windows do not reward either.',
].join(' ');

/** Builds the report from results (no file I/O). */
export async function buildReport(results: QualityResults): Promise<Built> {
  const all = cells(results.runs);
  const checks = acceptanceChecks(results);
  const m = results.meta;
  const plots: { file: string; svg: string }[] = [];
  const out: string[] = [];
  out.push(`# zeroth — quality benchmark (${m.mode === 'quick' ? 'quick: `npm start`' : 'full: `npm run bench`'})`);
  out.push('');
  out.push(
    `Run ${m.startedAt}, ${formatMs(m.totalMs)} in all on ${m.cpus} cores (${m.workers} worker processes), Node ${m.node}. ` +
      `${results.runs.length} runs: ${m.estimators.length} registry estimators (read from the registry at run time) and the Python peers. ${m.peers.message}.`,
  );
  out.push('');
  out.push(
    [
      '- **Suboptimality** is relative, (f − f*)/(f(x0) − f*), measured on the noise-free objective at the current iterate (zeroth) or at the best point seen so far (peers, whose iterates are not exposed; under noise, the point with the lowest noisy value), by the benchmark outside the method\'s query count.',
      '- **Noise forms.** "common random numbers": the oracle honours the noise key each query carries (zeroth estimators choose them); a peer, whose queries carry none, gets one fixed key per run. "fresh": every query gets a new noise draw whatever its key — a plain noisy black box.',
      `- **Queries to 10⁻³** is the first checkpoint (a geometric grid of ratio 1.03 in queries, so within 3 %) at which it is ≤ ${TARGET}; the median over seeds counts a run that never got there as +∞ (— when the median run did not reach it; "reached" counts the runs that did).`,
      '- **Final suboptimality** is the median at the end of the run (runs stop at the budget, at 10⁻¹⁰ (float32 resolution), on divergence (> 10⁶), or at the per-run time limit' + (m.mode === 'quick' ? '; in quick mode the acceptance cells stop at the target, so their "final" is ≈ 10⁻³' : '') + ').',
      '- **Wall time** is the median per run, without the benchmark\'s monitoring evaluations; two runs share the two cores at a time. Peer times include the pipe round trip per evaluation.',
      '- **State (measured)** is the largest size of the optimizer state seen (estimator + step rule: typed arrays, 8 bytes per number in lists); transients and the restore copy are not in it, see the documented extra memory.',
      '- A **query** is one function value (one value-and-gradient call for exactGradient, one ranked candidate for ZO-RankSGD, one function evaluation for a peer).',
    ].join('\n'),
  );
  out.push('');
  out.push('## Acceptance checks');
  out.push('');
  out.push(checksTable(checks));
  out.push('');
  const targets = targetChecks(results);
  if (targets.length > 0) {
    out.push('## Query-efficiency targets (model-based estimators against the peers, measured in this run)');
    out.push('');
    out.push(checksTable(targets));
    out.push('');
  }
  out.push(`## Overview: median queries to 10⁻³ relative suboptimality (best per column in bold)`);
  out.push('');
  out.push(overview(results, all, 'queries'));
  out.push('');
  out.push('## Overview: median final relative suboptimality');
  out.push('');
  out.push(overview(results, all, 'final'));
  out.push('');
  const wins = winsTable(all);
  out.push('## Where zeroth wins and where it does not');
  out.push('');
  out.push(
    `Best zeroth-order registry estimator (first-order exactGradient excluded) against the best peer, per problem: zeroth wins ${wins.zeroth} of ${wins.n}, the peers ${wins.peers}. ` +
      'Queries decide; wall time is shown because the model-based peers pay O(d²) per iteration in their own linear algebra (COBYLA most) while most zeroth estimators pay O(d) per query.' +
      (m.mode === 'quick'
        ? ' Quick mode: at d = 100 the peers ran one seed (five on the target cells) with a 5 s cap and the cell\'s budget (10,000 on the rotated quadratic, where the zeroth estimators had their acceptance budgets), so read this table as a preview; `npm run bench` gives every method the same budget and 5 seeds at d ≤ 100.'
        : ''),
  );
  out.push('');
  out.push(wins.table);
  out.push('');
  const lozo = lozoVsMezo(all);
  if (lozo.length > 0) {
    out.push('## LOZO vs MeZO on lowRankMatrix');
    out.push('');
    out.push(checksTable(lozo));
    out.push('');
    if (lozo.some((c) => c.detail !== 'LOZO wins')) out.push(LOZO_NOTE);
    else out.push('LOZO needs fewer queries than MeZO on every size that ran.');
    out.push('');
  }
  out.push('## Results per problem');
  out.push('');
  for (const family of FAMILY_NAMES) {
    const famCells = all.filter((c) => c.family === family);
    if (famCells.length === 0) continue;
    out.push(`### ${FAMILIES[family].title}`);
    out.push('');
    for (const d of DIMS) {
      const here = famCells.filter((c) => c.d === d);
      if (here.length === 0) continue;
      const budget = Math.max(...here.map((c) => c.budget));
      out.push(`#### ${here[0]!.instance} — budget up to ${formatQueries(budget)} queries, ${Math.max(...here.map((c) => c.seeds))} seeds`);
      out.push('');
      out.push(cellTable(results, here));
      out.push('');
      const series: Series[] = methodOrder(results, here).flatMap((mm) => {
        const c = here.find((x) => x.kind === mm.kind && x.method === mm.method);
        return c === undefined ? [] : [{ name: label(mm), group: c.kind === 'peer' ? ('peer' as const) : isFirstOrder(c.method) ? ('first-order' as const) : ('zeroth' as const), curve: cellCurve(c) }];
      });
      const file = `${family}-d${d}.svg`;
      plots.push({ file, svg: await renderSvg(curveSpec(`${here[0]!.instance}: relative suboptimality vs queries`, series, TARGET)) });
      out.push(`![${here[0]!.instance}](${file})`);
      out.push('');
    }
  }
  out.push('## Estimators');
  out.push('');
  out.push(estimatorTable(results));
  out.push('');
  out.push(markdownTable(['peer', 'settings', 'memory (documented)'], PEER_METHODS.map((p) => [p.name, p.settings, p.memory])));
  out.push('');
  out.push('## Hyperparameters');
  out.push('');
  out.push(
    'From bench/quality/hyperparameters.ts. One scalar per estimator × family (the learning rate η of the step rule, ZO-SGD-Cons\'s own η, or ZO-RankSGD\'s line-search step) was tuned at d = 100 (lowRankMatrix 10 × 10) on the grid shown: ' +
      'seeds 1–3, 20,000 queries, best median queries to 10⁻³, ties broken by median final suboptimality (`npx tsx bench/quality/tune.ts`). ' +
      'It is carried to other d by the rule in "d scaling" (inverseDim: ×102/(d + 2), from tr H ∝ d; inverseSqrtDim: ×√(100/d); sqrtDim: ×√(d/100); none). ' +
      'Sign- and Adam-normalised steps use a cosine decay to η/1000 over min(budget, 200·d) queries, then η/1000 (their step does not shrink with ∇f); the others keep η constant. ' +
      'Peers use their libraries\' defaults apart from the caps, tolerances and initial steps in the peer table (one rule for all: 0.1·max(1, ‖x0‖∞) for the trust-region radius of NEWUOA, BOBYQA and COBYLA — the default radius of subspaceTrustRegion — and 0.3·max(1, ‖x0‖∞) for CMA-ES\'s σ0).',
  );
  out.push('');
  out.push(hyperparameterTable(results, all));
  out.push('');
  const notes: string[] = [];
  notes.push(`- Peers: ${m.peers.message}.`);
  notes.push(`- Per-run time limits: ${m.limits.zerothS} s (zeroth; ${10 * m.limits.zerothS} s for ${SLOW_PER_QUERY.join(', ')}, whose model costs O(d²) per query), ${m.limits.peerS} s (peers); runs that hit them say "time" under "stopped by".`);
  notes.push('- logisticRegression runs at d = 10 and 100 only: at d = 1000 an evaluation costs ~10 ms here, so a useful budget would take tens of minutes per run.');
  notes.push('- The peers work in float64; the problems take float32 inputs, so their points are rounded to float32 before each evaluation, as the zeroth estimators\' are. Deterministic peers (SciPy, NLopt) are deterministic for a fixed start: on the rotated quadratic (x0 = 1 for every seed, no fresh noise) seed 1 ran and is repeated for the others.');
  notes.push('- Optuna needs a box: the problem\'s bounds, else x0 ± 2·max(1, ‖x0‖∞) per coordinate (which holds the optimum of sphere, rotatedQuadratic and Rosenbrock; logistic regression\'s optimum may lie outside it).');
  for (const f of results.failures) notes.push(`- Failed task ${JSON.stringify(f.task)}: ${f.error.split('\n')[0]}`);
  out.push('## Notes');
  out.push('');
  out.push(notes.join('\n'));
  out.push('');
  const summary = [
    `Quality benchmark (${m.mode}): ${results.runs.length} runs in ${formatMs(m.totalMs)}. ${m.peers.message}.`,
    '',
    'Median queries to 1e-3 relative suboptimality (— = not reached by the median seed):',
    overview(results, all, 'queries'),
    '',
    'Median final relative suboptimality:',
    overview(results, all, 'final'),
    '',
    'Acceptance checks:',
    checksTable(checks),
    ...(targets.length > 0 ? ['', 'Query-efficiency targets:', checksTable(targets)] : []),
  ].join('\n');
  return { markdown: out.join('\n'), summary, plots };
}

/** Writes report/index.md and the SVGs into `dir` (old SVGs there are removed first). */
export async function writeReport(results: QualityResults, dir: string): Promise<Built> {
  const built = await buildReport(results);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.svg')) rmSync(join(dir, f));
  for (const p of built.plots) writeFileSync(join(dir, p.file), p.svg);
  writeFileSync(join(dir, 'index.md'), built.markdown + '\n');
  return built;
}

if (process.argv[1] !== undefined && /report\.ts$/.test(process.argv[1])) {
  const file = process.argv[2] ?? 'bench/results/quality.json';
  const dir = process.argv[3] ?? 'report';
  const built = await writeReport(JSON.parse(readFileSync(file, 'utf8')) as QualityResults, dir);
  console.log(built.summary);
  console.log(`\nwrote ${join(dir, 'index.md')} and ${built.plots.length} SVG plots`);
}
