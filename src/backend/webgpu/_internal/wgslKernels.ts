import { wgslExact, wgslSoft } from './wgslFloat.js';
import { wgslHooks, wgslNaive, type WgslConstruction, type WgslHooks } from './wgslHooks.js';
import { wgslRng } from './wgslRng.js';

/** How a kernel module is assembled: the backend uses `{ construction: 'exact', hooks: 'native' }`. */
export interface WgslBuild {
  readonly construction: WgslConstruction;
  readonly hooks: WgslHooks;
}

/** The build of the backend's kernels. */
export const exactBuild: WgslBuild = { construction: 'exact', hooks: 'native' };

/** Invocations per workgroup of every kernel. */
export const WORKGROUP = 64;

/** Elements per workgroup of the dot kernel (at most 2^15, so that no accumulator digit overflows). */
export const DOT_CHUNK = 16384;

/**
 * The uniform block of every dispatch (32 bytes): `n` elements, stream keys, `a` the float32 scale, `zero` (always
 * 0: the compiler barrier `kz`), `nx` workgroups per row of the dispatch grid, and two kernel-specific words.
 */
const header = /* wgsl */ `
struct Uni { n: u32, k1: u32, k2: u32, a: f32, zero: u32, nx: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> u: Uni;
fn thread_index(w: vec3<u32>, l: u32) -> u32 { return (w.y * u.nx + w.x) * ${WORKGROUP}u + l; }
`;

const entry = '@compute @workgroup_size(' + String(WORKGROUP) + ')\nfn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) l: u32)';

