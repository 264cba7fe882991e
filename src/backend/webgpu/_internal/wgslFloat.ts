/*
 * Exact binary32 arithmetic in WGSL. WGSL promises correctly rounded `+`, `−` and `×` only for normal results:
 * implementations may flush subnormals, ignore the sign of zero, contract `a * b + c` into a fused operation,
 * and `x / y` (2.5 ULP) and `sqrt` (inherited from inverseSqrt) are not correctly rounded. So every kernel of the
 * webgpu backend does its float arithmetic through these functions:
 *
 * - `f_add`, `f_mul`: the native operation (routed through the hooks `nat_add`, `nat_mul`) when both operands and
 *   the result are normal, read on their bit patterns; otherwise (zero, subnormal, infinite or NaN anywhere) an
 *   exact software operation on the integer significands (`soft_add`, `soft_mul`, rounding with `round64`).
 *   Every result leaves through `rb`, an xor with a zero the compiler cannot see (`kz`, loaded from a uniform),
 *   so no product can be fused into the following addition.
 * - `f_div_pos`, `f_sqrt_pos`: the native estimate (hooks `nat_div`, `nat_sqrt`), then an exact integer
 *   correction: the quotient (root) is compared with the midpoints to its neighbours by 64-bit integer products
 *   of the significands, and moved by one ulp until it lies between them (at most four moves). An estimate that
 *   is not within four ulps (or not a positive normal float) is replaced by a bisection over the bit patterns
 *   with the same exact comparison. Neither can return anything but the correctly rounded result.
 *
 * The hooks are the only native float operations: tests rebuild the kernels with hooks that return a
 * neighbouring float, a fused result, or flush subnormals, and the bits must not change.
 */

/** Integer-only helpers shared by every construction: bit tests, 64-bit integers, exact software `+` and `×`. */
export const wgslSoft = /* wgsl */ `
const SIGN: u32 = 0x80000000u;
const EXPM: u32 = 0x7f800000u;
const MANT: u32 = 0x007fffffu;
const HID: u32 = 0x00800000u;
const QNAN: u32 = 0x7fc00000u;

var<private> kz: u32;
// set by the checked operations q_add, q_mul when a result needs the software path (see wgslKernels.ts)
var<private> bad: bool;

fn rb(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ kz); }
fn flip(x: f32, neg: bool) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ select(0u, SIGN, neg)); }
fn plain(b: u32) -> bool { let e = b & EXPM; return e != 0u && e != EXPM; }
// a native result is trusted when it is normal and at least 2^-125 (no rounding near the subnormal range)
fn plain_res(b: u32) -> bool { let e = b & EXPM; return e > HID && e != EXPM; }

// 64-bit unsigned integers as vec2<u32>(high, low)
fn mul64(x: u32, y: u32) -> vec2<u32> {
  let xl = x & 0xffffu; let xh = x >> 16u; let yl = y & 0xffffu; let yh = y >> 16u;
  let lh = xl * yh; let hl = xh * yl;
  let mid = ((xl * yl) >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2<u32>(xh * yh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u), x * y);
}
fn shl64(v: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return v; }
  if (s >= 64u) { return vec2<u32>(0u, 0u); }
  if (s >= 32u) { return vec2<u32>(v.y << (s - 32u), 0u); }
  return vec2<u32>((v.x << s) | (v.y >> (32u - s)), v.y << s);
}
fn shr64(v: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return v; }
  if (s >= 64u) { return vec2<u32>(0u, 0u); }
  if (s >= 32u) { return vec2<u32>(0u, v.x >> (s - 32u)); }
  return vec2<u32>(v.x >> s, (v.y >> s) | (v.x << (32u - s)));
}
fn cmp64(a: vec2<u32>, b: vec2<u32>) -> i32 {
  if (a.x != b.x) { return select(-1, 1, a.x > b.x); }
  if (a.y != b.y) { return select(-1, 1, a.y > b.y); }
  return 0;
}
fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.y + b.y;
  return vec2<u32>(a.x + b.x + select(0u, 1u, lo < a.y), lo);
}
fn sub64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x - select(0u, 1u, a.y < b.y), a.y - b.y);
}
fn is_zero64(v: vec2<u32>) -> bool { return v.x == 0u && v.y == 0u; }
// any of the bits of v below bit k (k in [0, 64])
fn low_bits64(v: vec2<u32>, k: u32) -> bool {
  if (k == 0u) { return false; }
  if (k >= 64u) { return !is_zero64(v); }
  return !is_zero64(shl64(v, 64u - k));
}

// sign | correctly rounded (to nearest, ties to even) binary32 value of m · 2^e, m < 2^63
fn round64(sign: u32, m: vec2<u32>, e: i32) -> u32 {
  if (is_zero64(m)) { return sign; }
  let lz = select(countLeadingZeros(m.x), 32u + countLeadingZeros(m.y), m.x == 0u);
  let top = 63 - i32(lz);
  let ex = top + e;
  let tiny = ex < -126;
  let k = select(top - 23, -149 - e, tiny);
  var q: u32;
  if (k <= 0) {
    q = shl64(m, u32(-k)).y;
  } else {
    let uk = u32(k);
    q = shr64(m, uk).y;
    let half = uk <= 64u && (shr64(m, uk - 1u).y & 1u) == 1u;
    let sticky = low_bits64(m, uk - 1u);
    if (half && (sticky || (q & 1u) == 1u)) { q = q + 1u; }
  }
  if (tiny) { return sign | q; }
  let biased = ex + 126;
  if (biased >= 254) { return sign | EXPM; }
  return sign | ((u32(biased) << 23u) + q);
}

// significand and exponent of a finite float: |x| = M · 2^E
fn sig(b: u32) -> u32 { let e = b & EXPM; return select((b & MANT) | HID, b & MANT, e == 0u); }
fn sexp(b: u32) -> i32 { let e = (b & EXPM) >> 23u; return select(i32(e) - 150, -149, e == 0u); }

fn soft_mul(a: u32, b: u32) -> u32 {
  let sign = (a ^ b) & SIGN;
  let ea = a & EXPM; let eb = b & EXPM;
  let za = (a & 0x7fffffffu) == 0u; let zb = (b & 0x7fffffffu) == 0u;
  if ((ea == EXPM && (a & MANT) != 0u) || (eb == EXPM && (b & MANT) != 0u)) { return QNAN; }
  if (ea == EXPM || eb == EXPM) { return select(sign | EXPM, QNAN, za || zb); }
  if (za || zb) { return sign; }
  return round64(sign, mul64(sig(a), sig(b)), sexp(a) + sexp(b));
}

fn soft_add(a0: u32, b0: u32) -> u32 {
  let ea = a0 & EXPM; let eb = b0 & EXPM;
  if ((ea == EXPM && (a0 & MANT) != 0u) || (eb == EXPM && (b0 & MANT) != 0u)) { return QNAN; }
  if (ea == EXPM || eb == EXPM) {
    if (ea == EXPM && eb == EXPM && a0 != b0) { return QNAN; }
    return select(b0, a0, ea == EXPM);
  }
  let za = (a0 & 0x7fffffffu) == 0u; let zb = (b0 & 0x7fffffffu) == 0u;
  if (za && zb) { return a0 & b0; }
  if (za) { return b0; }
  if (zb) { return a0; }
  var a = a0; var b = b0;
  if (sexp(b) > sexp(a)) { a = b0; b = a0; }
  let d = sexp(a) - sexp(b);
  if (d >= 30) { return a; }
  let A = shl64(vec2<u32>(0u, sig(a)), u32(d));
  let B = vec2<u32>(0u, sig(b));
  let sa = a & SIGN; let sb = b & SIGN;
  if (sa == sb) { return round64(sa, add64(A, B), sexp(b)); }
  let c = cmp64(A, B);
  if (c == 0) { return 0u; }
  if (c > 0) { return round64(sa, sub64(A, B), sexp(b)); }
  return round64(sb, sub64(B, A), sexp(b));
}

`;

