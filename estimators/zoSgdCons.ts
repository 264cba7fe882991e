import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import type { Direction, Params, ProbeBatch, Responses } from '../src/types.js';
import { positive } from '../src/validate.js';

/** Options of {@link zoSgdCons}. */
export interface ZoSgdConsOptions {
  /** Perturbation radius ε. @defaultValue 1e-3 */
  readonly sigma?: number;
  /** The step size η of the candidate moves θ ∓ η·p·z. */
  readonly learningRate: number;
}

/** State of {@link zoSgdCons}: the step counter and, between the two rounds of a step, L(θ) and p. */
export interface ZoSgdConsState {
  readonly step: number;
  readonly pending?: { readonly base: number; readonly p: number };
}

/**
 * ZO-SGD-Cons (ZO-Bench's conservative ZO-SGD): estimate p along a seeded Gaussian z as ZO-SGD does, then
 * evaluate both candidate moves and keep the best of three:
 *
 * round 1: L₀ = L(θ), p = (L(θ + εz) − L(θ − εz)) / (2ε)
 * round 2: L₁ = L(θ − ηpz), L₂ = L(θ + ηpz)
 * move:    θ if L₁ > L₀ and L₀ < L₂;  θ − ηpz if L₁ ≤ L₀ and L₁ < L₂;  θ + ηpz otherwise.
 *
 * So L(θ_{t+1}) ≤ L(θ_t) on the step's minibatch, always. The move is a *final* update: the optimizer applies
 * it as is and skips its transform (the paper's plain SGD step; pass `sgd(…)` or `identity()` as the
 * optimizer's update — it is not used).
 *
 * Queries per step: 5. Extra memory: none. Value reported: L₀ = L(θ) before the step.
 *
 * @see Zhang et al., ICML 2024 (arXiv 2402.11592), "ZO-SGD-Cons".
 *
 * @example
 * ```ts
 * const opt = optimizer({ estimator: zoSgdCons({ sigma: 1e-3, learningRate: 1e-4 }), update: identity() });
 * ```
 */
export function zoSgdCons(options: ZoSgdConsOptions): Estimator<ZoSgdConsState> {
  const sigma = positive('sigma', options?.sigma ?? 1e-3);
  const eta = positive('learningRate', options?.learningRate);
  const name = 'zoSgdCons';
  const z = (seed: number): Direction => ({ kind: 'gaussian', seed: derivedSeed(seed, 0, 0) });
  return {
    name,
    response: 'values',
    options: recordOptions({ sigma, learningRate: eta }),
    queriesPerStep: () => 5,
    init: () => ({ step: 0 }),
    propose(state: ZoSgdConsState, _params: Params, seed: number): ProbeBatch {
      const d = z(seed);
      const key = derivedSeed(seed, 0, 1); // one minibatch for all five evaluations
      if (state.pending === undefined) {
        return {
          response: 'values',
          probes: [
            { direction: { kind: 'none' }, scale: 0, noiseKey: key },
            { direction: d, scale: sigma, noiseKey: key },
            { direction: d, scale: -sigma, noiseKey: key },
          ],
        };
      }
      const step = eta * state.pending.p;
      return {
        response: 'values',
        probes: [
          { direction: d, scale: -step, noiseKey: key },
          { direction: d, scale: step, noiseKey: key },
        ],
      };
    },
    combine(state: ZoSgdConsState, batch: ProbeBatch, responses: Responses) {
      if (responses.kind !== 'values') throw new OracleMismatch(name, 'values', responses.kind);
      const f = responses.values;
      if (state.pending === undefined) {
        const p = (f[1]! - f[2]!) / (Math.fround(batch.probes[1]!.scale) - Math.fround(batch.probes[2]!.scale));
        return { state: { step: state.step, pending: { base: f[0]!, p } }, update: undefined, value: f[0]! };
      }
      const [l0, l1, l2] = [state.pending.base, f[0]!, f[1]!];
      const [minus, plus] = [batch.probes[0]!, batch.probes[1]!];
      const chosen = l1 > l0 && l0 < l2 ? undefined : l1 <= l0 && l1 < l2 ? minus : plus;
      return {
        state: { step: state.step + 1 },
        update: { kind: 'implicit', terms: chosen ? [{ direction: chosen.direction, coeff: chosen.scale }] : [] },
        value: l0,
        final: true,
      };
    },
  };
}
