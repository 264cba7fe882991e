import { positive } from './validate.js';

/** Options of {@link timeSlice}. */
export interface TimeSliceOptions {
  /** Longest stretch, in milliseconds, a loop may run without giving the event loop a turn. @defaultValue 10 */
  readonly sliceMs?: number;
}

/** A loop's time slicer: see {@link timeSlice}. */
export interface TimeSlice {
  /**
   * If at least `sliceMs` have passed since the last turn, returns a promise that resolves after the event loop
   * has had a full turn (timers, signal handlers, I/O, abort listeners run); otherwise `undefined`, so a loop
   * over fast work pays only a clock read: `const turn = slice.yieldIfDue(); if (turn) await turn;`.
   */
  yieldIfDue(): Promise<void> | undefined;
}

type Yield = () => Promise<void>;

/**
 * Gives the event loop a turn every `sliceMs` of a loop's own running time, so that `setTimeout` timers, abort
 * listeners, Ctrl-C (SIGINT/SIGTERM handlers) and I/O run even while the loop calls a synchronous objective
 * (or an async one that resolves at once) and never waits on its own. The turn is bounded by elapsed time,
 * not counted per call: a loop over a 1 µs objective yields about every 10 ms (once per ~10,000 calls),
 * one over a 20 ms objective after every call. A turn costs a few microseconds.
 *
 * The turn is a macrotask: `scheduler.yield()` where it exists (browsers), else `setImmediate` (Node: the loop
 * then passes its timers and its poll phase, where signals and I/O are delivered), else a `MessageChannel`
 * message, else `setTimeout(0)`. No Node module is imported: it runs in browsers and in Node alike.
 *
 * It is the one mechanism behind the time limits, signals and aborts of `runOptimizer` / `minimize` and of
 * the tuner's `tune`. What it cannot do is interrupt a single evaluation that never returns: JavaScript
 * cannot preempt a function running in the same thread. Bound those by running the objective elsewhere — the
 * worker-thread executor of `zeroth/node` (`workerPoolExecutor`) terminates an evaluation whose run is aborted
 * or out of time.
 *
 * Cost: one clock read per call of `yieldIfDue`; one macrotask turn (a few µs) per `sliceMs`.
 *
 * @example
 * ```ts
 * const slice = timeSlice();
 * for (let i = 0; i < 1e6 && !signal.aborted; i++) {
 *   work(i); // synchronous
 *   const turn = slice.yieldIfDue();
 *   if (turn !== undefined) await turn; // lets the timer that aborts `signal` fire
 * }
 * ```
 */
export function timeSlice(options: TimeSliceOptions = {}): TimeSlice {
  const sliceMs = positive('sliceMs', options.sliceMs ?? 10);
  const now = clock();
  const turn = macrotask();
  let last = now();
  return {
    yieldIfDue() {
      if (now() - last < sliceMs) return undefined;
      return turn().then(() => {
        last = now();
      });
    },
  };
}

function clock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf !== undefined && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();
}

function macrotask(): Yield {
  const g = globalThis as unknown as {
    scheduler?: { yield?: () => Promise<void> };
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close?(): void }; port2: { postMessage(m: unknown): void; close?(): void } };
    setTimeout: (fn: () => void, ms: number) => unknown;
  };
  const scheduler = g.scheduler;
  if (scheduler !== undefined && typeof scheduler.yield === 'function') return () => scheduler.yield!();
  const immediate = g.setImmediate;
  if (typeof immediate === 'function') return () => new Promise<void>((resolve) => void immediate(resolve));
  const Channel = g.MessageChannel;
  if (typeof Channel === 'function') {
    return () =>
      new Promise<void>((resolve) => {
        const { port1, port2 } = new Channel();
        port1.onmessage = () => {
          port1.close?.();
          port2.close?.();
          resolve();
        };
        port2.postMessage(0);
      });
  }
  return () => new Promise<void>((resolve) => void g.setTimeout(resolve, 0));
}
