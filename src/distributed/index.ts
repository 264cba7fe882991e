/**
 * `zeroth/distributed`: zeroth on Redis + BullMQ (Node only). `bullmqExecutor` runs the tuner's trials as jobs,
 * `distributedOracle` evaluates an optimizer's probes on workers that rebuild the parameters from seeds, and
 * `startWorker` (or `zeroth worker`) serves both. Importing `zeroth` never loads this.
 *
 * @packageDocumentation
 */
export { bullmqExecutor, type BullmqExecutor, type BullmqExecutorOptions } from './bullmqExecutor.js';
export { startWorker, type ShardContext, type StartWorkerOptions, type WorkerStats, type ZerothWorker } from './startWorker.js';
export type { JobStats } from './_internal/jobClient.js';
export { distributedOracle, type DistributedOracle, type DistributedOracleOptions, type DistributedStats } from './distributedOracle.js';
