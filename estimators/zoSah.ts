import type { Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import type { Params, Probe, ProbeBatch, Responses, UpdateTerm } from '../src/types.js';
import { recordOptions } from '../src/_internal/recordOptions.js';
import { integerAtLeast, nonNegative, positive } from '../src/validate.js';
import { cgeSample } from './_internal/cgeSample.js';
import { GRID, quadraticFit2d, regularisedInverse } from './_internal/quadraticFit2d.js';
import { rankPermutation } from './_internal/rankPermutation.js';

/** Options of {@link zoSah}. */
export interface ZoSahOptions {
  /** k = m/2: two-dimensional coordinate subspaces per step (m coordinates in all). @defaultValue 5 */
  readonly numSubspaces?: number;
  /** ε: spacing of the difference and fitting grid. @defaultValue 1e-3 */
  readonly sigma?: number;
  /**
   * T: steps the subspaces (and their fitted curvature) are kept before new ones are drawn; the Hessian fit's
   * 8 evaluations per subspace are paid once per switch and reused for T steps. @defaultValue 10
   */
  readonly switchEvery?: number;
  /** λ ≥ 0: ridge regularisation of the second-order coefficients of the fit. @defaultValue 1e-6 */
  readonly ridge?: number;
  /**
   * Smallest curvature magnitude of a subspace's preconditioner, relative to the largest |eigenvalue| seen in
   * it (eigenvalues below are raised to it; negative ones are flipped). @defaultValue 1e-3
   */
  readonly curvatureFloor?: number;
  /** Every query of a step gets the same noise key (common random numbers). @defaultValue true */
  readonly commonRandomNumbers?: boolean;
}

/**
 * State of {@link zoSah}: the step counter, the current subspaces (pairs of flat coordinate indices) and the
 * regularised inverse Hessian of each (a, b, c per pair).
 */
export interface ZoSahState {
  readonly step: number;
  readonly pairs: Int32Array;
  readonly inverse: Float64Array;
}

const PAIRS = 0x5a;
const NOISE = 1;

/**
 * ZO-SAH (subspace-based approximate Hessian): at every step, k random two-dimensional coordinate subspaces
 * (2k distinct coordinates, randomly paired) get a forward-difference gradient gⱼ = ((f(x + εe_a) − f(x))/ε,
 * (f(x + εe_b) − f(x))/ε), and the estimate is the gradient preconditioned by each subspace's curvature:
 *
 *   ĝ = Σⱼ Pⱼᵀ Hⱼ⁻¹ gⱼ    (zero outside the 2k coordinates; x ← x − η ĝ with `sgd(η)`),
 *
 * where Hⱼ is the Hessian of a full quadratic fitted by ridge least squares to f on the 3 × 3 grid
 * x + ε(i e_a + j e_b), i, j ∈ {−1, 0, 1}, with eigenvalues made positive (|λ|, floored). Subspaces are
 * switched every T steps (periodic switching): the grid's 8 evaluations per subspace are spent only at a
 * switch, where the fit also gives the gradient (exact on quadratics); the T − 1 steps in between reuse the
 * fitted curvature and difference only the gradient.
 *
 * Queries per step: 1 + 8k at a switch, 1 + 2k otherwise (`queriesPerStep` reports the larger). Extra memory:
 * 2k indices and 3k numbers. Value reported: f(x).
 *
 * @see D. Kim, S. Lee, W. Lee, K. I. Kim, "Subspace-based Approximate Hessian Method for Zeroth-Order
 * Optimization", arXiv:2507.06125, 2025.
 *
 * @example
 * ```ts
 * import { minimize, sgd } from 'zeroth';
 * import { zoSah } from 'zeroth/estimators';
 * const f = (x: Float32Array) => x.reduce((s, v, i) => s + (i + 1) * v * v, 0);
 * const r = await minimize(f, [1, 1, 1, 1], { estimator: zoSah({ numSubspaces: 2 }), update: sgd(1), budget: { queries: 200 } });
 * ```
 */
export function zoSah(options: ZoSahOptions = {}): Estimator<ZoSahState> {
  const name = 'zoSah';
  if (options === null || typeof options !== 'object') throw new InvalidHyperparameter('options', options, 'must be an object');
  const k = integerAtLeast('numSubspaces', options.numSubspaces ?? 5, 1);
  const eps = positive('sigma', options.sigma ?? 1e-3);
  const every = integerAtLeast('switchEvery', options.switchEvery ?? 10, 1);
  const ridge = nonNegative('ridge', options.ridge ?? 1e-6);
  const floor = positive('curvatureFloor', options.curvatureFloor ?? 1e-3);
  const crn = options.commonRandomNumbers ?? true;
  if (typeof crn !== 'boolean') throw new InvalidHyperparameter('commonRandomNumbers', crn, 'must be true or false');

  const pairsFor = (d: number): number => Math.min(k, Math.floor(d / 2));
  const dimOf = (params: Params): number => params.reduce((n, b) => n + b.data.length, 0);
  const coordinate = (params: Params, flat: number): Probe['direction'] => {
    let i = flat;
    for (let b = 0; b < params.length; b++) {
      const n = params[b]!.data.length;
      if (i < n) return { kind: 'coordinate', block: b, index: i };
      i -= n;
    }
    throw new InvalidInput('params', `they have fewer than ${flat + 1} elements`, 'Pass the parameters the estimator was initialised with.');
  };
  const draw = (d: number, seed: number): Int32Array => {
    const n = pairsFor(d);
    const coords = cgeSample(derivedSeed(seed, 0, PAIRS), 0, d, 2 * n);
    const order = rankPermutation(2 * n, derivedSeed(seed, 1, PAIRS));
    return Int32Array.from(order, (i) => coords[i]!);
  };
  const switching = (state: ZoSahState): boolean => state.step % every === 0 || state.pairs.length === 0;

  return {
    name,
    response: 'values',
    options: recordOptions({ numSubspaces: k, sigma: eps, switchEvery: every, ridge, curvatureFloor: floor, commonRandomNumbers: crn }),
    // The fit reads the realised offsets against the base point, so probes are undone exactly (one saved copy).
    restore: 'exact',
    queriesPerStep(params: Params) {
      const d = dimOf(params);
      if (d < 2) throw new InvalidInput('params', `ZO-SAH needs at least 2 parameters (got ${d})`, 'Use a two-point estimator such as spsa() for one parameter.');
      return 1 + 8 * pairsFor(d);
    },
    init(params: Params): ZoSahState {
      const d = dimOf(params);
      if (d < 2) throw new InvalidInput('params', `ZO-SAH needs at least 2 parameters (got ${d})`, 'Use a two-point estimator such as spsa() for one parameter.');
      return { step: 0, pairs: new Int32Array(0), inverse: new Float64Array(0) };
    },
    propose(state: ZoSahState, params: Params, seed: number): ProbeBatch {
      const key = derivedSeed(seed, 0, NOISE);
      const keyOf = (j: number): number => (crn ? key : derivedSeed(seed, j + 1, NOISE));
      const sw = switching(state);
      const pairs = sw ? draw(dimOf(params), seed) : state.pairs;
      const probes: Probe[] = [{ direction: { kind: 'none' }, scale: 0, noiseKey: keyOf(0) }];
      for (let j = 0; j < pairs.length / 2; j++) {
        const a = coordinate(params, pairs[2 * j]!);
        const b = coordinate(params, pairs[2 * j + 1]!);
        if (!sw) {
          probes.push({ direction: a, scale: eps, noiseKey: keyOf(probes.length) }, { direction: b, scale: eps, noiseKey: keyOf(probes.length + 1) });
          continue;
        }
        for (const [u, v] of GRID) {
          // Diagonal grid points move two coordinates: a dense two-element direction.
          if (v === 0) probes.push({ direction: a, scale: u * eps, noiseKey: keyOf(probes.length) });
          else if (u === 0) probes.push({ direction: b, scale: v * eps, noiseKey: keyOf(probes.length) });
          else probes.push({ direction: twoCoordinates(params, pairs[2 * j]!, pairs[2 * j + 1]!, u, v), scale: eps, noiseKey: keyOf(probes.length) });
        }
      }
      return { response: 'values', probes };
    },
    combine(state: ZoSahState, batch: ProbeBatch, responses: Responses, params: Params) {
      if (responses.kind !== 'values') throw new OracleMismatch(name, 'values', responses.kind);
      const f = responses.values;
      const sw = switching(state);
      const n = pairsFor(dimOf(params));
      const expected = 1 + (sw ? 8 : 2) * n;
      if (batch.probes.length !== expected || f.length !== expected) {
        throw new InvalidInput('batch', `it has ${batch.probes.length} probes, not ${expected}`, 'Pass the batch this estimator proposed.');
      }
      const pairs = sw ? pairsOf(batch, params) : state.pairs;
      const inverse = sw ? new Float64Array(3 * n) : state.inverse;
      const f0 = f[0]!;
      const terms: UpdateTerm[] = [];
      for (let j = 0; j < n; j++) {
        let g: readonly [number, number];
        const xa = valueAt(params, pairs[2 * j]!);
        const xb = valueAt(params, pairs[2 * j + 1]!);
        // Realised offsets: the float32 rounding of x + s, read against the (exactly restored) base point.
        const off = (x: number, s: number): number => Math.fround(x + s) - x;
        if (sw) {
          const o = 1 + 8 * j;
          const u = new Float64Array(9);
          const v = new Float64Array(9);
          GRID.forEach(([i, jj], t) => {
            const s = batch.probes[o + t]!.scale;
            u[t + 1] = i === 0 ? 0 : off(xa, (jj === 0 ? s : s * i));
            v[t + 1] = jj === 0 ? 0 : off(xb, (i === 0 ? s : s * jj));
          });
          const vals = new Float64Array(9);
          vals[0] = f0;
          vals.set(f.subarray(o, o + 8), 1);
          const fit = quadraticFit2d(u, v, vals, ridge);
          g = fit.g;
          const top = Math.abs(0.5 * (fit.h[0] + fit.h[2])) + Math.hypot(0.5 * (fit.h[0] - fit.h[2]), fit.h[1]);
          // Curvature that changes the gradient by less than 10⁻⁶ of itself over the grid is no curvature: the
          // subspace is (numerically) linear and keeps the plain gradient (identity preconditioner).
          const gn = Math.hypot(g[0], g[1]);
          const flat = !(top * Math.max(u[1]!, v[3]!, eps) > 1e-6 * gn) || !Number.isFinite(top);
          inverse.set(flat ? [1, 0, 1] : regularisedInverse(fit.h, floor * top), 3 * j);
        } else {
          const o = 1 + 2 * j;
          g = [(f[o]! - f0) / off(xa, batch.probes[o]!.scale), (f[o + 1]! - f0) / off(xb, batch.probes[o + 1]!.scale)];
        }
        const [a, b, c] = [inverse[3 * j]!, inverse[3 * j + 1]!, inverse[3 * j + 2]!];
        terms.push(
          { direction: coordinate(params, pairs[2 * j]!), coeff: a * g[0] + b * g[1] },
          { direction: coordinate(params, pairs[2 * j + 1]!), coeff: b * g[0] + c * g[1] },
        );
      }
      return { state: { step: state.step + 1, pairs, inverse }, update: { kind: 'implicit' as const, terms }, value: f0 };
    },
  };
}

function valueAt(params: Params, flat: number): number {
  let i = flat;
  for (const b of params) {
    if (i < b.data.length) return b.data[i]!;
    i -= b.data.length;
  }
  return NaN;
}

/** The direction u·e_a + v·e_b (u, v = ±1) as a dense direction holding two non-zero elements. */
function twoCoordinates(params: Params, a: number, b: number, u: number, v: number): Probe['direction'] {
  const blocks: (Float32Array | undefined)[] = params.map(() => undefined);
  const put = (flat: number, value: number): void => {
    let i = flat;
    for (let bi = 0; bi < params.length; bi++) {
      const n = params[bi]!.data.length;
      if (i < n) {
        blocks[bi] ??= new Float32Array(n);
        blocks[bi]![i] = value;
        return;
      }
      i -= n;
    }
  };
  put(a, u);
  put(b, v);
  return { kind: 'dense', blocks };
}

/** The pairs of a switch step, read back from its probes (coordinates of grid points 1 and 3 of each pair). */
function pairsOf(batch: ProbeBatch, params: Params): Int32Array {
  const n = (batch.probes.length - 1) / 8;
  const out = new Int32Array(2 * n);
  const flat = (probe: Probe): number => {
    const d = probe.direction;
    if (d.kind !== 'coordinate') throw new InvalidInput('batch', 'a grid probe is not a coordinate probe', 'Pass the batch this estimator proposed.');
    let o = 0;
    for (let b = 0; b < d.block; b++) o += params[b]!.data.length;
    return o + d.index;
  };
  for (let j = 0; j < n; j++) {
    out[2 * j] = flat(batch.probes[1 + 8 * j]!);
    out[2 * j + 1] = flat(batch.probes[1 + 8 * j + 2]!);
  }
  return out;
}
