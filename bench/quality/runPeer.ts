/**
 * One run of a Python peer (bench/peers) on a suite instance: every evaluation is answered here, counted as a
 * query, and the noise-free suboptimality of the best point seen so far is recorded at the checkpoints (the
 * peers' iterates are not exposed), outside the method's query count.
 */
import { peerMethod, peerStep } from '../peers/peerMethods.js';
import type { PythonPeer } from '../peers/pythonPeer.js';
import { CurveRecorder, TARGET, checkpointGrid, relativeSuboptimality, roundSig } from './metrics.js';
import type { RunRecord } from './record.js';
import { instance, type Task } from './suite.js';

/** The noise seed of evaluation n of a run: fresh per query, or one per run under common random numbers. */
export function peerNoiseSeed(task: Task, n: number, form: 'none' | 'crn' | 'fresh'): number {
  return form === 'fresh' ? (task.seed * 0x9e3779b1 + n) >>> 0 : (task.seed * 0x9e3779b1) >>> 0;
}

/** Runs a `peer` task on `peer` (a started PythonPeer); `timeLimitS` caps its wall time. */
export async function runPeer(peer: PythonPeer, task: Task, timeLimitS: number): Promise<RunRecord> {
  const inst = instance(task.family, task.d);
  const method = peerMethod(task.method);
  const p = inst.problem;
  const x0 = inst.x0(task.seed);
  const f0 = inst.truth(x0);
  const recorder = new CurveRecorder(checkpointGrid(task.budget));
  let monitorMs = 0;
  let bestValue = Infinity;
  const best = Float32Array.from(x0);
  const measure = (x: Float32Array, queries: number): number => {
    const t = performance.now();
    const r = relativeSuboptimality(inst.truth(x), inst.fStar, f0);
    recorder.record(queries, roundSig(r));
    monitorMs += performance.now() - t;
    return r;
  };
  const t0 = performance.now();
  measure(x0, 0);
  let toTarget: number | null = null;
  let n = 0;
  const box = method.needsBox ? inst.box(x0) : undefined;
  const result = await peer.run(
    { method: method.name, x0, budget: task.budget, timeLimitS, seed: task.seed, step: peerStep(method, x0), ...(box ? { lower: box.lower, upper: box.upper } : {}) },
    (x, i) => {
      n = i + 1;
      const v = p.value(x, { noiseSeed: peerNoiseSeed(task, i, inst.noise), step: i });
      if (v < bestValue) {
        bestValue = v;
        best.set(x);
      }
      if (recorder.due(n)) {
        const r = measure(best, n);
        if (toTarget === null && r <= TARGET) toTarget = n;
      }
      return v;
    },
  );
  // Noisy problems: the best point seen is the one with the lowest noisy value (the peers' own choice of best).
  const xr = Float32Array.from(result.x);
  const final = measure(xr, n);
  if (toTarget === null && final <= TARGET) toTarget = n;
  const wallMs = performance.now() - t0 - monitorMs;
  return {
    kind: 'peer',
    method: task.method,
    family: task.family,
    d: task.d,
    dim: p.dim,
    seed: task.seed,
    budget: task.budget,
    instance: inst.label,
    settings: method.settings,
    f0,
    fStar: inst.fStar,
    queriesToTarget: toTarget,
    finalSubopt: recorder.last()!.subopt,
    queries: n,
    steps: result.nit,
    wallMs: roundSig(wallMs, 4),
    stateBytes: 0,
    curve: { queries: recorder.queries, subopt: recorder.subopt },
    stoppedBy: result.stoppedBy === 'converged' ? `converged (${result.message})` : result.stoppedBy,
  };
}
