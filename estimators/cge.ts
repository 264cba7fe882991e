import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import { checkSeed } from '../src/rng/seedStream.js';
import type { Schedule } from '../src/transform/transform.js';
import type { Direction, Params, Probe, ProbeBatch, Responses } from '../src/types.js';
import { integerAtLeast, nonNegative, oneOf, positiveSchedule } from '../src/validate.js';
import {
  cgeBlockSize,
  cgeCountActive,
  cgeKeepCount,
  cgeResolveMask,
  cgeSparseMask,
  type CgeActiveBlock,
  type CgeSparsityRule,
} from './_internal/cgeMask.js';
import { cgeSample } from './_internal/cgeSample.js';

/** The mask of one block: `true` (every element active), `false` (none), or one flag per element. */
export type CgeBlockMask = boolean | readonly boolean[] | Uint8Array;

/**
 * A fixed sparsity mask: one {@link CgeBlockMask} per parameter block, or a function of the block (e.g.
 * `(b) => b.shape.length === 2` to estimate only the matrices).
 */
export type CgeMask =
  | readonly CgeBlockMask[]
  | ((block: { readonly name: string; readonly shape: readonly number[] }, index: number) => CgeBlockMask);

/** A sparsity mask recomputed every `refreshEvery` steps (DeepZero's sparse CGE). */
export interface CgeSparsity {
  /** Fraction of the coordinates of each block that are masked out (get a zero estimate), in [0, 1). */
  readonly ratio: number;
  /** The mask is recomputed at the steps k ≡ 0 (mod refreshEvery) and kept in the state. @defaultValue 1 */
  readonly refreshEvery?: number;
  /**
   * `'random'`: a uniformly random subset of each block, of exactly round((1 − ratio)·n) coordinates (DeepZero's
   * layer-wise random pruning). `'magnitude'`: the round((1 − ratio)·n) coordinates of largest |x| in each
   * block (ties to the lower index), at the refresh step's x. Each block keeps at least one coordinate.
   * @defaultValue 'random'
   */
  readonly mode?: 'magnitude' | 'random';
  /**
   * Seed of the random masks: the mask of refresh r is a function of (seed, r), not of the run seed (combine
   * sees no seed, and the mask must be the same in propose and combine). @defaultValue 0
   */
  readonly seed?: number;
}

/** Options of {@link cge}. */
export interface CgeOptions {
  /**
   * Finite-difference step μ (DeepZero's μ, `--zoo-step-size`), a number or a schedule of the step k. The
   * divisor is the realised float32 difference of the probe scales.
   * @defaultValue 5e-3
   */
  readonly sigma?: number | Schedule;
  /**
   * `'central'`: (f(x + μeᵢ) − f(x − μeᵢ))/(2μ), 2|S| queries, exact on quadratics.
   * `'forward'`: (f(x + μeᵢ) − f(x))/μ, 1 + |S| queries, bias (μ/2)·∂²ᵢf (DeepZero's choice).
   * @defaultValue 'central'
   */
  readonly difference?: 'central' | 'forward';
  /**
   * Estimate only `numCoordinates` active coordinates per step, drawn uniformly without replacement from the
   * step seed; the others get 0 (randomised block-coordinate descent). The drawn coordinates get their plain
   * difference quotient, not scaled by |active|/numCoordinates, so the mean is (numCoordinates/|active|)·∇f.
   * @defaultValue every active coordinate
   */
  readonly numCoordinates?: number;
  /** A fixed mask of the active coordinates; masked coordinates get exactly 0. Exclusive with `sparsity`. */
  readonly mask?: CgeMask;
  /** A mask recomputed every `refreshEvery` steps; see {@link CgeSparsity}. Exclusive with `mask`. */
  readonly sparsity?: CgeSparsity;
  /**
   * Every query of a step receives the same `noiseSeed` (one minibatch per step, as DeepZero), so evaluation
   * noise cancels in the differences. When false, every query gets its own.
   * @defaultValue true
   */
  readonly commonRandomNumbers?: boolean;
}

/** State of {@link cge}. */
export interface CgeState {
  /** The step counter k (for μ schedules and mask refreshes). */
  readonly step: number;
  /**
   * The active coordinates per block (ascending indices; `null` = the whole block), or `null` when every
   * coordinate is active.
   */
  readonly active: readonly CgeActiveBlock[] | null;
  /** The step at which a sparsity mask was computed. */
  readonly activeSince: number;
}

const NOISE = 1;
const SUBSET = 3;

