/**
 * Layout of the control block shared between the caller and the workers of the wasm pool (a
 * `SharedArrayBuffer`, separate from the wasm memory): Int32 slots, then one job slot of 16 float64 per worker.
 */
export const CTL = {
  /** Incremented by the caller to post a round of jobs. */
  SEQ: 0,
  /** Workers that finished the current round. */
  DONE: 1,
  /** 1: workers exit. */
  STOP: 2,
  /** 1: a job of the current round threw. */
  ERR: 3,
  /** Byte offset of the job slots. */
  JOBS_AT: 64,
  /** Bytes per job slot: [op, a0 … a14] as float64 (op −1: idle). */
  JOB_BYTES: 128,
} as const;

/** Busy-wait iterations before `Atomics.wait`, to catch back-to-back rounds without a futex wake-up. */
export const SPIN = 4000;

/**
 * The worker's program (CommonJS, run with `new Worker(source, { eval: true })`, so that no file has to be
 * resolved next to the compiled or the TypeScript sources). It instantiates the shared kernel module on the
 * shared memory, then loops: wait for SEQ to change, run its job, count itself DONE.
 */
export const workerSource = `
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, ctl, index, names, workers } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((n) => instance.exports[n]);
const c = new Int32Array(ctl);
const a = new Float64Array(ctl, ${CTL.JOBS_AT} + index * ${CTL.JOB_BYTES}, ${CTL.JOB_BYTES / 8});
// read the round counter before announcing readiness: the first round may be posted right after 'ready'
let seen = Atomics.load(c, ${CTL.SEQ});
parentPort.postMessage('ready');
for (;;) {
  let spins = 0;
  while (Atomics.load(c, ${CTL.SEQ}) === seen) {
    if (++spins > ${SPIN}) {
      Atomics.wait(c, ${CTL.SEQ}, seen);
      spins = 0;
    }
  }
  seen = Atomics.load(c, ${CTL.SEQ});
  if (Atomics.load(c, ${CTL.STOP}) === 1) break;
  const op = a[0];
  if (op >= 0) {
    try {
      fns[op](a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    } catch (e) {
      Atomics.store(c, ${CTL.ERR}, 1);
    }
  }
  if (Atomics.add(c, ${CTL.DONE}, 1) + 1 === workers) Atomics.notify(c, ${CTL.DONE});
}
`;
