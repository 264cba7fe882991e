/*
 * The seeded streams of src/rng/DEFINITION.md in WGSL: lowbias32, the stream words, and the canonical Gaussian
 * pair, operation for operation in the definition's order. Integer steps are exact u32 arithmetic (WGSL's u32
 * `*` wraps, as imul); selections and sign flips are on the bit patterns; constants are given by their bits.
 *
 * Float steps use the light operations of wgslFloat.ts (native, behind the unfusable barrier) because every
 * operand and result inside the pair is a normal float of magnitude at least 2^-125, or an exact zero:
 *   m in [0.707, 1.414]; m − 1 is 0 or at least 2^-24 in magnitude (exact); m + 1 in [1.7, 2.5);
 *   s = (m − 1)/(m + 1) is 0 or in [1.7e-8, 0.172]; s² in [2.9e-16, 0.03]; the polynomial terms in [4e-17, 1.02];
 *   ln u₁ in [−16.7, −6e-8], never 0 (e − 24 and m − 1 are not both 0); −2 ln u₁ in [1.2e-7, 33.3];
 *   θ is 0 or at least 9.4e-8 in magnitude; θ² is 0 or in [8.8e-15, 0.617]; the sin and cos terms are 0 or
 *   in [2e-19, 1]; the radius is in [3.4e-4, 5.8].
 * θ, sin θ and the final products r · (±cos, ±sin) may be zero (θ = 0): g_mulz gives the zero its exact sign. Division and
 * square root are the integer-corrected f_div_pos and f_sqrt_pos. All 2^24 radius inputs and all 2^24 angle
 * inputs are checked against the definition by the browser tests, also with perturbed native operations.
 */
export const wgslRng = /* wgsl */ `
const LN2 = bitcast<f32>(0x3f317218u);
const L3 = bitcast<f32>(0x3eaaaaabu);
const L5 = bitcast<f32>(0x3e4ccccdu);
const L7 = bitcast<f32>(0x3e124925u);
const ANG = bitcast<f32>(0x33c90fdbu);
const S3 = bitcast<f32>(0xbe2aaaabu);
const S5 = bitcast<f32>(0x3c088889u);
const S7 = bitcast<f32>(0xb9500d01u);
const C4 = bitcast<f32>(0x3d2aaaabu);
const C6 = bitcast<f32>(0xbab60b61u);
const C8 = bitcast<f32>(0x37d00d01u);

fn lowbias32(x0: u32) -> u32 {
  var x = x0;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
fn stream_word(k1: u32, k2: u32, i: u32) -> u32 { return lowbias32((i * 0x9e3779b9u + k1) ^ k2); }

// r = sqrt(-2 ln u1), u1 = t 2^-24, t = (x >> 8) | 1
fn bm_radius(x: u32) -> f32 {
  let t = (x >> 8u) | 1u;
  let lz = countLeadingZeros(t);
  let tn = t << (lz - 8u);
  let big = tn > 0xb504f3u; // m > f32(sqrt 2), on the 24-bit significand
  // m = tn 2^-23 in [1, 2), halved when big (exact: built from its bits)
  let m = bitcast<f32>(select(0x3f800000u, 0x3f000000u, big) | (tn & 0x7fffffu));
  let e = i32(31u - lz) + select(0, 1, big);
  let nm = g_add(m, -1.0);
  let dm = g_add(m, 1.0);
  // s = nm / dm: nm is 0 (then s = +0) or at least 2^-24 in magnitude, dm in [1.7, 2.5)
  let neg = (bitcast<u32>(nm) & SIGN) != 0u;
  var s = nm;
  if ((bitcast<u32>(nm) & 0x7fffffffu) != 0u) { s = flip(f_div_pos(flip(nm, neg), dm), neg); }
  let s2 = g_mul(s, s);
  var p = g_mad(s2, L7, L5);
  p = g_mad(p, s2, L3);
  p = g_mad(p, s2, 1.0);
  let lnm = g_mul(g_mul(s, p), 2.0);
  let lnu = g_mad(f32(e - 24), LN2, lnm);
  return f_sqrt_pos(g_mul(-2.0, lnu));
}

// the pair (z_2k, z_2k+1) from the radius word x and the angle word y
fn bm_pair(x: u32, y: u32) -> vec2<f32> {
  let r = bm_radius(x);
  let q = y >> 30u;
  let a = (y >> 6u) & 0xffffffu;
  let th = g_mulz(f32(i32(a) - 8388608), ANG);
  let t2 = g_mul(th, th);
  var ps = g_mad(t2, S7, S5);
  ps = g_mad(ps, t2, S3);
  ps = g_mad(ps, t2, 1.0);
  let sn = g_mulz(th, ps);
  var pc = g_mad(t2, C8, C6);
  pc = g_mad(pc, t2, C4);
  pc = g_mad(pc, t2, -0.5);
  let cs = g_mad(pc, t2, 1.0);
  let sw = (q & 1u) == 1u;
  let c0 = select(cs, sn, sw);
  let c1 = select(sn, cs, sw);
  let n0 = (((q + 1u) >> 1u) & 1u) == 1u;
  let n1 = (q >> 1u) == 1u;
  return vec2<f32>(g_mulz(r, flip(c0, n0)), g_mulz(r, flip(c1, n1)));
}

// Gaussian pair k of the stream (k1, k2)
fn gauss_pair(k1: u32, k2: u32, k: u32) -> vec2<f32> {
  return bm_pair(stream_word(k1, k2, 2u * k), stream_word(k1, k2, 2u * k + 1u));
}
// sign of element i of the Rademacher stream (k1, k2): true for +1
fn rademacher_plus(k1: u32, k2: u32, i: u32) -> bool { return ((stream_word(k1, k2, i >> 5u) >> (i & 31u)) & 1u) == 1u; }
`;
