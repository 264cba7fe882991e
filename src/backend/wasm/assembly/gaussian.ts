// Fused in-place Gaussian perturbation: x_i <- f32(x_i + f32(alpha * z_i)), z the canonical float32 fast
// Box–Muller of src/rng/gaussian.ts, reproduced bit for bit: one IEEE binary32 operation per step, in the same
// order, no FMA. Four pairs (eight elements) per group, four groups per iteration of the main loop (unrolling
// lets V8 keep the constants in registers across groups: about 30 % faster than one group per iteration). The
// constants are loaded once per call from the context table at `ctx` (context.ts): V8 re-materialises every
// v128.const inside a loop with three or four instructions.
import { at } from './common';
import {
  C_M1, C_M2, C_ONE, C_MANT, C_ONEF, C_SQRT2M, C_B151, C_L7, C_L5, C_L3, C_TWO, C_LN2, C_M2F, C_A24, C_C23,
  C_ANG, C_S7, C_S5, C_S3, C_C8, C_C6, C_C4, C_MHALF, C_SIGN, C_PHI, C_STEP,
} from './context';

let HI: v128 = i32x4.splat(0);

/**
 * The eight values z_2p .. z_2p+7 of the four pairs whose radius words are wx ^ k2 (wx = 2p · PHI + k1, lane j
 * for pair p + j): returns z_2p .. z_2p+3; z_2p+4 .. z_2p+7 are added (times av) to the four floats at ptr + 16
 * when `full`, else left in HI. `full` is a constant at every call, so inlining keeps one of the two. The
 * constants are the caller's locals (loaded once per call from the context table).
 */
// @ts-ignore: decorator
@inline
function pairs(
  wx: v128, kk2: v128, full: bool, ptr: usize, av: v128,
  m1: v128, m2: v128, one: v128, mant: v128, onef: v128, sqrt2: v128, b151: v128, l7: v128, l5: v128, l3: v128,
  two: v128, ln2: v128, m2f: v128, a24: v128, c23: v128, ang: v128, s7: v128, s5: v128, s3: v128, c8: v128,
  c6: v128, c4: v128, mhalf: v128, sign: v128, phi: v128,
): v128 {
  let x = v128.xor(wx, kk2);
  x = i32x4.mul(v128.xor(x, i32x4.shr_u(x, 16)), m1);
  x = i32x4.mul(v128.xor(x, i32x4.shr_u(x, 15)), m2);
  x = v128.xor(x, i32x4.shr_u(x, 16));
  let y = v128.xor(i32x4.add(wx, phi), kk2);
  y = i32x4.mul(v128.xor(y, i32x4.shr_u(y, 16)), m1);
  y = i32x4.mul(v128.xor(y, i32x4.shr_u(y, 15)), m2);
  y = v128.xor(y, i32x4.shr_u(y, 16));
  // radius r = sqrt(-2 ln u1), u1 = t 2^-24, t = (x >>> 8) | 1 = m 2^e
  const t = v128.or(i32x4.shr_u(x, 8), one);
  const tf = f32x4.convert_i32x4_s(t); // exact: 0 < t < 2^24
  const mf = v128.and(tf, mant); // mantissa field of t: t 2^-e = 1.mf in [1, 2)
  const big = i32x4.gt_s(mf, sqrt2); // 1.mf > f32(sqrt 2), compared on the mantissa fields
  const m = i32x4.add(v128.or(mf, onef), i32x4.shl(big, 23)); // halved (exponent − 1) when big: exact
  const e = i32x4.sub(i32x4.sub(i32x4.shr_u(tf, 23), b151), big); // e - 24 + big
  const s = f32x4.div(f32x4.sub(m, onef), f32x4.add(m, onef));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.add(f32x4.mul(s2, l7), l5);
  p = f32x4.add(f32x4.mul(p, s2), l3);
  p = f32x4.add(f32x4.mul(p, s2), onef);
  const lnm = f32x4.mul(f32x4.mul(s, p), two);
  const lnu = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(e), ln2), lnm);
  const r = f32x4.sqrt(f32x4.mul(m2f, lnu));
  // angle th in [-pi/4, pi/4), quadrant q = y >>> 30
  const th = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(v128.and(i32x4.shr_u(y, 6), a24), c23)), ang);
  const t2 = f32x4.mul(th, th);
  let ps = f32x4.add(f32x4.mul(t2, s7), s5);
  ps = f32x4.add(f32x4.mul(ps, t2), s3);
  ps = f32x4.add(f32x4.mul(ps, t2), onef);
  const sn = f32x4.mul(th, ps);
  let pc = f32x4.add(f32x4.mul(t2, c8), c6);
  pc = f32x4.add(f32x4.mul(pc, t2), c4);
  pc = f32x4.add(f32x4.mul(pc, t2), mhalf);
  const cs = f32x4.add(f32x4.mul(pc, t2), onef);
  // q & 1 swaps cos and sin: c0 = q&1 ? sin : cos, c1 = q&1 ? cos : sin (exact selection by bits)
  const d = v128.and(v128.xor(sn, cs), i32x4.shr_s(i32x4.shl(y, 1), 31));
  // z0 = r (±c0), negative for q = 1, 2; z1 = r (±c1), negative for q >= 2
  const z0 = f32x4.mul(r, v128.xor(v128.xor(cs, d), v128.and(v128.xor(y, i32x4.shl(y, 1)), sign)));
  const z1 = f32x4.mul(r, v128.xor(v128.xor(sn, d), v128.and(y, sign)));
  const hi = i32x4.shuffle(z0, z1, 2, 6, 3, 7);
  if (full) v128.store(ptr, f32x4.add(v128.load(ptr, 16), f32x4.mul(av, hi)), 16);
  else HI = hi;
  return i32x4.shuffle(z0, z1, 0, 4, 1, 5);
}

