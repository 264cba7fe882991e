import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidHyperparameter, ZerothError } from '../errors.js';
import { wasmBackend } from '../backend/wasm/wasmBackend.js';
import type { WasmBackend } from '../backend/wasm/wasmBackend.js';
import { KERNEL_NAMES, instantiateWasmKernels, wasmKernelModule } from '../backend/wasm/wasmKernels.js';
import type { WasmJob, WasmPool } from '../backend/wasm/wasmPool.js';
import { wasmApi } from '../backend/wasm/_internal/wasmApi.js';
import { CTL, SPIN, workerSource } from './_internal/workerSource.js';

/** Options of {@link createWasmThreads}. */
export interface WasmThreadsOptions {
  /** Threads in all, the calling thread included (default: min(2, available parallelism)). */
  readonly threads?: number;
  /** Ranges of fewer (weighted) elements than this run on the calling thread alone (default 65536). */
  readonly threshold?: number;
  /** Initial size of the shared memory in bytes (default 16 MiB); it grows on demand. */
  readonly initialBytes?: number;
  /** Maximum size of the shared memory in bytes (default 4 GiB; only address space is reserved). */
  readonly maximumBytes?: number;
}

/** A wasm backend whose large ranges are split across worker threads, and the pool behind it. */
export interface WasmThreads {
  /** The backend; use it as any {@link WasmBackend}. Its blocks live in a shared memory. */
  readonly backend: WasmBackend;
  /** The pool (threads, threshold). */
  readonly pool: WasmPool;
  /**
   * Stops the workers and waits for them to exit. The backend stays usable afterwards, on the calling thread
   * alone. Idempotent. Workers are unref'd, so a process that never calls `close()` still exits.
   */
  close(): Promise<void>;
}

const PAGE = 65536;
const WAIT_LIMIT_MS = 120_000;

/**
 * Creates a {@link wasmBackend} on a shared `WebAssembly.Memory` and a pool of `threads − 1` worker threads
 * running the same kernels on it. A round of jobs is posted through a small shared control block and
 * `Atomics.notify`; the caller works on its own part meanwhile and waits with `Atomics.wait` (no `postMessage`
 * per call). Ranges are split on 64-element boundaries; the kernels are counter-based, so results are
 * bit-identical to one thread (and `dot` sums fixed chunks in a fixed order, so it is too).
 *
 * Cost: starting the workers takes tens of milliseconds; each parallel call adds roughly 10–50 µs of dispatch,
 * which is why ranges below `threshold` stay on one thread. Memory: the shared memory plus a Node worker per
 * helper thread (about 10 MB of RSS each).
 *
 * @example
 * ```ts
 * import { createWasmThreads } from 'zeroth/node';
 * const wt = await createWasmThreads({ threads: 2 });
 * const x = wt.backend.toWasmParams([{ name: 'w', shape: [1e7], data: new Float32Array(1e7) }]);
 * wt.backend.perturbInPlace({ kind: 'gaussian', seed: 1 }, 1e-3, x);
 * await wt.close();
 * ```
 */
