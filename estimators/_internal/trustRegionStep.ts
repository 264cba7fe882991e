/**
 * The trust-region subproblem of a quadratic model: approximately minimise q(d) = gᵀd + ½ dᵀBd subject to
 * ‖d‖ ≤ Δ and, optionally, lo ≤ d ≤ hi (coordinate bounds), by truncated conjugate gradients (Steihaug–Toint;
 * Powell's TRSAPP/TRSBOX do the same): CG from d = 0 until the boundary of the ball is reached, negative
 * curvature is met, a bound is hit (the variable is then fixed there and CG restarts on the free ones) or the
 * free gradient has shrunk enough. B is given as a product v ↦ Bv.
 *
 * The result never increases q: every CG step along a descent direction with α ≤ the exact line minimiser
 * lowers q, so q(d) ≤ q(0) = 0 (the `final` step law rests on this).
 *
 * @internal
 */
export interface TrustRegionStep {
  /** The step d. */
  readonly d: Float64Array;
  /** q(d) − q(0) = gᵀd + ½dᵀBd ≤ 0. */
  readonly predicted: number;
  /** The least curvature pᵀBp/‖p‖² met along the CG directions, or 0 when the step reached the boundary. */
  readonly crvmin: number;
}

/** Options of {@link trustRegionStep}. */
export interface TrustRegionOptions {
  readonly lo?: Float64Array;
  readonly hi?: Float64Array;
  /** Relative reduction of the free gradient norm at which CG stops. @defaultValue 1e-2 */
  readonly tolerance?: number;
  /**
   * CG stops inside the ball once an iteration lowers q by at most this share of the reduction so far
   * (Powell's TRSAPP: 0.01). @defaultValue 0 (only the gradient test)
   */
  readonly reductionShare?: number;
  /** Searches along great circles of the sphere ‖d‖ = Δ after CG reached it (Powell's TRSAPP). @defaultValue 5 */
  readonly refinements?: number;
}

export function trustRegionStep(
  g: Float64Array,
  hessTimes: (v: Float64Array, out: Float64Array) => Float64Array,
  radius: number,
  options: TrustRegionOptions = {},
): TrustRegionStep {
  const p = g.length;
  const { lo, hi } = options;
  const tol = options.tolerance ?? 1e-2;
  const share = options.reductionShare ?? 0;
  const d = new Float64Array(p);
  const r = Float64Array.from(g); // gradient of q at d
  const dir = new Float64Array(p);
  const bd = new Float64Array(p);
  const free = new Uint8Array(p).fill(1);
  if (lo !== undefined && hi !== undefined) {
    for (let i = 0; i < p; i++) {
      if ((lo[i]! >= 0 && g[i]! > 0) || (hi[i]! <= 0 && g[i]! < 0)) free[i] = 0;
    }
  }
  let crvmin = Infinity;
  let gfree0 = -1;
  let restart = true;
  let rr = 0;
  let iterations = 0;
  let boundary = false;
  let reduction = 0;
  while (iterations < p + 1) {
    iterations++;
    if (restart) {
      rr = 0;
      for (let i = 0; i < p; i++) {
        dir[i] = free[i] ? -r[i]! : 0;
        rr += dir[i]! * dir[i]!;
      }
      if (gfree0 < 0) gfree0 = Math.sqrt(rr);
      restart = false;
    }
    if (!(rr > 0) || Math.sqrt(rr) <= tol * gfree0) break;
    hessTimes(dir, bd);
    let pbp = 0;
    let pp = 0;
    let dp = 0;
    let dd = 0;
    for (let i = 0; i < p; i++) {
      pbp += dir[i]! * bd[i]!;
      pp += dir[i]! * dir[i]!;
      dp += d[i]! * dir[i]!;
      dd += d[i]! * d[i]!;
    }
    // Largest step along dir inside the ball: ‖d + a dir‖ = Δ.
    const disc = dp * dp + pp * (radius * radius - dd);
    const aBall = disc > 0 ? (-dp + Math.sqrt(disc)) / pp : 0;
    let aBound = Infinity;
    let hit = -1;
    if (lo !== undefined && hi !== undefined) {
      for (let i = 0; i < p; i++) {
        if (!free[i] || dir[i] === 0) continue;
        const a = dir[i]! > 0 ? (hi[i]! - d[i]!) / dir[i]! : (lo[i]! - d[i]!) / dir[i]!;
        if (a < aBound) {
          aBound = Math.max(0, a);
          hit = i;
        }
      }
    }
    const curvature = pbp / pp;
    crvmin = Math.min(crvmin, curvature);
    const aCg = pbp > 0 ? rr / pbp : Infinity;
    const a = Math.min(aCg, aBall, aBound);
    for (let i = 0; i < p; i++) {
      d[i] = d[i]! + a * dir[i]!;
      r[i] = r[i]! + a * bd[i]!;
    }
    // This iteration lowered q by a·(‖r‖² − ½ a pᵀBp) (the direction's slope is −‖r‖²).
    const gain = a * (rr - 0.5 * a * pbp);
    reduction += gain;
    if (a === aCg && a < aBall && a < aBound && gain <= share * reduction) break;
    if (a === aBall && aBall <= aBound) {
      boundary = true;
      break;
    }
    if (a === aBound) {
      free[hit] = 0;
      d[hit] = dir[hit]! > 0 ? hi![hit]! : lo![hit]!;
      restart = true;
      continue;
    }
    let rrNew = 0;
    for (let i = 0; i < p; i++) if (free[i]) rrNew += r[i]! * r[i]!;
    const beta = rrNew / rr;
    for (let i = 0; i < p; i++) dir[i] = free[i] ? -r[i]! + beta * dir[i]! : 0;
    rr = rrNew;
  }
  // q(d) − q(0) = gᵀd + ½dᵀBd = ½ (g + r)ᵀ d, since r = g + Bd.
  let predicted = 0;
  for (let i = 0; i < p; i++) predicted += 0.5 * (g[i]! + r[i]!) * d[i]!;
  if (boundary && free.every((v) => v === 1)) predicted = refineOnSphere(g, hessTimes, d, r, predicted, options.refinements ?? 5);
  if (!(predicted <= 0)) {
    // Rounding on a nearly flat model: take no step rather than a step the model says is uphill.
    d.fill(0);
    predicted = 0;
  }
  return { d, predicted, crvmin: boundary || crvmin === Infinity ? 0 : Math.max(crvmin, 0) };
}