// @ts-ignore: decorator
@inline
function lane8(lo: v128, hi: v128, j: u32): f32 {
  switch (j) {
    case 0: return f32x4.extract_lane(lo, 0);
    case 1: return f32x4.extract_lane(lo, 1);
    case 2: return f32x4.extract_lane(lo, 2);
    case 3: return f32x4.extract_lane(lo, 3);
    case 4: return f32x4.extract_lane(hi, 0);
    case 5: return f32x4.extract_lane(hi, 1);
    case 6: return f32x4.extract_lane(hi, 2);
    default: return f32x4.extract_lane(hi, 3);
  }
}

/**
 * x_i <- x_i + alpha * z_i for i in [start, end); element `start` lives at `dst`, element i at
 * dst + 4 (i - start). (k1, k2) are the stream keys of src/rng/streamKey.ts; pair p = (z_2p, z_2p+1) comes
 * from stream words 2p (radius) and 2p + 1 (angle).
 */
export function gaussian(dst: usize, k1: u32, k2: u32, start: u32, end: u32, alpha: f32, ctx: usize): void {
  if (end <= start) return;
  const m1 = v128.load(ctx, C_M1), m2 = v128.load(ctx, C_M2), one = v128.load(ctx, C_ONE);
  const mant = v128.load(ctx, C_MANT), onef = v128.load(ctx, C_ONEF), sqrt2 = v128.load(ctx, C_SQRT2M);
  const b151 = v128.load(ctx, C_B151), l7 = v128.load(ctx, C_L7);
  const l5 = v128.load(ctx, C_L5), l3 = v128.load(ctx, C_L3), two = v128.load(ctx, C_TWO);
  const ln2 = v128.load(ctx, C_LN2), m2f = v128.load(ctx, C_M2F), a24 = v128.load(ctx, C_A24);
  const c23 = v128.load(ctx, C_C23), ang = v128.load(ctx, C_ANG), s7 = v128.load(ctx, C_S7);
  const s5 = v128.load(ctx, C_S5), s3 = v128.load(ctx, C_S3), c8 = v128.load(ctx, C_C8);
  const c6 = v128.load(ctx, C_C6), c4 = v128.load(ctx, C_C4), mhalf = v128.load(ctx, C_MHALF);
  const sign = v128.load(ctx, C_SIGN);
  const av = f32x4.splat(alpha);
  const kk1 = i32x4.splat(k1);
  const kk2 = i32x4.splat(k2);
  const phi = v128.load(ctx, C_PHI);
  const step = v128.load(ctx, C_STEP);
  let g = start & ~1; // first element of the current group of four pairs
  // radius words 2p · PHI + k1 of the four pairs of the group
  let wx = i32x4.add(i32x4.mul(i32x4.add(i32x4.splat(g), i32x4(0, 2, 4, 6)), phi), kk1);
  while (g < end) {
    if (g >= start) {
      // whole groups, four per iteration
      while (end - g >= 32) {
        const ptr = at(dst, start, g);
        const lo0 = pairs(wx, kk2, true, ptr, av, 
          m1, m2, one, mant, onef, sqrt2, b151, l7, l5, l3, two, ln2, m2f, a24,
          c23, ang, s7, s5, s3, c8, c6, c4, mhalf, sign, phi,
        );
        v128.store(ptr, f32x4.add(v128.load(ptr), f32x4.mul(av, lo0)));
        const wx1 = i32x4.add(wx, step);
        const lo1 = pairs(wx1, kk2, true, ptr + 32, av, 
          m1, m2, one, mant, onef, sqrt2, b151, l7, l5, l3, two, ln2, m2f, a24,
          c23, ang, s7, s5, s3, c8, c6, c4, mhalf, sign, phi,
        );
        v128.store(ptr, f32x4.add(v128.load(ptr, 32), f32x4.mul(av, lo1)), 32);
        const wx2 = i32x4.add(wx1, step);
        const lo2 = pairs(wx2, kk2, true, ptr + 64, av, 
          m1, m2, one, mant, onef, sqrt2, b151, l7, l5, l3, two, ln2, m2f, a24,
          c23, ang, s7, s5, s3, c8, c6, c4, mhalf, sign, phi,
        );
        v128.store(ptr, f32x4.add(v128.load(ptr, 64), f32x4.mul(av, lo2)), 64);
        const wx3 = i32x4.add(wx2, step);
        const lo3 = pairs(wx3, kk2, true, ptr + 96, av, 
          m1, m2, one, mant, onef, sqrt2, b151, l7, l5, l3, two, ln2, m2f, a24,
          c23, ang, s7, s5, s3, c8, c6, c4, mhalf, sign, phi,
        );
        v128.store(ptr, f32x4.add(v128.load(ptr, 96), f32x4.mul(av, lo3)), 96);
        wx = i32x4.add(wx3, step);
        g += 32;
      }
      if (g >= end) break;
    }
    // a partial group, or fewer than four whole groups left
    const lo = pairs(wx, kk2, false, 0, av, 
      m1, m2, one, mant, onef, sqrt2, b151, l7, l5, l3, two, ln2, m2f, a24,
      c23, ang, s7, s5, s3, c8, c6, c4, mhalf, sign, phi,
    );
    const hi = HI;
    if (g >= start && end - g >= 8) {
      const ptr = at(dst, start, g);
      v128.store(ptr, f32x4.add(v128.load(ptr), f32x4.mul(av, lo)));
      v128.store(ptr, f32x4.add(v128.load(ptr, 16), f32x4.mul(av, hi)), 16);
    } else {
      const e8 = end - g < 8 ? end : g + 8;
      for (let i = g < start ? start : g; i < e8; i++) {
        const ptr = at(dst, start, i);
        store<f32>(ptr, load<f32>(ptr) + alpha * lane8(lo, hi, i - g));
      }
    }
    wx = i32x4.add(wx, step);
    g += 8;
  }
}
