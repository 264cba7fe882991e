import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { materialize } from '../src/transform/materialize.js';
import { scaleBySign } from '../src/transform/scaleBySign.js';
import { chain } from '../src/transform/chain.js';
import { withTransform, type WithTransformState } from '../src/withTransform.js';
import { twoPointGaussian, type TwoPointState } from './_internal/twoPointGaussian.js';

/** Options of {@link zoSgdSignElementwise}. */
export interface ZoSgdSignElementwiseOptions {
  /** Perturbation radius ε. @defaultValue 1e-3 */
  readonly sigma?: number;
}

/**
 * ZO-SGD-Sign, elementwise variant: ĝᵢ = sign(p·zᵢ), with p the two-point projected gradient along a seeded
 * Gaussian z (ZO-Bench's commented-out alternative, kept under its own name). Invariant to multiplying f by
 * c > 0.
 *
 * Queries per step: 2. Extra memory: 1× params (the estimate is materialised to take elementwise signs).
 * Value reported: (f(x+εz) + f(x−εz))/2.
 *
 * @see Zhang et al., ICML 2024 (arXiv 2402.11592), Appendix A.
 *
 * @example
 * ```ts
 * const opt = optimizer({ estimator: zoSgdSignElementwise(), update: sgd(1e-4) });
 * ```
 */
export function zoSgdSignElementwise(
  options: ZoSgdSignElementwiseOptions = {},
): Estimator<WithTransformState<TwoPointState, unknown>> {
  const estimator = withTransform(twoPointGaussian('zoSgdSignElementwise', options.sigma, (p) => p), chain(materialize(), scaleBySign()), 'zoSgdSignElementwise');
  return { ...estimator, options: recordOptions({ sigma: options.sigma ?? 1e-3 }) };
}
