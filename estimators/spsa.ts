import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import type { Schedule } from '../src/transform/transform.js';
import type { Direction, Params, Probe, ProbeBatch, Responses, UpdateTerm } from '../src/types.js';
import { integerAtLeast, oneOf, positiveSchedule } from '../src/validate.js';

/** Options of {@link spsa}. */
export interface SpsaOptions {
  /**
   * Perturbation radius σ (Spall's c_k; MeZO's ε), a number or a schedule of the step k (e.g.
   * `spallPerturbation({ c })`). The divisor is always the realised difference of the probe scales, so the
   * estimate divides by the same σ it perturbed with.
   * @defaultValue 1e-3
   */
  readonly sigma?: number | Schedule;
  /** Distribution of the directions: Gaussian z ~ N(0, I) or Rademacher Δ ∈ {±1}^d. @defaultValue 'rademacher' */
  readonly distribution?: 'gaussian' | 'rademacher';
  /**
   * `'central'`: each direction is evaluated as an antithetic pair x ± σd (2q queries; exact on quadratics).
   * `'forward'`: one evaluation at x shared by all directions, plus x + σd for each (1 + q queries).
   * @defaultValue 'central'
   */
  readonly difference?: 'central' | 'forward';
  /** Number of directions q averaged per step. @defaultValue 1 */
  readonly numProbes?: number;
  /**
   * Common random numbers: the two evaluations of a pair (and, for forward differences, all evaluations of a
   * step) receive the same `noiseSeed`, so evaluation noise or minibatch sampling cancels in the difference.
   * @defaultValue true
   */
  readonly commonRandomNumbers?: boolean;
}

/** State of {@link spsa}: the step counter k (for σ schedules). */
export interface SpsaState {
  readonly step: number;
}

const DIRECTION = 0;
const NOISE = 1;

/**
 * Two-point simultaneous-perturbation gradient estimator (SPSA), central or forward differences, with q
 * seeded Gaussian or Rademacher directions per step:
 *
 * central: ĝ = (1/q) Σⱼ [f(x + σdⱼ) − f(x − σdⱼ)] / (2σ) · dⱼ
 * forward: ĝ = (1/q) Σⱼ [f(x + σdⱼ) − f(x)] / σ · dⱼ
 *
 * The update is implicit (Σ coeffⱼ · dⱼ with dⱼ regenerated from its seed), so `sgd` needs no extra memory.
 * For Rademacher directions, 1/Δᵢ = Δᵢ, so Spall's componentwise division equals this product form.
 *
 * Queries per step: 2q (central) or 1 + q (forward). Extra memory: none (directions are regenerated).
 * Value reported per step: the mean of the evaluations (central), f(x) (forward).
 *
 * @see J. C. Spall, "Multivariate stochastic approximation using a simultaneous perturbation gradient
 * approximation", IEEE TAC 37(3), 1992; Spall 1998, IEEE TAES 34(3) for the gain guidelines.
 *
 * @example
 * ```ts
 * import { minimize, adam } from 'zeroth';
 * import { spsa } from 'zeroth/estimators';
 * const r = await minimize((x) => (x[0]! - 1) ** 2 + x[1]! ** 2, [0, 0],
 *   { estimator: spsa({ sigma: 1e-2, distribution: 'gaussian' }), update: adam(0.05), budget: { queries: 2000 }, seed: 1 });
 * ```
 */
export function spsa(options: SpsaOptions = {}): Estimator<SpsaState> {
  const sigma = positiveSchedule('sigma', options.sigma ?? 1e-3);
  const distribution = oneOf('distribution', options.distribution ?? 'rademacher', ['gaussian', 'rademacher'] as const);
  const difference = oneOf('difference', options.difference ?? 'central', ['central', 'forward'] as const);
  const q = integerAtLeast('numProbes', options.numProbes ?? 1, 1);
  const crn = options.commonRandomNumbers ?? true;
  const name = 'spsa';

  const direction = (seed: number, j: number): Direction => ({ kind: distribution, seed: derivedSeed(seed, j, DIRECTION) });

  return {
    name,
    response: 'values',
    options: recordOptions({ sigma: options.sigma ?? 1e-3, distribution, difference, numProbes: q, commonRandomNumbers: crn }),
    combineReadsValues: false,
    queriesPerStep: () => (difference === 'central' ? 2 * q : 1 + q),
    init: () => ({ step: 0 }),
    propose(state: SpsaState, _params: Params, seed: number): ProbeBatch {
      const s = sigma(state.step);
      const probes: Probe[] = [];
      const none: Direction = { kind: 'none' };
      if (difference === 'forward') {
        probes.push({ direction: none, scale: 0, noiseKey: derivedSeed(seed, 0, NOISE) });
      }
      for (let j = 0; j < q; j++) {
        const d = direction(seed, j);
        if (difference === 'central') {
          const key = derivedSeed(seed, crn ? j : 2 * j, NOISE);
          probes.push({ direction: d, scale: s, noiseKey: key });
          probes.push({ direction: d, scale: -s, noiseKey: crn ? key : derivedSeed(seed, 2 * j + 1, NOISE) });
        } else {
          probes.push({ direction: d, scale: s, noiseKey: derivedSeed(seed, crn ? 0 : j + 1, NOISE) });
        }
      }
      return { probes, response: 'values' };
    },
    combine(state: SpsaState, batch: ProbeBatch, responses: Responses) {
      if (responses.kind !== 'values') throw new OracleMismatch(name, 'values', responses.kind);
      const f = responses.values;
      const p = batch.probes;
      const terms: UpdateTerm[] = [];
      let sum = 0;
      for (const v of f) sum += v;
      if (difference === 'central') {
        for (let j = 0; j < q; j++) {
          const plus = p[2 * j]!;
          const minus = p[2 * j + 1]!;
          const coeff = (f[2 * j]! - f[2 * j + 1]!) / (realised(plus) - realised(minus)) / q;
          terms.push({ direction: plus.direction, coeff });
        }
      } else {
        const base = f[0]!;
        for (let j = 0; j < q; j++) {
          const probe = p[j + 1]!;
          terms.push({ direction: probe.direction, coeff: (f[j + 1]! - base) / realised(probe) / q });
        }
      }
      return {
        state: { step: state.step + 1 },
        update: { kind: 'implicit', terms },
        value: difference === 'central' ? sum / f.length : f[0]!,
      };
    },
  };
}

/** The scale actually applied by a probe (float32, as the backends apply it). */
function realised(p: Probe): number {
  return Math.fround(p.scale);
}
