import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Combined, Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, InvalidInput, OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import type { Schedule } from '../src/transform/transform.js';
import type { Direction, Params, Probe, ProbeBatch, Responses, UpdateTerm } from '../src/types.js';
import { integerAtLeast, positive, positiveSchedule } from '../src/validate.js';
import { combinationBlocks, combinationNorm } from './_internal/rankCombination.js';
import { rankPermutation } from './_internal/rankPermutation.js';
import { rankWeights } from './_internal/rankWeights.js';

/** Options of the ranking-based line search of {@link zoRankSgd}. */
export interface ZoRankSgdLineSearchOptions {
  /**
   * η: the largest line-search step, in units of the averaged direction d̄, or a distance when `normalize`
   * (d̄/‖d̄‖; recommended with the line search, since ‖d̄‖ grows like √dim: about 0.56·√dim for one full
   * ranking of 6). On rotated(quadratic(d = 100, κ = 100)), `{ sigma: 1e-2, normalize: true }` with η = 1
   * reduced f − f* by 10³ in a median of 6,444 queries.
   * @defaultValue 1
   */
  readonly initialStep?: number;
  /** γ ∈ (0, 1): the line-search candidates are x + η γʲ d̄ for j = 0 … m − 3. @defaultValue 0.5 */
  readonly shrink?: number;
  /**
   * While the search keeps failing, d̄ averages the directions of every round since x last moved. The (seed,
   * weight) terms of at most this many rounds are kept and replayed; older rounds are folded into one dense
   * sum (1× params, float32), so a step's cost stays O(maxRounds · m · d) however long x stays.
   * @defaultValue 8
   */
  readonly maxRounds?: number;
}

/** Options of {@link zoRankSgd}. */
export interface ZoRankSgdOptions {
  /** Smoothing radius σ (the paper's μ), a number or a schedule of the step k. @defaultValue 1e-2 */
  readonly sigma?: number | Schedule;
  /** m: candidates ranked per round (≥ 2; ≥ 3 with the line search). @defaultValue 6 */
  readonly numCandidates?: number;
  /**
   * k: how many of the m candidates the estimate uses the order of (an (m, k)-ranking oracle). An oracle that
   * orders more is truncated to its best k; one that returns k′ < k indices gives a DAG with k = k′.
   * @defaultValue numCandidates
   */
  readonly topK?: number;
  /**
   * Divide the direction by its norm: ĝ = −d/‖d‖ (the authors' notebook does; the paper's estimator is the
   * plain average). With the line search, the averaged direction is normalised, so η is a distance.
   * @defaultValue true with `lineSearch`, false without
   */
  readonly normalize?: boolean;
  /** The paper's ranking-based line search (true for the defaults). @defaultValue false */
  readonly lineSearch?: boolean | ZoRankSgdLineSearchOptions;
  /**
   * Show the candidates to the oracle in a seeded shuffled order (as a human judge should see them); ranks
   * are mapped back through the permutation in both rounds, so with an exact ranking the trajectory is the
   * same as unshuffled (ties aside: they are broken by displayed position).
   * @defaultValue false
   */
  readonly shuffleDisplay?: boolean;
}

/**
 * State of {@link zoRankSgd}: plain data. `step` counts steps (for σ schedules); `phase` is the next round of
 * the step (`'search'` only between the two rounds of a line-search step). `seeds`/`coeffs` (plus `folded`)
 * hold Σᵣ dᵣ, the sum of the directions estimated in the `rounds` consecutive rounds whose line search found
 * nothing better than x (line search only; the average is Σᵣ dᵣ / rounds): the terms of the last rounds as
 * (seed, weight) pairs, and `folded`, one float32 array per block holding the sum of the older rounds (null
 * until more than `maxRounds` rounds accumulated). `best` is the seed of the best candidate of the last
 * estimation round.
 */
export interface ZoRankSgdState {
  readonly step: number;
  readonly phase: 'estimate' | 'search';
  readonly seeds: readonly number[];
  readonly coeffs: readonly number[];
  readonly folded: readonly Float32Array[] | null;
  readonly rounds: number;
  readonly best: number;
}

const DIRECTION = 0;
const NOISE = 1;
const SHUFFLE = 2;

