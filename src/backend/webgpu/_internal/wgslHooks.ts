/*
 * The native float operations of the WGSL kernels, as hooks. The backend uses `native`; the tests rebuild every
 * kernel with the other sets to show that the exact construction does not depend on them (and that a naive
 * transcription of the definition does).
 */

/** Which native operations the kernels see. */
export type WgslHooks = 'native' | 'perturbed' | 'wild';

/** How the definition's float operations are built from the hooks. */
export type WgslConstruction = 'exact' | 'naive';

const common = /* wgsl */ `
fn hk_mix(a: u32) -> u32 { var x = a * 0x9e3779b9u; x = x ^ (x >> 15u); return x * 0x85ebca6bu; }
fn ftz(x: f32) -> f32 { let b = bitcast<u32>(x); return select(x, bitcast<f32>(b & SIGN), (b & EXPM) == 0u); }
// a * b + c rounded once (what a contracting compiler computes), from Dekker's exact product and TwoSum
fn fused(a: f32, b: f32, c: f32) -> f32 {
  let p = rb(a * b);
  let ca = rb(4097.0 * a); let ah = rb(ca - rb(ca - a)); let al = rb(a - ah);
  let cb = rb(4097.0 * b); let bh = rb(cb - rb(cb - b)); let bl = rb(b - bh);
  let e = rb(rb(rb(rb(rb(ah * bh) - p) + rb(ah * bl)) + rb(al * bh)) + rb(al * bl));
  let s = rb(p + c); let bp = rb(s - c);
  let t = rb(rb(p - bp) + rb(c - rb(s - bp)));
  return rb(s + rb(t + e));
}
`;

const sources: Record<WgslHooks, string> = {
  native: /* wgsl */ `
fn nat_add(a: f32, b: f32) -> f32 { return a + b; }
fn nat_mul(a: f32, b: f32) -> f32 { return a * b; }
fn nat_div(a: f32, b: f32) -> f32 { return a / b; }
fn nat_sqrt(a: f32) -> f32 { return sqrt(a); }
fn nat_muladd(a: f32, b: f32, c: f32) -> f32 { return a * b + c; }
`,
  // a neighbouring float (+1 or -1 ulp, by a hash of the operands) for / and sqrt, a fused a * b + c, and
  // subnormal inputs and results flushed to zero for + and *
  perturbed: /* wgsl */ `
fn nudge(x: f32, key: u32) -> f32 {
  let b = bitcast<u32>(x);
  if (!plain(b)) { return x; }
  return bitcast<f32>(select(b - 1u, b + 1u, (hk_mix(key) >> 31u) == 1u));
}
fn nat_add(a: f32, b: f32) -> f32 { return ftz(rb(ftz(a) + ftz(b))); }
fn nat_mul(a: f32, b: f32) -> f32 { return ftz(rb(ftz(a) * ftz(b))); }
fn nat_div(a: f32, b: f32) -> f32 { return nudge(a / b, bitcast<u32>(a) ^ hk_mix(bitcast<u32>(b))); }
fn nat_sqrt(a: f32) -> f32 { return nudge(sqrt(a), bitcast<u32>(a)); }
fn nat_muladd(a: f32, b: f32, c: f32) -> f32 { return fused(a, b, c); }
`,
  // estimates far off (about 2^11 ulp, or not even positive) for / and sqrt, to exercise the bisection
  wild: /* wgsl */ `
fn wildly(x: f32, key: u32) -> f32 {
  let h = hk_mix(key) >> 30u;
  if (h == 0u) { return -x; }
  if (h == 1u) { return 0.0; }
  return bitcast<f32>(bitcast<u32>(x) + select(0xfffff800u, 0x800u, h == 3u));
}
fn nat_add(a: f32, b: f32) -> f32 { return ftz(rb(ftz(a) + ftz(b))); }
fn nat_mul(a: f32, b: f32) -> f32 { return ftz(rb(ftz(a) * ftz(b))); }
fn nat_div(a: f32, b: f32) -> f32 { return wildly(a / b, bitcast<u32>(a) ^ hk_mix(bitcast<u32>(b))); }
fn nat_sqrt(a: f32) -> f32 { return wildly(sqrt(a), bitcast<u32>(a)); }
fn nat_muladd(a: f32, b: f32, c: f32) -> f32 { return fused(a, b, c); }
`,
};

/** The hook functions `nat_add`, `nat_mul`, `nat_div`, `nat_sqrt`, `nat_muladd` of one set. */
export function wgslHooks(hooks: WgslHooks): string {
  return common + sources[hooks];
}

/**
 * The naive construction, for tests only: the definition's operations are the hooks themselves (native `/`,
 * `sqrt`, and a plain `a * b + c` where the definition rounds the product first).
 */
export const wgslNaive = /* wgsl */ `
fn f_add(a: f32, b: f32) -> f32 { return nat_add(a, b); }
fn f_mul(a: f32, b: f32) -> f32 { return nat_mul(a, b); }
fn f_mad(a: f32, b: f32, c: f32) -> f32 { return nat_muladd(a, b, c); }
fn g_mul(a: f32, b: f32) -> f32 { return nat_mul(a, b); }
fn g_add(a: f32, b: f32) -> f32 { return nat_add(a, b); }
fn g_mad(a: f32, b: f32, c: f32) -> f32 { return nat_muladd(a, b, c); }
fn g_mulz(a: f32, b: f32) -> f32 { return nat_mul(a, b); }
fn q_add(a: f32, b: f32) -> f32 { return nat_add(a, b); }
fn q_mul(a: f32, b: f32) -> f32 { return nat_mul(a, b); }
fn f_div_pos(a: f32, b: f32) -> f32 { return nat_div(a, b); }
fn f_sqrt_pos(a: f32) -> f32 { return nat_sqrt(a); }
`;
