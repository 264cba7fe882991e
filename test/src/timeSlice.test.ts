import { describe, expect, test } from 'vitest';
import { spsa } from '../../estimators/spsa.js';
import { minimize } from '../../src/minimize.js';
import { timeSlice } from '../../src/timeSlice.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float } from '../../src/tuner/dimensions.js';
import { space } from '../../src/tuner/space.js';
import { tune } from '../../src/tuner/tune.js';

const busy = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // a synchronous objective that never yields
  }
};
/** About 50 µs of synchronous work: 40,000 calls take 2 s, so a run that ignores its signal fails in bounded time. */
const small = (): void => {
  const end = performance.now() + 0.05;
  while (performance.now() < end) {
    // never yields
  }
};
const s = space({ a: float(0, 1), b: float(0, 1) });
const f = (x: { a: number; b: number }): number => (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2;
const tuner = (budget: number) => createTuner({ space: s, estimator: spsa({ sigma: 0.1 }), update: sgd(0.05), budget, seed: 1 });
const abortAfter = (ms: number): AbortSignal => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
};

describe('time slicing: limits, timers and signals with objectives that never yield', () => {
  test('tune: a synchronous 20 ms objective with timeMs 500 returns within 1 s', async () => {
    const t0 = Date.now();
    const r = await tune(tuner(100), { objective: (x) => (busy(20), f(x)), timeMs: 500 }); // the budget alone: 2 s
    const ms = Date.now() - t0;
    expect(r.stoppedBy.reason).toBe('time');
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(1000);
    expect(r.numTold).toBeGreaterThan(5);
  });

  test('tune: a timer that aborts the signal fires during a run of a fast synchronous objective', async () => {
    const t0 = Date.now();
    const r = await tune(tuner(40_000), { objective: (x) => (small(), f(x)), signal: abortAfter(300) });
    expect(r.stoppedBy.reason).toBe('signal');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.numTold).toBeGreaterThan(100); // it ran at full speed until the timer fired
  });

  test('tune: the same with an async objective that resolves at once', async () => {
    const r = await tune(tuner(40_000), { objective: async (x) => Promise.resolve((small(), f(x))), signal: abortAfter(300) });
    expect(r.stoppedBy.reason).toBe('signal');
  });

  test('minimize: a timer that aborts the signal stops a synchronous objective', async () => {
    const t0 = Date.now();
    const r = await minimize((x) => (small(), (x[0]! - 1) ** 2 + x[1]! ** 2), [0, 0], {
      estimator: spsa({ sigma: 1e-2 }),
      update: sgd(1e-3),
      budget: { queries: 40_000, signal: abortAfter(300) },
      evaluateFinal: false,
    });
    expect(r.stoppedBy.reason).toBe('signal');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.queries).toBeGreaterThan(100);
  });

  test('minimize: a synchronous 20 ms objective with timeMs 500 returns within 1 s', async () => {
    const t0 = Date.now();
    const r = await minimize((x) => (busy(20), x[0]! ** 2), [1], { estimator: spsa(), update: sgd(1e-3), budget: { timeMs: 500, queries: 100 }, evaluateFinal: false });
    expect(r.stoppedBy.reason).toBe('time');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('timeSlice: nothing to await within a slice; after it, a turn in which due timers run', async () => {
    const slice = timeSlice({ sliceMs: 30 });
    expect(slice.yieldIfDue()).toBeUndefined();
    let fired = false;
    setTimeout(() => (fired = true), 1);
    busy(40);
    expect(fired).toBe(false);
    const turn = slice.yieldIfDue();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    expect(fired).toBe(true);
    expect(slice.yieldIfDue()).toBeUndefined(); // a new slice starts after the turn
    expect(() => timeSlice({ sliceMs: 0 })).toThrow(/sliceMs/);
  });
});
