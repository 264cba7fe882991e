/**
 * The estimator catalogue: one estimator per file, and the typed registry `estimators` whose keys equal the
 * export names. Import from `zeroth/estimators`.
 *
 * @packageDocumentation
 */
import type { Estimator } from '../src/estimator.js';
import { mezo, type MezoOptions, type MezoState } from './mezo.js';
import { spsa, type SpsaOptions, type SpsaState } from './spsa.js';
import { zoAdam, type ZoAdamOptions } from './zoAdam.js';
import { zoSgdCons, type ZoSgdConsOptions, type ZoSgdConsState } from './zoSgdCons.js';
import { zoSgdMomentum, type ZoSgdMomentumOptions } from './zoSgdMomentum.js';
import { zoSgdSign, type ZoSgdSignOptions } from './zoSgdSign.js';
import { zoSgdSignElementwise, type ZoSgdSignElementwiseOptions } from './zoSgdSignElementwise.js';

export { spsa, type SpsaOptions, type SpsaState };
export { mezo, type MezoOptions, type MezoState };
export { zoSgdSign, type ZoSgdSignOptions };
export { zoSgdSignElementwise, type ZoSgdSignElementwiseOptions };
export { zoSgdMomentum, type ZoSgdMomentumOptions };
export { zoAdam, type ZoAdamOptions };
export { zoSgdCons, type ZoSgdConsOptions, type ZoSgdConsState };

/** What the registry knows about an estimator. */
export interface EstimatorEntry {
  /** Builds the estimator from its options. */
  build(options?: object): Estimator<unknown>;
  /** Oracle answers it needs. */
  readonly response: 'values' | 'ranking' | 'valueAndGrad';
  /** One line for tables and the CLI. */
  readonly description: string;
  /** Option sets the law suites run it with (the first is the default). */
  readonly variants: readonly object[];
  /** E[ĝ] = ∇f on quadratics for every variant. */
  readonly unbiased: boolean;
}

/** The registry of every estimator, keyed by export name. */
export const estimators = {
  spsa: {
    build: spsa,
    response: 'values',
    description: 'Two-point SPSA: central or forward differences, Gaussian or Rademacher directions, q probes',
    variants: [
      {},
      { distribution: 'gaussian' },
      { distribution: 'gaussian', difference: 'forward', numProbes: 3 },
      { distribution: 'rademacher', numProbes: 2, commonRandomNumbers: false },
    ] satisfies SpsaOptions[],
    unbiased: true,
  },
  mezo: {
    build: mezo,
    response: 'values',
    description: 'MeZO: Gaussian two-point estimate, in-place +εz/−2εz/+εz, decoupled weight decay',
    variants: [{}, { weightDecay: 0.1, evaluateBase: true }, { restore: 'exact', sigma: 1e-2 }] satisfies MezoOptions[],
    unbiased: true,
  },
  zoSgdSign: {
    build: zoSgdSign,
    response: 'values',
    description: 'ZO-SGD-Sign: sign of the projected gradient times z',
    variants: [{}] satisfies ZoSgdSignOptions[],
    unbiased: false,
  },
  zoSgdSignElementwise: {
    build: zoSgdSignElementwise,
    response: 'values',
    description: 'ZO-SGD-Sign, elementwise: sign(p·z) (materialised)',
    variants: [{}] satisfies ZoSgdSignElementwiseOptions[],
    unbiased: false,
  },
  zoSgdMomentum: {
    build: zoSgdMomentum,
    response: 'values',
    description: 'ZO-SGD-MMT: two-point estimate through a heavy-ball momentum buffer',
    variants: [{}, { momentum: 0 }] satisfies ZoSgdMomentumOptions[],
    unbiased: true,
  },
  zoAdam: {
    build: zoAdam,
    response: 'values',
    description: 'ZO-Adam: Adam moments on the materialised two-point estimate',
    variants: [{}] satisfies ZoAdamOptions[],
    unbiased: false,
  },
  zoSgdCons: {
    build: zoSgdCons,
    response: 'values',
    description: 'ZO-SGD-Cons: best of θ, θ − ηpz, θ + ηpz (5 queries per step)',
    variants: [{ learningRate: 0.05 }] satisfies ZoSgdConsOptions[],
    unbiased: false,
  },
} as const satisfies Record<string, EstimatorEntry>;

/** A registry key. */
export type EstimatorName = keyof typeof estimators;
