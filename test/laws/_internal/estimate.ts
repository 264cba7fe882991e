import { cpuBackend } from '../../../src/backend/cpuBackend.js';
import type { Estimator } from '../../../src/estimator.js';
import { evaluateProbes, type RestoreMode } from '../../../src/eval/evaluateProbes.js';
import { rankingFromValues, valueOracle } from '../../../src/oracle/adapters.js';
import type { Oracle } from '../../../src/oracle/oracle.js';
import type { EpisodeRequest } from '../../../src/rl/episode.js';
import { rolloutsOracle } from '../../../src/rl/rolloutsOracle.js';
import { lawContext } from './lawContext.js';
import type { Params, Probe, Update } from '../../../src/types.js';
import { flatten, type TestQuadratic } from './quadratic.js';

const backend = cpuBackend();

/**
 * An oracle of the kind the estimator needs, over a test quadratic. A rollouts estimator gets the rollouts
 * oracle of the layout's law context (`lawContext(sizes, q)`; `calls` counts episodes).
 */
export function oracleFor(
  estimator: Estimator<unknown>,
  q: { value(x: ArrayLike<number>): number; grad?(x: ArrayLike<number>): Float64Array },
  sizes: readonly number[] = [],
): Oracle<Params> & { calls: number } {
  let calls = 0;
  const counted = {
    get calls() {
      return calls;
    },
  };
  if (estimator.response === 'rollouts') {
    const inner = rolloutsOracle(lawContext(sizes, q));
    return Object.assign(counted, {
      kind: 'rollouts' as const,
      rollouts(p: Params, requests: readonly EpisodeRequest[]) {
        calls += requests.length;
        return inner.rollouts(p, requests);
      },
    });
  }
  if (estimator.response === 'valueAndGrad') {
    return Object.assign(counted, {
      kind: 'gradient' as const,
      valueAndGrad(p: Params) {
        calls++;
        const x = flatten(p);
        const g = q.grad!(x);
        let o = 0;
        const grad = p.map((b) => {
          const out = Float32Array.from(g.subarray(o, o + b.data.length));
          o += b.data.length;
          return out;
        });
        return { value: q.value(x), grad };
      },
    });
  }
  const value = valueOracle((p: Params) => {
    calls++;
    return q.value(flatten(p));
  });
  if (estimator.response === 'ranking') return Object.assign(counted, rankingFromValues(value));
  return Object.assign(counted, value);
}

/** One complete step of an estimator (all rounds) at `params`, without applying the update. */
export interface Estimate {
  readonly update: Update;
  readonly dense: Float64Array;
  readonly probes: readonly Probe[];
  readonly queries: number;
  readonly value: number;
  readonly state: unknown;
  /** The update is already a step (line search / comparison), not a gradient estimate. */
  readonly final: boolean;
}

/**
 * Runs propose → evaluate → combine until the estimator returns an update (at most 100 rounds). With `shorten`,
 * the probes of the first round are shortened along their own directions before they are evaluated, as the
 * tuner shortens probes at its bounds: probe i's scale becomes f32(scale · shorten[i mod length]).
 */
export async function estimateOnce(
  estimator: Estimator<unknown>,
  params: Params,
  q: TestQuadratic,
  seed: number,
  state: unknown = estimator.init(params),
  restore: RestoreMode = 'reapply',
  shorten?: readonly number[],
): Promise<Estimate> {
  const oracle = oracleFor(estimator, q, params.map((b) => b.data.length));
  const probes: Probe[] = [];
  let queries = 0;
  for (let round = 0; round < 100; round++) {
    const proposed = estimator.propose(state, params, seed);
    const batch =
      round === 0 && shorten !== undefined && shorten.length > 0
        ? { ...proposed, probes: proposed.probes.map((p, i) => (p.scale === 0 ? p : { ...p, scale: Math.fround(p.scale * shorten[i % shorten.length]!) })) }
        : proposed;
    probes.push(...batch.probes);
    const r = await evaluateProbes(backend, params, batch, oracle, { step: 0, restore, estimator: estimator.name });
    queries += r.queries;
    const c = estimator.combine(state, batch, r.responses, params);
    state = c.state;
    if (c.update !== undefined) {
      return { update: c.update, dense: densify(c.update, params), probes, queries, value: c.value, state, final: c.final === true };
    }
  }
  throw new Error(`${estimator.name} asked for more than 100 rounds in one step`);
}

/** The update as one float64 vector over all blocks. */
export function densify(update: Update, params: Params): Float64Array {
  if (update.kind === 'dense') {
    return flatten(update.blocks.map((data, i) => ({ name: String(i), shape: [data.length], data })));
  }
  const z = backend.zerosLike(params);
  for (const t of update.terms) {
    if (t.direction.kind === 'params') continue;
    backend.perturbInPlace(t.direction, t.coeff, z);
  }
  return flatten(z);
}
