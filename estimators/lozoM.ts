import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import type { Schedule } from '../src/transform/transform.js';
import type { Params, ProbeBatch, Responses, UpdateTerm } from '../src/types.js';
import { InvalidHyperparameter } from '../src/errors.js';
import {
  factorsFor,
  isMatrix,
  lowRankPair,
  lozoSettings,
  otherBlockZ,
  projectedGradient,
  seedOf,
  uFactor,
  type Factors,
} from './_internal/lozoCore.js';

/** Options of {@link lozoM}. */
export interface LozoMOptions {
  /** Perturbation radius σ, a number or a schedule of the step k. @defaultValue 1e-3 */
  readonly sigma?: number | Schedule;
  /** Rank r of the perturbation U Vᵀ of each matrix. @defaultValue 2 */
  readonly rank?: number;
  /** ν: V is redrawn at steps 0, ν, 2ν, … and kept in between. @defaultValue 50 */
  readonly resampleEvery?: number;
  /** Momentum β ∈ [0, 1) (the reference's β1). β = 0 is LOZO. @defaultValue 0.9 */
  readonly beta?: number;
}

/**
 * State of {@link lozoM}: the step counter, the current V (n × r) and the compressed momentum M (m × r) of
 * every 2-D block, and the dense momentum of every other block (all row-major; `undefined` where a block has
 * no such entry, and everywhere before the first step).
 */
export interface LozoMState {
  readonly step: number;
  readonly v: Factors;
  /** The seed V was drawn from. */
  readonly vSeed?: number;
  readonly m: Factors;
  readonly dense: Factors;
}

/**
 * LOZO-M: LOZO with momentum kept in the compressed r-dimensional space. The probes are LOZO's (x ± σ U Vᵀ,
 * U fresh every step, V redrawn at steps ≡ 0 mod ν; a Gaussian z on blocks that are not 2-D), with
 * p = [f(x + σd) − f(x − σd)] / (2σ). Per matrix block, M ∈ ℝ^{m×r}:
 *
 * first step: M = p U
 * ordinary step: M ← β M + (1 − β) p U
 * V switch (k ≡ 0 mod ν, k > 0): M ← β M V_oldᵀ V_new / n + (1 − β) p U
 * estimate: ĝ = M Vᵀ (with the current V)
 *
 * and on every other block an ordinary EMA m ← β m + (1 − β) p z (m = p z at the first step), ĝ = m. The
 * factor V_oldᵀ V_new / n carries the old momentum into the new subspace (V_oldᵀ V_old / n ≈ I_r).
 * The estimate is implicit: a `lowRank` term with the explicit factor `u: M` plus a `dense` term for the
 * non-matrix blocks, so `sgd(η)` gives W ← W − η M Vᵀ.
 *
 * With β = 0, M = p U and LOZO-M is LOZO (up to float32 rounding of p U).
 *
 * Queries per step: 2. Extra memory: (m + n) × r per matrix (M and V) plus one copy of every non-matrix
 * block (its momentum), and a transient m × r buffer (U) per matrix while combining.
 * Value reported per step: the mean of the two evaluations.
 *
 * @see Y. Chen, Y. Zhang, L. Cao, K. Yuan, Z. Wen, "Enhancing Zeroth-order Fine-tuning for Language Models with
 * Low-rank Structures", arXiv:2410.07698 (ICLR 2025), LOZO-M; code: github.com/optsuite/LOZO.
 *
 * @example
 * ```ts
 * import { optimizer, sgd, valueOracle } from 'zeroth';
 * import { lozoM } from 'zeroth/estimators';
 * const w = [{ name: 'W', shape: [8, 6], data: new Float32Array(48).fill(1) }];
 * const f = valueOracle((p: typeof w) => p[0]!.data.reduce((s, v) => s + v * v, 0));
 * const opt = optimizer({ estimator: lozoM({ rank: 2, resampleEvery: 10, beta: 0.9 }), update: sgd(2e-3) });
 * let state = opt.init(w, 7);
 * for (let k = 0; k < 200; k++) state = (await opt.step(w, f, state)).state;
 * ```
 */
