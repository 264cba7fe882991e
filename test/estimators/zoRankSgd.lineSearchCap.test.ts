import { describe, expect, test } from 'vitest';
import { zoRankSgd, type ZoRankSgdState } from '../../estimators/zoRankSgd.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { rankingOracle } from '../../src/oracle/adapters.js';
import type { Params, ProbeBatch } from '../../src/types.js';

const backend = cpuBackend();
const d = 40;
const m = 4;

/** A judge that always prefers the current point (candidate 0 of a search round): the line search never moves. */
const stubborn = rankingOracle((points: readonly Params[]) => Array.from(points, (_, i) => i));

async function steps(maxRounds: number, n: number, visit: (k: number, state: ZoRankSgdState, search: ProbeBatch) => void): Promise<void> {
  const est = zoRankSgd({ numCandidates: m, normalize: true, lineSearch: { initialStep: 0.5, maxRounds } });
  const params: Params = [{ name: 'x', shape: [d], data: Float32Array.from({ length: d }, (_, i) => Math.cos(i)) }];
  let state = est.init(params);
  for (let k = 0; k < n; k++) {
    const seed = 1000 + k;
    const first = est.propose(state, params, seed);
    const r1 = await evaluateProbes(backend, params, first, stubborn, { step: k });
    state = est.combine(state, first, r1.responses, params).state;
    const search = est.propose(state, params, seed);
    visit(k, state, search);
    const r2 = await evaluateProbes(backend, params, search, stubborn, { step: k });
    const c = est.combine(state, search, r2.responses, params);
    expect(c.final).toBe(true);
    state = c.state;
  }
}

describe('zoRankSgd line search: a stalled search keeps a bounded list of directions', () => {
  test('the kept terms stay under maxRounds · m while the rounds grow, and the searched average is unchanged by folding', async () => {
    const capped: { terms: number; rounds: number; folded: boolean; direction: Float32Array }[] = [];
    const full: { terms: number; direction: Float32Array }[] = [];
    const dense = (b: ProbeBatch): Float32Array => {
      const dir = b.probes[1]!.direction;
      if (dir.kind !== 'dense') throw new Error('the search direction is dense');
      return dir.blocks[0]!;
    };
    await steps(3, 30, (_k, s, b) => capped.push({ terms: s.seeds.length, rounds: s.rounds, folded: s.folded !== null, direction: dense(b) }));
    await steps(1000, 30, (_k, s, b) => full.push({ terms: s.seeds.length, direction: dense(b) }));
    capped.forEach((c, k) => {
      expect(c.rounds).toBe(k + 1);
      // The cost of a step: the seeded directions it regenerates.
      expect(c.terms).toBeLessThanOrEqual((3 + 1) * m);
      expect(c.folded).toBe(k >= 3);
    });
    // Without the cap the list (and each step's work) grows with every stalled round.
    expect(full.at(-1)!.terms).toBeGreaterThan(25 * m - 1);
    // Folding changes only float32 rounding: the averaged direction searched is the same.
    capped.forEach((c, k) => {
      const a = c.direction;
      const b = full[k]!.direction;
      let err = 0;
      let norm = 0;
      for (let i = 0; i < d; i++) {
        err = Math.max(err, Math.abs(a[i]! - b[i]!));
        norm = Math.max(norm, Math.abs(b[i]!));
      }
      expect(err).toBeLessThanOrEqual(1e-5 * norm);
    });
  });
});
