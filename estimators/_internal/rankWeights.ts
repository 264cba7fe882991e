import { OracleMismatch } from '../../src/errors.js';

/** The DAG weights of one ranking: `weights[i]` for candidate i, and the number of edges |E|. */
export interface RankWeights {
  /** Weight of each candidate (by candidate index); they sum to 0. */
  readonly weights: Float64Array;
  /** |E| = k(k−1)/2 + k(m−k), the number of "a beats b" edges of the ranking's DAG. */
  readonly edges: number;
  /** k: how many candidates the ranking ordered. */
  readonly k: number;
}

/**
 * The coefficients of the ZO-RankSGD estimator d = (1/|E|) Σ_{(a beats b) ∈ E} (ξ_a − ξ_b) = (1/|E|) Σᵢ wᵢ ξᵢ for
 * an (m, k)-ranking `order` (candidate indices, best first; the other m − k candidates are unordered).
 *
 * The DAG has an edge for every ordered pair inside the top k and for every (top-k, unranked) pair, so a
 * ranked item at 0-based rank t beats (k − 1 − t) + (m − k) items and is beaten by t: wₜ = m − 1 − 2t; an
 * unranked item is beaten by all k ranked ones: w = −k. The weights sum to 0. (The reference app code uses
 * m − 2t, whose weights sum to k: not this.)
 *
 * @param m - number of candidates (≥ 2)
 * @param order - candidate indices best first, distinct, 1 ≤ length ≤ m
 * @throws OracleMismatch when `order` is empty, too long, or holds a repeated or out-of-range index
 */
export function rankWeights(m: number, order: ArrayLike<number>, estimator = 'zoRankSgd'): RankWeights {
  const k = order.length;
  if (k < 1 || k > m) {
    throw new OracleMismatch(estimator, `a ranking of 1 to ${m} candidate indices`, `ranking of length ${k}`);
  }
  const weights = new Float64Array(m).fill(-k);
  const seen = new Uint8Array(m);
  for (let t = 0; t < k; t++) {
    const i = order[t]!;
    if (!(Number.isInteger(i) && i >= 0 && i < m) || seen[i] === 1) {
      throw new OracleMismatch(estimator, `a ranking of distinct candidate indices in [0, ${m})`, `ranking containing ${i}`);
    }
    seen[i] = 1;
    weights[i] = m - 1 - 2 * t;
  }
  return { weights, edges: (k * (k - 1)) / 2 + k * (m - k), k };
}
