import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import { float, int, logFloat } from '../../src/tuner/dimensions.js';
import { space, spaceFromJSON } from '../../src/tuner/space.js';
import { fcOptions } from '../_support/fcConfig.js';

describe('search spaces', () => {
  const s = space({ lr: logFloat(1e-5, 1e-1), net: { layers: int(1, 8), dropout: float(0, 0.5) } });

  test('coordinates follow the keys depth first; the TSDoc example decodes as stated', () => {
    expect(s.dim).toBe(3);
    expect(s.paths).toEqual(['lr', 'net.layers', 'net.dropout']);
    const x = s.decode([0, 1, -1]);
    expect(x.lr).toBeCloseTo(10 ** -3, 12);
    expect(x.net).toEqual({ layers: 8, dropout: 0 });
  });

  test('the middle of each range is u = 0; init overrides it', () => {
    expect(Array.from(s.initial())).toEqual([0, 0, 0]);
    const t = space({ a: float(0, 10, { init: 2.5 }), k: int(0, 3, { init: 3 }) });
    expect(t.decode(t.initial())).toEqual({ a: 2.5, k: 3 });
  });

  test('int cells have equal widths and every integer is reachable', () => {
    const k = space({ k: int(-2, 2) });
    const counts = new Map<number, number>();
    for (let i = 0; i <= 1000; i++) {
      const v = k.decode([-1 + (2 * i) / 1000]).k;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    for (const c of counts.values()) expect(Math.abs(c - 200)).toBeLessThanOrEqual(2);
  });

  test('decode stays within bounds for any u, also outside [−1, 1] and NaN', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noDefaultInfinity: false }), { minLength: 3, maxLength: 3 }), (u) => {
        const x = s.decode(u);
        return x.lr >= 1e-5 && x.lr <= 1e-1 && Number.isInteger(x.net.layers) && x.net.layers >= 1 && x.net.layers <= 8 && x.net.dropout >= 0 && x.net.dropout <= 0.5;
      }),
      fcOptions(300),
    );
  });

  test('encode ∘ decode is the identity up to float32 (floats, logFloats) and exactly on ints', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-5, max: 1e-1, noNaN: true }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (lr, layers, dropout) => {
        const x = s.decode(s.encode({ lr, net: { layers, dropout } }));
        expect(x.net.layers).toBe(layers);
        expect(Math.abs(Math.log(x.lr / lr))).toBeLessThan(1e-5);
        expect(Math.abs(x.net.dropout - dropout)).toBeLessThan(1e-7);
      }),
      fcOptions(200),
    );
  });

  test('invalid dimensions and values name the path and the fix', () => {
    expect(() => float(1, 1)).toThrow(InvalidHyperparameter);
    expect(() => logFloat(0, 1)).toThrow(/must be > 0/);
    expect(() => int(0.5, 3)).toThrow(/integer/);
    expect(() => float(0, 1, { init: 2 })).toThrow(/init/);
    expect(() => space({})).toThrow(/at least one dimension/);
    expect(() => space({ 'a.b': float(0, 1) })).toThrow(/without dots/);
    expect(() => s.encode({ lr: 1, net: { layers: 2, dropout: 0 } })).toThrow(InvalidInput);
    expect(() => s.decode([0, 0])).toThrow(/length 2/);
  });

  test('spaceFromJSON reads the JSON form and reports the faulty path', () => {
    const j = spaceFromJSON('{ "lr": { "type": "logFloat", "low": 1e-5, "high": 0.1 }, "net": { "layers": { "type": "int", "low": 1, "high": 8 } } }');
    expect(j.paths).toEqual(['lr', 'net.layers']);
    expect(JSON.stringify(j.toJSON())).toBe(JSON.stringify({ lr: { type: 'logFloat', low: 1e-5, high: 0.1 }, net: { layers: { type: 'int', low: 1, high: 8 } } }));
    expect(() => spaceFromJSON('{ "net": { "layers": { "type": "int", "low": 1, "high": 0 } } }')).toThrow(/space\.net\.layers\.high/);
    expect(() => spaceFromJSON('{ "a": { "type": "choice", "low": 0, "high": 1 } }')).toThrow(/space\.a\.type/);
    expect(() => spaceFromJSON('{ "a": { "type": "float", "low": 0, "high": 1, "step": 2 } }')).toThrow(/space\.a\.step/);
    expect(() => spaceFromJSON('{ "a": 3 }')).toThrow(/space\.a/);
    expect(() => spaceFromJSON('{ oops')).toThrow(/not valid JSON/);
  });
});
