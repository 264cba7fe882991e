/**
 * The report of the tuning suite (report/tuning.md): the median best value found per problem, budget and
 * method, the mean rank per budget, and the targets of zeroth's default (beat random search at every budget on
 * every problem; the best mean rank at 200 and 500). Pure: no I/O.
 */
import type { Check } from '../quality/acceptance.js';
import { markdownTable } from '../quality/markdown.js';
import { median } from '../quality/metrics.js';
import { DEFAULT_LABEL } from './methods.js';

export const BUDGETS = [50, 200, 500] as const;

export interface TuningRecord {
  readonly problem: string;
  readonly method: string;
  readonly seed: number;
  /** Best value found at each of {@link BUDGETS}. */
  readonly best: readonly number[];
  readonly evaluations: number;
  readonly wallMs: number;
}

export interface TuningResults {
  readonly meta: { readonly startedAt: string; readonly totalMs: number; readonly seeds: number; readonly budgets: readonly number[]; readonly peers: string; readonly node: string };
  readonly problems: readonly { readonly name: string; readonly title: string; readonly dim: number; readonly fStar: number }[];
  readonly methods: readonly { readonly name: string; readonly settings: string }[];
  readonly records: readonly TuningRecord[];
}

const fmt = (v: number | null): string => (v === null || Number.isNaN(v) ? '—' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(4));

/** Median best value of `method` on `problem` at budget index b. */
export function medianBest(results: TuningResults, problem: string, method: string, b: number): number | null {
  return median(results.records.filter((r) => r.problem === problem && r.method === method).map((r) => r.best[b]!));
}

/**
 * Mean rank per method at budget index b: on each problem × seed the methods are ranked by best value (1 =
 * lowest, ties share the mean of their ranks), then averaged.
 */
export function meanRanks(results: TuningResults, b: number): Map<string, number> {
  const sums = new Map<string, number>();
  let cases = 0;
  for (const p of results.problems) {
    const seeds = [...new Set(results.records.filter((r) => r.problem === p.name).map((r) => r.seed))];
    for (const seed of seeds) {
      const here = results.methods.map((m) => ({ m: m.name, v: results.records.find((r) => r.problem === p.name && r.method === m.name && r.seed === seed)?.best[b] ?? Infinity }));
      here.sort((x, y) => x.v - y.v);
      let i = 0;
      while (i < here.length) {
        let j = i;
        while (j + 1 < here.length && here[j + 1]!.v === here[i]!.v) j++;
        const rank = (i + j) / 2 + 1;
        for (let k = i; k <= j; k++) sums.set(here[k]!.m, (sums.get(here[k]!.m) ?? 0) + rank);
        i = j + 1;
      }
      cases++;
    }
  }
  return new Map([...sums].map(([m, s]) => [m, s / Math.max(cases, 1)]));
}

/** The targets of zeroth's default. */
export function tuningChecks(results: TuningResults): Check[] {
  const out: Check[] = [];
  if (!results.methods.some((m) => m.name === DEFAULT_LABEL)) return out;
  const rs = results.methods.some((m) => m.name === 'random search');
  for (const p of results.problems) {
    if (!rs) break;
    const cmp = BUDGETS.map((B, b) => ({ B, mine: medianBest(results, p.name, DEFAULT_LABEL, b)!, rand: medianBest(results, p.name, 'random search', b)! }));
    const ok = cmp.every((c) => c.mine < c.rand);
    out.push({
      name: `zeroth default beats random search on ${p.title} at 50, 200 and 500 evaluations (median best value)`,
      measured: cmp.map((c) => `${c.B}: ${fmt(c.mine)} vs ${fmt(c.rand)}`).join('; '),
      threshold: 'lower at every budget',
      status: ok ? 'PASS' : 'FAIL',
    });
  }
  for (const b of [1, 2]) {
    const ranks = meanRanks(results, b);
    const sorted = [...ranks].sort((x, y) => x[1] - y[1]);
    const mine = ranks.get(DEFAULT_LABEL)!;
    const bestOther = sorted.find(([m]) => m !== DEFAULT_LABEL);
    out.push({
      name: `zeroth default has the best mean rank at ${BUDGETS[b]} evaluations`,
      measured: `${mine.toFixed(2)}; next ${bestOther === undefined ? '—' : `${bestOther[0]} ${bestOther[1].toFixed(2)}`}`,
      threshold: 'lowest of all methods',
      status: bestOther === undefined || mine < bestOther[1] ? 'PASS' : 'FAIL',
    });
  }
  return out;
}

