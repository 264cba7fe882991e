// Low-rank perturbation X <- X + alpha * U V^T of an m x n block (src/backend/_internal/perturbBlock.ts,
// lowRankRange), bit for bit: acc = sum_j f32(u_ij * v_cj) in j order in float32, x = f32(x + f32(alpha*acc)).
import { gaussian } from './gaussian';
import { at } from './common';

/**
 * Elements [start, end) (row-major flat indices) of the m x n block whose element `start` lives at `dst`.
 * `vt` holds V transposed (rank x n, row-major: vt[j n + c] = V[c rank + j]); `u` is scratch for `rank`
 * floats; `ctx` is the context table (context.ts). Row i of U is the Gaussian stream (k1, k2) at indices i rank .. i rank + rank - 1.
 */
export function lowRank(
  dst: usize, start: u32, end: u32, n: u32, rank: u32, vt: usize, u: usize, k1: u32, k2: u32, alpha: f32, ctx: usize,
): void {
  if (end <= start || n == 0) return;
  const av = f32x4.splat(alpha);
  const row0 = start / n;
  const row1 = (end - 1) / n;
  for (let i = row0; i <= row1; i++) {
    memory.fill(u, 0, <usize>rank << 2);
    gaussian(u, k1, k2, i * rank, i * rank + rank, 1.0, ctx);
    const base = i * n;
    let c = start > base ? start - base : 0;
    const c1 = end - base < n ? end - base : n;
    for (; c + 4 <= c1; c += 4) {
      let acc = f32x4.splat(0);
      for (let j: u32 = 0; j < rank; j++) {
        const uj = f32x4.splat(load<f32>(u + (<usize>j << 2)));
        acc = f32x4.add(acc, f32x4.mul(uj, v128.load(vt + ((<usize>(j * n + c)) << 2))));
      }
      const ptr = at(dst, start, base + c);
      v128.store(ptr, f32x4.add(v128.load(ptr), f32x4.mul(av, acc)));
    }
    for (; c < c1; c++) {
      let acc: f32 = 0;
      for (let j: u32 = 0; j < rank; j++) {
        acc = acc + load<f32>(u + (<usize>j << 2)) * load<f32>(vt + ((<usize>(j * n + c)) << 2));
      }
      const ptr = at(dst, start, base + c);
      store<f32>(ptr, load<f32>(ptr) + alpha * acc);
    }
  }
}
