// The context table: CONTEXT_BYTES bytes of memory, 16-byte aligned, that the host reserves once per memory and
// fills by calling initContext(ctx). It holds the splatted constants of the kernels (a load is one instruction,
// while V8 re-materialises a v128.const in every loop iteration with three or four). Each f32 constant is given
// by its bit pattern: exactly Math.fround of the TypeScript constant of src/rng/gaussian.ts.
import { PHI, M1, M2 } from './common';

export const C_M1: usize = 0;
export const C_M2: usize = 16;
export const C_ONE: usize = 32;
export const C_MANT: usize = 48;
export const C_ONEF: usize = 64;
export const C_SQRT2M: usize = 80;
export const C_B151: usize = 112;
export const C_L7: usize = 128;
export const C_L5: usize = 144;
export const C_L3: usize = 160;
export const C_TWO: usize = 176;
export const C_LN2: usize = 192;
export const C_M2F: usize = 208;
export const C_A24: usize = 224;
export const C_C23: usize = 240;
export const C_ANG: usize = 256;
export const C_S7: usize = 272;
export const C_S5: usize = 288;
export const C_S3: usize = 304;
export const C_C8: usize = 320;
export const C_C6: usize = 336;
export const C_C4: usize = 352;
export const C_MHALF: usize = 368;
export const C_SIGN: usize = 384;
export const C_PHI: usize = 400;
export const C_STEP: usize = 416;
export const C_STEP2: usize = 432;
/** Bytes of the context table. */
export const CONTEXT_BYTES: u32 = 512;

// @ts-ignore: decorator
@inline
function put(ctx: usize, at: usize, bits: u32): void {
  v128.store(ctx + at, i32x4.splat(bits));
}

/** Writes the constant table at `ctx` (CONTEXT_BYTES bytes, 16-byte aligned). */
export function initContext(ctx: usize): void {
  put(ctx, C_M1, M1);
  put(ctx, C_M2, M2);
  put(ctx, C_ONE, 1);
  put(ctx, C_MANT, 0x007fffff);
  put(ctx, C_ONEF, 0x3f800000); // 1.0
  put(ctx, C_SQRT2M, 0x003504f3); // mantissa field of f32(SQRT2) = 0x3fb504f3
  put(ctx, C_B151, 151); // 127 + 24
  put(ctx, C_L7, 0x3e124925); // 1/7
  put(ctx, C_L5, 0x3e4ccccd); // 1/5
  put(ctx, C_L3, 0x3eaaaaab); // 1/3
  put(ctx, C_TWO, 0x40000000); // 2.0
  put(ctx, C_LN2, 0x3f317218); // LN2
  put(ctx, C_M2F, 0xc0000000); // -2.0
  put(ctx, C_A24, 0x00ffffff);
  put(ctx, C_C23, 8388608); // 2^23
  put(ctx, C_ANG, 0x33c90fdb); // pi / 2^25
  put(ctx, C_S7, 0xb9500d01); // -1/5040
  put(ctx, C_S5, 0x3c088889); // 1/120
  put(ctx, C_S3, 0xbe2aaaab); // -1/6
  put(ctx, C_C8, 0x37d00d01); // 1/40320
  put(ctx, C_C6, 0xbab60b61); // -1/720
  put(ctx, C_C4, 0x3d2aaaab); // 1/24
  put(ctx, C_MHALF, 0xbf000000); // -0.5
  put(ctx, C_SIGN, 0x80000000);
  put(ctx, C_PHI, PHI);
  put(ctx, C_STEP, 8 * PHI);
  put(ctx, C_STEP2, 16 * PHI);
}
