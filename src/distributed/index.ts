/**
 * `zeroth/distributed`: zeroth on Redis (Node only). `bullmqExecutor` runs the tuner's trials as BullMQ jobs,
 * `distributedOracle` evaluates an optimizer's probes on workers that rebuild the parameters from seeds (through
 * a lean transport of its own — one broadcast per step through a Redis function — or as BullMQ jobs), and
 * `startWorker` (or `zeroth worker`) serves all of them. Importing `zeroth` never loads this. It runs on the
 * optional peer dependencies BullMQ and ioredis: `npm install bullmq@6.7.0 ioredis@5.11.1`.
 *
 * @packageDocumentation
 */
export { bullmqExecutor, type BullmqExecutor, type BullmqExecutorOptions } from './bullmqExecutor.js';
export { startWorker, type ShardContext, type StartWorkerOptions, type WorkerStats, type ZerothWorker } from './startWorker.js';
export type { JobStats } from './_internal/jobClient.js';
export { distributedOracle, type DistributedOracle, type DistributedOracleOptions, type DistributedStats } from './distributedOracle.js';
