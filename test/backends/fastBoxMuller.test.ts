import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import { wasmSimdSupported } from '../../src/backend/wasm/wasmSimdSupported.js';
import { fastCos, fastRadius, fastSin } from '../../src/rng/_internal/fastBoxMuller.js';
import { boxMullerRadius } from '../../src/rng/gaussian.js';
import { perturbGaussianRange } from '../../src/rng/perturbGaussian.js';

const f = Math.fround;

/** The angle polynomials of src/rng/gaussian.ts (gaussianPair), verbatim: the frozen reference. */
function referenceSinCos(th: number, t2: number): [number, number] {
  const S3 = f(-1 / 6);
  const S5 = f(1 / 120);
  const S7 = f(-1 / 5040);
  const C4 = f(1 / 24);
  const C6 = f(-1 / 720);
  const C8 = f(1 / 40320);
  let ps = f(f(t2 * S7) + S5);
  ps = f(f(ps * t2) + S3);
  ps = f(f(ps * t2) + 1);
  const sn = f(th * ps);
  let pc = f(f(t2 * C8) + C6);
  pc = f(f(pc * t2) + C4);
  pc = f(f(pc * t2) - 0.5);
  const cs = f(f(pc * t2) + 1);
  return [sn, cs];
}

describe('fast Box–Muller pieces of the TypeScript kernel are exact on every input', () => {
  it('fastRadius equals boxMullerRadius for all 2^24 radius inputs t = x >>> 8', () => {
    let bad = 0;
    let first = -1;
    for (let t = 0; t < 1 << 24; t++) {
      const x = ((t << 8) | (t & 0xff)) >>> 0;
      if (fastRadius(x) !== boxMullerRadius(x) && bad++ === 0) first = t;
    }
    expect({ bad, first }).toEqual({ bad: 0, first: -1 });
  });

  it('fastSin and fastCos equal the reference polynomials for all 2^24 angles', () => {
    const ANG = f(Math.PI / 33554432);
    let bad = 0;
    let first = -1;
    for (let a = 0; a < 1 << 24; a++) {
      const th = f((a - 8388608) * ANG);
      const t2 = f(th * th);
      const [sn, cs] = referenceSinCos(th, t2);
      if ((!Object.is(fastSin(th, t2), sn) || !Object.is(fastCos(t2), cs)) && bad++ === 0) first = a;
    }
    expect({ bad, first }).toEqual({ bad: 0, first: -1 });
  });
});

describe.runIf(wasmSimdSupported())('wasm kernel sweep', () => {
  it('the wasm Gaussian kernel matches the TypeScript kernel on 3 × 2^22 elements', () => {
    const be = wasmBackend({ initialBytes: 24 << 20 });
    const n = 1 << 22;
    for (const [k1, k2, alpha] of [[0x12345678, 0x9abcdef0, 1], [7, 99, -3.7], [0xffffffff, 0, 1e-3]] as const) {
      const ref = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 100);
      const [block] = be.copy([{ name: 'x', shape: [n], data: ref }]);
      perturbGaussianRange(ref, k1, k2, 1, n, alpha);
      be.kernels.gaussian(block!.data.byteOffset + 4, k1, k2, 1, n, alpha, be.context);
      const got = new Uint32Array(block!.data.buffer, block!.data.byteOffset, n);
      const want = new Uint32Array(ref.buffer);
      let bad = 0;
      for (let i = 0; i < n; i++) if (got[i] !== want[i]) bad++;
      expect(bad).toBe(0);
      be.dispose([block!]);
    }
  });
});
