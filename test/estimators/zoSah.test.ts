import { describe, expect, test } from 'vitest';
import { zoSah, type ZoSahState } from '../../estimators/zoSah.js';
import { quadratic } from '../../problems/quadratic.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { valueOracle } from '../../src/oracle/adapters.js';
import type { Params } from '../../src/types.js';

const d = 6;
const q = quadratic({ dim: d, condition: 20, seed: 5 });
const x0 = Float32Array.from([0.5, -0.25, 1, 0.75, -1, 0.125]);
const oracle = valueOracle((p: Params) => q.value(p[0]!.data));

/** The true 2 × 2 block of H on coordinates (a, b) and the gradient there. */
function truth(a: number, b: number): { g: [number, number]; h: [number, number, number] } {
  const g = new Float32Array(d);
  q.grad(x0, g);
  const col = (i: number): Float64Array => {
    const e = new Float64Array(d);
    e[i] = 1;
    return q.hessianTimes(e);
  };
  return { g: [g[a]!, g[b]!], h: [col(a)[a]!, col(a)[b]!, col(b)[b]!] };
}

describe('zoSah', () => {
  test("at a switch step, each subspace's fitted gradient and Hessian are f's (exact on quadratics), and the estimate is H⁻¹g there", async () => {
    const est = zoSah({ numSubspaces: 3, ridge: 0 });
    const params: Params = [{ name: 'x', shape: [d], data: x0.slice() }];
    const state = est.init(params);
    const batch = est.propose(state, params, 17);
    expect(batch.probes).toHaveLength(1 + 8 * 3);
    const r = await evaluateProbes(cpuBackend(), params, batch, oracle, { step: 0, restore: 'exact' });
    const c = est.combine(state, batch, r.responses, params);
    const s = c.state as ZoSahState;
    expect(c.update?.kind).toBe('implicit');
    const terms = c.update?.kind === 'implicit' ? c.update.terms : [];
    for (let j = 0; j < 3; j++) {
      const [a, b] = [s.pairs[2 * j]!, s.pairs[2 * j + 1]!];
      const t = truth(a, b);
      const det = t.h[0] * t.h[2] - t.h[1] * t.h[1];
      // The true Hessian block is positive definite (q is convex), so the preconditioner is its inverse.
      const inv = [t.h[2] / det, -t.h[1] / det, t.h[0] / det];
      for (let k = 0; k < 3; k++) expect(s.inverse[3 * j + k]).toBeCloseTo(inv[k]!, 4);
      expect(terms[2 * j]!.coeff).toBeCloseTo(inv[0]! * t.g[0] + inv[1]! * t.g[1], 3);
      expect(terms[2 * j + 1]!.coeff).toBeCloseTo(inv[1]! * t.g[0] + inv[2]! * t.g[1], 3);
    }
  });

  test('between switches it keeps the subspaces and their curvature and differences only the gradient (1 + 2k queries)', async () => {
    const est = zoSah({ numSubspaces: 2, switchEvery: 3 });
    const params: Params = [{ name: 'x', shape: [d], data: x0.slice() }];
    let state = est.init(params);
    const sizes: number[] = [];
    for (let k = 0; k < 6; k++) {
      const batch = est.propose(state, params, 100 + k);
      sizes.push(batch.probes.length);
      const r = await evaluateProbes(cpuBackend(), params, batch, oracle, { step: k, restore: 'exact' });
      const next = est.combine(state, batch, r.responses, params).state;
      if (k % 3 !== 0) expect(Array.from(next.pairs)).toEqual(Array.from(state.pairs));
      state = next;
    }
    expect(sizes).toEqual([17, 5, 5, 17, 5, 5]);
    expect(est.queriesPerStep(params)).toBe(17);
  });
});
