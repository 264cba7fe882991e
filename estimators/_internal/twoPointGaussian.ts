import { recordOptions } from '../../src/_internal/recordOptions.js';
import type { Estimator } from '../../src/estimator.js';
import { spsa, type SpsaState } from '../spsa.js';

/** State of the ZO-Bench two-point estimators: SPSA's step counter. */
export type TwoPointState = SpsaState;

/**
 * The shared two-point Gaussian estimator of MeZO and the ZO-Bench variants: SPSA with one seeded Gaussian z
 * per step and central differences (both evaluations on one minibatch), renamed, with `coefficient(p)`
 * turning the projected gradient p into the coefficient of z in the estimate (p for ZO-SGD, sign(p) for
 * ZO-SGD-Sign).
 */
export function twoPointGaussian(name: string, sigmaOption: number | undefined, coefficient: (p: number) => number): Estimator<TwoPointState> {
  const pair = spsa({ sigma: sigmaOption ?? 1e-3, distribution: 'gaussian' });
  return {
    ...pair,
    name,
    options: recordOptions({ sigma: sigmaOption ?? 1e-3 }),
    combine(state, batch, responses, params) {
      const c = pair.combine(state, batch, responses, params);
      if (c.update?.kind !== 'implicit') return c;
      return { ...c, update: { kind: 'implicit', terms: c.update.terms.map((t) => ({ ...t, coeff: coefficient(t.coeff) })) } };
    },
  };
}
