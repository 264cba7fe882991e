/// <reference types="@webgpu/types" />
import { GpuKernels } from '../../../src/backend/webgpu/_internal/gpuKernels.js';
import type { WgslBuild } from '../../../src/backend/webgpu/_internal/wgslKernels.js';
import { lowbias32 } from '../../../src/rng/lowbias32.js';

/** out[4i..] = f_add(a, b), f_mul(a, b), f_div_pos(|a|, |b|), f_sqrt_pos(|a|) for a = ins[2i], b = ins[2i + 1]. */
const opsKernel = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> ins: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) l: u32) {
  kz = u.zero;
  let i = thread_index(w, l);
  if (i >= u.n) { return; }
  let a = bitcast<f32>(ins[2u * i]);
  let b = bitcast<f32>(ins[2u * i + 1u]);
  out[4u * i] = bitcast<u32>(f_add(a, b));
  out[4u * i + 1u] = bitcast<u32>(f_mul(a, b));
  let pa = bitcast<f32>(bitcast<u32>(a) & 0x7fffffffu);
  let pb = bitcast<f32>(bitcast<u32>(b) & 0x7fffffffu);
  if (u.p0 == 1u) { out[4u * i + 2u] = bitcast<u32>(f_div_pos(pa, pb)); }
  if (plain(bitcast<u32>(pa))) { out[4u * i + 3u] = bitcast<u32>(f_sqrt_pos(pa)); }
}
`;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const val = (bits: number): number => ((u32[0] = bits), f32[0]!);
const bitsOf = (v: number): number => ((f32[0] = v), u32[0]!);
const isNormal = (b: number): boolean => ((b >>> 23) & 0xff) !== 0 && ((b >>> 23) & 0xff) !== 0xff;

/** Operand pairs: random bit patterns of every class, subnormals, zeros, infinities and pairs near ties. */
function operands(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(2 * n);
  const special = [0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x00800000, 0x00800001, 0x7f7fffff, 0x7f800000, 0xff800000, 0x3f800000, 0x3f800001, 0x33800000, 0x0c000000];
  for (let i = 0; i < 2 * n; i++) {
    const h = lowbias32(seed + i);
    const kind = h & 7;
    if (kind === 0) out[i] = special[lowbias32(h) % special.length]!;
    else if (kind === 1) out[i] = (lowbias32(h) & 0x807fffff) | ((lowbias32(h ^ 1) % 6) << 23); // subnormal or tiny normal
    else if (kind === 2 && i % 2 === 1) out[i] = (out[i - 1]! ^ 0x80000000) + (lowbias32(h) % 5) - 2; // near cancellation
    else out[i] = lowbias32(h * 3 + 1);
  }
  return out;
}

/**
 * Runs the exact operations on `n` operand pairs with the kernels assembled as `build` and compares them with
 * JavaScript's correctly rounded float32 results. Returns the number of mismatches and the first few.
 */
export async function checkFloatOps(device: GPUDevice, build: WgslBuild, n: number, seed: number): Promise<{ checked: number; mismatches: number; examples: string[] }> {
  const k = await GpuKernels.create(device, build, { ops: opsKernel }, []);
  const ins = operands(n, seed);
  const out = k.scratch(n * 16);
  k.run('ops', n, { n, p0: 1 }, [out, k.upload(ins)]);
  const got = new Uint32Array(await k.read(out, n * 16));
  let mismatches = 0;
  let checked = 0;
  const examples: string[] = [];
  const expect = (i: number, slot: number, want: number, what: string): void => {
    const g = got[4 * i + slot]!;
    checked++;
    const w = bitsOf(want);
    const same = g === w || (Number.isNaN(want) && Number.isNaN(val(g)));
    if (!same) {
      mismatches++;
      if (examples.length < 8) examples.push(`${what}(0x${ins[2 * i]!.toString(16)}, 0x${ins[2 * i + 1]!.toString(16)}) = 0x${g.toString(16)}, want 0x${w.toString(16)}`);
    }
  };
  for (let i = 0; i < n; i++) {
    const a = val(ins[2 * i]!);
    const b = val(ins[2 * i + 1]!);
    expect(i, 0, Math.fround(a + b), 'add');
    expect(i, 1, Math.fround(a * b), 'mul');
    const pa = Math.abs(a);
    const pb = Math.abs(b);
    const q = Math.fround(pa / pb);
    if (isNormal(bitsOf(pa)) && isNormal(bitsOf(pb)) && isNormal(bitsOf(q))) expect(i, 2, q, 'div');
    if (isNormal(bitsOf(pa))) expect(i, 3, Math.fround(Math.sqrt(pa)), 'sqrt');
  }
  return { checked, mismatches, examples };
}
