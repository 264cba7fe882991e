/**
 * Pure measurement helpers of the quality benchmark: relative suboptimality, queries to a target, medians,
 * the checkpoint grid and curve aggregation. No I/O, so the unit tests in test/bench/ cover them directly.
 */

/** The relative suboptimality target of the benchmark: (f − f*)/(f(x0) − f*) ≤ 10⁻³. */
export const TARGET = 1e-3;

/**
 * (f − f*)/(f(x0) − f*): 1 at the start, 0 at the optimum. Negative rounding noise (f a hair below the float64
 * f*) is clamped to 0. Throws when f(x0) = f* (nothing to reduce).
 */
export function relativeSuboptimality(f: number, fStar: number, f0: number): number {
  const gap0 = f0 - fStar;
  if (!(gap0 > 0)) throw new RangeError(`f(x0) − f* = ${gap0} must be > 0 for a relative suboptimality`);
  if (Number.isNaN(f)) return NaN;
  return Math.max(0, (f - fStar) / gap0);
}

/** A suboptimality-vs-queries curve: `queries[i]` queries spent when the suboptimality was `subopt[i]`. */
export interface Curve {
  readonly queries: readonly number[];
  readonly subopt: readonly number[];
}

/**
 * The first recorded query count at which the suboptimality is ≤ `target`, or `null` when the curve never gets
 * there. The curve is sampled at checkpoints, so this is an upper bound within one checkpoint interval.
 */
export function queriesToTarget(curve: Curve, target = TARGET): number | null {
  for (let i = 0; i < curve.queries.length; i++) if (curve.subopt[i]! <= target) return curve.queries[i]!;
  return null;
}

/**
 * The median of the finite-or-infinite numbers (`null` counts as +∞, i.e. "not reached"); the lower middle for
 * an even count, so a median "reached" means at least half of the runs reached. `null` if the median is +∞.
 * NaN entries are ignored; an empty list gives NaN.
 */
export function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x) => x === null || !Number.isNaN(x)).map((x) => (x === null ? Infinity : x));
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const m = v[Math.floor((v.length - 1) / 2)]!;
  return m === Infinity ? null : m;
}

/**
 * Query counts at which the benchmark records the suboptimality: 0 and a geometric grid of ratio `ratio` up
 * to `budget` (integers, strictly increasing, the budget included).
 */
export function checkpointGrid(budget: number, ratio = 1.03): number[] {
  const out = [0];
  let q = 1;
  while (q < budget) {
    const r = Math.round(q);
    if (r > out[out.length - 1]!) out.push(r);
    q *= ratio;
  }
  if (out[out.length - 1] !== budget) out.push(budget);
  return out;
}

/**
 * Records a curve during a run: `due(queries)` says whether a checkpoint has been passed since the last record,
 * `record(queries, subopt)` stores a point and moves to the next checkpoint past `queries`.
 */
export class CurveRecorder {
  readonly queries: number[] = [];
  readonly subopt: number[] = [];
  private next = 0;
  private readonly grid: readonly number[];
  constructor(grid: readonly number[]) {
    this.grid = grid;
  }

  due(queries: number): boolean {
    return this.next < this.grid.length && queries >= this.grid[this.next]!;
  }

  record(queries: number, subopt: number): void {
    this.queries.push(queries);
    this.subopt.push(subopt);
    while (this.next < this.grid.length && this.grid[this.next]! <= queries) this.next++;
  }

  /** The last point, or undefined before the first record. */
  last(): { queries: number; subopt: number } | undefined {
    const n = this.queries.length;
    return n === 0 ? undefined : { queries: this.queries[n - 1]!, subopt: this.subopt[n - 1]! };
  }
}

/**
 * The median curve of several runs of one method: at each grid point g, the median over runs of the
 * suboptimality of the last record at ≤ g queries (runs that stopped early keep their last value). Points
 * before any run has a record are skipped.
 */
export function medianCurve(curves: readonly Curve[], grid: readonly number[]): Curve {
  const queries: number[] = [];
  const subopt: number[] = [];
  const idx = curves.map(() => -1);
  for (const g of grid) {
    const vals: number[] = [];
    curves.forEach((c, k) => {
      while (idx[k]! + 1 < c.queries.length && c.queries[idx[k]! + 1]! <= g) idx[k]!++;
      if (idx[k]! >= 0) vals.push(c.subopt[idx[k]!]!);
    });
    if (vals.length === 0) continue;
    const m = median(vals);
    if (m === null || Number.isNaN(m)) continue;
    queries.push(g);
    subopt.push(m);
  }
  return { queries, subopt };
}

/** Rounds to `digits` significant digits (for compact JSON). */
export function roundSig(v: number, digits = 4): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  return Number(v.toPrecision(digits));
}
