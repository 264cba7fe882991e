/**
 * One run of a registry estimator on a suite instance: the optimizer stepped by hand (as `minimize` does, with
 * the oracle `minimize` would build) so the benchmark can read the parameters and state between steps and
 * measure the noise-free suboptimality at checkpoints without charging those evaluations to the method.
 */
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { defaultBackend } from '../../src/backend/defaultBackend.js';
import { ZerothError } from '../../src/errors.js';
import { gradientOracle, rankingFromValues, valueOracle } from '../../src/oracle/adapters.js';
import type { Oracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import type { EvalContext, Params } from '../../src/types.js';
import { buildMethod } from './hyperparameters.js';
import { CurveRecorder, TARGET, checkpointGrid, relativeSuboptimality, roundSig } from './metrics.js';
import type { RunRecord } from './record.js';
import { instance, type Instance, type Task } from './suite.js';

/** Relative suboptimality below which a run stops early (float32 resolution reached). */
export const FLOOR = 1e-10;
/** Relative suboptimality above which a run is declared diverged. */
export const DIVERGED = 1e6;

/** Bytes of plain data: typed arrays by byteLength, numbers inside arrays 8 bytes each, objects recursively. */
export function stateBytes(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + (typeof v === 'number' ? 8 : stateBytes(v, seen)), 0);
  let n = 0;
  for (const v of Object.values(value as Record<string, unknown>)) n += stateBytes(v, seen);
  return n;
}

/** Time spent inside the objective, for the optimizer-overhead figure. */
export interface ObjectiveClock {
  ms: number;
  calls: number;
}

/** CPU time of this process so far (user + system), in ms. */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The oracle `minimize` builds for an estimator's response kind. Under fresh noise every query gets a new
 * noise seed (derived from `seed` and a call counter), whatever key the estimator passed; `clock` sums the
 * time spent in the objective.
 */
export function oracleFor(response: string, inst: Instance, seed = 0, clock: ObjectiveClock = { ms: 0, calls: 0 }): Oracle<Params> {
  const p = inst.problem;
  const context = (c: EvalContext): EvalContext => (inst.noise === 'fresh' ? { noiseSeed: (seed * 0x85ebca6b + 0x9e3779b9 * (clock.calls + 1)) >>> 0, step: c.step } : c);
  const value = valueOracle((ps: Params, c: EvalContext) => {
    const t = performance.now();
    const v = p.value(ps[0]!.data, context(c));
    clock.ms += performance.now() - t;
    clock.calls++;
    return v;
  });
  if (response === 'ranking') return rankingFromValues(value);
  if (response === 'valueAndGrad') {
    const grad = p.grad;
    if (grad === undefined) throw new Error(`${p.name} has no gradient`);
    return gradientOracle((ps: Params, c: EvalContext) => {
      const g = new Float32Array(p.dim);
      grad.call(p, ps[0]!.data, g);
      return { value: p.value(ps[0]!.data, c), grad: [g] };
    });
  }
  return value;
}

