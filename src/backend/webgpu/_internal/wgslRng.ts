/*
 * The seeded streams of src/rng/DEFINITION.md in WGSL: lowbias32, the stream words, and the canonical Gaussian
 * pair, operation for operation in the definition's order. Integer steps are exact u32 arithmetic (WGSL's u32
 * `*` wraps, as imul). Float steps go through the exact library (wgslFloat.ts): f_mul, f_add, f_mad (product
 * rounded before the sum), f_div_pos and f_sqrt_pos; selections and sign flips are on the bit patterns.
 * Constants are given by their binary32 bit patterns.
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
  let nm = f_add(m, -1.0);
  let dm = f_add(m, 1.0);
  // s = nm / dm: nm is 0 (then s = +0) or at least 2^-24 in magnitude, dm in [1.7, 2.5)
  let neg = (bitcast<u32>(nm) & SIGN) != 0u;
  var s = nm;
  if ((bitcast<u32>(nm) & 0x7fffffffu) != 0u) { s = flip(f_div_pos(flip(nm, neg), dm), neg); }
  let s2 = f_mul(s, s);
  var p = f_mad(s2, L7, L5);
  p = f_mad(p, s2, L3);
  p = f_mad(p, s2, 1.0);
  let lnm = f_mul(f_mul(s, p), 2.0);
  let lnu = f_mad(f32(e - 24), LN2, lnm);
  return f_sqrt_pos(f_mul(-2.0, lnu));
}

// the pair (z_2k, z_2k+1) from the radius word x and the angle word y
fn bm_pair(x: u32, y: u32) -> vec2<f32> {
  let r = bm_radius(x);
  let q = y >> 30u;
  let a = (y >> 6u) & 0xffffffu;
  let th = f_mul(f32(i32(a) - 8388608), ANG);
  let t2 = f_mul(th, th);
  var ps = f_mad(t2, S7, S5);
  ps = f_mad(ps, t2, S3);
  ps = f_mad(ps, t2, 1.0);
  let sn = f_mul(th, ps);
  var pc = f_mad(t2, C8, C6);
  pc = f_mad(pc, t2, C4);
  pc = f_mad(pc, t2, -0.5);
  let cs = f_mad(pc, t2, 1.0);
  let sw = (q & 1u) == 1u;
  let c0 = select(cs, sn, sw);
  let c1 = select(sn, cs, sw);
  let n0 = (((q + 1u) >> 1u) & 1u) == 1u;
  let n1 = (q >> 1u) == 1u;
  return vec2<f32>(f_mul(r, flip(c0, n0)), f_mul(r, flip(c1, n1)));
}

// Gaussian pair k of the stream (k1, k2)
fn gauss_pair(k1: u32, k2: u32, k: u32) -> vec2<f32> {
  return bm_pair(stream_word(k1, k2, 2u * k), stream_word(k1, k2, 2u * k + 1u));
}
// sign of element i of the Rademacher stream (k1, k2): true for +1
fn rademacher_plus(k1: u32, k2: u32, i: u32) -> bool { return ((stream_word(k1, k2, i >> 5u) >> (i & 31u)) & 1u) == 1u; }
`;