/** The exact operations; they call the hooks `nat_add`, `nat_mul`, `nat_div`, `nat_sqrt`. */
export const wgslExact = /* wgsl */ `
fn f_mul(a: f32, b: f32) -> f32 {
  let ba = bitcast<u32>(a); let bb = bitcast<u32>(b);
  let p = bitcast<u32>(nat_mul(a, b));
  if (plain(ba) && plain(bb) && plain_res(p)) { return bitcast<f32>(p ^ kz); }
  return bitcast<f32>(soft_mul(ba, bb) ^ kz);
}
fn f_add(a: f32, b: f32) -> f32 {
  let ba = bitcast<u32>(a); let bb = bitcast<u32>(b);
  let s = bitcast<u32>(nat_add(a, b));
  if (plain(ba) && plain(bb) && plain_res(s)) { return bitcast<f32>(s ^ kz); }
  return bitcast<f32>(soft_add(ba, bb) ^ kz);
}

// The checked operations of the first pass of a two-pass kernel: the exact result whenever it is cheap (both
// operands normal and the native result normal and at least 2^-125, or an exact zero operand), else they set
// \`bad\` and the thread's element is left to the second pass, which runs the full f_add / f_mul.
fn zero_bits(b: u32) -> bool { return (b & 0x7fffffffu) == 0u; }
fn q_mul(a: f32, b: f32) -> f32 {
  let ba = bitcast<u32>(a); let bb = bitcast<u32>(b);
  let p = bitcast<u32>(nat_mul(a, b));
  let pa = plain(ba) || zero_bits(ba); let pb = plain(bb) || zero_bits(bb);
  if (pa && pb && (zero_bits(ba) || zero_bits(bb))) { return bitcast<f32>(((ba ^ bb) & SIGN) ^ kz); }
  if (!(plain(ba) && plain(bb) && plain_res(p))) { bad = true; }
  return bitcast<f32>(p ^ kz);
}
fn q_add(a: f32, b: f32) -> f32 {
  let ba = bitcast<u32>(a); let bb = bitcast<u32>(b);
  if (zero_bits(ba) && plain(bb)) { return b; }
  if (zero_bits(bb) && plain(ba)) { return a; }
  if (zero_bits(ba) && zero_bits(bb)) { return bitcast<f32>((ba & bb) ^ kz); }
  let s = bitcast<u32>(nat_add(a, b));
  if (!(plain(ba) && plain(bb) && plain_res(s))) { bad = true; }
  return bitcast<f32>(s ^ kz);
}

// f32(f32(a * b) + c): the product is rounded before the sum (never fused)
fn f_mad(a: f32, b: f32, c: f32) -> f32 { return f_add(f_mul(a, b), c); }

// The light operations, for operands and results that are normal and at least 2^-125 in magnitude, or exact
// zeros whose sign cannot matter (the Gaussian's internals, whose ranges are given in wgslRng.ts): the native
// operation behind the barrier. g_mulz also gives a zero product the sign of the exact product.
fn g_mul(a: f32, b: f32) -> f32 { return rb(nat_mul(a, b)); }
fn g_add(a: f32, b: f32) -> f32 { return rb(nat_add(a, b)); }
fn g_mad(a: f32, b: f32, c: f32) -> f32 { return rb(nat_add(rb(nat_mul(a, b)), c)); }
fn g_mulz(a: f32, b: f32) -> f32 {
  let p = bitcast<u32>(nat_mul(a, b));
  let zero = (p & 0x7fffffffu) == 0u;
  return bitcast<f32>(select(p, (bitcast<u32>(a) ^ bitcast<u32>(b)) & SIGN, zero) ^ kz);
}

// midpoints of a positive normal float q: N · 2^e above (up) or below it
fn mid_up(q: u32) -> vec2<i32> { return vec2<i32>(i32(2u * sig(q) + 1u), sexp(q) - 1); }
fn mid_dn(q: u32) -> vec2<i32> {
  if ((q & MANT) == 0u && q > HID) { return vec2<i32>(i32(4u * sig(q) - 1u), sexp(q) - 2); }
  return vec2<i32>(i32(2u * sig(q) - 1u), sexp(q) - 1);
}
// sign of (kind 0) a/b − N·2^e for a = A·2^ea, b = B·2^eb, or (kind 1) a − (N·2^e)^2: compares A·2^s with the
// 64-bit product R = N·B or N·N (A in [2^23, 2^24), R in [2^46, 2^52))
fn cmp_at(kind: u32, A: u32, ea: i32, B: u32, eb: i32, m: vec2<i32>) -> i32 {
  let root = kind == 1u;
  let R = mul64(u32(m.x), select(B, u32(m.x), root));
  let s = select(ea - m.y - eb, ea - 2 * m.y, root);
  if (s < 20) { return -1; }
  if (s > 39) { return 1; }
  return cmp64(shl64(vec2<u32>(0u, A), u32(s)), R);
}
// The correctly rounded positive normal float of the exact value that cmp_at compares with, from the estimate
// q0: q moves by one ulp while the value lies beyond the midpoint to a neighbour (ties to even); an estimate that
// is not a positive normal float, or more than four ulps off, is replaced by a bisection over the bit patterns.
// One comparison per iteration (one call site, so the code is instantiated once).
fn correct(kind: u32, q0: u32, A: u32, ea: i32, B: u32, eb: i32) -> u32 {
  var q = q0;
  var lo = HID;
  var hi = 0x7f7fffffu;
  var bisect = !((q & SIGN) == 0u && plain(q));
  var down = false;
  var steps = 0u;
  loop {
    var probe = q;
    if (bisect) {
      if (lo >= hi) { return lo; }
      probe = lo + (hi - lo) / 2u;
    }
    var m = mid_up(probe);
    if (down) { m = mid_dn(probe); }
    let c = cmp_at(kind, A, ea, B, eb, m);
    let odd = (probe & 1u) == 1u;
    if (bisect) {
      if (c < 0 || (c == 0 && !odd)) { hi = probe; } else { lo = probe + 1u; }
    } else if (!down) {
      if (c > 0 || (c == 0 && odd)) { q = q + 1u; steps = steps + 1u; } else { down = true; }
    } else {
      if (c < 0 || (c == 0 && odd)) { q = q - 1u; steps = steps + 1u; } else { return q; }
    }
    if (steps > 4u) { bisect = true; down = false; }
  }
}
// a / b for positive normal a, b whose quotient is a normal float
fn f_div_pos(a: f32, b: f32) -> f32 {
  let ba = bitcast<u32>(a); let bb = bitcast<u32>(b);
  let q = bitcast<u32>(nat_div(a, b));
  return bitcast<f32>(correct(0u, q, sig(ba), sexp(ba), sig(bb), sexp(bb)) ^ kz);
}
// sqrt(v) for a positive normal v
fn f_sqrt_pos(v: f32) -> f32 {
  let bv = bitcast<u32>(v);
  let r = bitcast<u32>(nat_sqrt(v));
  return bitcast<f32>(correct(1u, r, sig(bv), sexp(bv), 0u, 0) ^ kz);
}
`;
