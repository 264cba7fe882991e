/**
 * The estimator catalogue: one estimator per file, and the typed registry `estimators` whose keys equal the
 * export names. Import from `zeroth/estimators`.
 *
 * @packageDocumentation
 */
import type { Estimator } from '../src/estimator.js';
import { spsa, type SpsaOptions, type SpsaState } from './spsa.js';

export { spsa, type SpsaOptions, type SpsaState };

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
} as const satisfies Record<string, EstimatorEntry>;

/** A registry key. */
export type EstimatorName = keyof typeof estimators;
