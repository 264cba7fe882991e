/**
 * The inverse H of the KKT matrix of least-Frobenius-norm quadratic interpolation (Powell, 2004), in p
 * variables with m interpolation points y₀ … y_{m−1} (rows of `points`, m × p, relative to the model's base):
 *
 *   W = [ A  e  Y ]      A_ij = ½ (yᵢᵀ yⱼ)²,  e = (1, …, 1)ᵀ,  Y = the m × p matrix of points,
 *       [ eᵀ 0  0 ]
 *       [ Yᵀ 0  0 ],     H = W⁻¹, symmetric, of order N = m + 1 + p.
 *
 * Column j < m of H holds the Lagrange function ℓⱼ of point j (its Hessian weights, constant and gradient):
 * ℓⱼ(yᵢ) = δᵢⱼ, and the least-Frobenius-norm change of a model that corrects its value at yⱼ by r is r·ℓⱼ.
 * Stored as a dense row-major Float64Array of N² entries.
 *
 * @internal
 */

/** Order of the KKT matrix for m points in p variables. */
export function kktOrder(m: number, p: number): number {
  return m + 1 + p;
}

/**
 * w(y) = (½ (yᵢᵀy)² for each point i; 1; y): the column of W a point y would bring. Written into `out`
 * (length N).
 */
export function kktColumn(points: Float64Array, m: number, p: number, y: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * p;
    for (let k = 0; k < p; k++) s += points[o + k]! * y[k]!;
    out[i] = 0.5 * s * s;
  }
  out[m] = 1;
  for (let k = 0; k < p; k++) out[m + 1 + k] = y[k]!;
  return out;
}

/**
 * H = W⁻¹ built from scratch by Gauss–Jordan elimination with partial pivoting, on W scaled by the typical
 * point distance (so A, e and Y are of order one). Returns undefined when W is singular to working precision
 * (the points are not poised).
 */
export function kktInverse(points: Float64Array, m: number, p: number): Float64Array | undefined {
  const n = kktOrder(m, p);
  let scale = 0;
  for (let i = 0; i < m * p; i++) scale = Math.max(scale, Math.abs(points[i]!));
  if (!(scale > 0)) return undefined;
  // W = D W' D with W' built from y' = y/s, D = diag(s² I_m, s⁻², s⁻¹ I_p); so W⁻¹ = D⁻¹ W'⁻¹ D⁻¹.
  const s = scale;
  const w = new Float64Array(n * n);
  const col = new Float64Array(n);
  const ys = Float64Array.from(points, (v) => v / s);
  const y = new Float64Array(p);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < p; k++) y[k] = ys[j * p + k]!;
    kktColumn(ys, m, p, y, col);
    for (let i = 0; i < n; i++) {
      w[i * n + j] = col[i]!;
      w[j * n + i] = col[i]!;
    }
  }
  // The constant and linear rows/columns were written as columns j < m above; the bottom-right block is zero.
  const inv = invert(w, n);
  if (inv === undefined) return undefined;
  const d = new Float64Array(n);
  for (let i = 0; i < m; i++) d[i] = s * s;
  d[m] = 1 / (s * s);
  for (let k = 0; k < p; k++) d[m + 1 + k] = 1 / s;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inv[i * n + j] = inv[i * n + j]! / (d[i]! * d[j]!);
  return inv;
}

/** Dense inverse by Gauss–Jordan with partial pivoting; undefined when a pivot vanishes. */
function invert(a: Float64Array, n: number): Float64Array | undefined {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm = Math.max(norm, Math.abs(a[i]!));
  const tiny = norm * n * 1e-15;
  for (let c = 0; c < n; c++) {
    let piv = c;
    let best = Math.abs(m[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(m[r * n + c]!);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > tiny)) return undefined;
    if (piv !== c) {
      swapRows(m, n, piv, c);
      swapRows(inv, n, piv, c);
    }
    const pv = 1 / m[c * n + c]!;
    for (let k = 0; k < n; k++) {
      m[c * n + k] = m[c * n + k]! * pv;
      inv[c * n + k] = inv[c * n + k]! * pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      const ro = r * n;
      const co = c * n;
      for (let k = 0; k < n; k++) {
        m[ro + k] = m[ro + k]! - f * m[co + k]!;
        inv[ro + k] = inv[ro + k]! - f * inv[co + k]!;
      }
    }
  }
  // Symmetrise (rounding leaves H only nearly symmetric).
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (inv[i * n + j]! + inv[j * n + i]!);
      inv[i * n + j] = v;
      inv[j * n + i] = v;
    }
  }
  return inv;
}

