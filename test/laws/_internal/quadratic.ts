import { streamKey } from '../../../src/rng/streamKey.js';
import { perturbGaussianRange } from '../../../src/rng/perturbGaussian.js';
import type { Params } from '../../../src/types.js';

/** f(x) = ½ xᵀHx + bᵀx + c on the concatenation of the blocks, in float64. */
export interface TestQuadratic {
  readonly dim: number;
  readonly h: Float64Array; // dim × dim, symmetric positive definite
  readonly b: Float64Array;
  value(x: ArrayLike<number>): number;
  grad(x: ArrayLike<number>): Float64Array;
}

/** A seeded SPD quadratic: H = BᵀB/dim + I·shift, b Gaussian. */
export function testQuadratic(dim: number, seed: number, options: { readonly linearOnly?: boolean } = {}): TestQuadratic {
  const z = gaussianVector(dim * dim + dim, seed);
  const h = new Float64Array(dim * dim);
  if (!options.linearOnly) {
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        let s = 0;
        for (let k = 0; k < dim; k++) s += z[k * dim + i]! * z[k * dim + j]!;
        h[i * dim + j] = s / dim + (i === j ? 0.5 : 0);
      }
    }
  }
  const b = Float64Array.from(z.subarray(dim * dim));
  return {
    dim,
    h,
    b,
    value(x) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        let hx = 0;
        for (let j = 0; j < dim; j++) hx += h[i * dim + j]! * x[j]!;
        s += 0.5 * x[i]! * hx + b[i]! * x[i]!;
      }
      return s;
    },
    grad(x) {
      const g = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        let hx = 0;
        for (let j = 0; j < dim; j++) hx += h[i * dim + j]! * x[j]!;
        g[i] = hx + b[i]!;
      }
      return g;
    },
  };
}

/** `n` canonical standard normals of `seed` (stream 'data', block 0) as float64. */
export function gaussianVector(n: number, seed: number): Float64Array {
  const out = new Float32Array(n);
  const { k1, k2 } = streamKey(seed, 6, 0);
  perturbGaussianRange(out, k1, k2, 0, n, 1);
  return Float64Array.from(out);
}

/** The concatenated values of all blocks. */
export function flatten(params: Params): Float64Array {
  const n = params.reduce((s, b) => s + b.data.length, 0);
  const out = new Float64Array(n);
  let o = 0;
  for (const b of params) {
    out.set(b.data, o);
    o += b.data.length;
  }
  return out;
}

/** Params split into blocks of the given sizes, filled from `x`. */
export function paramsFrom(x: ArrayLike<number>, sizes: readonly number[]): Params {
  let o = 0;
  return sizes.map((n, i) => {
    const data = new Float32Array(n);
    for (let k = 0; k < n; k++) data[k] = x[o + k]!;
    o += n;
    return { name: `b${i}`, shape: [n], data };
  });
}
