import type { Estimator } from '../src/estimator.js';
import { twoPointGaussian, type TwoPointState } from './_internal/twoPointGaussian.js';

/** Options of {@link zoSgdSign}. */
export interface ZoSgdSignOptions {
  /** Perturbation radius ε. @defaultValue 1e-3 */
  readonly sigma?: number;
}

/**
 * ZO-SGD-Sign (ZO-Bench): the sign of the scalar projected gradient times the Gaussian direction,
 *
 * p = (f(x + εz) − f(x − εz)) / (2ε),   ĝ = sign(p)·z,
 *
 * so the step size does not depend on |p| and the update is invariant to multiplying f by any c > 0. This is
 * ZO-Bench's `zo_sign_opt` direction; the elementwise variant sign(p·z) is {@link zoSgdSignElementwise}. Use
 * with `sgd(η)` (the paper's SGD step, not the AdamW the reference sweeps fall back to).
 *
 * Queries per step: 2. Extra memory: none (implicit update). Value reported: (f(x+εz) + f(x−εz))/2.
 *
 * @see Y. Zhang et al., "Revisiting Zeroth-Order Optimization for Memory-Efficient LLM Fine-Tuning: A
 * Benchmark", ICML 2024 (arXiv 2402.11592).
 *
 * @example
 * ```ts
 * const opt = optimizer({ estimator: zoSgdSign({ sigma: 1e-3 }), update: sgd(1e-4) });
 * ```
 */
export function zoSgdSign(options: ZoSgdSignOptions = {}): Estimator<TwoPointState> {
  return twoPointGaussian('zoSgdSign', options.sigma, Math.sign);
}