/** Runs a `zeroth` task and returns its record; the run stops after `timeLimitMs` of wall time. */
export async function runZeroth(task: Task, timeLimitMs = Infinity): Promise<RunRecord> {
  const inst = instance(task.family, task.d);
  const p = inst.problem;
  const x0 = inst.x0(task.seed);
  const f0 = inst.truth(x0);
  const params: Params = [{ name: 'x', shape: [...(p.shape ?? [p.dim])], data: x0.slice() }];
  const built = buildMethod(task.method, task.family, params, task.budget, task.override);
  // The backends produce the same bits for every perturbation; wasm is only faster at large d.
  const backend = p.dim >= 1000 ? defaultBackend() : cpuBackend();
  const opt = optimizer({ estimator: built.estimator, update: built.update, backend });
  const clock: ObjectiveClock = { ms: 0, calls: 0 };
  const oracle = oracleFor(built.estimator.response, inst, task.seed, clock);
  const recorder = new CurveRecorder(checkpointGrid(task.budget));
  const subopt = (): number => relativeSuboptimality(inst.truth(params[0]!.data), inst.fStar, f0);

  let monitorMs = 0;
  let monitorCpuMs = 0;
  let maxBytes = 0;
  const monitor = (queries: number, state: unknown): number => {
    const t = performance.now();
    const c = cpuNow();
    const r = subopt();
    recorder.record(queries, roundSig(r));
    maxBytes = Math.max(maxBytes, stateBytes(state));
    monitorMs += performance.now() - t;
    monitorCpuMs += cpuNow() - c;
    return r;
  };

  const t0 = performance.now();
  const cpu0 = cpuNow();
  let state = opt.init(params, task.seed);
  monitor(0, { estimator: state.estimator, transform: state.transform });
  let queries = 0;
  let steps = 0;
  let stoppedBy = 'budget';
  let toTarget: number | null = null;
  for (;;) {
    if (queries + built.estimator.queriesPerStep(params) > task.budget) break;
    try {
      const r = await opt.step(params, oracle, state, task.budget - queries);
      state = r.state;
      queries += r.queries;
      steps++;
    } catch (e) {
      if (e instanceof ZerothError && e.code === 'BUDGET_EXHAUSTED') break;
      stoppedBy = e instanceof Error ? `error: ${e.message}` : `error: ${String(e)}`;
      break;
    }
    if (performance.now() - t0 > timeLimitMs) {
      stoppedBy = 'time';
      break;
    }
    if (recorder.due(queries) || queries + built.estimator.queriesPerStep(params) > task.budget) {
      const r = monitor(queries, { estimator: state.estimator, transform: state.transform });
      if (toTarget === null && r <= TARGET) toTarget = queries;
      if (task.stopAtTarget && r <= TARGET) {
        stoppedBy = 'target';
        break;
      }
      if (r <= FLOOR) {
        stoppedBy = 'floor';
        break;
      }
      if (!(r <= DIVERGED)) {
        stoppedBy = 'diverged';
        break;
      }
    }
  }
  const last = recorder.last();
  if (last === undefined || last.queries !== queries) monitor(queries, { estimator: state.estimator, transform: state.transform });
  const final = recorder.last()!.subopt;
  if (toTarget === null && final <= TARGET) toTarget = queries;
  const wallMs = performance.now() - t0 - monitorMs;
  const cpuMs = cpuNow() - cpu0 - monitorCpuMs;
  // At d ≥ 1000 the objective's own CPU cost per call is calibrated apart (timing every call would charge the
  // timer to it): evaluations at the final point for ≥ 300 ms of CPU (at least 20).
  let objectiveCpuMs: number | undefined;
  if (p.dim >= 1000 && queries > 0) {
    const x = params[0]!.data.slice();
    const c0 = cpuNow();
    let n = 0;
    while (n < 20 || cpuNow() - c0 < 300) {
      p.value(x, { noiseSeed: n, step: 0 });
      n++;
    }
    objectiveCpuMs = ((cpuNow() - c0) / n) * queries;
  }
  return {
    kind: 'zeroth',
    method: task.method,
    family: task.family,
    d: task.d,
    dim: p.dim,
    seed: task.seed,
    budget: task.budget,
    instance: inst.label,
    settings: `${built.label}; options ${JSON.stringify(built.options)}`,
    ...(task.override === undefined && built.untuned ? { untuned: true } : {}),
    f0,
    fStar: inst.fStar,
    queriesToTarget: toTarget,
    finalSubopt: final,
    queries,
    steps,
    wallMs: roundSig(wallMs, 4),
    objectiveMs: roundSig(clock.ms, 4),
    cpuMs: roundSig(cpuMs, 4),
    ...(objectiveCpuMs === undefined ? {} : { objectiveCpuMs: roundSig(objectiveCpuMs, 4) }),
    stateBytes: maxBytes,
    curve: { queries: recorder.queries, subopt: recorder.subopt },
    stoppedBy,
  };
}
