import type { KernelName, WasmKernels } from '../wasmKernels.js';
import type { WasmJob, WasmPool } from '../wasmPool.js';

/** Runs kernels over ranges, on the calling thread or split across a {@link WasmPool}. */
export interface Runner {
  /** Threads a large range is split across (1 without a pool). */
  readonly threads: number;
  /**
   * Runs `kernel` over `[start, end)`: once with `args(start, end, 0)` when the range is short or there is no
   * pool, else split into one part per thread at multiples of `align` (counted from 0), part `p` running with
   * `args(s, e, p)`. `weight` scales the range length against the pool threshold (cheap kernels split later).
   */
  run(kernel: KernelName, start: number, end: number, align: number, weight: number, args: (s: number, e: number, part: number) => number[]): void;
  /** Calls `kernel` on the calling thread. */
  call(kernel: KernelName, args: readonly number[]): void;
}

/** A runner over the kernels `k`, using `pool` when given. */
export function runner(k: WasmKernels, pool: WasmPool | undefined): Runner {
  const call = (kernel: KernelName, args: readonly number[]): void => {
    (k[kernel] as (...a: readonly number[]) => unknown)(...args);
  };
  const threads = pool === undefined ? 1 : pool.workers + 1;
  return {
    threads,
    call,
    run(kernel, start, end, align, weight, args): void {
      if (pool === undefined || (end - start) * weight < pool.threshold) {
        call(kernel, args(start, end, 0));
        return;
      }
      const parts = splitRange(start, end, threads, align);
      const jobs: (WasmJob | undefined)[] = [];
      for (let p = 1; p < threads; p++) {
        const part = parts[p];
        jobs.push(part === undefined ? undefined : { kernel, args: args(part[0], part[1], p) });
      }
      const mine = parts[0]!;
      pool.run(jobs, () => call(kernel, args(mine[0], mine[1], 0)));
    },
  };
}

/** Splits `[start, end)` into at most `parts` non-empty contiguous parts whose inner bounds are multiples of `align`. */
export function splitRange(start: number, end: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  const step = Math.ceil((end - start) / parts / align) * align;
  let s = start;
  for (let p = 0; p < parts && s < end; p++) {
    const e = p === parts - 1 ? end : Math.min(end, Math.ceil((s + step) / align) * align);
    if (e > s) out.push([s, e]);
    s = e;
  }
  return out;
}