/**
 * ZO-RankSGD: a descent direction from an (m, k)-ranking of m seeded Gaussian candidates x + σξᵢ (only the
 * order of the k best is known; f itself never is). The ranking's DAG has an edge "a beats b" for each
 * ordered pair in the top k and each (top-k, unranked) pair, |E| = k(k−1)/2 + k(m−k), and
 *
 * d = (1/|E|) Σ_{(a beats b) ∈ E} (ξ_a − ξ_b) = (1/|E|) Σᵢ wᵢ ξᵢ,  wₜ = m − 1 − 2t at rank t, w = −k unranked,
 *
 * (Σ w = 0). The estimate is ĝ = −d (−d/‖d‖ with `normalize`), an implicit update Σᵢ (−wᵢ/|E|) · ξᵢ (zero
 * weights dropped), so `sgd(lr)` steps x ← x + lr·d. k is the number of indices the oracle returned, whatever
 * `topK` says. The estimate depends on f only through the ranking: h∘f gives the same trajectory for any
 * strictly increasing h. Ties are broken by the oracle (`rankingFromValues`: by displayed position).
 *
 * With `lineSearch`, each step has a second round: d̄, the average of the directions estimated since x last
 * moved (d̄/‖d̄‖ with `normalize`), is searched by ranking m candidates: x itself, x + ηγʲd̄ for
 * j = 0 … m − 3, and the best candidate of the estimation round. If the best is not x, x moves there (a
 * `final` step, built as an implicit update from the same seeded directions, so it equals the ranked point
 * up to float32 rounding) and d̄ is reset; otherwise x stays and the next round's direction joins the
 * average. Ties keep x when the display is not shuffled (x is candidate 0). The transform (`update`) is then
 * unused.
 *
 * All candidates of a round share one noise key (one ranking is one judgment, and a ranking oracle sees one
 * context); with `shuffleDisplay` the round's permutation is seeded by that key, so `combine` recovers it from
 * the batch alone and maps every rank back to its candidate.
 *
 * Queries per step: m (2m with the line search). Extra memory: none without the line search, apart from an
 * O(block) scratch with `normalize` (the norm is taken block by block); with the line search, m (seed,
 * weight) pairs per consecutive unsuccessful round, at most `maxRounds` rounds of them (reset on every move),
 * one dense float32 sum of the older rounds (1× params) once more have accumulated, and one dense float32
 * copy of d̄ (1× params) during the line-search round. Value reported per step: NaN (a ranking oracle exposes no
 * values, so value-based stoppers and targets cannot be used).
 *
 * @see Z. Tang, D. Rybin, T.-H. Chang, "Zeroth-Order Optimization Meets Human Feedback: Provable Learning via
 * Ranking Oracles", ICLR 2024, arXiv:2303.03751.
 *
 * @example
 * ```ts
 * import { identity, minimize, sgd } from 'zeroth';
 * import { zoRankSgd } from 'zeroth/estimators';
 * const f = (x: Float32Array) => (x[0]! - 1) ** 2 + x[1]! ** 2;
 * // Plain ZO-RankSGD: the transform scales ĝ = −d.
 * const a = await minimize(f, [0, 0], { estimator: zoRankSgd({ normalize: true }), update: sgd(0.05),
 *   oracle: 'ranking', budget: { queries: 1200 }, seed: 1 });
 * // With the ranking line search the estimator takes the steps itself (the transform is unused).
 * const b = await minimize(f, [0, 0], { estimator: zoRankSgd({ normalize: true, lineSearch: { initialStep: 0.5 } }),
 *   update: identity(), oracle: 'ranking', budget: { queries: 1200 }, seed: 1 });
 * ```
 */
