import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import type { Schedule } from '../src/transform/transform.js';
import type { Params, ProbeBatch, Responses, UpdateTerm } from '../src/types.js';
import {
  factorsFor,
  isMatrix,
  lowRankPair,
  lozoSettings,
  projectedGradient,
  seedOf,
  type Factors,
} from './_internal/lozoCore.js';

/** Options of {@link lozo}. */
export interface LozoOptions {
  /**
   * Perturbation radius σ (the paper's ε), a number or a schedule of the step k. The divisor is the realised
   * difference of the two float32 probe scales.
   * @defaultValue 1e-3
   */
  readonly sigma?: number | Schedule;
  /** Rank r of the perturbation U Vᵀ of each matrix. @defaultValue 2 (the README example of the reference code) */
  readonly rank?: number;
  /** ν: V is redrawn at steps 0, ν, 2ν, … and kept in between. @defaultValue 50 */
  readonly resampleEvery?: number;
  /**
   * Divide the matrix part of the estimate by r, so that its mean is the (smoothed) gradient instead of r·∇f
   * (law L-1). 1-D blocks are not divided (their Gaussian part is already unbiased). The reference code does
   * not normalise; the learning rate absorbs the factor r.
   * @defaultValue false
   */
  readonly normalize?: boolean;
}

/**
 * State of {@link lozo}: the step counter k, the current V factor of every 2-D block (n × rank, row-major;
 * `undefined` for the other blocks and before the first step) and the seed V was drawn from.
 */
export interface LozoState {
  readonly step: number;
  readonly v: Factors;
  readonly vSeed?: number;
}

/**
 * LOZO: the two-point estimator along a low-rank perturbation with a lazily resampled right factor. For every
 * 2-D block W (m × n) the direction is U Vᵀ, U (m × r) i.i.d. N(0, 1) drawn fresh every step, V (n × r)
 * i.i.d. N(0, 1) drawn at steps k ≡ 0 (mod ν) and kept in the state in between; blocks of any other shape
 * (biases, norms) get a plain Gaussian z:
 *
 * p = [f(W + σ U Vᵀ) − f(W − σ U Vᵀ)] / (2σ),   ĝ = p · U Vᵀ   (÷ r with `normalize`)
 *
 * so `sgd(η)` gives W ← W − η p U Vᵀ. The mean is E[ĝ] = r·∇f_σ (E[U Vᵀ⟨G, U Vᵀ⟩] = r G; for fixed V it is
 * G V Vᵀ), and within one window of ν steps every update lies in {A Vᵀ}: a subspace method.
 *
 * The update is implicit (the probe's own `lowRank` direction, U regenerated from its seed), so the U of the
 * update is always the U of the perturbation, including on the steps where V is redrawn: U and V come from
 * different seeds and stream tags (`lowRankU`, `lowRankV`). This avoids the reference code's bug (LOZO issue
 * #3), whose update drew a different U on every resample step.
 *
 * Queries per step: 2. Extra memory: n × r per matrix (V); U is regenerated, never stored.
 * Value reported per step: the mean of the two evaluations.
 *
 * @see Y. Chen, Y. Zhang, L. Cao, K. Yuan, Z. Wen, "Enhancing Zeroth-order Fine-tuning for Language Models with
 * Low-rank Structures", arXiv:2410.07698 (ICLR 2025); code: github.com/optsuite/LOZO.
 *
 * @example
 * ```ts
 * import { optimizer, sgd, valueOracle } from 'zeroth';
 * import { lozo } from 'zeroth/estimators';
 * const w = [{ name: 'W', shape: [8, 6], data: new Float32Array(48).fill(1) }];
 * const f = valueOracle((p: typeof w) => p[0]!.data.reduce((s, v) => s + v * v, 0));
 * const opt = optimizer({ estimator: lozo({ rank: 2, resampleEvery: 10 }), update: sgd(2e-3) });
 * let state = opt.init(w, 7);
 * for (let k = 0; k < 200; k++) state = (await opt.step(w, f, state)).state;
 * ```
 */
export function lozo(options: LozoOptions = {}): Estimator<LozoState> {
  const settings = lozoSettings(options);
  const normalize = options.normalize ?? false;
  const name = 'lozo';
  return {
    name,
    response: 'values',
    options: recordOptions({ sigma: options.sigma ?? 1e-3, rank: settings.rank, resampleEvery: settings.resampleEvery, normalize }),
    combineReadsValues: false,
    queriesPerStep: () => 2,
    init: (params: Params) => ({ step: 0, v: params.map(() => undefined) }),
    propose(state: LozoState, params: Params, seed: number): ProbeBatch {
      return lowRankPair(settings, factorsFor(settings, { v: state.v, vSeed: state.vSeed }, state.step, params, seed), state.step, seed);
    },
    combine(state: LozoState, batch: ProbeBatch, responses: Responses, params: Params) {
      const { p, direction, value } = projectedGradient(name, batch, responses);
      const terms: UpdateTerm[] = [{ direction, coeff: p }];
      const r = settings.rank;
      if (normalize && r > 1 && params.some((block, b) => isMatrix(block) && direction.v[b] !== undefined)) {
        // p·D + p(1/r − 1)·(U Vᵀ on the matrices only) = p·(U Vᵀ / r on matrices, z elsewhere).
        terms.push({ direction: { ...direction, others: 'none' }, coeff: p * (1 / r - 1) });
      }
      return { state: { step: state.step + 1, v: direction.v, ...seedOf(direction) }, update: { kind: 'implicit', terms }, value };
    },
  };
}
