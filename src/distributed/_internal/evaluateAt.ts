import type { Backend } from '../../backend/backend.js';
import type { Params, Probe } from '../../types.js';
import type { ShardContext } from '../startWorker.js';

/**
 * The values of probes around a worker's replica: for each, the objective at `params + scale · direction`, exactly
 * (a scratch copy, perturbed with the canonical kernels), on shard `shard` of `shards`. `params` is not changed.
 */
export async function evaluateAt(
  backend: Backend,
  params: Params,
  probes: readonly Probe[],
  objective: (x: Params, context: ShardContext) => Promise<number>,
  step: number,
  shard: number,
  shards: number,
): Promise<number[]> {
  const scratch = backend.copy(params);
  try {
    const out: number[] = [];
    for (const p of probes) {
      backend.assignInPlace(params, scratch);
      backend.perturbInPlace(p.direction, p.scale, scratch);
      out.push(await objective(scratch, { noiseSeed: p.noiseKey, step, shard, shards }));
    }
    return out;
  } finally {
    backend.dispose(scratch);
  }
}