export function zoRankSgd(options: ZoRankSgdOptions = {}): Estimator<ZoRankSgdState> {
  const name = 'zoRankSgd';
  const sigma = positiveSchedule('sigma', options.sigma ?? 1e-2);
  const m = integerAtLeast('numCandidates', options.numCandidates ?? 6, 2);
  const topK = integerAtLeast('topK', options.topK ?? m, 1);
  if (topK > m) throw new InvalidHyperparameter('topK', topK, `must be ≤ numCandidates (${m})`);
  const normalize = flag('normalize', options.normalize ?? (options.lineSearch !== undefined && options.lineSearch !== false));
  const shuffle = flag('shuffleDisplay', options.shuffleDisplay ?? false);
  const ls = lineSearchOptions(options.lineSearch ?? false, m);

  const identity = Int32Array.from({ length: m }, (_, i) => i);
  const display = (key: number, round: number): Int32Array => (shuffle ? rankPermutation(m, derivedSeed(key, round, SHUFFLE)) : identity);

  function batchOf(candidates: readonly Probe[], key: number, round: number): ProbeBatch {
    const shown = display(key, round);
    return { probes: Array.from(shown, (c) => candidates[c]!), response: 'ranking' };
  }

  /** The ranked candidate indices (best first), mapped back from displayed positions, and each candidate's probe. */
  function unshuffle(state: ZoRankSgdState, batch: ProbeBatch, responses: Responses): { order: Int32Array; probeOf: Probe[] } {
    if (responses.kind !== 'ranking') throw new OracleMismatch(name, "a 'ranking' oracle", responses.kind);
    if (batch.probes.length !== m) {
      throw new InvalidInput('batch', `it has ${batch.probes.length} probes, not numCandidates = ${m}`, 'Pass the batch this estimator proposed.');
    }
    const shown = display(batch.probes[0]!.noiseKey, state.phase === 'estimate' ? 0 : 1);
    const probeOf: Probe[] = new Array<Probe>(m);
    shown.forEach((c, p) => (probeOf[c] = batch.probes[p]!));
    const order = Int32Array.from(responses.order, (p) => shown[p] ?? -1);
    return { order, probeOf };
  }

  function estimate(state: ZoRankSgdState, batch: ProbeBatch, responses: Responses, params: Params): Combined<ZoRankSgdState> {
    const { order, probeOf } = unshuffle(state, batch, responses);
    const { weights, edges } = rankWeights(m, order.subarray(0, topK), name);
    const seeds: number[] = [];
    const coeffs: number[] = [];
    for (let i = 0; i < m; i++) {
      if (weights[i] === 0) continue;
      seeds.push(seedOf(probeOf[i]!));
      coeffs.push(weights[i]! / edges);
    }
    if (ls === undefined) {
      const norm = normalize ? combinationNorm({ seeds, coeffs }, params) : 1;
      const scale = norm > 0 ? -1 / norm : -1;
      const terms: UpdateTerm[] = seeds.map((seed, t) => ({ direction: { kind: 'gaussian', seed }, coeff: scale * coeffs[t]! }));
      return { state: { ...state, step: state.step + 1 }, update: { kind: 'implicit', terms }, value: NaN };
    }
    // Beyond maxRounds rounds of terms, the older ones are folded into one dense sum (the cost of a step stays bounded).
    const fold = state.seeds.length >= ls.maxRounds * m;
    const folded = fold ? foldInto(state, params) : state.folded;
    const next: ZoRankSgdState = {
      step: state.step,
      phase: 'search',
      seeds: fold ? seeds : [...state.seeds, ...seeds],
      coeffs: fold ? coeffs : [...state.coeffs, ...coeffs],
      folded,
      rounds: state.rounds + 1,
      best: seedOf(probeOf[order[0]!]!),
    };
    return { state: next, update: undefined, value: NaN };
  }

  function search(state: ZoRankSgdState, batch: ProbeBatch, responses: Responses): Combined<ZoRankSgdState> {
    const { order, probeOf } = unshuffle(state, batch, responses);
    const c = order[0] ?? -1;
    if (!(c >= 0 && c < m)) throw new OracleMismatch(name, `a non-empty ranking of candidate indices in [0, ${m})`, 'ranking without a valid best index');
    const reset: ZoRankSgdState = { step: state.step + 1, phase: 'estimate', seeds: [], coeffs: [], folded: null, rounds: 0, best: 0 };
    if (c === 0) {
      // x itself ranked best: stay, and keep averaging directions at this point.
      return { state: { ...state, step: state.step + 1, phase: 'estimate', best: 0 }, update: { kind: 'implicit', terms: [] }, value: NaN, final: true };
    }
    const probe = probeOf[c]!;
    const terms: UpdateTerm[] =
      c === m - 1
        ? [{ direction: probe.direction, coeff: probe.scale }]
        : [
            ...state.seeds.map((seed, t): UpdateTerm => ({ direction: { kind: 'gaussian', seed }, coeff: (probe.scale * state.coeffs[t]!) / state.rounds })),
            ...(state.folded === null ? [] : [{ direction: { kind: 'dense' as const, blocks: state.folded }, coeff: probe.scale / state.rounds }]),
          ];
    return { state: reset, update: { kind: 'implicit', terms }, value: NaN, final: true };
  }

  return {
    name,
    response: 'ranking',
    options: recordOptions({ sigma: options.sigma ?? 1e-2, numCandidates: m, topK, normalize, lineSearch: ls ?? false, shuffleDisplay: shuffle }),
    queriesPerStep: () => (ls === undefined ? m : 2 * m),
    init: () => ({ step: 0, phase: 'estimate', seeds: [], coeffs: [], folded: null, rounds: 0, best: 0 }),
    propose(state: ZoRankSgdState, params: Params, seed: number): ProbeBatch {
      const s = sigma(state.step);
      if (state.phase === 'estimate') {
        const key = derivedSeed(seed, 0, NOISE);
        const candidates = Array.from({ length: m }, (_, i): Probe => ({
          direction: { kind: 'gaussian', seed: derivedSeed(seed, i, DIRECTION) },
          scale: s,
          noiseKey: key,
        }));
        return batchOf(candidates, key, 0);
      }
      const { initialStep, shrink } = ls!;
      const inv = 1 / state.rounds;
      const { blocks, norm } = combinationBlocks({ seeds: state.seeds, coeffs: state.coeffs.map((v) => v * inv) }, params, state.folded, inv);
      const unit = normalize && norm > 0 ? 1 / norm : 1;
      const direction: Direction = { kind: 'dense', blocks };
      const key = derivedSeed(seed, 1, NOISE);
      const candidates: Probe[] = [{ direction: { kind: 'none' }, scale: 0, noiseKey: key }];
      for (let j = 0; j < m - 2; j++) candidates.push({ direction, scale: initialStep * shrink ** j * unit, noiseKey: key });
      candidates.push({ direction: { kind: 'gaussian', seed: state.best }, scale: s, noiseKey: key });
      return batchOf(candidates, key, 1);
    },
    combine(state: ZoRankSgdState, batch: ProbeBatch, responses: Responses, params: Params) {
      return state.phase === 'estimate' ? estimate(state, batch, responses, params) : search(state, batch, responses);
    },
  };
}

