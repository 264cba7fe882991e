import { InvalidInput } from '../../src/errors.js';
import type { Policy, ValueFunction } from '../../src/rl/policy.js';
import type { Params, Update } from '../../src/types.js';

/**
 * Where the policy's and the critic's blocks sit in the parameters (policy first, then the critic), and the
 * float64 gradient accumulators of a dense update over all blocks.
 */
export interface PolicyLayout {
  readonly policyParams: Params;
  readonly valueParams: Params;
  /** One zeroed float64 accumulator per parameter block. */
  readonly grads: Float64Array[];
  /** The accumulators of the critic's blocks. */
  readonly valueGrads: Float64Array[];
  /** The accumulated gradient as a dense update (float32 blocks). */
  toUpdate(): Update;
}

/** Splits `params` into the policy's blocks and the critic's, checking the count. */
export function policyLayout(estimator: string, params: Params, policy: Policy, value: ValueFunction | undefined): PolicyLayout {
  const pb = policy.blockCount;
  const vb = value?.blockCount ?? 0;
  if (params.length !== pb + vb) {
    throw new InvalidInput(
      'params',
      `"${estimator}" expects ${pb} policy blocks${value ? ` then ${vb} value blocks` : ''} but got ${params.length} blocks`,
      value ? 'Pass [...policy.init(seed), ...value.init(seed)].' : 'Pass policy.init(seed) (add a value function to the estimator for critic blocks).',
    );
  }
  const grads = params.map((b) => new Float64Array(b.data.length));
  return {
    policyParams: params.slice(0, pb),
    valueParams: params.slice(pb),
    grads,
    valueGrads: grads.slice(pb),
    toUpdate: () => ({ kind: 'dense', blocks: grads.map((g) => Float32Array.from(g)) }),
  };
}
