/**
 * Acceptance check: one CGE estimate (central differences over every coordinate, the table's μ) on the
 * acceptance problem rotated(quadratic(100, κ = 100)) at x0 = 1 against the exact gradient ∇f(x0).
 *
 * Central differences are exact on a quadratic in exact arithmetic; what is left is rounding: the probe
 * points are float32, and the rotated problem rounds Qx to float32 before f sees it (relative 2⁻²⁴ ≈ 6e-8
 * of every input), an error in f of about 2⁻²⁴·Σ|λᵢyᵢ²| that the 1/(2μ) divisor magnifies. The tolerance is
 * that bound plus float32 rounding of the estimate.
 */
import { estimators } from '../../estimators/index.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import type { Params } from '../../src/types.js';
import { buildMethod } from './hyperparameters.js';
import { oracleFor } from './runZeroth.js';
import { instance } from './suite.js';

export interface CgeGradientCheck {
  readonly available: boolean;
  readonly sigma: number;
  /** ‖ĝ − ∇f‖₂ / ‖∇f‖₂. */
  readonly relativeError: number;
  /** max |ĝᵢ − ∂ᵢf|. */
  readonly maxAbsError: number;
  /** The rounding bound the error is held to, relative to ‖∇f‖₂. */
  readonly tolerance: number;
  readonly queries: number;
  readonly pass: boolean;
}

/** Runs the check (undefined-free: `available` false when the registry has no `cge`). */
export async function cgeGradientCheck(): Promise<CgeGradientCheck> {
  if (!('cge' in estimators)) return { available: false, sigma: NaN, relativeError: NaN, maxAbsError: NaN, tolerance: NaN, queries: 0, pass: false };
  const inst = instance('rotatedQuadratic', 100);
  const p = inst.problem;
  const x0 = inst.x0(1);
  const params: Params = [{ name: 'x', shape: [p.dim], data: x0.slice() }];
  const built = buildMethod('cge', 'rotatedQuadratic', params, 1e9);
  const est = built.estimator;
  const sigma = typeof built.options['sigma'] === 'number' ? (built.options['sigma'] as number) : 5e-3;
  const state = est.init(params);
  const batch = est.propose(state, params, 1);
  const { responses, queries } = await evaluateProbes(cpuBackend(), params, batch, oracleFor(est.response, inst), { step: 0, restore: 'exact', estimator: est.name });
  const combined = est.combine(state, batch, responses, params);
  if (combined.update === undefined || combined.update.kind !== 'dense') throw new Error('cge did not return a dense estimate in one round');
  const g = combined.update.blocks[0]!;
  const exact = new Float32Array(p.dim);
  p.grad!(x0, exact);
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  for (let i = 0; i < p.dim; i++) {
    const e = g[i]! - exact[i]!;
    num += e * e;
    den += exact[i]! * exact[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(e));
  }
  const relativeError = Math.sqrt(num / den);
  // Per probe the value error is ≤ ~2·2⁻²⁴·Σλᵢyᵢ² = 4·2⁻²⁴·f(x0) (float32 inputs of f); a difference of two
  // such errors over 2μ, in each of the d coordinates, relative to ‖∇f‖; plus float32 rounding (2⁻²⁴).
  const u = 2 ** -24;
  const f0 = p.value(x0);
  const tolerance = (Math.sqrt(p.dim) * (2 * 4 * u * f0)) / (2 * sigma) / Math.sqrt(den) + 4 * u;
  return { available: true, sigma, relativeError, maxAbsError: maxAbs, tolerance, queries, pass: relativeError <= tolerance };
}