export async function createWasmThreads(options: WasmThreadsOptions = {}): Promise<WasmThreads> {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new InvalidHyperparameter('threads', threads, 'must be an integer in [1, 256]');
  }
  const threshold = options.threshold ?? 65536;
  if (!(threshold >= 0)) throw new InvalidHyperparameter('threshold', threshold, 'must be a number ≥ 0');
  const maxPages = Math.min(65536, Math.ceil((options.maximumBytes ?? 65536 * PAGE) / PAGE));
  const initialPages = Math.min(maxPages, Math.ceil((options.initialBytes ?? 16 * 1024 * 1024) / PAGE));
  const api = wasmApi();
  if (api === undefined) throw new ZerothError('WASM_UNAVAILABLE', 'This engine has no WebAssembly. Use cpuBackend().');
  const memory = new api.Memory({ initial: initialPages, maximum: maxPages, shared: true });
  const module = wasmKernelModule(true);
  const local = instantiateWasmKernels(memory);
  const workers = threads - 1;
  const ctl = new SharedArrayBuffer(CTL.JOBS_AT + Math.max(1, workers) * CTL.JOB_BYTES);
  const c = new Int32Array(ctl);
  const names = [...KERNEL_NAMES];
  const pool_: Worker[] = [];
  try {
    for (let index = 0; index < workers; index++) {
      const w = new Worker(workerSource, {
        eval: true,
        workerData: { module, memory, ctl, index, names, workers },
      });
      pool_.push(w);
    }
    await Promise.all(
      pool_.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
            w.once('exit', (code) => reject(new ZerothError('WORKER_FAILED', `A wasm worker exited with code ${code} while starting.`)));
          }),
      ),
    );
  } catch (cause) {
    await Promise.all(pool_.map((w) => w.terminate()));
    throw new ZerothError('WORKER_FAILED', `Could not start the wasm worker threads: ${String(cause)}`, { cause });
  }
  for (const w of pool_) {
    w.removeAllListeners();
    w.on('error', () => {});
    w.unref();
  }

  let closed = workers === 0;
  const runInline = (jobs: readonly (WasmJob | undefined)[], mine: () => void): void => {
    mine();
    for (const job of jobs) if (job !== undefined) (local[job.kernel] as (...a: readonly number[]) => unknown)(...job.args);
  };

  const pool: WasmPool = {
    workers,
    threshold,
    run(jobs, mine): void {
      if (closed) {
        runInline(jobs, mine);
        return;
      }
      for (let w = 0; w < workers; w++) {
        const slot = new Float64Array(ctl, CTL.JOBS_AT + w * CTL.JOB_BYTES, CTL.JOB_BYTES / 8);
        const job = jobs[w];
        if (job === undefined) {
          slot[0] = -1;
        } else {
          slot[0] = KERNEL_NAMES.indexOf(job.kernel);
          for (let i = 0; i < job.args.length; i++) slot[i + 1] = job.args[i]!;
        }
      }
      Atomics.store(c, CTL.DONE, 0);
      Atomics.store(c, CTL.ERR, 0);
      Atomics.add(c, CTL.SEQ, 1);
      Atomics.notify(c, CTL.SEQ);
      let failure: unknown;
      try {
        mine();
      } catch (e) {
        failure = e;
      }
      waitDone(c, workers);
      if (failure !== undefined) throw failure;
      if (Atomics.load(c, CTL.ERR) === 1) throw new ZerothError('WORKER_FAILED', 'A wasm kernel failed on a worker thread.');
    },
  };

  const backend = wasmBackend({ memory, pool, maximumBytes: maxPages * PAGE });
  let closing: Promise<void> | undefined;
  return {
    backend,
    pool,
    close(): Promise<void> {
      if (closing === undefined) {
        closed = true;
        Atomics.store(c, CTL.STOP, 1);
        Atomics.add(c, CTL.SEQ, 1);
        Atomics.notify(c, CTL.SEQ);
        closing = Promise.all(
          pool_.map(
            (w) =>
              new Promise<void>((resolve) => {
                w.ref(); // keep the process alive until the worker has exited
                const timer = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
                timer.unref();
                w.once('exit', () => {
                  clearTimeout(timer);
                  resolve();
                });
              }),
          ),
        ).then(() => undefined);
      }
      return closing;
    },
  };
}

/** Waits (spinning briefly, then with Atomics.wait) until `workers` workers have counted themselves done. */
function waitDone(c: Int32Array, workers: number): void {
  let spins = 0;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const done = Atomics.load(c, CTL.DONE);
    if (done === workers) return;
    if (++spins > SPIN) {
      Atomics.wait(c, CTL.DONE, done, 50);
      if (Date.now() > deadline) throw new ZerothError('WORKER_FAILED', 'The wasm worker threads did not answer within 120 s.');
    }
  }
}
