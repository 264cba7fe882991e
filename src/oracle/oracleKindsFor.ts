import type { ResponseKind } from '../types.js';
import type { OracleKind } from './oracle.js';

const KINDS: Record<ResponseKind, readonly OracleKind[]> = {
  values: ['value', 'batch'],
  ranking: ['ranking'],
  valueAndGrad: ['gradient'],
  rollouts: ['rollouts'],
};

/**
 * The oracle kinds that can answer a response kind: `values` ← value or batch, `ranking` ← ranking,
 * `valueAndGrad` ← gradient, `rollouts` ← rollouts. One table for the optimizer's check, `evaluateProbes`
 * and the error messages.
 *
 * @example
 * ```ts
 * import { oracleKindsFor } from 'zeroth';
 * oracleKindsFor('values'); // ['value', 'batch']
 * ```
 */
export function oracleKindsFor(response: ResponseKind): readonly OracleKind[] {
  return KINDS[response] ?? [];
}

/** "a 'value' or 'batch' oracle": what an estimator asking for `response` needs, for error messages. */
export function oracleNeeded(response: ResponseKind): string {
  return `a ${oracleKindsFor(response).map((k) => `'${k}'`).join(' or ')} oracle`;
}
