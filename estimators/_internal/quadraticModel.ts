/**
 * A quadratic model in p variables, in Powell's representation (NEWUOA):
 *
 *   q(s) = c + gᵀs + ½ sᵀ (Γ + Σⱼ μⱼ yⱼ yⱼᵀ) s,
 *
 * with an explicit symmetric Hessian part Γ (p × p, row-major) and an implicit part carried by the m
 * interpolation points yⱼ (rows of `points`, m × p) with weights μⱼ. Everything is relative to the model's base
 * (s = 0). Plain data: every field is a Float64Array or a number.
 *
 * @internal
 */
export interface QuadraticModel {
  readonly c: number;
  readonly g: Float64Array;
  readonly gamma: Float64Array;
  readonly mu: Float64Array;
}

/** out = (Γ + Σ μⱼ yⱼyⱼᵀ) v. O(p² + m p). */
export function modelHessianTimes(model: QuadraticModel, points: Float64Array, m: number, p: number, v: Float64Array, out: Float64Array): Float64Array {
  const { gamma, mu } = model;
  for (let i = 0; i < p; i++) {
    let s = 0;
    const o = i * p;
    for (let k = 0; k < p; k++) s += gamma[o + k]! * v[k]!;
    out[i] = s;
  }
  for (let j = 0; j < m; j++) {
    const w = mu[j]!;
    if (w === 0) continue;
    const o = j * p;
    let t = 0;
    for (let k = 0; k < p; k++) t += points[o + k]! * v[k]!;
    t *= w;
    for (let k = 0; k < p; k++) out[k] = out[k]! + t * points[o + k]!;
  }
  return out;
}

/** q(s). */
export function modelValue(model: QuadraticModel, points: Float64Array, m: number, p: number, s: Float64Array): number {
  const hs = modelHessianTimes(model, points, m, p, s, new Float64Array(p));
  let v = model.c;
  for (let k = 0; k < p; k++) v += s[k]! * (model.g[k]! + 0.5 * hs[k]!);
  return v;
}

/** ∇q(s) = g + (Γ + Σ μⱼ yⱼyⱼᵀ) s, into `out`. */
export function modelGradient(model: QuadraticModel, points: Float64Array, m: number, p: number, s: Float64Array, out: Float64Array): Float64Array {
  modelHessianTimes(model, points, m, p, s, out);
  for (let k = 0; k < p; k++) out[k] = out[k]! + model.g[k]!;
  return out;
}

/** The model's full Hessian Γ + Σ μⱼ yⱼyⱼᵀ as a dense p × p matrix. O(m p²). */
export function modelHessian(model: QuadraticModel, points: Float64Array, m: number, p: number): Float64Array {
  const out = Float64Array.from(model.gamma);
  for (let j = 0; j < m; j++) {
    const w = model.mu[j]!;
    if (w === 0) continue;
    const o = j * p;
    for (let a = 0; a < p; a++) {
      const ya = w * points[o + a]!;
      if (ya === 0) continue;
      const ro = a * p;
      for (let b = 0; b < p; b++) out[ro + b] = out[ro + b]! + ya * points[o + b]!;
    }
  }
  return out;
}

/**
 * The same model about a new base s = δ (points then given relative to δ): c′ = q(δ), g′ = ∇q(δ), and the
 * implicit Hessian part folded into Γ (μ′ = 0), since the points move. O(m p²).
 */
export function shiftModel(model: QuadraticModel, points: Float64Array, m: number, p: number, delta: Float64Array): QuadraticModel {
  const c = modelValue(model, points, m, p, delta);
  const g = modelGradient(model, points, m, p, delta, new Float64Array(p));
  const gamma = modelHessian(model, points, m, p);
  return { c, g, gamma, mu: new Float64Array(m) };
}
