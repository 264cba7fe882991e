import type { Backend } from '../backend/backend.js';
import { InvalidHyperparameter, NonFiniteValue, ObjectiveError, OracleMismatch, ZerothError } from '../errors.js';
import type { Oracle } from '../oracle/oracle.js';
import { oracleNeeded } from '../oracle/oracleKindsFor.js';
import type { Episode } from '../rl/episode.js';
import type { EvalContext, Params, Probe, ProbeBatch, Responses } from '../types.js';
import { sameDirection } from './sameDirection.js';

/** How the parameters are brought back to the base point after in-place probes. */
export type RestoreMode = 'reapply' | 'exact';

/** Options of {@link evaluateProbes}. */
export interface EvaluateOptions {
  /** The optimizer step, passed to the oracle in its context. */
  readonly step: number;
  /**
   * `'reapply'` (default): move x by the difference between consecutive probes (+σz, −2σz, +σz back): no copy
   * of the parameters, but the round trip is exact only up to float32 rounding (a tested bound).
   * `'exact'`: keep one saved copy of the parameters and restore by assignment (1× params extra memory).
   */
  readonly restore?: RestoreMode;
  /** Name of the estimator, for error messages. */
  readonly estimator?: string;
  /** When true (default), a NaN or ±Infinity value is an error; when false it is returned as is. */
  readonly rejectNonFinite?: boolean;
}

/** The answers to a probe batch and the queries they cost. */
export interface Evaluation {
  readonly responses: Responses;
  readonly queries: number;
}

/**
 * Evaluates a batch of probes `x + scaleᵢ · dᵢ` with the oracle, leaving `params` at the base point afterwards
 * (also when the oracle throws or returns a non-finite value).
 *
 * Schedule for a value oracle: the probes are visited in order and x is moved by the difference between
 * consecutive probes, so a two-point step costs no copy of the parameters. A coordinate probe is undone by
 * assigning back the one element it changed (exact, no copy). Batch and ranking oracles receive
 * materialised copies of every probe point (memory: one copy per probe). Gradient oracles are asked at each
 * probe point in place. Rollouts oracles run one episode per probe (seed = the probe's noise key, sample = its
 * `sample`); consecutive probes at the same point go to the oracle in one call, with x moved there in place.
 *
 * Queries: one per probe (a ranking of m candidates costs m; a rollouts batch costs one per episode).
 *
 * @throws OracleMismatch when the oracle cannot answer what the batch asks for
 * @throws NonFiniteValue / ObjectiveError when the objective returns a non-finite value or throws
 */
export async function evaluateProbes(
  backend: Backend,
  params: Params,
  batch: ProbeBatch,
  oracle: Oracle<Params>,
  options: EvaluateOptions,
): Promise<Evaluation> {
  const restore = options.restore ?? 'reapply';
  if (restore !== 'reapply' && restore !== 'exact') {
    throw new InvalidHyperparameter('restore', restore, "must be 'reapply' or 'exact'");
  }
  const name = options.estimator ?? 'estimator';
  const probes = batch.probes;
  const contexts = probes.map((p): EvalContext => ({ noiseSeed: p.noiseKey, step: options.step }));
  const reject = options.rejectNonFinite ?? true;
  const where = (i: number): string => `probe ${i} of step ${options.step}`;

  if (batch.response === 'values' && oracle.kind === 'value') {
    const values = new Float64Array(probes.length);
    await walkInPlace(backend, params, probes, restore, async (i) => {
      const v = await call(() => oracle.value(params, contexts[i]!), where(i));
      values[i] = check(v, where(i), reject);
    });
    return { responses: { kind: 'values', values }, queries: probes.length };
  }
  if (batch.response === 'values' && oracle.kind === 'batch') {
    const points = materialize(backend, params, probes);
    try {
      const got = await call(() => oracle.values(points, contexts), `the batch of step ${options.step}`);
      if (got.length !== probes.length) {
        throw new OracleMismatch(name, `${probes.length} values from the batch oracle`, `batch returning ${got.length}`);
      }
      const values = Float64Array.from(got);
      values.forEach((v, i) => check(v, where(i), reject));
      return { responses: { kind: 'values', values }, queries: probes.length };
    } finally {
      for (const p of points) backend.dispose(p);
    }
  }
  if (batch.response === 'ranking' && oracle.kind === 'ranking') {
    const points = materialize(backend, params, probes);
    try {
      const got = await call(() => oracle.rank(points, contexts[0] ?? { noiseSeed: 0, step: options.step }), `the ranking of step ${options.step}`);
      const order = Int32Array.from(got);
      checkOrder(order, probes.length, name);
      return { responses: { kind: 'ranking', order }, queries: probes.length };
    } finally {
      for (const p of points) backend.dispose(p);
    }
  }
  if (batch.response === 'valueAndGrad' && oracle.kind === 'gradient') {
    const values = new Float64Array(probes.length);
    const grads: Float32Array[][] = [];
    await walkInPlace(backend, params, probes, restore, async (i) => {
      const r = await call(() => oracle.valueAndGrad(params, contexts[i]!), where(i));
      values[i] = check(r.value, where(i), reject);
      if (r.grad.length !== params.length) {
        throw new OracleMismatch(name, `a gradient with ${params.length} blocks`, `gradient with ${r.grad.length} blocks`);
      }
      grads.push(
        r.grad.map((g, b) => {
          const out = Float32Array.from(g);
          if (out.length !== params[b]!.data.length) {
            throw new OracleMismatch(name, `gradient block ${b} of length ${params[b]!.data.length}`, `gradient of length ${out.length}`);
          }
          out.forEach((v) => check(v, `the gradient at ${where(i)}`, reject));
          return out;
        }),
      );
    });
    return { responses: { kind: 'valueAndGrad', values, grads }, queries: probes.length };
  }
  if (batch.response === 'rollouts' && oracle.kind === 'rollouts') {
    const episodes = await rolloutGroups(backend, params, probes, restore, name, (x, group) =>
      call(() => oracle.rollouts(x, group.map((i) => ({ seed: probes[i]!.noiseKey, sample: probes[i]!.sample ?? 0 })), contexts[group[0]!]!), `the rollouts of step ${options.step}`),
    );
    episodes.forEach((e, i) => check(e.return, `the return of ${where(i)}`, reject));
    return { responses: { kind: 'rollouts', episodes }, queries: probes.length };
  }
  throw new OracleMismatch(name, oracleNeeded(batch.response), oracle.kind);
}

