import { describe, expect, it } from 'vitest';
import * as api from '../../problems/index.js';
import { noisy, problems, rotated, shifted } from '../../problems/index.js';
import type { Problem } from '../../problems/index.js';

const entries = Object.entries(problems);

describe('the problems registry', () => {
  it('runs its TSDoc example', () => {
    for (const [name, entry] of Object.entries(problems)) {
      const p = entry.build(entry.defaultOptions as never);
      expect(p.name).toBe(name);
    }
  });

  it('runs the ProblemEntry TSDoc example', () => {
    const entry: api.ProblemEntry<api.SphereOptions> = {
      build: api.sphere,
      differentiable: true,
      defaultOptions: { dim: 10 },
    };
    expect(entry.build(entry.defaultOptions).dim).toBe(10);
  });

  it('has keys equal to the export names of the factories', () => {
    for (const [name, entry] of entries) {
      expect((api as Record<string, unknown>)[name]).toBe(entry.build);
    }
  });

  for (const [name, entry] of entries) {
    describe(name, () => {
      const p: Problem = entry.build(entry.defaultOptions as never);
      const wrapped: readonly Problem[] = [p, noisy(p, 0.1), rotated(p, 1), shifted(p, 2), rotated(shifted(p, 3), 4)];

      it('declares differentiability truthfully', () => {
        expect(typeof p.grad === 'function').toBe(entry.differentiable);
        for (const w of wrapped) expect(typeof w.grad === 'function').toBe(entry.differentiable);
      });

      it('has value(optimum.x) = optimum.value, for the problem and its wrappers', () => {
        for (const w of wrapped) {
          const o = w.optimum!;
          expect(o.x).toBeDefined();
          const noise = w.name.startsWith('noisy') ? (w as api.NoisyProblem).noiseAt(0) : 0;
          expect(w.value(Float32Array.from(o.x!), { noiseSeed: 0, step: 0 }) - noise).toBeCloseTo(o.value, 7);
        }
      });

      it('has a deterministic, finite initial point of length dim', () => {
        for (const w of wrapped) {
          const a = w.initialPoint(5);
          expect(a).toHaveLength(w.dim);
          expect([...w.initialPoint(5)]).toEqual([...a]);
          expect(Number.isFinite(w.value(a))).toBe(true);
          expect(w.value(a)).toBeGreaterThanOrEqual(w.optimum!.value - 1);
        }
      });
    });
  }
});
