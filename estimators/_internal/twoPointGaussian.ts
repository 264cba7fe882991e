import type { Estimator } from '../../src/estimator.js';
import { OracleMismatch } from '../../src/errors.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';
import type { Direction, Params, ProbeBatch, Responses } from '../../src/types.js';
import { positive } from '../../src/validate.js';

/** State of the ZO-Bench two-point estimators: the step counter. */
export interface TwoPointState {
  readonly step: number;
}

/**
 * The shared two-point Gaussian estimator of the ZO-Bench variants (one seeded z per step, central
 * difference, both evaluations on one minibatch): `coefficient(p)` turns the projected gradient p into the
 * coefficient of z in the estimate (p for ZO-SGD, sign(p) for ZO-SGD-Sign).
 */
export function twoPointGaussian(name: string, sigmaOption: unknown, coefficient: (p: number) => number): Estimator<TwoPointState> {
  const sigma = positive('sigma', sigmaOption ?? 1e-3);
  return {
    name,
    response: 'values',
    queriesPerStep: () => 2,
    init: () => ({ step: 0 }),
    propose(_state: TwoPointState, _params: Params, seed: number): ProbeBatch {
      const z: Direction = { kind: 'gaussian', seed: derivedSeed(seed, 0, 0) };
      const key = derivedSeed(seed, 0, 1);
      return {
        response: 'values',
        probes: [
          { direction: z, scale: sigma, noiseKey: key },
          { direction: z, scale: -sigma, noiseKey: key },
        ],
      };
    },
    combine(state: TwoPointState, batch: ProbeBatch, responses: Responses) {
      if (responses.kind !== 'values') throw new OracleMismatch(name, 'values', responses.kind);
      const f = responses.values;
      const p = (f[0]! - f[1]!) / (Math.fround(batch.probes[0]!.scale) - Math.fround(batch.probes[1]!.scale));
      return {
        state: { step: state.step + 1 },
        update: { kind: 'implicit', terms: [{ direction: batch.probes[0]!.direction, coeff: coefficient(p) }] },
        value: (f[0]! + f[1]!) / 2,
      };
    },
  };
}
