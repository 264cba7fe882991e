/// <reference types="@webgpu/types" />
import { GpuKernels } from '../../../src/backend/webgpu/_internal/gpuKernels.js';
import type { WgslBuild } from '../../../src/backend/webgpu/_internal/wgslKernels.js';
import { gaussianPair } from '../../../src/rng/gaussian.js';
import { lowbias32 } from '../../../src/rng/lowbias32.js';

/**
 * The words of sweep input g ∈ [0, 2²⁴): `radius` covers every radius input t = (x >>> 8) | 1 with x = g·2⁸ plus
 * 8 hashed low bits, against a hashed angle word; `angle` covers every 24-bit angle a = g with a hashed quadrant
 * and low bits, against a hashed radius word. The kernel and the JavaScript reference use the same words.
 */
const sweepKernel = /* wgsl */ `
@group(0) @binding(1) var<storage, read> want: array<u32>;
@group(0) @binding(2) var<storage, read_write> res: array<atomic<u32>>;
fn words(g: u32) -> vec2<u32> {
  if (u.p1 == 0u) { return vec2<u32>((g << 8u) | (lowbias32(g) & 0xffu), lowbias32(g ^ 0x9e3779b9u)); }
  return vec2<u32>(lowbias32(g), (lowbias32(g ^ 0x85ebca6bu) & 0xc000003fu) | (g << 6u));
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) l: u32) {
  kz = u.zero;
  let i = thread_index(w, l);
  if (i >= u.n) { return; }
  let g = u.p0 + i;
  let xy = words(g);
  let z = bm_pair(xy.x, xy.y);
  if (bitcast<u32>(z.x) != want[2u * i] || bitcast<u32>(z.y) != want[2u * i + 1u]) {
    atomicAdd(&res[0], 1u);
    atomicMin(&res[1], g);
  }
}
`;

function wordsOf(mode: 0 | 1, g: number): [number, number] {
  if (mode === 0) return [((g << 8) | (lowbias32(g) & 0xff)) >>> 0, lowbias32(g ^ 0x9e3779b9)];
  return [lowbias32(g), ((lowbias32(g ^ 0x85ebca6b) & 0xc000003f) | (g << 6)) >>> 0];
}

/** One build's result: how many inputs gave other bits than the definition, and the first of them. */
export interface SweepResult {
  readonly build: string;
  readonly inputs: number;
  readonly mismatches: number;
  readonly first: number | null;
}

/**
 * Sweeps the Gaussian pair over inputs [0, count) of `mode` (count = 2²⁴ for the exhaustive sweep) for every build,
 * against `gaussianPair` (the definition) computed here in JavaScript, chunk by chunk. The comparison runs on the
 * GPU: each chunk's reference words are uploaded once and every build's kernel counts its mismatches with atomics,
 * so only 8 bytes per build are read back.
 */
export async function sweepGaussian(device: GPUDevice, mode: 0 | 1, count: number, builds: readonly WgslBuild[], chunk = 1 << 20): Promise<SweepResult[]> {
  const kernels = await Promise.all(builds.map((b) => GpuKernels.create(device, b, { sweep: sweepKernel }, [])));
  const results = kernels.map(() => {
    const res = device.createBuffer({ size: 8, usage: 0x80 | 0x4 | 0x8, mappedAtCreation: true });
    new Uint32Array(res.getMappedRange()).set([0, 0xffffffff]);
    res.unmap();
    return res;
  });
  const want = new Uint32Array(2 * chunk);
  const wantF = new Float32Array(want.buffer);
  let inflight: Promise<void> | undefined;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    for (let i = 0; i < n; i++) {
      const [x, y] = wordsOf(mode, start + i);
      const [z0, z1] = gaussianPair(x, y);
      wantF[2 * i] = z0;
      wantF[2 * i + 1] = z1;
    }
    // one chunk in flight: the page computes the next reference while the GPU checks this one
    await inflight;
    const ref = device.createBuffer({ size: 8 * n, usage: 0x80 | 0x8 });
    device.queue.writeBuffer(ref, 0, want, 0, 2 * n);
    kernels.forEach((k, j) => {
      k.run('sweep', n, { n, p0: start, p1: mode }, [ref, results[j]!]);
      k.flush();
    });
    ref.destroy();
    inflight = device.queue.onSubmittedWorkDone();
  }
  await inflight;
  return Promise.all(
    kernels.map(async (k, j) => {
      const [mismatches, first] = new Uint32Array(await k.read(results[j]!, 8));
      results[j]!.destroy();
      return { build: `${builds[j]!.construction}/${builds[j]!.hooks}`, inputs: count, mismatches: mismatches!, first: mismatches === 0 ? null : first! };
    }),
  );
}
