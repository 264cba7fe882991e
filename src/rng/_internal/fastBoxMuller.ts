/*
 * Fast pieces of the canonical float32 Box–Muller (src/rng/gaussian.ts) for the TypeScript kernel. Each returns
 * exactly the float32 value of the reference; they are exhaustively tested (all 2^24 radius inputs, all 2^24
 * angles) in test/backends/fastBoxMuller.test.ts.
 *
 * Two kinds of shortcuts keep the bits:
 * - roundings of operations that are exact in float32 are skipped (the mantissa scaling, m − 1 by Sterbenz'
 *   lemma, products by ±2);
 * - an addition whose float32 result is known to lie in one binade [2^k, 2^(k+1)] is rounded to float32 with
 *   `(v + C) − C`, C = 1.5 · 2^(k + 29): the float64 sum then rounds v to a multiple of 2^(k − 23), the float32
 *   quantum of that binade, ties to even, which is float32 rounding there (and round32(round64(a + b)) =
 *   round32(a + b) for float32 a, b). On V8 this replaces a cvtsd2ss/cvtss2sd pair (port-5 bound) by an add and
 *   a subtract. The ranges used are given beside each use.
 *
 * Constants are locals: in V8's optimised code a module-level `const` costs a context load and a hole check at
 * every use; locals of inlined functions are folded.
 */

/** f32((k − 24) · LN2) for k = 0 … 24: the exponent term e · ln 2 of ln u₁, e = k − 24 ∈ [−24, 0]. */
const E_LN2 = Float64Array.from({ length: 25 }, (_, k) => Math.fround((k - 24) * Math.fround(Math.LN2)));

/** The radius r = √(−2 ln u₁) of radius word `x`: bit-identical to `boxMullerRadius(x)`. */
export function fastRadius(x: number): number {
  const f = Math.fround;
  const L3 = f(1 / 3);
  const L5 = f(1 / 5);
  const L7 = f(1 / 7);
  // t = (x >>> 8) | 1 = tn · 2^(e − 23) with tn ∈ [2^23, 2^24); m = tn · 2^−23, halved when m > f32(√2)
  const t = (x >>> 8) | 1;
  const lz = Math.clz32(t);
  const tn = t << (lz - 8);
  const big = 1 - ((tn - 11863284) >>> 31); // tn > 0xb504f3, the mantissa of f32(√2)
  const m = tn * (1.1920928955078125e-7 - big * 5.960464477539063e-8); // 2^−23 or 2^−24, exact
  // m + 1 ∈ [2, 2.42] (C = 1.5·2^30) or, when big, ∈ [1.7, 2] (C = 1.5·2^29)
  const c = 1610612736 - big * 805306368;
  const s = f((m - 1) / ((m + 1 + c) - c));
  const s2 = f(s * s); // s ∈ [−0.172, 0.172]
  let p = f(s2 * L7) + L5 + 100663296 - 100663296; // p ∈ [0.2, 0.205): C = 1.5·2^26
  p = f(p * s2) + L3 + 201326592 - 201326592; // ∈ [0.333, 0.34]: C = 1.5·2^27
  p = f(p * s2) + 1 + 805306368 - 805306368; // ∈ [1, 1.011]: C = 1.5·2^29
  const lnu = f(E_LN2[31 - lz + big]! + 2 * f(s * p)); // e = 7 − lz + big; ln m = 2 · s · p
  return f(Math.sqrt(-2 * lnu));
}

/** sin th by the reference's odd Taylor polynomial, th = f32 angle ∈ [−π/4, π/4), t2 = f32(th · th). */
export function fastSin(th: number, t2: number): number {
  const f = Math.fround;
  const S3 = f(-1 / 6);
  const S5 = f(1 / 120);
  const S7 = f(-1 / 5040);
  // t2 ∈ [0, 0.617]
  let ps = f(t2 * S7) + S5 + 6291456 - 6291456; // ∈ [0.00821, 0.00834]: C = 1.5·2^22
  ps = f(ps * t2) + S3 + 100663296 - 100663296; // ∈ [−0.1667, −0.1615]: C = 1.5·2^26
  ps = f(ps * t2) + 1 + 402653184 - 402653184; // ∈ [0.897, 1]: C = 1.5·2^28
  return f(th * ps);
}

/** cos th by the reference's even Taylor polynomial, t2 = f32(th · th) ∈ [0, 0.617]. */
export function fastCos(t2: number): number {
  const f = Math.fround;
  const C4 = f(1 / 24);
  const C6 = f(-1 / 720);
  const C8 = f(1 / 40320);
  let pc = f(t2 * C8) + C6 + 786432 - 786432; // ∈ [−0.001389, −0.001373]: C = 1.5·2^19
  pc = f(pc * t2) + C4 + 25165824 - 25165824; // ∈ [0.0408, 0.0417]: C = 1.5·2^24
  pc = f(pc * t2) - 0.5 + 201326592 - 201326592; // ∈ [−0.5, −0.474]: C = 1.5·2^27
  return f(pc * t2) + 1 + 402653184 - 402653184; // ∈ [0.69, 1]: C = 1.5·2^28
}
