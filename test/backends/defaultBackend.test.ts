import { describe, expect, it } from 'vitest';
import { defaultBackend } from '../../src/backend/defaultBackend.js';
import { wasmSimdSupported } from '../../src/backend/wasm/wasmSimdSupported.js';
import { InvalidHyperparameter } from '../../src/errors.js';

describe('defaultBackend', () => {
  it('picks wasm where simd128 validates, cpu otherwise; prefer pins one', () => {
    expect(defaultBackend().name).toBe(wasmSimdSupported() ? 'wasm' : 'cpu');
    expect(defaultBackend({ prefer: 'cpu' }).name).toBe('cpu');
    if (wasmSimdSupported()) expect(defaultBackend({ prefer: 'wasm', wasm: { initialBytes: 1 << 20 } }).name).toBe('wasm');
  });

  it('gives the same perturbation bits whichever backend it picks', () => {
    const x = [{ name: 'w', shape: [101], data: new Float32Array(101).fill(0.5) }];
    const y = [{ name: 'w', shape: [101], data: new Float32Array(101).fill(0.5) }];
    defaultBackend().perturbInPlace({ kind: 'gaussian', seed: 9 }, 0.1, x);
    defaultBackend({ prefer: 'cpu' }).perturbInPlace({ kind: 'gaussian', seed: 9 }, 0.1, y);
    expect(Array.from(new Uint32Array(x[0]!.data.buffer))).toEqual(Array.from(new Uint32Array(y[0]!.data.buffer)));
  });

  it('rejects an unknown preference with a typed error', () => {
    expect(() => defaultBackend({ prefer: 'gpu' as 'cpu' })).toThrow(InvalidHyperparameter);
  });
});
