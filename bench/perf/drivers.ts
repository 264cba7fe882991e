// npx tsx bench/perf/drivers.ts [--runs N]
//
// What the drivers cost per query with an objective that costs nothing, in this thread: `tune` (ask/tell, a
// Gaussian pair per step, 2-d space) and `minimize` (SPSA on a 2-d vector), and what the time slicer adds to a
// loop of calls (`timeSlice().yieldIfDue()` after every call, against the same loop without it). Each figure is
// the median of N runs (default 5) measured side by side in this process; the slicer's ratio is the one to
// watch: the turn is bounded by time (every 10 ms), so a fast loop pays a clock read per call. Never run by npm test.
import { spsa } from '../../estimators/spsa.js';
import { minimize } from '../../src/minimize.js';
import { timeSlice } from '../../src/timeSlice.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';

const runsAt = process.argv.indexOf('--runs');
const runs = Math.max(3, runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const s = space({ a: float(0, 1), b: float(0, 1) });
const f = (x: { a: number; b: number }): number => (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2;

async function tunePerQuery(n: number): Promise<number> {
  const t0 = performance.now();
  await tune(createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.05), budget: n, seed: 1 }), { objective: f });
  return ((performance.now() - t0) * 1e3) / n;
}

async function minimizePerQuery(n: number): Promise<number> {
  const t0 = performance.now();
  await minimize((x) => x[0]! * x[0]! + x[1]! * x[1]!, [1, 1], { estimator: spsa({ sigma: 1e-2 }), update: sgd(1e-3), budget: { queries: n }, evaluateFinal: false });
  return ((performance.now() - t0) * 1e3) / n;
}

/** ns per call of a loop over a tiny synchronous function, with or without the slicer after each call. */
async function loopPerCall(n: number, sliced: boolean): Promise<number> {
  const slice = timeSlice();
  let acc = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    acc += Math.sqrt(i);
    if (sliced) {
      const turn = slice.yieldIfDue();
      if (turn !== undefined) await turn;
    }
  }
  const ns = ((performance.now() - t0) * 1e6) / n;
  if (acc < 0) console.log(acc); // keeps the work
  return ns;
}

const rows: Record<string, number[]> = { tune: [], minimize: [], plain: [], sliced: [] };
for (let r = 0; r < runs; r++) {
  rows['tune']!.push(await tunePerQuery(100_000));
  rows['minimize']!.push(await minimizePerQuery(400_000));
  rows['plain']!.push(await loopPerCall(20_000_000, false));
  rows['sliced']!.push(await loopPerCall(20_000_000, true));
}
const plain = median(rows['plain']!);
const sliced = median(rows['sliced']!);
console.log(`tune:      ${median(rows['tune']!).toFixed(1)} µs per query (objective ≈ 0)`);
console.log(`minimize:  ${median(rows['minimize']!).toFixed(2)} µs per query (objective ≈ 0)`);
console.log(`slicer:    ${(sliced - plain).toFixed(1)} ns per call (loop ${plain.toFixed(1)} → ${sliced.toFixed(1)} ns per call, ×${(sliced / plain).toFixed(2)})`);
console.log(`median of ${runs} runs, side by side`);
