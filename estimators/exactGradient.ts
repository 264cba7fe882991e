import type { Estimator } from '../src/estimator.js';
import { InvalidInput, OracleMismatch } from '../src/errors.js';
import { derivedSeed } from '../src/rng/derivedSeed.js';
import type { Params, ProbeBatch, Responses } from '../src/types.js';

const NOISE = 1;

/**
 * The first-order baseline: asks a `gradient` oracle for f(x) and ∇f(x) at the current point and returns the
 * exact gradient as a dense update,
 *
 * ĝ = ∇f(x)   (∇f of the step's minibatch when the oracle draws one from `context.noiseSeed`).
 *
 * Composed with `sgd(η)` it is FO-SGD, with `adam(η)` FO-Adam: the references the zeroth-order estimators are
 * compared against on the same optimizer interface. The update's blocks are the oracle's gradient arrays
 * (no copy).
 *
 * Queries per step: 1 (one value-and-gradient call). Extra memory: the gradient (1× params).
 * Value reported per step: f(x).
 *
 * @see H. Robbins, S. Monro, "A Stochastic Approximation Method", Ann. Math. Statist. 22(3), 1951.
 * @throws OracleMismatch from the optimizer or `combine` when the oracle is not a `gradient` oracle.
 *
 * @example
 * ```ts
 * import { minimize, adam } from 'zeroth';
 * import { exactGradient } from 'zeroth/estimators';
 * const f = { dim: 2, value: (x: Float32Array) => (x[0]! - 1) ** 2 + 4 * x[1]! ** 2,
 *   grad: (x: Float32Array, out: Float32Array) => { out[0] = 2 * (x[0]! - 1); out[1] = 8 * x[1]!; } };
 * const r = await minimize(f, [0, 1], { estimator: exactGradient(), update: adam(0.05), budget: { steps: 300 }, seed: 1 });
 * ```
 */
export function exactGradient(): Estimator<null> {
  const name = 'exactGradient';
  return {
    name,
    response: 'valueAndGrad',
    options: {},
    queriesPerStep: () => 1,
    init: () => null,
    propose(_state: null, _params: Params, seed: number): ProbeBatch {
      return { probes: [{ direction: { kind: 'none' }, scale: 0, noiseKey: derivedSeed(seed, 0, NOISE) }], response: 'valueAndGrad' };
    },
    combine(state: null, _batch: ProbeBatch, responses: Responses, params: Params) {
      if (responses.kind !== 'valueAndGrad') throw new OracleMismatch(name, "'valueAndGrad' responses (a 'gradient' oracle)", responses.kind);
      const grad = responses.grads[0];
      if (grad === undefined || grad.length !== params.length) {
        throw new InvalidInput('responses', `the gradient has ${grad?.length ?? 0} blocks for ${params.length} parameter blocks`, 'Return one gradient array per parameter block.');
      }
      return { state, update: { kind: 'dense' as const, blocks: grad }, value: responses.values[0]! };
    },
  };
}