function swapRows(a: Float64Array, n: number, i: number, j: number): void {
  for (let k = 0; k < n; k++) {
    const t = a[i * n + k]!;
    a[i * n + k] = a[j * n + k]!;
    a[j * n + k] = t;
  }
}

/** out = H v (H symmetric N × N). */
export function kktTimes(h: Float64Array, n: number, v: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * n;
    for (let k = 0; k < n; k++) s += h[o + k]! * v[k]!;
    out[i] = s;
  }
  return out;
}

/** The quantities of replacing point t by y: see {@link replacementDenominator}. */
export interface Replacement {
  /** v = H w(y): its first m entries are the Lagrange function values ℓⱼ(y). */
  readonly hw: Float64Array;
  /** β = ½‖y‖⁴ − w(y)ᵀ H w(y). */
  readonly beta: number;
}

/** v = H w(y) and β for a candidate point y (both independent of which point it replaces). O(N²). */
export function replacementTerms(h: Float64Array, points: Float64Array, m: number, p: number, y: Float64Array): Replacement {
  const n = kktOrder(m, p);
  const w = kktColumn(points, m, p, y, new Float64Array(n));
  const hw = kktTimes(h, n, w, new Float64Array(n));
  let yy = 0;
  for (let k = 0; k < p; k++) yy += y[k]! * y[k]!;
  let whw = 0;
  for (let i = 0; i < n; i++) whw += w[i]! * hw[i]!;
  return { hw, beta: 0.5 * yy * yy - whw };
}

/** σₜ = αₜ β + τₜ² (αₜ = Hₜₜ, τₜ = ℓₜ(y)): the denominator of the update when y replaces point t. */
export function replacementDenominator(h: Float64Array, n: number, t: number, r: Replacement): number {
  const tau = r.hw[t]!;
  return h[t * n + t]! * r.beta + tau * tau;
}

/**
 * H ← H⁺ in place, for y replacing point t (Powell 2004, the rank-two update):
 *
 *   H⁺ = H + σ⁻¹ [ α (eₜ − Hw)(eₜ − Hw)ᵀ − β Heₜ eₜᵀH + τ (Heₜ (eₜ − Hw)ᵀ + (eₜ − Hw) eₜᵀH) ].
 *
 * Returns σ (the caller rejects replacements whose σ is too small). O(N²).
 */
export function replacePointInPlace(h: Float64Array, n: number, t: number, r: Replacement): number {
  const alpha = h[t * n + t]!;
  const tau = r.hw[t]!;
  const beta = r.beta;
  const sigma = alpha * beta + tau * tau;
  const u = new Float64Array(n);
  const ht = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = -r.hw[i]!;
    ht[i] = h[i * n + t]!;
  }
  u[t] = u[t]! + 1;
  const inv = 1 / sigma;
  for (let i = 0; i < n; i++) {
    const ui = u[i]!;
    const hi = ht[i]!;
    const a = inv * (alpha * ui + tau * hi);
    const b = inv * (tau * ui - beta * hi);
    const o = i * n;
    for (let j = 0; j < n; j++) h[o + j] = h[o + j]! + a * u[j]! + b * ht[j]!;
  }
  return sigma;
}

/**
 * H for the same points about a new origin δ (points yᵢ − δ), from H itself, in O(m N p) instead of the
 * O(N³) of a new inverse. Write H = [[Ω, Ξᵀ], [Ξ, Υ]] (Ω: m × m, Ξ: (p + 1) × m, Υ: (p + 1) × (p + 1)).
 * The Lagrange functions do not change with the origin, only their constant and gradient are re-expressed
 * about δ (c′ = c + gᵀδ + Σᵢ λᵢ ½(yᵢᵀδ)², g′ = g + Σᵢ λᵢ (yᵢᵀδ) yᵢ; λ′ = λ because the KKT constraints
 * Σλᵢ = 0, Σλᵢyᵢ = 0 make the Hessian Σλᵢyᵢyᵢᵀ origin-free): Ω′ = Ω and Ξ′ = that map applied to the
 * columns [Ω; Ξ]. Then H′W′ = I gives Ξ′A′ + Υ′X′ᵀ = 0 and X′ᵀΞ′ᵀ = I (X′ = [e, Y′]), so
 * Υ′ = −Ξ′ A′ Ξ′ᵀ. `points` are the old ones; H is updated in place.
 */
