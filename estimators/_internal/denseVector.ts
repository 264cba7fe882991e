/**
 * Dot product and Euclidean norm of dense float64 vectors (summed in index order).
 *
 * @internal
 */

/** aᵀb. */
export function dot(a: Float64Array, b: Float64Array): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]! * b[i]!;
  return t;
}

/** ‖a‖₂. */
export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