export function lozoM(options: LozoMOptions = {}): Estimator<LozoMState> {
  const settings = lozoSettings(options);
  const beta = options.beta ?? 0.9;
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) throw new InvalidHyperparameter('beta', beta, 'must be a number in [0, 1)');
  const r = settings.rank;
  const name = 'lozoM';
  return {
    name,
    response: 'values',
    options: recordOptions({ sigma: options.sigma ?? 1e-3, rank: settings.rank, resampleEvery: settings.resampleEvery, beta }),
    combineReadsValues: false,
    queriesPerStep: () => 2,
    init: (params: Params) => {
      const none = params.map(() => undefined);
      return { step: 0, v: none, m: none, dense: none };
    },
    propose(state: LozoMState, params: Params, seed: number): ProbeBatch {
      return lowRankPair(settings, factorsFor(settings, { v: state.v, vSeed: state.vSeed }, state.step, params, seed), state.step, seed);
    },
    combine(state: LozoMState, batch: ProbeBatch, responses: Responses, params: Params) {
      const { p, direction, value } = projectedGradient(name, batch, responses);
      const switching = state.step % settings.resampleEvery === 0;
      const m: (Float32Array | undefined)[] = [];
      const dense: (Float32Array | undefined)[] = [];
      let matrices = 0;
      params.forEach((block, b) => {
        const vNew = direction.v[b];
        if (isMatrix(block) && vNew !== undefined) {
          matrices++;
          dense.push(undefined);
          const rows = block.shape[0]!;
          const u = uFactor(direction, b, rows);
          const prev = state.m[b];
          const vOld = state.v[b];
          const out = new Float32Array(rows * r);
          if (prev === undefined || (switching && vOld === undefined)) {
            for (let i = 0; i < out.length; i++) out[i] = p * u[i]!;
          } else if (switching) {
            const c = carry(vOld!, vNew, block.shape[1]!, r);
            for (let i = 0; i < rows; i++) {
              for (let j = 0; j < r; j++) {
                let s = 0;
                for (let k = 0; k < r; k++) s += prev[i * r + k]! * c[k * r + j]!;
                out[i * r + j] = beta * s + (1 - beta) * p * u[i * r + j]!;
              }
            }
          } else {
            for (let i = 0; i < out.length; i++) out[i] = beta * prev[i]! + (1 - beta) * p * u[i]!;
          }
          m.push(out);
        } else {
          m.push(undefined);
          const z = otherBlockZ(direction, b, block.data.length);
          const prev = state.dense[b];
          const out = new Float32Array(z.length);
          for (let i = 0; i < out.length; i++) out[i] = prev === undefined ? p * z[i]! : beta * prev[i]! + (1 - beta) * p * z[i]!;
          dense.push(out);
        }
      });
      const terms: UpdateTerm[] = [];
      if (matrices > 0) terms.push({ direction: { kind: 'lowRank', seed: direction.seed, rank: r, v: direction.v, u: m, others: 'none' }, coeff: 1 });
      if (matrices < params.length) terms.push({ direction: { kind: 'dense', blocks: dense }, coeff: 1 });
      return {
        state: { step: state.step + 1, v: direction.v, ...seedOf(direction), m, dense },
        update: { kind: 'implicit' as const, terms },
        value,
      };
    },
  };
}

/** C = V_oldᵀ V_new / n (r × r, float64), V_old and V_new n × r row-major. */
function carry(vOld: Float32Array, vNew: Float32Array, n: number, r: number): Float64Array {
  const c = new Float64Array(r * r);
  for (let row = 0; row < n; row++) {
    for (let a = 0; a < r; a++) {
      const x = vOld[row * r + a]!;
      for (let b = 0; b < r; b++) c[a * r + b] = c[a * r + b]! + x * vNew[row * r + b]!;
    }
  }
  for (let i = 0; i < c.length; i++) c[i] = c[i]! / n;
  return c;
}
