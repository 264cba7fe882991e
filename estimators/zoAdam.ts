import { recordOptions } from '../src/_internal/recordOptions.js';
import type { Estimator } from '../src/estimator.js';
import { chain } from '../src/transform/chain.js';
import { materialize } from '../src/transform/materialize.js';
import { scaleByAdam, type ScaleByAdamOptions } from '../src/transform/scaleByAdam.js';
import { withTransform, type WithTransformState } from '../src/withTransform.js';
import { twoPointGaussian, type TwoPointState } from './_internal/twoPointGaussian.js';

/** Options of {@link zoAdam}. */
export interface ZoAdamOptions extends ScaleByAdamOptions {
  /** Perturbation radius ε. @defaultValue 1e-3 */
  readonly sigma?: number;
}

/**
 * ZO-Adam (ZO-Bench): Adam's moment estimates run on the two-point Gaussian estimate ĝ = p·z, with the memory
 * cost made explicit — ĝ is materialised (`materialize()`), and m, v are kept per element:
 *
 * m ← β₁m + (1−β₁)ĝ,  v ← β₂v + (1−β₂)ĝ²,  estimate = m̂ / (√v̂ + eps)    (with `sgd(η)`: θ ← θ − η·estimate)
 *
 * Defaults β₁ = 0.9, β₂ = 0.999, eps = 1e-8, bias-corrected, no weight decay (torch.optim.Adam's).
 *
 * Queries per step: 2. Extra memory: 2× params (m, v) + 1× params transient (the materialised ĝ).
 * Value reported: (f(x+εz) + f(x−εz))/2.
 *
 * @see Zhang et al., ICML 2024 (arXiv 2402.11592); D. P. Kingma, J. Ba, "Adam", ICLR 2015.
 *
 * @example
 * ```ts
 * const opt = optimizer({ estimator: zoAdam({ sigma: 1e-3 }), update: sgd(1e-3) });
 * ```
 */
export function zoAdam(options: ZoAdamOptions = {}): Estimator<WithTransformState<TwoPointState, unknown>> {
  const { sigma, ...adamOptions } = options;
  const adam = scaleByAdam(adamOptions);
  const estimator = withTransform(twoPointGaussian('zoAdam', sigma, (p) => p), chain(materialize(), adam), 'zoAdam');
  return { ...estimator, options: recordOptions({ sigma: sigma ?? 1e-3, ...adam.options }) };
}
