/**
 * ZO-SAH's model of f in one two-dimensional coordinate subspace: the full quadratic
 * q(u, v) = c + g₁u + g₂v + ½(h₁₁u² + 2h₁₂uv + h₂₂v²) fitted by ridge-regularised least squares to the values
 * on the 3 × 3 grid (u, v) ∈ {−ε, 0, ε}², and the regularised inverse of its Hessian.
 *
 * @internal
 */

/** Grid offsets (i, j) in the order the probes are proposed: the 8 points around the centre. */
export const GRID: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];

export interface Fit2d {
  readonly g: readonly [number, number];
  /** h₁₁, h₁₂, h₂₂. */
  readonly h: readonly [number, number, number];
}

/**
 * Least-squares fit of q(u, v) = c + g₁u + g₂v + ½h₁₁u² + h₁₂uv + ½h₂₂v² to values at points (uₖ, vₖ) (the
 * centre (0, 0) first), with ridge λ on the second-order coefficients (λ times the diagonal of the normal
 * matrix, so each is shrunk by about 1/(1 + λ)). The points are the realised offsets (float32 rounding of
 * x ± ε), so the fit is exact for quadratics when λ = 0 whatever the rounding.
 */
export function quadraticFit2d(u: ArrayLike<number>, v: ArrayLike<number>, f: ArrayLike<number>, ridge: number): Fit2d {
  const n = f.length;
  const a = new Float64Array(36);
  const rhs = new Float64Array(6);
  const phi = new Float64Array(6);
  for (let k = 0; k < n; k++) {
    const x = u[k]!;
    const y = v[k]!;
    phi[0] = 1;
    phi[1] = x;
    phi[2] = y;
    phi[3] = 0.5 * x * x;
    phi[4] = x * y;
    phi[5] = 0.5 * y * y;
    for (let i = 0; i < 6; i++) {
      rhs[i] = rhs[i]! + phi[i]! * f[k]!;
      for (let j = 0; j < 6; j++) a[i * 6 + j] = a[i * 6 + j]! + phi[i]! * phi[j]!;
    }
  }
  for (let i = 3; i < 6; i++) a[i * 6 + i] = a[i * 6 + i]! * (1 + ridge);
  const sol = solve6(a, rhs);
  return { g: [sol[1]!, sol[2]!], h: [sol[3]!, sol[4]!, sol[5]!] };
}

/** Solves the 6 × 6 system by Gaussian elimination with partial pivoting (zeros when singular). */
function solve6(a: Float64Array, b: Float64Array): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < 6; c++) {
    let piv = c;
    for (let r = c + 1; r < 6; r++) if (Math.abs(m[r * 6 + c]!) > Math.abs(m[piv * 6 + c]!)) piv = r;
    if (m[piv * 6 + c] === 0) return new Float64Array(6);
    if (piv !== c) {
      for (let k = 0; k < 6; k++) [m[c * 6 + k], m[piv * 6 + k]] = [m[piv * 6 + k]!, m[c * 6 + k]!];
      [x[c], x[piv]] = [x[piv]!, x[c]!];
    }
    for (let r = c + 1; r < 6; r++) {
      const fct = m[r * 6 + c]! / m[c * 6 + c]!;
      if (fct === 0) continue;
      for (let k = c; k < 6; k++) m[r * 6 + k] = m[r * 6 + k]! - fct * m[c * 6 + k]!;
      x[r] = x[r]! - fct * x[c]!;
    }
  }
  for (let r = 5; r >= 0; r--) {
    let t = x[r]!;
    for (let k = r + 1; k < 6; k++) t -= m[r * 6 + k]! * x[k]!;
    x[r] = t / m[r * 6 + r]!;
  }
  return x;
}

/**
 * The inverse of the Hessian made positive definite: eigenvalues replaced by max(|λ|, floor) (a saddle-free
 * Newton preconditioner), returned as (a, b, c) with H⁻¹ = [[a, b], [b, c]].
 */
export function regularisedInverse(h: readonly [number, number, number], floor: number): [number, number, number] {
  const [p, q, r] = h;
  const mean = 0.5 * (p + r);
  const rad = Math.hypot(0.5 * (p - r), q);
  const l1 = Math.max(Math.abs(mean + rad), floor);
  const l2 = Math.max(Math.abs(mean - rad), floor);
  // Eigenvector of l1: (cos t, sin t) with tan 2t = 2q/(p − r).
  const t = 0.5 * Math.atan2(2 * q, p - r);
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [(c * c) / l1 + (s * s) / l2, c * s * (1 / l1 - 1 / l2), (s * s) / l1 + (c * c) / l2];
}
