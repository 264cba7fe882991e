import type { Direction, Params } from '../types.js';
import type { Backend } from './backend.js';
import { arrays, checkSameLayout } from './_internal/checks.js';
import { checkDirectionSeed, isZeroStep, perturbBlockRange } from './_internal/perturbBlock.js';

const f = Math.fround;

/**
 * The `cpu` backend: plain TypeScript loops over `Float32Array` blocks. It is the reference every other
 * backend is tested against, bit for bit for perturbations.
 *
 * Cost: perturbations run at a few ns per element (Gaussian) on one thread; no extra memory.
 *
 * @example
 * ```ts
 * const be = cpuBackend();
 * const x = [{ name: 'x', shape: [3], data: new Float32Array(3) }];
 * be.perturbInPlace({ kind: 'gaussian', seed: 7 }, 1e-3, x);
 * ```
 */
export function cpuBackend(): Backend {
  return {
    name: 'cpu',
    zerosLike(params: Params): Params {
      return params.map((b) => ({ name: b.name, shape: [...b.shape], data: new Float32Array(b.data.length) }));
    },
    copy(params: Params): Params {
      return params.map((b) => ({ name: b.name, shape: [...b.shape], data: b.data.slice() }));
    },
    assignInPlace(src: Params, dst: Params): void {
      checkSameLayout(arrays(src), arrays(dst), 'src');
      for (let i = 0; i < dst.length; i++) dst[i]!.data.set(src[i]!.data);
    },
    read(block): Float32Array {
      return block.data;
    },
    perturbInPlace(direction: Direction, alpha: number, x: Params): void {
      checkDirectionSeed(direction);
      if (direction.kind === 'none' || isZeroStep(alpha)) return;
      for (let b = 0; b < x.length; b++) {
        const block = x[b]!;
        perturbBlockRange(direction, alpha, block, b, 0, block.data.length);
      }
    },
    axpyInPlace(alpha: number, x: readonly Float32Array[] | Params, y: Params): void {
      const xs = arrays(x);
      const ys = arrays(y);
      checkSameLayout(xs, ys, 'x');
      const a = f(alpha);
      for (let b = 0; b < ys.length; b++) axpy(a, xs[b]!, ys[b]!);
    },
    scaleInPlace(alpha: number, x: Params): void {
      const a = f(alpha);
      for (const block of x) {
        const d = block.data;
        for (let i = 0; i < d.length; i++) d[i] = f(a * d[i]!);
      }
    },
    dot(x: readonly Float32Array[] | Params, y: readonly Float32Array[] | Params): number {
      const xs = arrays(x);
      const ys = arrays(y);
      checkSameLayout(xs, ys, 'x');
      let s = 0;
      for (let b = 0; b < xs.length; b++) {
        const u = xs[b]!;
        const v = ys[b]!;
        for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
      }
      return s;
    },
    dispose(): void {},
  };
}

function axpy(a: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = f(y[i]! + f(a * x[i]!));
}
