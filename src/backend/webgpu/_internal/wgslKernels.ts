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
 * The uniform block of every dispatch (48 bytes): `n` elements, stream keys, `a` the float32 scale, `zero` (always
 * 0: the compiler barrier `kz`), `nx` workgroups per row of the dispatch grid, two kernel-specific words, `gy`
 * rows of the grid, and padding.
 */
const header = /* wgsl */ `
struct Uni { n: u32, k1: u32, k2: u32, a: f32, zero: u32, nx: u32, p0: u32, p1: u32, gy: u32, r0: u32, r1: u32, r2: u32 }
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
  let t = thread_index(w, l);
  let k = (u.p0 >> 1u) + t;
  let s0 = 2u * k;
  let end = u.p0 + u.n;
  if (s0 >= end) { return; }
  BEGIN(t);
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
    for (var e = 0u; e < 2u; e++) { v[e] = F_ADD(v[e], F_MUL(c, d[e])); }
  }
  COMMIT(t);
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
  let t = thread_index(w, l);
  let i0 = 4u * t;
  if (i0 >= u.n) { return; }
  BEGIN(t);
  let word = stream_word(u.k1, u.k2, i0 >> 5u);
  var r = vec4<f32>(0.0, 0.0, 0.0, 0.0);
  for (var c = 0u; c < 4u; c++) {
    let i = i0 + c;
    if (i < u.n) { r[c] = F_ADD(x[i], flip(u.a, ((word >> (i & 31u)) & 1u) == 0u)); }
  }
  COMMIT(t);
  for (var c = 0u; c < 4u; c++) {
    if (i0 + c < u.n) { x[i0 + c] = r[c]; }
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
  if (i >= u.n) { return; }
  BEGIN(i);
  let r = F_ADD(y[i], F_MUL(u.a, v[i]));
  COMMIT(i);
  y[i] = r;
}
`,
  /** x_i = f32(a · x_i). */
  scale: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${entry} {
  kz = u.zero;
  let i = thread_index(w, l);
  if (i >= u.n) { return; }
  BEGIN(i);
  let r = F_MUL(u.a, x[i]);
  COMMIT(i);
  x[i] = r;
}
`,
  /** x_p0 += a (one element). */
  coordinate: /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${entry} {
  kz = u.zero;
  let t = thread_index(w, l);
  if (t != 0u) { return; }
  BEGIN(t);
  let r = F_ADD(x[u.p0], u.a);
  COMMIT(t);
  x[u.p0] = r;
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
  BEGIN(i);
  var acc = 0.0;
  for (var j = 0u; j < u.p1; j++) { acc = F_ADD(acc, F_MUL(uu[row * u.p1 + j], vv[c * u.p1 + j])); }
  let r = F_ADD(x[i], F_MUL(u.a, acc));
  COMMIT(i);
  x[i] = r;
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

/**
 * The two passes of a kernel written with F_ADD, F_MUL, BEGIN(t) and COMMIT(t) (a thread computes its results, then
 * writes them after COMMIT): the first (`fast`) uses the checked operations q_add, q_mul and leaves a thread whose
 * operands or results need the software path unwritten, marking it in a bit mask and raising the indirect dispatch
 * arguments of the second pass; the second (`full`) runs only the marked threads with the exact f_add, f_mul.
 * Same bits as one pass of f_add/f_mul; software adapters that execute a branch's code whether or not a lane takes
 * it (SwiftShader) run the first pass without the software path's cost.
 */
export function twoPass(body: string): { readonly fast: string; readonly full: string } | undefined {
  if (!body.includes('BEGIN(')) return undefined;
  const fast =
    `@group(0) @binding(8) var<storage, read_write> z_mask: array<atomic<u32>>;
@group(0) @binding(9) var<storage, read_write> z_args: array<atomic<u32>>;
fn mark(t: u32) { atomicOr(&z_mask[t >> 5u], 1u << (t & 31u)); atomicMax(&z_args[0], u.nx); atomicMax(&z_args[1], u.gy); }
` +
    body
      .replace(/F_ADD\(/g, 'q_add(')
      .replace(/F_MUL\(/g, 'q_mul(')
      .replace(/BEGIN\((\w+)\);/g, 'bad = false;')
      .replace(/COMMIT\((\w+)\);/g, 'if (bad) { mark($1); return; }');
  const full =
    `@group(0) @binding(8) var<storage, read> z_mask: array<u32>;
` +
    body
      .replace(/F_ADD\(/g, 'f_add(')
      .replace(/F_MUL\(/g, 'f_mul(')
      .replace(/BEGIN\((\w+)\);/g, 'if (((z_mask[$1 >> 5u] >> ($1 & 31u)) & 1u) == 0u) { return; }')
      .replace(/COMMIT\((\w+)\);/g, '');
  return { fast, full };
}

/** A complete WGSL module: the hooks, the float library of the construction, the streams, the uniform block and `body`. */
export function wgslModule(body: string, build: WgslBuild = exactBuild): string {
  const ops = build.construction === 'exact' ? wgslExact : wgslNaive;
  return wgslHooks(build.hooks) + wgslSoft + ops + wgslRng + header + body;
}
