/**
 * Orthonormal bases of random subspaces: p rows of length d (row-major Float64Array), the first ones spanning
 * given directions (kept from earlier subspaces), the rest seeded Gaussian vectors, orthonormalised by
 * Gram–Schmidt applied twice. Cost O(d p²).
 *
 * @internal
 */
import { gaussianAt } from '../../src/rng/gaussian.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';

/**
 * @param keep - directions to span first (each of length d; dropped when (nearly) dependent on earlier ones)
 * @returns the basis and the number of kept directions actually used
 */
export function subspaceBasis(d: number, p: number, seed: number, keep: readonly Float64Array[] = []): { basis: Float64Array; kept: number } {
  const basis = new Float64Array(p * d);
  let rows = 0;
  let kept = 0;
  const row = new Float64Array(d);
  const add = (v: Float64Array): boolean => {
    row.set(v);
    const before = norm(row);
    if (!(before > 0)) return false;
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let t = 0;
        for (let i = 0; i < d; i++) t += basis[o + i]! * row[i]!;
        for (let i = 0; i < d; i++) row[i] = row[i]! - t * basis[o + i]!;
      }
    }
    const after = norm(row);
    if (!(after > 1e-8 * before)) return false;
    const o = rows * d;
    for (let i = 0; i < d; i++) basis[o + i] = row[i]! / after;
    rows++;
    return true;
  };
  for (const v of keep) {
    if (rows >= p) break;
    if (add(v)) kept++;
  }
  let draw = 0;
  const z = new Float64Array(d);
  while (rows < p) {
    const s = derivedSeed(seed, draw++, 0x5b);
    for (let i = 0; i < d; i++) z[i] = gaussianAt(s, 0, i);
    add(z);
  }
  return { basis, kept };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
