import type { Backend } from '../backend/backend.js';
import { InvalidHyperparameter, ObjectiveError, OracleMismatch } from '../errors.js';
import type { Oracle } from '../oracle/oracle.js';
import { checkValue } from '../oracle/_internal/objectiveValues.js';
import { isVerdictOf } from '../oracle/_internal/verdict.js';
import { oracleNeeded } from '../oracle/oracleKindsFor.js';
import type { Episode } from '../rl/episode.js';
import type { EvalContext, ParamWrite, Params, Probe, ProbeBatch, Responses } from '../types.js';
import { recordedQueries, recordQueriesSpent } from './queriesSpent.js';
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
  /**
   * Receives every write the in-place walk left on the parameters, in order ('reapply' moves; exact restores
   * by assignment leave none). With the writes of the update, they let a seed log replay the step bit for bit.
   */
  readonly writes?: ParamWrite[];
  /**
   * When true and the evaluation succeeds, the walk's last restore move is not applied but returned as
   * `pending`, for the caller to fuse with the update (`applyUpdates`' `pending` option). The parameters are then
   * left at the last probe point: the caller must apply `pending`, whatever happens next.
   */
  readonly deferRestore?: boolean;
}

/** The answers to a probe batch and the queries they cost. */
export interface Evaluation {
  readonly responses: Responses;
  readonly queries: number;
  /** The restore move still owed to the parameters (only with `deferRestore`). */
  readonly pending?: ParamWrite;
}

/**
 * Evaluates a batch of probes `x + scaleᵢ · dᵢ` with the oracle, leaving `params` at the base point afterwards
 * (also when the oracle throws or returns a non-finite value).
 *
 * Schedule for a value oracle: the probes are visited in order and x is moved by the difference between
 * consecutive probes, so a two-point step costs no copy of the parameters. A coordinate probe is undone by
 * assigning back the one element it changed (exact, no copy). Batch and ranking oracles receive
 * materialised copies of every probe point (memory: one copy per probe), or — when they have `probeValues` —
 * the probes' descriptions (no copies). Gradient oracles are asked at each probe point in place. Rollouts
 * oracles run one episode per probe (seed = the probe's noise key, sample = its `sample`); consecutive probes
 * at the same point go to the oracle in one call, with x moved there in place.
 *
 * Queries: one per probe (a ranking of m candidates costs m; a rollouts batch costs one per episode).
 *
 * Errors: whatever the objective throws is the objective's, whatever its class (a nested zeroth run may throw
 * BudgetExhausted or InvalidHyperparameter), and is wrapped as ObjectiveError with the original as `cause`;
 * what zeroth's own oracle adapters raise (`rankingFromValues` on a NaN, `withBudget` refusing a query) passes
 * as it is. An error thrown after queries were asked records how many (`queriesSpent(error)`): the failing
 * query counts, a refused one does not.
 *
 * @throws OracleMismatch when the oracle cannot answer what the batch asks for
 * @throws NonFiniteValue / ObjectiveError when the objective returns a non-finite value or a non-number, or throws
 */
