import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { chain } from '../src/transform/chain.js';
import { materialize } from '../src/transform/materialize.js';
import { trace } from '../src/transform/trace.js';
import { withTransform, type WithTransformState } from '../src/withTransform.js';
import { twoPointGaussian, type TwoPointState } from './_internal/twoPointGaussian.js';

/** Options of {@link zoSgdMomentum}. */
export interface ZoSgdMomentumOptions {
  /** Perturbation radius ε. @defaultValue 1e-3 */
  readonly sigma?: number;
  /** Heavy-ball momentum β (torch convention, no dampening). @defaultValue 0.9 */
  readonly momentum?: number;
}

/**
 * ZO-SGD-MMT (ZO-Bench): the two-point Gaussian estimate p·z accumulated in a momentum buffer,
 *
 * b ← β·b + p·z,   estimate = b     (with `sgd(η)`: θ ← θ − η·b)
 *
 * With β = 0 it is exactly ZO-SGD (MeZO without weight decay).
 *
 * Queries per step: 2. Extra memory: 1× params (the buffer b) + 1× params transient (materialised p·z).
 * Value reported: (f(x+εz) + f(x−εz))/2.
 *
 * @see Zhang et al., ICML 2024 (arXiv 2402.11592).
 *
 * @example
 * ```ts
 * const opt = optimizer({ estimator: zoSgdMomentum({ momentum: 0.9 }), update: sgd(1e-4) });
 * ```
 */
export function zoSgdMomentum(options: ZoSgdMomentumOptions = {}): Estimator<WithTransformState<TwoPointState, unknown>> {
  const momentum = options.momentum ?? 0.9;
  const estimator = withTransform(twoPointGaussian('zoSgdMomentum', options.sigma, (p) => p), chain(materialize(), trace({ decay: momentum })), 'zoSgdMomentum');
  return { ...estimator, options: recordOptions({ sigma: options.sigma ?? 1e-3, momentum }) };
}
