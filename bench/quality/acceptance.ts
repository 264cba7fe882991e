/**
 * The acceptance checks of the quality benchmark, computed from the run records:
 *
 * 1. On rotated(quadratic({ dim: 100, condition: 100 })) from x0 = 1, SPSA (Gaussian, q = 1, central, plain
 *    sgd), MeZO and ZO-RankSGD (rankings only, line search) reduce f − f* by 10³ within 20,000 queries, every
 *    other zeroth-order registry estimator within 50,000 (median of 5 seeds).
 * 2. CGE's estimate equals ∇f there to float tolerance (see cgeCheck.ts).
 * 3. On lowRankMatrix: LOZO vs MeZO queries to 10⁻³ (median of 5 seeds) — a comparison, reported as INFO.
 */
import { cells, medianQueriesTo, type Cell, type QualityResults } from './aggregate.js';
import { formatQueries, formatSubopt } from './markdown.js';
import { acceptanceBudget, isFirstOrder } from './suite.js';

export interface Check {
  readonly name: string;
  readonly measured: string;
  readonly threshold: string;
  readonly status: 'PASS' | 'FAIL' | 'INFO' | 'MISSING';
  readonly detail?: string;
}

/** The acceptance checks of a results file, in a fixed order. */
export function acceptanceChecks(results: QualityResults): Check[] {
  const all = cells(results.runs);
  const checks: Check[] = [];
  const rq = all.filter((c) => c.kind === 'zeroth' && c.family === 'rotatedQuadratic' && c.d === 100);
  for (const e of results.meta.estimators) {
    if (isFirstOrder(e.name)) continue;
    const budget = acceptanceBudget(e.name);
    const cell = rq.find((c) => c.method === e.name);
    const name = `${e.name}: f − f* ÷ 10³ on rotated(quadratic(100, κ=100)) from x0 = 1 within ${formatQueries(budget)} queries (median of 5 seeds)`;
    if (cell === undefined) {
      checks.push({ name, measured: 'not run', threshold: `≤ ${formatQueries(budget)}`, status: 'MISSING' });
      continue;
    }
    const perSeed = cell.runs.map((r) => formatQueries(r.queriesToTarget)).join(', ');
    const ok = cell.seeds >= 5 && cell.queriesToTarget !== null && cell.queriesToTarget <= budget;
    checks.push({
      name,
      measured: `${formatQueries(cell.queriesToTarget)} (seeds: ${perSeed})`,
      threshold: `≤ ${formatQueries(budget)}`,
      status: ok ? 'PASS' : 'FAIL',
      ...(cell.seeds < 5 ? { detail: `only ${cell.seeds} seeds` } : {}),
      ...(cell.untuned ? { detail: 'untuned setting' } : {}),
    });
  }
  const cge = results.checks.cgeGradient;
  if (cge !== undefined && cge.available) {
    checks.push({
      name: `cge: estimate = ∇f on rotated(quadratic(100, κ=100)) at x0 = 1 (central, μ = ${cge.sigma}, ${cge.queries} queries)`,
      measured: `‖ĝ − ∇f‖/‖∇f‖ = ${cge.relativeError.toExponential(1)}, max |ĝᵢ − ∂ᵢf| = ${cge.maxAbsError.toExponential(1)}`,
      threshold: `≤ ${cge.tolerance.toExponential(1)} (float32 rounding bound)`,
      status: cge.pass ? 'PASS' : 'FAIL',
    });
  } else {
    checks.push({ name: 'cge: estimate = ∇f on the acceptance problem', measured: 'cge not in the registry', threshold: '', status: 'MISSING' });
  }
  for (const c of lozoVsMezo(all)) checks.push(c);
  return checks;
}

/** LOZO (and LOZO-M) vs MeZO on every lowRankMatrix size that ran. */
export function lozoVsMezo(all: readonly Cell[]): Check[] {
  const out: Check[] = [];
  const lr = all.filter((c) => c.kind === 'zeroth' && c.family === 'lowRankMatrix');
  for (const d of [...new Set(lr.map((c) => c.d))].sort((a, b) => a - b)) {
    const mezo = lr.find((c) => c.d === d && c.method === 'mezo');
    const lozo = lr.find((c) => c.d === d && c.method === 'lozo');
    if (mezo === undefined || lozo === undefined) continue;
    const q = (c: Cell): number => c.queriesToTarget ?? Infinity;
    const verdict = q(lozo) < q(mezo) ? 'LOZO wins' : q(lozo) === q(mezo) ? (lozo.finalSubopt! < mezo.finalSubopt! ? 'tie on queries; LOZO lower final' : 'tie on queries; MeZO lower or equal final') : 'MeZO wins';
    const q6 = (c: Cell): string => formatQueries(medianQueriesTo(c, 1e-6));
    out.push({
      name: `lozo vs mezo on ${lozo.instance}: queries to 10⁻³ (median of ${Math.min(lozo.seeds, mezo.seeds)} seeds)`,
      measured: `LOZO ${formatQueries(lozo.queriesToTarget)} vs MeZO ${formatQueries(mezo.queriesToTarget)}; to 10⁻⁶: ${q6(lozo)} vs ${q6(mezo)}; final ${formatSubopt(lozo.finalSubopt)} vs ${formatSubopt(mezo.finalSubopt)}`,
      threshold: 'comparison',
      status: 'INFO',
      detail: verdict,
    });
  }
  return out;
}