export async function evaluateProbes<B = Float32Array>(
  backend: Backend<B>,
  params: Params<B>,
  batch: ProbeBatch,
  oracle: Oracle<Params<B>>,
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
  let spent = 0;
  /** One oracle call costing `cost` queries, at the boundary between zeroth and the objective. */
  const call = async <T>(cost: number, fn: () => T | Promise<T>, at: string): Promise<T> => {
    try {
      const answer = await fn();
      spent += cost;
      return answer;
    } catch (e) {
      if (isVerdictOf(e, oracle)) {
        spent += recordedQueries(e) ?? cost;
        throw e;
      }
      spent += cost;
      throw new ObjectiveError(e, at);
    }
  };

  const walk = { restore, writes: options.writes, defer: options.deferRestore === true };
  try {
    if (batch.response === 'values' && oracle.kind === 'value') {
      const values = new Float64Array(probes.length);
      const pending = await walkInPlace(backend, params, probes, walk, async (i) => {
        values[i] = checkValue(await call(1, () => oracle.value(params, contexts[i]!), where(i)), where(i), reject);
      });
      return { responses: { kind: 'values', values }, queries: probes.length, ...(pending ? { pending } : {}) };
    }
    if (batch.response === 'values' && oracle.kind === 'batch') {
      const answer = (got: ArrayLike<number>): Evaluation => {
        if (got === null || typeof got !== 'object' || got.length !== probes.length) {
          throw new OracleMismatch(name, `${probes.length} values from the batch oracle`, `batch returning ${got === null || typeof got !== 'object' ? String(got) : got.length}`);
        }
        const values = new Float64Array(probes.length);
        for (let i = 0; i < probes.length; i++) values[i] = checkValue(got[i], where(i), reject);
        return { responses: { kind: 'values', values }, queries: probes.length };
      };
      // Described probes (seeds, not vectors): no copies, x untouched.
      if (oracle.probeValues !== undefined) {
        return answer(await call(probes.length, () => oracle.probeValues!(params, probes, contexts), `the batch of step ${options.step}`));
      }
      const points = materialize(backend, params, probes);
      try {
        return answer(await call(probes.length, () => oracle.values(points, contexts), `the batch of step ${options.step}`));
      } finally {
        for (const p of points) backend.dispose(p);
      }
    }
    if (batch.response === 'ranking' && oracle.kind === 'ranking') {
      const points = materialize(backend, params, probes);
      try {
        const got = await call(probes.length, () => oracle.rank(points, contexts[0] ?? { noiseSeed: 0, step: options.step }), `the ranking of step ${options.step}`);
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
      const pending = await walkInPlace(backend, params, probes, walk, async (i) => {
        const r = await call(1, () => oracle.valueAndGrad(params, contexts[i]!), where(i));
        values[i] = checkValue(r.value, where(i), reject);
        if (r.grad.length !== params.length) {
          throw new OracleMismatch(name, `a gradient with ${params.length} blocks`, `gradient with ${r.grad.length} blocks`);
        }
        grads.push(
          r.grad.map((g, b) => {
            const length = (params[b]!.data as { readonly length: number }).length;
            if (g.length !== length) throw new OracleMismatch(name, `gradient block ${b} of length ${length}`, `gradient of length ${g.length}`);
            const out = new Float32Array(g.length);
            for (let j = 0; j < g.length; j++) out[j] = checkValue(g[j], `the gradient at ${where(i)}`, reject);
            return out;
          }),
        );
      });
      return { responses: { kind: 'valueAndGrad', values, grads }, queries: probes.length, ...(pending ? { pending } : {}) };
    }
    if (batch.response === 'rollouts' && oracle.kind === 'rollouts') {
      const { episodes, pending } = await rolloutGroups(backend, params, probes, walk, name, (x, group) =>
        call(group.length, () => oracle.rollouts(x, group.map((i) => ({ seed: probes[i]!.noiseKey, sample: probes[i]!.sample ?? 0 })), contexts[group[0]!]!), `the rollouts of step ${options.step}`),
      );
      episodes.forEach((e, i) => checkValue(e.return, `the return of ${where(i)}`, reject));
      return { responses: { kind: 'rollouts', episodes }, queries: probes.length, ...(pending ? { pending } : {}) };
    }
  } catch (e) {
    throw recordQueriesSpent(e, spent);
  }
  throw new OracleMismatch(name, oracleNeeded(batch.response), oracle.kind);
}

/**
 * Runs the episodes of a rollouts batch: consecutive probes at the same point form one group, asked of the
 * oracle in one call (one vectorised batch of episodes) with x moved to the group's point in place.
 */
async function rolloutGroups<B>(
  backend: Backend<B>,
  params: Params<B>,
  probes: readonly Probe[],
  walk: Walk,
  name: string,
  run: (x: Params<B>, group: readonly number[]) => Promise<readonly Episode[]>,
): Promise<{ episodes: Episode[]; pending: ParamWrite | undefined }> {
  const groups: number[][] = [];
  for (let i = 0; i < probes.length; i++) {
    const last = groups[groups.length - 1];
    const head = last === undefined ? undefined : probes[last[0]!]!;
    if (head !== undefined && head.scale === probes[i]!.scale && sameDirection(head.direction, probes[i]!.direction)) last!.push(i);
    else groups.push([i]);
  }
  const episodes = new Array<Episode>(probes.length);
  const pending = await walkInPlace(backend, params, groups.map((g) => probes[g[0]!]!), walk, async (g) => {
    const group = groups[g]!;
    const got = await run(params, group);
    if (!Array.isArray(got) || got.length !== group.length) {
      throw new OracleMismatch(name, `${group.length} episodes from the rollouts oracle`, `rollouts returning ${Array.isArray(got) ? got.length : typeof got}`);
    }
    group.forEach((p, j) => (episodes[p] = got[j]!));
  });
  return { episodes, pending };
}

interface Walk {
  readonly restore: RestoreMode;
  readonly writes: ParamWrite[] | undefined;
  readonly defer: boolean;
}

/** Visits the probes in place; returns the deferred restore move, if any (see `deferRestore`). */
async function walkInPlace<B>(
  backend: Backend<B>,
  params: Params<B>,
  probes: readonly Probe[],
  walk: Walk,
  visit: (i: number) => Promise<void>,
): Promise<ParamWrite | undefined> {
  // Coordinate probes on host blocks are restored element by element, so they need no saved copy even in 'exact'
  // mode (a device block's read is a copy: its coordinate probes are restored like any other probe).
  const hostElement = (d: Probe['direction']): boolean => d.kind === 'coordinate' && params[d.block]?.data instanceof Float32Array;
  const moves = probes.some((p) => p.direction.kind !== 'none' && !hostElement(p.direction) && p.scale !== 0);
  const saved = walk.restore === 'exact' && moves ? backend.copy(params) : undefined;
  const move = (direction: Probe['direction'], alpha: number, traced: boolean): void => {
    backend.perturbInPlace(direction, alpha, params);
    if (traced && direction.kind !== 'none' && alpha !== 0) walk.writes?.push({ direction, alpha });
  };
  let current: Probe | undefined;
  // A coordinate probe changes one element: it is restored by assignment of that element, exactly and free.
  let element: { block: Float32Array; index: number; value: number } | undefined;
  const back = (): void => {
    if (current === undefined) return;
    if (element !== undefined) {
      element.block[element.index] = element.value;
      element = undefined;
    } else if (saved) backend.assignInPlace(saved, params);
    else move(current.direction, -current.scale, true);
    current = undefined;
  };
  let pending: ParamWrite | undefined;
  try {
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      const d = p.direction;
      if (current !== undefined && !saved && element === undefined && sameDirection(current.direction, d)) {
        move(d, p.scale - current.scale, true);
      } else {
        back();
        if (d.kind === 'coordinate' && p.scale !== 0 && hostElement(d)) {
          const block = backend.read(params[d.block]!) as Float32Array;
          element = { block, index: d.index, value: block[d.index]! };
        }
        move(d, p.scale, !saved && element === undefined);
      }
      current = p;
      await visit(i);
    }
    const last = current;
    if (walk.defer && last !== undefined && !saved && element === undefined && last.direction.kind !== 'none' && last.scale !== 0) {
      // The caller owes this restore (and fuses it with the update when it can).
      pending = { direction: last.direction, alpha: -last.scale };
      current = undefined;
    }
  } finally {
    back();
    if (saved) backend.dispose(saved);
  }
  return pending;
}

function materialize<B>(backend: Backend<B>, params: Params<B>, probes: readonly Probe[]): Params<B>[] {
  return probes.map((p) => {
    const x = backend.copy(params);
    backend.perturbInPlace(p.direction, p.scale, x);
    return x;
  });
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