export function shiftKktInPlace(h: Float64Array, points: Float64Array, m: number, p: number, delta: Float64Array): void {
  const n = kktOrder(m, p);
  const q = p + 1;
  const yd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let t = 0;
    for (let k = 0; k < p; k++) t += points[i * p + k]! * delta[k]!;
    yd[i] = t;
  }
  // Ξ′ (q × m): row 0 (constant) = Ξ₀ + Σᵢ ½(yᵢᵀδ)² Ωᵢ + Σₖ δₖ Ξ₁₊ₖ; row 1+k = Ξ₁₊ₖ + Σᵢ (yᵢᵀδ) y_ik Ωᵢ.
  const xi = new Float64Array(q * m);
  for (let r = 0; r < q; r++) for (let j = 0; j < m; j++) xi[r * m + j] = h[(m + r) * n + j]!;
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const a0 = 0.5 * yd[i]! * yd[i]!;
    for (let j = 0; j < m; j++) xi[j] = xi[j]! + a0 * h[o + j]!;
    for (let k = 0; k < p; k++) {
      const a = yd[i]! * points[i * p + k]!;
      if (a === 0) continue;
      const r = (1 + k) * m;
      for (let j = 0; j < m; j++) xi[r + j] = xi[r + j]! + a * h[o + j]!;
    }
  }
  for (let k = 0; k < p; k++) {
    const a = delta[k]!;
    const o = (m + 1 + k) * n;
    for (let j = 0; j < m; j++) xi[j] = xi[j]! + a * h[o + j]!;
  }
  // A′ Ξ′ᵀ (m × q), with A′ᵢⱼ = ½ ((yᵢ − δ)ᵀ(yⱼ − δ))², row by row (Ξ′ transposed for contiguous access).
  const ys = new Float64Array(m * p);
  for (let i = 0; i < m; i++) for (let k = 0; k < p; k++) ys[i * p + k] = points[i * p + k]! - delta[k]!;
  const xt = new Float64Array(m * q);
  for (let r = 0; r < q; r++) for (let j = 0; j < m; j++) xt[j * q + r] = xi[r * m + j]!;
  const ax = new Float64Array(m * q);
  for (let i = 0; i < m; i++) {
    const oi = i * p;
    const oa = i * q;
    for (let j = 0; j < m; j++) {
      const oj = j * p;
      let t = 0;
      for (let k = 0; k < p; k++) t += ys[oi + k]! * ys[oj + k]!;
      const a = 0.5 * t * t;
      if (a === 0) continue;
      const ox = j * q;
      for (let r = 0; r < q; r++) ax[oa + r] = ax[oa + r]! + a * xt[ox + r]!;
    }
  }
  const ups = new Float64Array(q * q);
  for (let i = 0; i < m; i++) {
    const oa = i * q;
    for (let r = 0; r < q; r++) {
      const x = xt[i * q + r]!;
      if (x === 0) continue;
      const o = r * q;
      for (let c = 0; c < q; c++) ups[o + c] = ups[o + c]! + x * ax[oa + c]!;
    }
  }
  for (let r = 0; r < q; r++) {
    for (let c = 0; c < q; c++) h[(m + r) * n + m + c] = -ups[r * q + c]!;
    for (let j = 0; j < m; j++) {
      h[(m + r) * n + j] = xi[r * m + j]!;
      h[j * n + m + r] = xi[r * m + j]!;
    }
  }
  for (let r = 0; r < q; r++) {
    for (let c = r + 1; c < q; c++) {
      const v = 0.5 * (h[(m + r) * n + m + c]! + h[(m + c) * n + m + r]!);
      h[(m + r) * n + m + c] = v;
      h[(m + c) * n + m + r] = v;
    }
  }
}
