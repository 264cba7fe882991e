import { streamKey, streamWord } from './streamKey.js';
import { streams } from './streams.js';

/* Canonical float32 fast Box–Muller. Every operation below is one IEEE binary32 operation (Math.fround after
 * each), in this order, with no library log/sin/cos and no fused multiply-add, so any backend can reproduce
 * the same bits. The definition is frozen: it is part of the checkpoint and seed-log format (see DEFINITION.md). */

const f = Math.fround;
const SQRT2 = f(Math.SQRT2);
const LN2 = f(Math.LN2);
const L3 = f(1 / 3);
const L5 = f(1 / 5);
const L7 = f(1 / 7);
const ANG = f(Math.PI / 33554432); // π / 2^25
const S3 = f(-1 / 6);
const S5 = f(1 / 120);
const S7 = f(-1 / 5040);
const C4 = f(1 / 24);
const C6 = f(-1 / 720);
const C8 = f(1 / 40320);

/**
 * The radius r = √(−2 ln u₁) of the Box–Muller pair, from the first word `x` of the pair.
 * u₁ = t · 2⁻²⁴ with t = (x >>> 8) | 1, so u₁ ∈ (0, 1) and ln u₁ = (e − 24)·ln 2 + ln m, t = m · 2^e.
 */
export function boxMullerRadius(x: number): number {
  const t = (x >>> 8) | 1;
  let e = 31 - Math.clz32(t);
  let m = f(t * 2 ** -e);
  const big = m > SQRT2 ? 1 : 0;
  m = f(m * (1 - 0.5 * big));
  e += big;
  const s = f(f(m - 1) / f(m + 1));
  const s2 = f(s * s);
  let p = f(f(s2 * L7) + L5);
  p = f(f(p * s2) + L3);
  p = f(f(p * s2) + 1);
  const lnm = f(f(s * p) * 2);
  const lnu = f(f((e - 24) * LN2) + lnm);
  return f(Math.sqrt(f(-2 * lnu)));
}

/**
 * The canonical standard-normal pair drawn from the two stream words `x` (radius) and `y` (angle).
 *
 * @returns `[z0, z1]`, the values of the even and the odd element of the pair
 */
export function gaussianPair(x: number, y: number): [number, number] {
  const r = boxMullerRadius(x);
  const q = y >>> 30;
  const a = (y >>> 6) & 0xffffff;
  const th = f((a - 8388608) * ANG);
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
  const c0 = cs * (1 - sw) + sn * sw; // exact selection
  const c1 = sn * (1 - sw) + cs * sw;
  const g0 = 1 - 2 * (((q + 1) >> 1) & 1);
  const g1 = 1 - 2 * (q >> 1);
  return [f(r * (g0 * c0)), f(r * (g1 * c1))];
}

/**
 * Element `index` of block `block` of the Gaussian direction of `seed`: the reference definition, one
 * element at a time. Fast kernels must reproduce it bit for bit.
 */
export function gaussianAt(seed: number, block: number, index: number, stream: number = streams.gaussian): number {
  const { k1, k2 } = streamKey(seed, stream, block);
  const k = index >>> 1;
  const pair = gaussianPair(streamWord(k1, k2, 2 * k), streamWord(k1, k2, 2 * k + 1));
  return pair[index & 1]!;
}
