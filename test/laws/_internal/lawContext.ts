import type { Environment } from '../../../src/rl/environment.js';
import type { Policy } from '../../../src/rl/policy.js';
import { pointGaussian, quadraticBandit } from './pointGaussian.js';

/**
 * What a law hands `EstimatorSubject.build`: for rollouts estimators, the policy to build with (the one the
 * laws' rollouts oracle runs) and the environment, both for the law's parameter layout. Other estimators
 * ignore it.
 */
export interface LawContext {
  /** A ∼ N(params, 0.5² I) over all blocks of the layout (see `pointGaussian`). */
  readonly policy: Policy;
  /** One step, reward −q(a) for the law's quadratic q. */
  readonly environment: Environment;
}

/** The σ of the laws' Gaussian policy. */
export const LAW_POLICY_STD = 0.5;

/** The law context of a parameter layout (block sizes) and a quadratic. */
export function lawContext(sizes: readonly number[], q: { value(x: ArrayLike<number>): number }): LawContext {
  const n = sizes.reduce((a, b) => a + b, 0);
  return { policy: pointGaussian(sizes, LAW_POLICY_STD), environment: quadraticBandit(n, (a) => q.value(a)) };
}