/**
 * Runs the episodes of a rollouts batch: consecutive probes at the same point form one group, asked of the
 * oracle in one call (one vectorised batch of episodes) with x moved to the group's point in place.
 */
async function rolloutGroups(
  backend: Backend,
  params: Params,
  probes: readonly Probe[],
  restore: RestoreMode,
  name: string,
  run: (x: Params, group: readonly number[]) => Promise<readonly Episode[]>,
): Promise<Episode[]> {
  const groups: number[][] = [];
  for (let i = 0; i < probes.length; i++) {
    const last = groups[groups.length - 1];
    const head = last === undefined ? undefined : probes[last[0]!]!;
    if (head !== undefined && head.scale === probes[i]!.scale && sameDirection(head.direction, probes[i]!.direction)) last!.push(i);
    else groups.push([i]);
  }
  const episodes = new Array<Episode>(probes.length);
  await walkInPlace(backend, params, groups.map((g) => probes[g[0]!]!), restore, async (g) => {
    const group = groups[g]!;
    const got = await run(params, group);
    if (!Array.isArray(got) || got.length !== group.length) {
      throw new OracleMismatch(name, `${group.length} episodes from the rollouts oracle`, `rollouts returning ${Array.isArray(got) ? got.length : typeof got}`);
    }
    group.forEach((p, j) => (episodes[p] = got[j]!));
  });
  return episodes;
}

async function walkInPlace(
  backend: Backend,
  params: Params,
  probes: readonly Probe[],
  restore: RestoreMode,
  visit: (i: number) => Promise<void>,
): Promise<void> {
  // Coordinate probes are restored element by element, so they need no saved copy even in 'exact' mode.
  const moves = probes.some((p) => p.direction.kind !== 'none' && p.direction.kind !== 'coordinate' && p.scale !== 0);
  const saved = restore === 'exact' && moves ? backend.copy(params) : undefined;
  let current: Probe | undefined;
  // A coordinate probe changes one element: it is restored by assignment of that element, exactly and free.
  let element: { block: Float32Array; index: number; value: number } | undefined;
  const back = (): void => {
    if (current === undefined) return;
    if (element !== undefined) {
      element.block[element.index] = element.value;
      element = undefined;
    } else if (saved) backend.assignInPlace(saved, params);
    else backend.perturbInPlace(current.direction, -current.scale, params);
    current = undefined;
  };
  try {
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      const d = p.direction;
      if (current !== undefined && !saved && element === undefined && sameDirection(current.direction, d)) {
        backend.perturbInPlace(d, p.scale - current.scale, params);
      } else {
        back();
        if (d.kind === 'coordinate' && p.scale !== 0) {
          const block = backend.read(params[d.block]!);
          element = { block, index: d.index, value: block[d.index]! };
        }
        backend.perturbInPlace(d, p.scale, params);
      }
      current = p;
      await visit(i);
    }
  } finally {
    back();
    if (saved) backend.dispose(saved);
  }
}

function materialize(backend: Backend, params: Params, probes: readonly Probe[]): Params[] {
  return probes.map((p) => {
    const x = backend.copy(params);
    backend.perturbInPlace(p.direction, p.scale, x);
    return x;
  });
}

async function call<T>(fn: () => T | Promise<T>, where: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ZerothError) throw e;
    throw new ObjectiveError(e, where);
  }
}

function check(v: number, where: string, reject: boolean): number {
  if (typeof v !== 'number') throw new ObjectiveError(new TypeError(`returned ${typeof v}, not a number`), where);
  if (reject && !Number.isFinite(v)) throw new NonFiniteValue(v, `the objective at ${where}`);
  return v;
}

function checkOrder(order: Int32Array, m: number, name: string): void {
  const seen = new Uint8Array(m);
  for (const i of order) {
    if (!(i >= 0 && i < m) || seen[i] === 1) {
      throw new OracleMismatch(name, `a ranking of distinct candidate indices in [0, ${m})`, `ranking containing ${i}`);
    }
    seen[i] = 1;
  }
  if (order.length === 0) throw new OracleMismatch(name, 'a ranking with at least one index', 'empty ranking');
}
