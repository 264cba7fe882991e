import { describe, expect, test } from 'vitest';
import { CurveRecorder, checkpointGrid, median, medianCurve, queriesToTarget, relativeSuboptimality } from '../../bench/quality/metrics.js';

describe('relativeSuboptimality', () => {
  test('is 1 at the start, 0 at the optimum, linear in between', () => {
    expect(relativeSuboptimality(10, 2, 10)).toBe(1);
    expect(relativeSuboptimality(2, 2, 10)).toBe(0);
    expect(relativeSuboptimality(2.008, 2, 10)).toBeCloseTo(1e-3, 12);
  });
  test('clamps rounding noise below f* to 0 and keeps NaN', () => {
    expect(relativeSuboptimality(1.9999999, 2, 10)).toBe(0);
    expect(relativeSuboptimality(NaN, 0, 1)).toBeNaN();
  });
  test('refuses a start at the optimum', () => {
    expect(() => relativeSuboptimality(1, 1, 1)).toThrow(RangeError);
  });
});

describe('queriesToTarget on a synthetic history', () => {
  // f − f* halves every 10 queries from f(x0) − f* = 1: below 1e-3 first after 10 halvings (2^-10 ≈ 9.8e-4).
  const f0 = 5;
  const fStar = 4;
  const queries = Array.from({ length: 20 }, (_, i) => 10 * i);
  const subopt = queries.map((q) => relativeSuboptimality(fStar + 2 ** (-q / 10), fStar, f0));
  test('is the first recorded query count at or below the target', () => {
    expect(queriesToTarget({ queries, subopt })).toBe(100);
    expect(queriesToTarget({ queries, subopt }, 0.25)).toBe(20);
    expect(queriesToTarget({ queries, subopt }, 1)).toBe(0);
  });
  test('is null when the target is never reached', () => {
    expect(queriesToTarget({ queries, subopt }, 1e-9)).toBeNull();
  });
  test('a recorder on a checkpoint grid records the first step at or past each checkpoint', () => {
    const rec = new CurveRecorder([0, 5, 12, 30]);
    for (let q = 0; q <= 40; q += 4) if (rec.due(q)) rec.record(q, 1 / (1 + q));
    expect(rec.queries).toEqual([0, 8, 12, 32]);
    expect(rec.last()).toEqual({ queries: 32, subopt: 1 / 33 });
  });
});

describe('median and curves', () => {
  test('median counts null (not reached) as +∞ and takes the lower middle', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([100, null, 50, null, 10])).toBe(100);
    expect(median([100, null, null])).toBeNull();
    expect(median([])).toBeNaN();
  });
  test('checkpointGrid is increasing, starts at 0 and ends at the budget', () => {
    const g = checkpointGrid(20_000);
    expect(g[0]).toBe(0);
    expect(g[g.length - 1]).toBe(20_000);
    for (let i = 1; i < g.length; i++) expect(g[i]!).toBeGreaterThan(g[i - 1]!);
    expect(g.length).toBeLessThan(400);
  });
  test('medianCurve holds each run at its last record', () => {
    const a = { queries: [0, 10, 20], subopt: [1, 0.1, 0.01] };
    const b = { queries: [0, 10], subopt: [1, 0.5] };
    const c = { queries: [0, 20], subopt: [1, 0.001] };
    expect(medianCurve([a, b, c], [0, 10, 20])).toEqual({ queries: [0, 10, 20], subopt: [1, 0.5, 0.01] });
  });
});
