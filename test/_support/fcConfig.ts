import fc from 'fast-check';

/**
 * The fast-check configuration of every property test: a fixed seed (override with FC_SEED=…), so CI runs
 * are reproducible. fast-check prints the seed and the counterexample path of any failure.
 */
export const fcSeed: number = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : 20261122;

fc.configureGlobal({ seed: fcSeed, numRuns: 100, endOnFailure: true, includeErrorInReport: true });

/** Options to pass to `fc.assert` for a property test with `numRuns` runs. */
export function fcOptions(numRuns = 100): { seed: number; numRuns: number; includeErrorInReport: boolean } {
  return { seed: fcSeed, numRuns, includeErrorInReport: true };
}