/**
 * DeepZero's coordinate-wise gradient estimator (CGE): one finite difference per active coordinate i ∈ S,
 *
 * central: ĝᵢ = (f(x + μeᵢ) − f(x − μeᵢ)) / (2μ),   forward: ĝᵢ = (f(x + μeᵢ) − f(x)) / μ,   ĝᵢ = 0 for i ∉ S,
 *
 * where S is every coordinate, a fixed `mask`, or a `sparsity` mask refreshed every `refreshEvery` steps,
 * optionally thinned to `numCoordinates` coordinates drawn per step (plain coordinate estimates on the drawn
 * subset, as coordinate descent; unscaled). Central differences are exact on quadratics; forward differences
 * carry the bias (μ/2)·∂²ᵢf. The estimate is a dense update (one array per block); with `sgd` it is
 * ZO-SGD with CGE, with momentum DeepZero's ZO training.
 *
 * Each probe moves one element and is undone by assigning that element back (no drift, no copy). With a
 * `batch` oracle every probe point of a step goes in one call (DeepZero's forward parallelisation).
 *
 * Queries per step: 2|S| (central) or 1 + |S| (forward), with |S| = min(numCoordinates, active coordinates).
 * Extra memory: the dense estimate (1× params), plus the mask's active indices (4 bytes each) when masked.
 * Value reported per step: the mean of the evaluations (central, f(x) + O(μ²)), f(x) (forward).
 *
 * @see A. Chen, Y. Zhang, J. Jia, J. Diffenderfer, J. Liu, K. Parasyris, Y. Zhang, Z. Zhang, B. Kailkhura,
 * S. Liu, "DeepZero: Scaling up Zeroth-Order Optimization for Deep Model Training", ICLR 2024.
 * @throws InvalidHyperparameter (options `sigma`, `difference`, `numCoordinates`, `mask`, `sparsity.*`,
 * `commonRandomNumbers`); InvalidInput at init when the mask does not fit the parameters or selects nothing.
 *
 * @example
 * ```ts
 * import { minimize, sgd } from 'zeroth';
 * import { cge } from 'zeroth/estimators';
 * const r = await minimize((x) => (x[0]! - 1) ** 2 + 10 * x[1]! ** 2, [0, 1],
 *   { estimator: cge({ sigma: 1e-3 }), update: sgd(0.04), budget: { queries: 400 }, seed: 1 });
 * ```
 */
export function cge(options: CgeOptions = {}): Estimator<CgeState> {
  const sigma = positiveSchedule('sigma', options.sigma ?? 5e-3);
  const difference = oneOf('difference', options.difference ?? 'central', ['central', 'forward'] as const);
  const numCoordinates = options.numCoordinates === undefined ? undefined : integerAtLeast('numCoordinates', options.numCoordinates, 1);
  const crn = options.commonRandomNumbers ?? true;
  if (typeof crn !== 'boolean') throw new InvalidHyperparameter('commonRandomNumbers', crn, 'must be true or false');
  const mask = checkMask(options.mask);
  const sparsity = checkSparsity(options.sparsity);
  if (mask !== undefined && sparsity !== undefined) {
    throw new InvalidHyperparameter('mask', 'given with sparsity', 'cannot be combined with sparsity: pass a fixed mask or a sparsity rule, not both');
  }
  const name = 'cge';

  /** The active coordinates at step `state.step` and the step their mask was computed at. */
  const activeAt = (state: CgeState, params: Params): [readonly CgeActiveBlock[] | null, number] => {
    if (sparsity === undefined) return [state.active, state.activeSince];
    const since = state.step - (state.step % sparsity.refreshEvery);
    if (state.active !== null && state.activeSince === since) return [state.active, since];
    return [cgeSparseMask(params, sparsity, since / sparsity.refreshEvery), since];
  };
  const initialActive = (params: Params): readonly CgeActiveBlock[] | null => {
    if (mask !== undefined) return cgeResolveMask(mask, params);
    if (sparsity !== undefined) return cgeSparseMask(params, sparsity, 0);
    return null;
  };
  const activeCount = (active: readonly CgeActiveBlock[] | null, params: Params): number => {
    const n = cgeCountActive(active, params);
    if (n === 0) throw new InvalidInput('mask', 'it selects no coordinate', 'Select at least one coordinate to estimate.');
    return n;
  };
  const sizeOf = (params: Params): number => {
    const m = params.length === 0 ? 0 : sparsity !== undefined
      ? params.reduce((s, b) => s + cgeKeepCount(cgeBlockSize(b), sparsity.ratio), 0)
      : activeCount(mask === undefined ? null : cgeResolveMask(mask, params), params);
    if (m === 0) throw new InvalidInput('params', 'there is no coordinate to estimate', 'Pass at least one non-empty parameter block.');
    return Math.min(m, numCoordinates ?? m);
  };

  return {
    name,
    response: 'values',
    options: recordOptions({ sigma: options.sigma ?? 5e-3, difference, numCoordinates, mask: options.mask, sparsity: options.sparsity, commonRandomNumbers: crn }),
    queriesPerStep(params: Params): number {
      const s = sizeOf(params);
      return difference === 'central' ? 2 * s : 1 + s;
    },
    init(params: Params): CgeState {
      const active = initialActive(params);
      activeCount(active, params);
      return { step: 0, active, activeSince: 0 };
    },
    propose(state: CgeState, params: Params, seed: number): ProbeBatch {
      const [active] = activeAt(state, params);
      const s = sigma(state.step);
      const probes: Probe[] = [];
      const key = (j: number): number => derivedSeed(seed, crn ? 0 : j, NOISE);
      if (difference === 'forward') probes.push({ direction: { kind: 'none' }, scale: 0, noiseKey: key(0) });
      forEachCoordinate(active, params, numCoordinates, derivedSeed(seed, 0, SUBSET), activeCount(active, params), (block, index) => {
        const direction: Direction = { kind: 'coordinate', block, index };
        probes.push({ direction, scale: s, noiseKey: key(probes.length) });
        if (difference === 'central') probes.push({ direction, scale: -s, noiseKey: key(probes.length) });
      });
      return { probes, response: 'values' };
    },
    combine(state: CgeState, batch: ProbeBatch, responses: Responses, params: Params) {
      if (responses.kind !== 'values') throw new OracleMismatch(name, "'values' responses", responses.kind);
      const f = responses.values;
      const p = batch.probes;
      if (f.length !== p.length) {
        throw new InvalidInput('responses', `${f.length} values were given for ${p.length} probes`, 'Answer every probe of the batch, in order.');
      }
      const blocks = params.map((b) => new Float32Array(cgeBlockSize(b)));
      const put = (probe: Probe, value: number): void => {
        const d = probe.direction;
        if (d.kind !== 'coordinate') {
          throw new InvalidInput('batch', `probe direction of kind '${d.kind}' where a coordinate was expected`, 'Pass the batch cge proposed.');
        }
        blocks[d.block]![d.index] = value;
      };
      let sum = 0;
      for (const v of f) sum += v;
      if (difference === 'central') {
        for (let j = 0; j + 1 < p.length; j += 2) {
          put(p[j]!, (f[j]! - f[j + 1]!) / (realised(p[j]!) - realised(p[j + 1]!)));
        }
      } else {
        for (let j = 1; j < p.length; j++) put(p[j]!, (f[j]! - f[0]!) / realised(p[j]!));
      }
      const [active, since] = activeAt(state, params);
      return {
        state: { step: state.step + 1, active, activeSince: since },
        update: { kind: 'dense' as const, blocks },
        value: difference === 'central' ? sum / f.length : f[0]!,
      };
    },
  };
}

