import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Tinypool from 'tinypool';
import { InvalidInput } from '../errors.js';
import type { Executor } from '../tuner/executor.js';
import type { TrialContext } from '../tuner/types.js';
import { integerAtLeast } from '../validate.js';

/** Options of {@link workerPoolExecutor}. */
export interface WorkerPoolOptions {
  /** Path (or file: URL) of an ES or CommonJS module whose export is the objective `(x, context) => number`. */
  readonly module: string;
  /**
   * The export to call. @defaultValue the default export if it is a function, else the export named `objective`
   */
  readonly exportName?: string;
  /** Worker threads. @defaultValue os.availableParallelism() − 1, at least 1 */
  readonly workers?: number;
}

/** A worker-thread executor with a check of the objective module (see {@link workerPoolExecutor}). */
export interface WorkerPoolExecutor<X> extends Executor<X> {
  /** Loads the module in a worker and checks that the export is a function; throws InvalidInput otherwise. */
  check(): Promise<void>;
}

// The worker: a module given to tinypool as a data: URL, so it needs no file of its own (and no build step).
// It imports the user's module once per thread and calls the chosen export.
const WORKER = `
const modules = new Map();
function pick(m, name) {
  if (name) return m[name] ?? (m.default && typeof m.default === 'object' ? m.default[name] : undefined);
  if (typeof m.default === 'function') return m.default;
  if (typeof m.objective === 'function') return m.objective;
  if (m.default && typeof m.default.objective === 'function') return m.default.objective;
  return undefined;
}
export default async function run(task) {
  let m = modules.get(task.module);
  if (m === undefined) { m = await import(task.module); modules.set(task.module, m); }
  const fn = pick(m, task.name);
  if (task.op === 'check') return { kind: typeof fn, exports: Object.keys(m) };
  if (typeof fn !== 'function') throw new Error('the module exports no objective function');
  return await fn(task.x, task.context);
}
`;
const WORKER_URL = `data:text/javascript,${encodeURIComponent(WORKER)}`;

/**
 * Evaluates trials on a pool of worker threads (tinypool), for CPU-bound objectives: each thread imports the
 * objective module once and evaluates the points it is sent (a point is the decoded parameter object and the
 * trial's context — small, structured-cloned). With the tuner's `tune` driver, results are identical for any
 * number of workers: the seeds decide, not the timing. An aborted evaluation terminates its thread (tinypool
 * starts a fresh one), so a hung objective cannot hold the run.
 *
 * The module: `export default function (x, context) { … return number }` (or `export function objective`, or
 * CommonJS `module.exports = …`). It may be async.
 *
 * @example
 * ```ts
 * import { workerPoolExecutor } from 'zeroth/node';
 * const executor = workerPoolExecutor({ module: './objective.js', workers: 4 });
 * await executor.check();
 * const result = await tune(tuner, { executor });
 * await executor.close();
 * ```
 */
export function workerPoolExecutor<X>(options: WorkerPoolOptions): WorkerPoolExecutor<X> {
  const path = options.module.startsWith('file:') ? new URL(options.module).pathname : resolve(options.module);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InvalidInput('objective', `the module ${path} does not exist`, 'Pass the path of a JavaScript module that exports the objective function.');
  }
  const workers = integerAtLeast('workers', options.workers ?? Math.max(1, availableParallelism() - 1), 1);
  const module = pathToFileURL(path).href;
  const name = options.exportName;
  const pool = new Tinypool({ filename: WORKER_URL, minThreads: workers, maxThreads: workers, isolateWorkers: false });
  let closed = false;
  return {
    name: 'workerPool',
    concurrency: workers,
    async check() {
      let got: { kind: string; exports: string[] };
      try {
        got = (await pool.run({ op: 'check', module, name })) as { kind: string; exports: string[] };
      } catch (e) {
        throw new InvalidInput('objective', `the module ${path} failed to load: ${e instanceof Error ? e.message : String(e)}`, 'Fix the module so that it can be imported.');
      }
      if (got.kind !== 'function') {
        const exported = got.exports.length === 0 ? 'nothing' : got.exports.join(', ');
        throw new InvalidInput(
          'objective',
          `the module ${path} does not export a function${name === undefined ? '' : ` named "${name}"`} (it exports ${exported})`,
          'Export the objective as `export default function (x, context) { return number }` or `export function objective`.',
        );
      }
    },
    async evaluate(x: X, context: TrialContext, signal: AbortSignal): Promise<number> {
      return (await pool.run({ op: 'evaluate', module, name, x, context: { ...context } }, { signal })) as number;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.destroy();
    },
  };
}