export function buildTuningReport(results: TuningResults): { markdown: string; summary: string } {
  const methods = results.methods.map((m) => m.name);
  const out: string[] = [];
  const m = results.meta;
  out.push('# zeroth — tuning suite');
  out.push('');
  out.push(
    `Run ${m.startedAt}, ${(m.totalMs / 60000).toFixed(1)} min, Node ${m.node}, ${m.seeds} seeds, budgets ${m.budgets.join(', ')}. ${m.peers}. ` +
      'Every method searches the standardised box u ∈ [−1, 1]^dim of the problem\'s space (zeroth\'s tuner space: linear, logarithmic or integer per dimension) from the same seeded start, its first evaluation. ' +
      '"Best value found at B" is the lowest objective value among the first B evaluations (each budget is a prefix of one 500-evaluation run).',
  );
  out.push('');
  const checks = tuningChecks(results);
  if (checks.length > 0) {
    out.push('## Targets');
    out.push('');
    out.push(markdownTable(['check', 'measured', 'threshold', 'result'], checks.map((c) => [c.name, c.measured, c.threshold, c.status])));
    out.push('');
  }
  out.push('## Mean rank per budget (1 = best; over problems × seeds)');
  out.push('');
  const rankRows = methods.map((name) => [name, ...BUDGETS.map((_, b) => (meanRanks(results, b).get(name) ?? NaN).toFixed(2))]);
  out.push(markdownTable(['method', ...BUDGETS.map((B) => `${B}`)], rankRows, ['l', ...BUDGETS.map(() => 'r' as const)]));
  out.push('');
  const tables: string[] = [];
  BUDGETS.forEach((B, b) => {
    const rows = results.problems.map((p) => {
      const vals = methods.map((name) => medianBest(results, p.name, name, b));
      const best = Math.min(...vals.map((v) => v ?? Infinity));
      return [`${p.title}${Number.isNaN(p.fStar) ? '' : ` (f* = ${fmt(p.fStar)})`}`, ...vals.map((v) => (v === best ? `**${fmt(v)}**` : fmt(v)))];
    });
    const t = markdownTable(['problem', ...methods], rows, ['l', ...methods.map(() => 'r' as const)]);
    tables.push(`Median best value found after ${B} evaluations:\n${t}`);
    out.push(`## Median best value found after ${B} evaluations`);
    out.push('');
    out.push(t);
    out.push('');
  });
  out.push('## Methods');
  out.push('');
  out.push(markdownTable(['method', 'settings'], results.methods.map((x) => [x.name, x.settings])));
  out.push('');
  out.push('Median wall time per run (ms, 500 evaluations): ' + methods.map((name) => `${name} ${fmt(median(results.records.filter((r) => r.method === name).map((r) => r.wallMs)))}`).join('; ') + '.');
  const summary = [
    'Mean rank per budget:',
    markdownTable(['method', ...BUDGETS.map((B) => `${B}`)], rankRows, ['l', ...BUDGETS.map(() => 'r' as const)]),
    '',
    ...tables.flatMap((t) => [t, '']),
    ...(checks.length > 0 ? ['Targets:', markdownTable(['check', 'measured', 'threshold', 'result'], checks.map((c) => [c.name, c.measured, c.threshold, c.status]))] : []),
  ].join('\n');
  return { markdown: out.join('\n'), summary };
}
