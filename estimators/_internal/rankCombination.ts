import { perturbGaussianRange } from '../../src/rng/perturbGaussian.js';
import { streamKey } from '../../src/rng/streamKey.js';
import { streams } from '../../src/rng/streams.js';
import type { Params } from '../../src/types.js';

/** A linear combination Σₜ coeffsₜ · gaussian(seedsₜ) of seeded Gaussian directions. */
export interface GaussianCombination {
  readonly seeds: readonly number[];
  readonly coeffs: readonly number[];
}

/**
 * Visits the combination block by block: `visit(b, values)` receives Σₜ coeffₜ zₜ restricted to block b,
 * accumulated in float64 from the canonical float32 Gaussian elements (the ones the backends apply).
 * Memory: one float64 and one float32 scratch array of the block's size at a time.
 */
function forEachBlock(
  c: GaussianCombination,
  params: Params,
  visit: (b: number, values: Float64Array) => void,
  dense: readonly Float32Array[] | null = null,
  denseCoeff = 1,
): void {
  for (let b = 0; b < params.length; b++) {
    const n = params[b]!.data.length;
    const acc = new Float64Array(n);
    const extra = dense?.[b];
    if (extra !== undefined) for (let i = 0; i < n; i++) acc[i] = denseCoeff * extra[i]!;
    const z = new Float32Array(n);
    for (let t = 0; t < c.seeds.length; t++) {
      const coeff = c.coeffs[t]!;
      if (coeff === 0) continue;
      const { k1, k2 } = streamKey(c.seeds[t]!, streams.gaussian, b);
      z.fill(0);
      perturbGaussianRange(z, k1, k2, 0, n, 1);
      for (let i = 0; i < n; i++) acc[i] = acc[i]! + coeff * z[i]!;
    }
    visit(b, acc);
  }
}

/** ‖Σₜ coeffₜ zₜ‖₂ over all blocks, without materialising the whole vector. Time O(terms · size). */
export function combinationNorm(c: GaussianCombination, params: Params): number {
  let s = 0;
  forEachBlock(c, params, (_b, v) => {
    for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  });
  return Math.sqrt(s);
}

/**
 * The combination materialised as one float32 array per block (plus `denseCoeff` times the dense blocks
 * `dense`, when given), and its float64 norm. Memory: 1× params (float32). Time O(terms · size).
 */
export function combinationBlocks(
  c: GaussianCombination,
  params: Params,
  dense: readonly Float32Array[] | null = null,
  denseCoeff = 1,
): { readonly blocks: Float32Array[]; readonly norm: number } {
  const blocks: Float32Array[] = [];
  let s = 0;
  forEachBlock(
    c,
    params,
    (_b, v) => {
      for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
      blocks.push(Float32Array.from(v));
    },
    dense,
    denseCoeff,
  );
  return { blocks, norm: Math.sqrt(s) };
}
