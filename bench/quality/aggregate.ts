/** Grouping of run records into cells (method × problem × d) with their medians over seeds. */
import { TARGET, median, medianCurve, queriesToTarget, type Curve } from './metrics.js';
import type { CgeGradientCheck } from './cgeCheck.js';
import type { RunRecord } from './record.js';
import type { Family } from './suite.js';

/** The results file, bench/results/quality.json. */
export interface QualityResults {
  readonly meta: {
    readonly mode: 'quick' | 'full';
    readonly startedAt: string;
    readonly totalMs: number;
    readonly node: string;
    readonly cpus: number;
    readonly workers: number;
    readonly limits: { readonly zerothS: number; readonly peerS: number };
    readonly peers: { readonly message: string; readonly methods: readonly string[] };
    readonly estimators: readonly { readonly name: string; readonly description: string; readonly response: string }[];
  };
  readonly checks: { readonly cgeGradient?: CgeGradientCheck };
  readonly runs: readonly RunRecord[];
  readonly failures: readonly { readonly task: unknown; readonly error: string }[];
}

/** The runs of one method on one problem instance, summarised. */
export interface Cell {
  readonly kind: 'zeroth' | 'peer';
  readonly method: string;
  readonly family: Family;
  readonly d: number;
  readonly dim: number;
  readonly instance: string;
  readonly runs: readonly RunRecord[];
  readonly seeds: number;
  /** How many runs reached 10⁻³. */
  readonly reached: number;
  /** Median queries to 10⁻³ (null: the median run did not reach it). */
  readonly queriesToTarget: number | null;
  readonly finalSubopt: number | null;
  readonly wallMs: number | null;
  readonly stateBytes: number;
  readonly budget: number;
  readonly settings: string;
  readonly untuned: boolean;
  /** Why the runs stopped, with counts, e.g. "budget ×4, target ×1". */
  readonly stops: string;
}

const key = (r: { family: string; d: number; kind: string; method: string }): string => `${r.family}|${r.d}|${r.kind}|${r.method}`;

/** Groups runs into cells, in first-seen order. */
export function cells(runs: readonly RunRecord[]): Cell[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const k = key(r);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  return [...groups.values()].map((g) => {
    const r0 = g[0]!;
    const stops = new Map<string, number>();
    for (const r of g) {
      const s = r.stoppedBy.startsWith('converged') ? 'converged' : r.stoppedBy.startsWith('error') ? 'error' : r.stoppedBy;
      stops.set(s, (stops.get(s) ?? 0) + 1);
    }
    return {
      kind: r0.kind,
      method: r0.method,
      family: r0.family,
      d: r0.d,
      dim: r0.dim,
      instance: r0.instance,
      runs: g,
      seeds: g.length,
      reached: g.filter((r) => r.queriesToTarget !== null).length,
      queriesToTarget: median(g.map((r) => r.queriesToTarget)),
      finalSubopt: median(g.map((r) => r.finalSubopt)),
      wallMs: median(g.map((r) => r.wallMs)),
      stateBytes: Math.max(...g.map((r) => r.stateBytes)),
      budget: Math.max(...g.map((r) => r.budget)),
      settings: r0.settings,
      untuned: g.some((r) => r.untuned === true),
      stops: [...stops].map(([s, n]) => `${s} ×${n}`).join(', '),
    };
  });
}

/** The median curve of a cell over its seeds, on the union of its record points. */
export function cellCurve(cell: Cell): Curve {
  const grid = [...new Set(cell.runs.flatMap((r) => r.curve.queries))].sort((a, b) => a - b);
  return medianCurve(cell.runs.map((r) => r.curve), grid);
}

/** Median over seeds of the queries to reach `target` (read from the curves). */
export function medianQueriesTo(cell: Cell, target: number): number | null {
  return median(cell.runs.map((r) => (target === TARGET ? r.queriesToTarget : queriesToTarget(r.curve, target))));
}

/** Better of two cells: fewer median queries to 10⁻³, then lower median final suboptimality. */
export function betterCell(a: Cell, b: Cell): boolean {
  const qa = a.queriesToTarget ?? Infinity;
  const qb = b.queriesToTarget ?? Infinity;
  if (qa !== qb) return qa < qb;
  return (a.finalSubopt ?? Infinity) < (b.finalSubopt ?? Infinity);
}