/**
 * Calls `visit(block, index)` for the coordinates probed this step, in (block, index) order: every active
 * coordinate, or `k` of the `total` active ones drawn without replacement from `seed`.
 */
function forEachCoordinate(
  active: readonly CgeActiveBlock[] | null,
  params: Params,
  k: number | undefined,
  seed: number,
  total: number,
  visit: (block: number, index: number) => void,
): void {
  if (k === undefined || k >= total) {
    params.forEach((block, b) => {
      const a = active?.[b] ?? null;
      if (a !== null) for (const i of a) visit(b, i);
      else for (let i = 0, n = cgeBlockSize(block); i < n; i++) visit(b, i);
    });
    return;
  }
  const ranks = cgeSample(seed, 0, total, k);
  let b = 0;
  let offset = 0;
  for (const r of ranks) {
    for (;;) {
      const a = active?.[b] ?? null;
      const count = a === null ? cgeBlockSize(params[b]!) : a.length;
      if (r < offset + count) {
        visit(b, a === null ? r - offset : a[r - offset]!);
        break;
      }
      offset += count;
      b++;
    }
  }
}

function checkMask(mask: unknown): CgeMask | undefined {
  if (mask === undefined) return undefined;
  if (typeof mask !== 'function' && !Array.isArray(mask)) {
    throw new InvalidHyperparameter('mask', mask, 'must be an array with one entry per block (true, false, boolean[] or Uint8Array) or a function (block, index) => entry');
  }
  return mask as CgeMask;
}

function checkSparsity(sparsity: CgeSparsity | undefined): CgeSparsityRule | undefined {
  if (sparsity === undefined) return undefined;
  if (sparsity === null || typeof sparsity !== 'object') {
    throw new InvalidHyperparameter('sparsity', sparsity, 'must be an object { ratio, refreshEvery?, mode?, seed? }');
  }
  const ratio = nonNegative('sparsity.ratio', sparsity.ratio);
  if (ratio >= 1) throw new InvalidHyperparameter('sparsity.ratio', ratio, 'must be in [0, 1): the fraction of coordinates masked out');
  return {
    ratio,
    refreshEvery: integerAtLeast('sparsity.refreshEvery', sparsity.refreshEvery ?? 1, 1),
    mode: oneOf('sparsity.mode', sparsity.mode ?? 'random', ['magnitude', 'random'] as const),
    seed: checkSeed(sparsity.seed ?? 0, 'sparsity.seed'),
  };
}

/** The scale actually applied by a probe (float32, as the backends apply it). */
function realised(p: Probe): number {
  return Math.fround(p.scale);
}
