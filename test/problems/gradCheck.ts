import fc from 'fast-check';
import type { EvalContext } from '../../src/types.js';
import type { Problem } from '../../problems/problem.js';

/**
 * Points on the grid k · 2⁻¹⁰ with |x_i| ≤ range: exactly representable in float32, and so are x ± h for any
 * h = 2⁻ʲ with j ≤ 10 (the steps of {@link centralDifference}).
 */
export function gridPoint(dim: number, range: number): fc.Arbitrary<Float32Array> {
  const k = Math.floor(range * 1024);
  return fc
    .array(fc.integer({ min: -k, max: k }), { minLength: dim, maxLength: dim })
    .map((ks) => Float32Array.from(ks, (v) => v / 1024));
}

/** Central finite differences (f(x + h eᵢ) − f(x − h eᵢ)) / 2h, in float64, with one evaluation context. */
export function centralDifference(problem: Problem, x: Float32Array, h: number, context?: EvalContext): Float64Array {
  const out = new Float64Array(x.length);
  const y = x.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    y[i] = xi + h;
    if (y[i] !== xi + h) throw new Error('x + h is not exact in float32: use gridPoint and h = 2^-j');
    const fp = problem.value(y, context);
    y[i] = xi - h;
    const fm = problem.value(y, context);
    y[i] = xi;
    out[i] = (fp - fm) / (2 * h);
  }
  return out;
}

/** max_i |a_i − b_i| / (1 + max_i |b_i|). */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / (1 + scale);
}

/** ∇f(x) from `problem.grad` (which must exist). */
export function gradient(problem: Problem, x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  if (problem.grad === undefined) throw new Error(`${problem.name} has no grad`);
  problem.grad(x, out);
  return out;
}

/** Euclidean norm. */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}
