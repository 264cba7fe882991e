/**
 * The law suites of zeroth, for your own estimators, transforms and backends (`zeroth/testing`). Each suite
 * returns framework-agnostic laws — `{ name, run }`, where `run` throws (with fast-check's seed and
 * counterexample) when the law is broken — so they plug into any test runner:
 *
 * ```ts
 * import { estimatorLaws } from 'zeroth/testing';
 * for (const law of estimatorLaws({ name: 'mine', build: () => myEstimator(), unbiased: true })) test(law.name, law.run);
 * ```
 *
 * Requires `fast-check` (a peer dependency).
 *
 * @packageDocumentation
 */
export type { Law } from './law.js';
export { estimatorLaws, type EstimatorSubject } from './estimatorLaws.js';
export { lawContext, LAW_POLICY_STD, type LawContext } from './_internal/lawContext.js';
export { transformLaws } from './transformLaws.js';
export { backendLaws, assertSameBits, type BackendLaw, type BackendLawOptions } from './backendLaws.js';
export { tunerLaws } from './tunerLaws.js';
