import { gaussianPair } from './gaussian.js';

const f = Math.fround;
const SQRT2 = f(Math.SQRT2);
const LN2 = f(Math.LN2);
const L3 = f(1 / 3);
const L5 = f(1 / 5);
const L7 = f(1 / 7);
const ANG = f(Math.PI / 33554432);
const S3 = f(-1 / 6);
const S5 = f(1 / 120);
const S7 = f(-1 / 5040);
const C4 = f(1 / 24);
const C6 = f(-1 / 720);
const C8 = f(1 / 40320);
const PHI = 0x9e3779b9 | 0;

/**
 * `data[i] ← f32(data[i] + f32(alpha · z_i))` for `i ∈ [start, end)`, z the canonical Gaussian stream with keys
 * `(k1, k2)`. Element `i` of the stream lands on `data[i − offset]`. A fused, branch-free, monomorphic loop that
 * reproduces {@link gaussianPair} bit for bit (the TypeScript fallback of the wasm kernel).
 */
export function perturbGaussianRange(
  data: Float32Array,
  k1: number,
  k2: number,
  start: number,
  end: number,
  alpha: number,
  offset = 0,
): void {
  if (end <= start) return;
  const a = f(alpha);
  let i = start;
  if ((i & 1) === 1) {
    const k = i >>> 1;
    const x = hash(((Math.imul(2 * k, PHI) + k1) | 0) ^ k2);
    const y = hash(((Math.imul(2 * k + 1, PHI) + k1) | 0) ^ k2);
    data[i - offset] = f(data[i - offset]! + f(a * gaussianPair(x, y)[1]));
    i++;
  }
  const last = end - ((end - i) & 1);
  for (; i < last; i += 2) {
    // word x → radius
    let x = ((Math.imul(i, PHI) + k1) | 0) ^ k2;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b | 0);
    x ^= x >>> 16;
    let y = ((Math.imul(i + 1, PHI) + k1) | 0) ^ k2;
    y ^= y >>> 16;
    y = Math.imul(y, 0x7feb352d);
    y ^= y >>> 15;
    y = Math.imul(y, 0x846ca68b | 0);
    y ^= y >>> 16;
    const t = (x >>> 8) | 1;
    const lz = Math.clz32(t);
    let m = f(t * POW2[lz]!);
    const big = m > SQRT2 ? 1 : 0;
    m = f(m * (1 - 0.5 * big));
    const e = 7 - lz + big; // (31 − clz) − 24 + big
    const s = f(f(m - 1) / f(m + 1));
    const s2 = f(s * s);
    let p = f(f(s2 * L7) + L5);
    p = f(f(p * s2) + L3);
    p = f(f(p * s2) + 1);
    const lnu = f(f(e * LN2) + f(f(s * p) * 2));
    const r = f(Math.sqrt(f(-2 * lnu)));
    const q = y >>> 30;
    const th = f((((y >>> 6) & 0xffffff) - 8388608) * ANG);
    const t2 = f(th * th);
    let ps = f(f(t2 * S7) + S5);
    ps = f(f(ps * t2) + S3);
    ps = f(f(ps * t2) + 1);
    const sn = f(th * ps);
    let pc = f(f(t2 * C8) + C6);
    pc = f(f(pc * t2) + C4);
    pc = f(f(pc * t2) - 0.5);
    const cs = f(f(pc * t2) + 1);
    const sw = q & 1;
    const g0 = 1 - 2 * (((q + 1) >> 1) & 1);
    const g1 = 1 - 2 * (q >> 1);
    const z0 = f(r * (g0 * (cs * (1 - sw) + sn * sw)));
    const z1 = f(r * (g1 * (sn * (1 - sw) + cs * sw)));
    const o = i - offset;
    data[o] = f(data[o]! + f(a * z0));
    data[o + 1] = f(data[o + 1]! + f(a * z1));
  }
  if (i < end) {
    const x = hash(((Math.imul(i, PHI) + k1) | 0) ^ k2);
    const y = hash(((Math.imul(i + 1, PHI) + k1) | 0) ^ k2);
    data[i - offset] = f(data[i - offset]! + f(a * gaussianPair(x, y)[0]));
  }
}

/** 2^(clz − 31) for clz in 0..31: scales t = (x>>>8)|1 to its mantissa m ∈ [1, 2). */
const POW2 = Float64Array.from({ length: 33 }, (_, lz) => 2 ** (lz - 31));

function hash(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b | 0);
  x ^= x >>> 16;
  return x >>> 0;
}
