import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { InvalidHyperparameter, OracleMismatch } from '../src/errors.js';
import type { RestoreMode } from '../src/eval/evaluateProbes.js';
import type { BlockMask } from '../src/transform/addDecayedWeights.js';
import { noDecayForBiasAndNorm } from '../src/transform/noDecayForBiasAndNorm.js';
import type { Params, ProbeBatch, Responses, UpdateTerm } from '../src/types.js';
import { nonNegative, oneOf } from '../src/validate.js';
import { twoPointGaussian, type TwoPointState } from './_internal/twoPointGaussian.js';

/** Options of {@link mezo}. */
export interface MezoOptions {
  /** Perturbation radius ε. @defaultValue 1e-3 */
  readonly sigma?: number;
  /** Decoupled weight decay λ in θ ← θ − η(p·z + λθ). @defaultValue 0 */
  readonly weightDecay?: number;
  /** Blocks that get weight decay. @defaultValue noDecayForBiasAndNorm (no decay for bias and norm blocks) */
  readonly decayMask?: BlockMask;
  /**
   * `'reapply'`: perturb +εz, −2εz, +εz in place (no copy, restore exact up to float32 rounding: the P-MeZO-6
   * bound). `'exact'`: restore from one saved copy (1× params). @defaultValue 'reapply'
   */
  readonly restore?: RestoreMode;
  /**
   * Also evaluate L(θ) (one more query per step) so the logged value is the loss at the current parameters,
   * not an estimate. @defaultValue false
   */
  readonly evaluateBase?: boolean;
}

/** State of {@link mezo}: the step counter. */
export type MezoState = TwoPointState;

/**
 * MeZO: memory-efficient zeroth-order SGD. One seeded Gaussian direction z per step over all blocks,
 * evaluated in place at θ + εz and θ − εz on the same minibatch (the schedule +εz, −2εz, +εz: no copy of the
 * parameters, no stored z):
 *
 * p = (L(θ + εz) − L(θ − εz)) / (2ε)            (in float64)
 * ĝ = p·z + λθ   (λθ only on blocks selected by `decayMask`)
 *
 * With `sgd(η)` this is MeZO's update θ ← θ − η(p·z + λθ), z regenerated from the step seed. Works with
 * non-differentiable objectives (accuracy, F1): only values are used.
 *
 * Queries per step: 2 (3 with `evaluateBase`). Extra memory: none ('reapply') or 1× params ('exact').
 * Value reported: L(θ) with `evaluateBase`, else (L(θ + εz) + L(θ − εz))/2 — an O(ε²) estimate of L(θ), not
 * L(θ + εz) as the reference trainer logs.
 *
 * @see S. Malladi et al., "Fine-Tuning Language Models with Just Forward Passes", NeurIPS 2023.
 *
 * @example
 * ```ts
 * import { optimizer, sgd } from 'zeroth';
 * import { mezo } from 'zeroth/estimators';
 * const opt = optimizer({ estimator: mezo({ sigma: 1e-3, weightDecay: 0.01 }), update: sgd(1e-6) });
 * ```
 */
export function mezo(options: MezoOptions = {}): Estimator<MezoState> {
  const weightDecay = nonNegative('weightDecay', options.weightDecay ?? 0);
  const mask = options.decayMask ?? noDecayForBiasAndNorm;
  if (typeof mask !== 'function') throw new InvalidHyperparameter('decayMask', mask, 'must be a function (block: { name, shape }) => boolean');
  const restore = oneOf('restore', options.restore ?? 'reapply', ['reapply', 'exact'] as const);
  const evaluateBase = options.evaluateBase ?? false;
  const pair = twoPointGaussian('mezo', options.sigma, (p) => p);
  return {
    name: 'mezo',
    response: 'values',
    combineReadsValues: false,
    restore,
    options: recordOptions({ sigma: options.sigma ?? 1e-3, weightDecay, decayMask: mask, restore, evaluateBase }),
    queriesPerStep: () => (evaluateBase ? 3 : 2),
    init: () => ({ step: 0 }),
    propose(state: MezoState, params: Params, seed: number): ProbeBatch {
      const batch = pair.propose(state, params, seed);
      if (!evaluateBase) return batch;
      // L(θ) first (before any perturbation, so it is the loss at exactly θ), on the same minibatch as the pair.
      return { ...batch, probes: [{ direction: { kind: 'none' }, scale: 0, noiseKey: batch.probes[0]!.noiseKey }, ...batch.probes] };
    },
    combine(state: MezoState, batch: ProbeBatch, responses: Responses, params: Params) {
      if (responses.kind !== 'values') throw new OracleMismatch('mezo', 'values', responses.kind);
      const f = responses.values;
      const first = evaluateBase ? 1 : 0;
      const pairOnly: ProbeBatch = { ...batch, probes: batch.probes.slice(first, first + 2) };
      const inner = pair.combine(state, pairOnly, { kind: 'values', values: f.subarray(first, first + 2) }, params);
      const terms: UpdateTerm[] = inner.update?.kind === 'implicit' ? [...inner.update.terms] : [];
      if (weightDecay > 0) {
        const blocks = params.map((b) => mask({ name: b.name, shape: b.shape }) === true);
        if (blocks.includes(true)) terms.unshift({ direction: { kind: 'params', blocks }, coeff: weightDecay });
      }
      return { state: inner.state, update: { kind: 'implicit', terms }, value: evaluateBase ? f[0]! : inner.value };
    },
  };
}