/**
 * Powell's "alternative iterations": with d on the sphere ‖d‖ = Δ, search the great circle through d in the
 * plane of d and the model gradient at d, d(θ) = cos θ·d + sin θ·u (u ⟂ d, ‖u‖ = Δ), for the θ that minimises
 * q; repeat while it still lowers q by more than 1 % of the reduction so far. `d` and `r` (= g + Bd) are
 * updated in place; returns the new q(d) − q(0).
 */
function refineOnSphere(
  g: Float64Array,
  hessTimes: (v: Float64Array, out: Float64Array) => Float64Array,
  d: Float64Array,
  r: Float64Array,
  predicted: number,
  iterations: number,
): number {
  const p = d.length;
  const u = new Float64Array(p);
  const hu = new Float64Array(p);
  const hd = new Float64Array(p);
  let q = predicted;
  for (let it = 0; it < iterations; it++) {
    let dd = 0;
    let dr = 0;
    let rr = 0;
    for (let i = 0; i < p; i++) {
      dd += d[i]! * d[i]!;
      dr += d[i]! * r[i]!;
      rr += r[i]! * r[i]!;
      hd[i] = r[i]! - g[i]!;
    }
    const temp = dd * rr - dr * dr;
    if (!(temp > 1e-4 * q * q) || !(dd > 0)) break;
    const scale = Math.sqrt(temp);
    // u = (dr·d − dd·r)/√temp: ⟂ d, norm √dd, pointing downhill.
    for (let i = 0; i < p; i++) u[i] = (dr * d[i]! - dd * r[i]!) / scale;
    hessTimes(u, hu);
    let gd = 0;
    let gu = 0;
    let dhd = 0;
    let uhd = 0;
    let uhu = 0;
    for (let i = 0; i < p; i++) {
      gd += g[i]! * d[i]!;
      gu += g[i]! * u[i]!;
      dhd += d[i]! * hd[i]!;
      uhd += u[i]! * hd[i]!;
      uhu += u[i]! * hu[i]!;
    }
    const qAt = (t: number): number => {
      const c = Math.cos(t);
      const s = Math.sin(t);
      return c * gd + s * gu + 0.5 * (c * c * dhd + 2 * s * c * uhd + s * s * uhu);
    };
    const steps = 48;
    let best = 0;
    let qBest = qAt(0);
    const vals = new Float64Array(steps);
    for (let k = 0; k < steps; k++) {
      vals[k] = qAt((2 * Math.PI * k) / steps);
      if (vals[k]! < qBest) {
        qBest = vals[k]!;
        best = k;
      }
    }
    // Parabolic refinement of the best sampled angle.
    const a = vals[(best + steps - 1) % steps]!;
    const b = vals[best]!;
    const c = vals[(best + 1) % steps]!;
    const den = a - 2 * b + c;
    let theta = (2 * Math.PI * best) / steps;
    if (den > 0) theta += ((0.5 * (a - c)) / den) * ((2 * Math.PI) / steps);
    const qNew = qAt(theta);
    if (!(qNew < q)) break;
    const reduction = q - qNew;
    const cs = Math.cos(theta);
    const sn = Math.sin(theta);
    for (let i = 0; i < p; i++) {
      d[i] = cs * d[i]! + sn * u[i]!;
      r[i] = g[i]! + cs * hd[i]! + sn * hu[i]!;
    }
    q = qNew;
    if (reduction <= 0.01 * -q) break;
  }
  return q;
}
