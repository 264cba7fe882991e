/**
 * Learning-rate tuning for the hyperparameter table (bench/quality/hyperparameters.ts), at d = 100.
 *
 *   npx tsx bench/quality/tune.ts [--methods a,b] [--families f,g] [--shard i/n] [--out file]
 *
 * For each estimator × family: the grid centre × 3^k, k = −2…2 (extended by one ×3 step at a time, at most
 * twice per side, while the best point is on an edge), seeds 1–3, 20,000 queries, stopping at the 10⁻³
 * target. Best = smallest median queries to target, then smallest median final suboptimality. On Rastrigin
 * σ ∈ {estimator default, 0.5} is tuned too. Prints the chosen rows; writes JSON to --out
 * (default bench/results/tuning.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gridCentre } from './hyperparameters.js';
import { median } from './metrics.js';
import { runZeroth } from './runZeroth.js';
import { FAMILY_NAMES, registryMethods, type Family } from './suite.js';

const TUNE_D = 100;
const TUNE_BUDGET = 20_000;
const TUNE_SEEDS = [1, 2, 3];

interface Point {
  value: number;
  options: Record<string, unknown>;
  qtt: number | null;
  final: number;
  perSeed: (number | null)[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const better = (a: Point, b: Point): boolean => {
  const qa = a.qtt ?? Infinity;
  const qb = b.qtt ?? Infinity;
  return qa !== qb ? qa < qb : a.final < b.final;
};

async function evaluate(method: string, family: Family, value: number, options: Record<string, unknown>): Promise<Point> {
  const qtts: (number | null)[] = [];
  const finals: number[] = [];
  for (const seed of TUNE_SEEDS) {
    const r = await runZeroth({ kind: 'zeroth', method, family, d: TUNE_D, seed, budget: TUNE_BUDGET, stopAtTarget: true, override: { value, options } });
    qtts.push(r.queriesToTarget);
    finals.push(r.stoppedBy.startsWith('error') || r.stoppedBy === 'diverged' ? Infinity : r.finalSubopt);
  }
  return { value, options, qtt: median(qtts), final: median(finals) ?? Infinity, perSeed: qtts };
}

async function tuneOne(method: string, family: Family): Promise<{ best: Point; tried: Point[] }> {
  const centre = gridCentre(method, family);
  const sigmas: Record<string, unknown>[] = family === 'rastrigin' && method !== 'exactGradient' ? [{}, { sigma: 0.5 }] : [{}];
  const tried: Point[] = [];
  let best: Point | undefined;
  for (const options of sigmas) {
    const points = new Map<number, Point>();
    const at = async (k: number): Promise<Point> => {
      let p = points.get(k);
      if (p === undefined) {
        p = await evaluate(method, family, +(centre * 3 ** k).toPrecision(3), options);
        points.set(k, p);
        tried.push(p);
      }
      return p;
    };
    let lo = -2;
    let hi = 2;
    for (let k = lo; k <= hi; k++) await at(k);
    const bestK = (): number => [...points.keys()].reduce((a, b) => (better(points.get(b)!, points.get(a)!) ? b : a));
    for (let ext = 0; ext < 2; ext++) {
      const k = bestK();
      if (k === lo) await at(--lo);
      else if (k === hi) await at(++hi);
      else break;
    }
    const p = points.get(bestK())!;
    if (best === undefined || better(p, best)) best = p;
  }
  return { best: best!, tried };
}

const methods = arg('methods')?.split(',') ?? registryMethods();
const families = (arg('families')?.split(',') as Family[] | undefined) ?? [...FAMILY_NAMES];
const [shard, shards] = (arg('shard') ?? '0/1').split('/').map(Number) as [number, number];
const out = arg('out') ?? 'bench/results/tuning.json';
const pairs = methods.flatMap((m) => families.map((f) => [m, f] as const)).filter((_, i) => i % shards === shard);
const results: Record<string, unknown>[] = [];
const t0 = performance.now();
for (const [method, family] of pairs) {
  const t = performance.now();
  const { best, tried } = await tuneOne(method, family);
  const fmt = (v: number): string => +v.toPrecision(3) + '';
  const row = {
    method,
    family,
    value: best.value,
    options: best.options,
    grid: tried.filter((p) => JSON.stringify(p.options) === JSON.stringify(best.options)).map((p) => p.value).sort((a, b) => a - b),
    tried: tried.map((p) => ({ value: p.value, options: p.options, medianQueriesToTarget: p.qtt, medianFinal: p.final, perSeed: p.perSeed })),
    medianQueriesToTarget: best.qtt,
    medianFinal: best.final,
  };
  results.push(row);
  console.log(
    `${method} × ${family}: value ${fmt(best.value)} ${JSON.stringify(best.options)} → median queries to 1e-3 ${best.qtt ?? '—'}, final ${best.final.toExponential(2)} (grid ${row.grid.map(fmt).join(', ')}; ${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 1));
}
console.log(`tuning done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
