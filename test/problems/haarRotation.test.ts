import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcOptions } from '../_support/fcConfig.js';
import { haarRotation } from '../../problems/index.js';

/** Q as a dense d × d matrix (column j = Q e_j). */
function materialize(d: number, seed: number): Float64Array[] {
  const q = haarRotation(d, seed);
  return Array.from({ length: d }, (_, j) => q.apply(Float64Array.from({ length: d }, (_, i) => (i === j ? 1 : 0))));
}

describe('haarRotation', () => {
  it('runs its TSDoc example', () => {
    const q = haarRotation(3, 42);
    const y = q.apply([1, 2, 3]);
    expect(Math.hypot(...y)).toBeCloseTo(Math.hypot(1, 2, 3), 14);
    const x = q.applyTranspose(y);
    [1, 2, 3].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 14));
  });

  it('is orthogonal: columns orthonormal, applyTranspose inverts apply', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), (d, seed) => {
        const cols = materialize(d, seed);
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            const dot = cols[a]!.reduce((s, v, i) => s + v * cols[b]![i]!, 0);
            expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-13);
          }
        }
        const q = haarRotation(d, seed);
        const x = Float64Array.from({ length: d }, (_, i) => Math.cos(i + seed));
        // Qᵀ is the transpose of Q: (Qᵀx)_j = ⟨Q e_j, x⟩.
        const qtx = q.applyTranspose(x);
        for (let j = 0; j < d; j++) {
          expect(qtx[j]).toBeCloseTo(cols[j]!.reduce((s, v, i) => s + v * x[i]!, 0), 12);
        }
      }),
      fcOptions(50),
    );
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const x = [1, -2, 0.5, 3];
    expect([...haarRotation(4, 5).apply(x)]).toEqual([...haarRotation(4, 5).apply(x)]);
    expect([...haarRotation(4, 5).apply(x)]).not.toEqual([...haarRotation(4, 6).apply(x)]);
  });

  it('has the moments of a Haar matrix (E Q₀₀ = 0, E Q₀₀² = 1/d, E Q₀₀⁴ = 3/(d(d+2)))', () => {
    const d = 4;
    const n = 4000;
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    let det = 0;
    for (let s = 0; s < n; s++) {
      const cols = materialize(d, s);
      const q00 = cols[0]![0]!;
      m1 += q00 / n;
      m2 += (q00 * q00) / n;
      m4 += q00 ** 4 / n;
      det += Math.sign(determinant(cols)) / n;
    }
    expect(Math.abs(m1)).toBeLessThan(0.04); // sd 0.008
    expect(Math.abs(m2 - 1 / d)).toBeLessThan(0.02); // sd 0.004
    expect(Math.abs(m4 - 3 / (d * (d + 2)))).toBeLessThan(0.02);
    expect(Math.abs(det)).toBeLessThan(0.1); // det = ±1 equally often (O(d), not SO(d)); sd 0.016
  });
});

function determinant(cols: Float64Array[]): number {
  const d = cols.length;
  const a = cols.map((c) => Array.from(c));
  let det = 1;
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let r = k + 1; r < d; r++) if (Math.abs(a[r]![k]!) > Math.abs(a[p]![k]!)) p = r;
    if (p !== k) {
      [a[p], a[k]] = [a[k]!, a[p]!];
      det = -det;
    }
    det *= a[k]![k]!;
    for (let r = k + 1; r < d; r++) {
      const f = a[r]![k]! / a[k]![k]!;
      for (let c = k; c < d; c++) a[r]![c] = a[r]![c]! - f * a[k]![c]!;
    }
  }
  return det;
}
