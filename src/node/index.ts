/**
 * `zeroth/node`: the Node-only parts of zeroth (worker threads). Importing `zeroth` never loads this.
 *
 * @packageDocumentation
 */
export { createWasmThreads } from './wasmThreads.js';
export type { WasmThreads, WasmThreadsOptions } from './wasmThreads.js';
export { workerPoolExecutor, type WorkerPoolExecutor, type WorkerPoolOptions } from './tunerPool.js';
export { loadObjective } from './tunerObjective.js';
