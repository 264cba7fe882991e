import type { KernelName } from './wasmKernels.js';

/** One kernel call for a worker: the kernel and its numeric arguments (pointers, lengths, keys, scalars). */
export interface WasmJob {
  readonly kernel: KernelName;
  readonly args: readonly number[];
}

/**
 * A pool of threads that run wasm kernels on the shared memory of a {@link wasmBackend}. The Node
 * implementation is `createWasmThreads` in `zeroth/node` (worker_threads, synchronised with `Atomics`, no
 * message per call); any object with this shape can be plugged in.
 *
 * The kernels are counter-based, so the results of a split run are bit-identical to one thread.
 */
export interface WasmPool {
  /** Helper threads; a parallel run uses `workers + 1` threads, the caller included. */
  readonly workers: number;
  /** Ranges of fewer elements than this run on the calling thread alone (dispatch costs tens of µs). */
  readonly threshold: number;
  /**
   * Runs `jobs[w]` on worker `w` (`undefined`: idle), runs `mine` on the calling thread meanwhile, and returns
   * when every job is done. Throws if a job failed. Blocks the calling thread (`Atomics.wait`).
   */
  run(jobs: readonly (WasmJob | undefined)[], mine: () => void): void;
}