/** The kernels of the backend, by name: WGSL bodies that use the library, the streams and the uniform block. */
export const kernelBodies = {
  /**
   * x_j += f32(c_t · d_t(p0 + j)) for each term t in order (one thread per Gaussian pair of the stream): terms are
   * (k1, k2, coeff bits, kind) with kind 0 Gaussian, 1 Rademacher, 2 the parameters themselves (x_j += c·x_j);
   * p0 is the stream index of element 0 (odd offsets allowed), p1 the number of terms.
   */
  implicit: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> terms: array<vec4<u32>>;
${entry} {
  kz = u.zero;
  let k = (u.p0 >> 1u) + thread_index(w, l);
  let s0 = 2u * k;
  let end = u.p0 + u.n;
  if (s0 >= end) { return; }
  let has0 = s0 >= u.p0;
  let has1 = s0 + 1u < end;
  var v = vec2<f32>(0.0, 0.0);
  if (has0) { v.x = x[s0 - u.p0]; }
  if (has1) { v.y = x[s0 + 1u - u.p0]; }
  for (var t = 0u; t < u.p1; t++) {
    let term = terms[t];
    var d = v;
    if (term.w == 0u) {
      d = gauss_pair(term.x, term.y, k);
    } else if (term.w == 1u) {
      let word = stream_word(term.x, term.y, s0 >> 5u);
      d = vec2<f32>(select(-1.0, 1.0, ((word >> (s0 & 31u)) & 1u) == 1u), select(-1.0, 1.0, ((word >> ((s0 + 1u) & 31u)) & 1u) == 1u));
    }
    let c = bitcast<f32>(term.z);
    for (var e = 0u; e < 2u; e++) { v[e] = f_add(v[e], f_mul(c, d[e])); }
  }
  if (has0) { x[s0 - u.p0] = v.x; }
  if (has1) { x[s0 + 1u - u.p0] = v.y; }
}
`,
  /**
   * x_i += ±a, the Rademacher stream (k1, k2): four consecutive elements per invocation, one hash per invocation
   * (a workgroup-shared word would need a barrier, which software adapters execute slowly).
   */
  rademacher: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${entry} {
  kz = u.zero;
  let i0 = 4u * thread_index(w, l);
  if (i0 >= u.n) { return; }
  let word = stream_word(u.k1, u.k2, i0 >> 5u);
  for (var c = 0u; c < 4u; c++) {
    let i = i0 + c;
    if (i < u.n) { x[i] = f_add(x[i], flip(u.a, ((word >> (i & 31u)) & 1u) == 0u)); }
  }
}
`,
  /** y_i += f32(a · v_i). */
  axpy: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
${entry} {
  kz = u.zero;
  let i = thread_index(w, l);
  if (i < u.n) { y[i] = f_add(y[i], f_mul(u.a, v[i])); }
}
`,
  /** x_i = f32(a · x_i). */
  scale: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${entry} {
  kz = u.zero;
  let i = thread_index(w, l);
  if (i < u.n) { x[i] = f_mul(u.a, x[i]); }
}
`,
  /** x_p0 += a (one element). */
  coordinate: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${entry} {
  kz = u.zero;
  if (thread_index(w, l) == 0u) { x[u.p0] = f_add(x[u.p0], u.a); }
}
`,
  /**
   * X += a · U Vᵀ on an m × n block (n = p0 columns, r = p1): acc = Σ_j f32(U[i, j] · V[c, j]) in j order from +0,
   * then x = f32(x + f32(a · acc)). U (m × r) and V (n × r) are row-major.
   */
  lowRank: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> uu: array<f32>;
@group(0) @binding(3) var<storage, read> vv: array<f32>;
${entry} {
  kz = u.zero;
  let i = thread_index(w, l);
  if (i >= u.n) { return; }
  let row = i / u.p0;
  let c = i - row * u.p0;
  var acc = 0.0;
  for (var j = 0u; j < u.p1; j++) { acc = f_add(acc, f_mul(uu[row * u.p1 + j], vv[c * u.p1 + j])); }
  x[i] = f_add(x[i], f_mul(u.a, acc));
}
`,
  /**
   * Σ x_i · y_i exactly: every product is an exact 48-bit integer times a power of two, added into a fixed-point
   * accumulator of 38 signed 16-bit digits (value Σ D_k · 2^(16k − 298)) held in workgroup atomics; each workgroup
   * covers ${DOT_CHUNK} elements (so no digit can overflow) and writes its digits and a flag word (1: +∞, 2: −∞,
   * 4: NaN) to out[(p0 + g) · 40 …]. The host adds the digits of all workgroups and rounds once.
   */
  dot: /* wgsl */ `
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ys: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<i32>;
var<workgroup> acc: array<atomic<i32>, 38>;
var<workgroup> flags: atomic<u32>;
fn put(d: u32, v: u32, neg: bool) {
  if (v == 0u) { return; }
  if (neg) { atomicSub(&acc[d], i32(v)); } else { atomicAdd(&acc[d], i32(v)); }
}
${entry} {
  let g = w.y * u.nx + w.x;
  if (l < 38u) { atomicStore(&acc[l], 0); }
  if (l == 0u) { atomicStore(&flags, 0u); }
  workgroupBarrier();
  for (var c = 0u; c < ${DOT_CHUNK / WORKGROUP}u; c++) {
    let i = g * ${DOT_CHUNK}u + c * ${WORKGROUP}u + l;
    if (i < u.n) {
      let a = bitcast<u32>(xs[i]);
      let b = bitcast<u32>(ys[i]);
      if ((a & EXPM) == EXPM || (b & EXPM) == EXPM) {
        let p = soft_mul(a, b);
        if ((p & MANT) != 0u) { atomicOr(&flags, 4u); } else { atomicOr(&flags, select(1u, 2u, (p & SIGN) != 0u)); }
      } else if ((a & 0x7fffffffu) != 0u && (b & 0x7fffffffu) != 0u) {
        let pos = u32(sexp(a) + sexp(b) + 298);
        let m = shl64(mul64(sig(a), sig(b)), pos & 15u);
        let d = pos >> 4u;
        let neg = ((a ^ b) & SIGN) != 0u;
        put(d, m.y & 0xffffu, neg);
        put(d + 1u, m.y >> 16u, neg);
        put(d + 2u, m.x & 0xffffu, neg);
        put(d + 3u, m.x >> 16u, neg);
      }
    }
  }
  workgroupBarrier();
  if (l < 38u) { out[(u.p0 + g) * 40u + l] = atomicLoad(&acc[l]); }
  if (l == 38u) { out[(u.p0 + g) * 40u + 38u] = i32(atomicLoad(&flags)); }
}
`,
  /** y_i = x_i: the memory-bound reference of the benchmark. */
  copy: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
${entry} {
  let i = thread_index(w, l);
  if (i < u.n) { y[i] = v[i]; }
}
`,
} as const;

/** The name of a kernel. */
export type KernelName = keyof typeof kernelBodies;

/** A complete WGSL module: the hooks, the float library of the construction, the streams, the uniform block and `body`. */
export function wgslModule(body: string, build: WgslBuild = exactBuild): string {
  const ops = build.construction === 'exact' ? wgslExact : wgslNaive;
  return wgslHooks(build.hooks) + wgslSoft + ops + wgslRng + header + body;
}
