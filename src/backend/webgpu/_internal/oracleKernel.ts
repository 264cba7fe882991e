/**
 * The evaluation kernel of the webgpu batch oracle: one invocation per probe. The user's WGSL defines
 * `fn f() -> f32`; it reads the probe point through `coord(i)` (`i < dim()`), which generates coordinate i of
 * `x + scale · d` on the fly from the base buffer and the probe's description, with the backend's exact operations
 * (so the point has the bits `backend.perturbInPlace` would give a copy).
 *
 * Layout of `z_meta` (u32): [0, nb] block offsets (nb + 1 words, the last is dim); then per probe
 * PROBE_WORDS + 2·nb words: kind (0 none, 1 Gaussian, 2 Rademacher, 3 coordinate), scale bits, coordinate block,
 * coordinate index, noise seed, then (k1, k2) per block.
 */
export const PROBE_WORDS = 5;

/** The WGSL of the evaluation kernel around the user's `f` (user buffers are declared by the caller). */
export function oracleKernel(blocks: number, userDecls: string, userSource: string): string {
  return /* wgsl */ `
@group(0) @binding(1) var<storage, read> z_meta: array<u32>;
@group(0) @binding(2) var<storage, read> z_base: array<f32>;
@group(0) @binding(3) var<storage, read_write> z_values: array<f32>;
${userDecls}
const NB: u32 = ${blocks}u;
var<private> probe_at: u32;
var<private> cur_b: u32;
var<private> cur_lo: u32;
var<private> cur_hi: u32;
var<private> last_k: u32;
var<private> last_pair: vec2<f32>;

/** Number of coordinates of a point. */
fn dim() -> u32 { return z_meta[NB]; }
/** Index of the probe this invocation evaluates. */
fn probe_index() -> u32 { return u.p0 + (probe_at - u.p1) / (${PROBE_WORDS}u + 2u * NB); }
/** The evaluation context's noise seed of this probe (equal for the two points of an antithetic pair). */
fn noise_seed() -> u32 { return z_meta[probe_at + 4u]; }
/** Coordinate i of this probe's point (blocks concatenated in order). */
fn coord(i: u32) -> f32 {
  let x = z_base[i];
  let kind = z_meta[probe_at];
  if (kind == 0u) { return x; }
  if (i < cur_lo || i >= cur_hi) {
    var b = 0u;
    loop {
      if (b + 1u >= NB || i < z_meta[b + 1u]) { break; }
      b = b + 1u;
    }
    cur_b = b;
    cur_lo = z_meta[b];
    cur_hi = z_meta[b + 1u];
    last_k = 0xffffffffu;
  }
  let j = i - cur_lo;
  let s = bitcast<f32>(z_meta[probe_at + 1u]);
  if (kind == 3u) {
    if (cur_b == z_meta[probe_at + 2u] && j == z_meta[probe_at + 3u]) { return f_add(x, s); }
    return x;
  }
  let k1 = z_meta[probe_at + ${PROBE_WORDS}u + 2u * cur_b];
  let k2 = z_meta[probe_at + ${PROBE_WORDS}u + 2u * cur_b + 1u];
  if (kind == 2u) { return f_add(x, flip(s, !rademacher_plus(k1, k2, j))); }
  if ((j >> 1u) != last_k) {
    last_k = j >> 1u;
    last_pair = gauss_pair(k1, k2, last_k);
  }
  return f_add(x, f_mul(s, last_pair[j & 1u]));
}

${userSource}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) l: u32) {
  kz = u.zero;
  let p = thread_index(w, l);
  if (p >= u.n) { return; }
  probe_at = u.p1 + p * (${PROBE_WORDS}u + 2u * NB);
  cur_lo = 1u;
  cur_hi = 0u;
  last_k = 0xffffffffu;
  z_values[p] = f();
}
`;
}