function seedOf(probe: Probe): number {
  if (probe.direction.kind !== 'gaussian') {
    throw new InvalidInput('batch', `a candidate has a ${probe.direction.kind} direction where a Gaussian one was proposed`, 'Pass the batch this estimator proposed.');
  }
  return probe.direction.seed;
}

/** The dense sum of every round's direction so far (the folded part plus the kept terms), one float32 array per block. */
function foldInto(state: ZoRankSgdState, params: Params): Float32Array[] {
  return combinationBlocks({ seeds: state.seeds, coeffs: state.coeffs }, params, state.folded, 1).blocks;
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidHyperparameter(name, value, 'must be true or false');
  return value;
}

function lineSearchOptions(value: unknown, m: number): Required<ZoRankSgdLineSearchOptions> | undefined {
  if (value === false) return undefined;
  if (value !== true && (value === null || typeof value !== 'object')) {
    throw new InvalidHyperparameter('lineSearch', value, 'must be true, false or { initialStep, shrink }');
  }
  if (m < 3) throw new InvalidHyperparameter('numCandidates', m, 'must be ≥ 3 with the line search (x, the best candidate and at least one step)');
  const o = (value === true ? {} : value) as ZoRankSgdLineSearchOptions;
  const initialStep = positive('lineSearch.initialStep', o.initialStep ?? 1);
  const shrink = positive('lineSearch.shrink', o.shrink ?? 0.5);
  if (shrink >= 1) throw new InvalidHyperparameter('lineSearch.shrink', shrink, 'must be in (0, 1)');
  const maxRounds = integerAtLeast('lineSearch.maxRounds', o.maxRounds ?? 8, 1);
  return { initialStep, shrink, maxRounds };
}
