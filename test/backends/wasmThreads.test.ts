import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { wasmSimdSupported } from '../../src/backend/wasm/wasmSimdSupported.js';
import { InvalidHyperparameter } from '../../src/errors.js';
import { createWasmThreads } from '../../src/node/wasmThreads.js';
import type { Params } from '../../src/types.js';
import { assertSameBits } from '../laws/backendLaws.js';

const ok = wasmSimdSupported() && typeof SharedArrayBuffer !== 'undefined';
if (!ok) console.warn('\n!! wasm thread-pool tests SKIPPED: no WebAssembly simd128 or no SharedArrayBuffer\n');

const block = (n: number): Params => [{ name: 'x', shape: [n], data: Float32Array.from({ length: n }, (_, i) => Math.cos(i)) }];

describe.runIf(ok)('wasm worker pool', () => {
  it('splits large ranges and gives the one-thread bits, dot included', async () => {
    const wt = await createWasmThreads({ threads: 3, threshold: 1000 });
    try {
      expect(wt.backend.threads).toBe(3);
      const want = block(200_003);
      cpuBackend().perturbInPlace({ kind: 'gaussian', seed: 11 }, 0.5, want);
      const x = wt.backend.toWasmParams(block(200_003));
      wt.backend.perturbInPlace({ kind: 'gaussian', seed: 11 }, 0.5, x);
      assertSameBits(x, want, 'gaussian on 3 threads');
      const one = await createWasmThreads({ threads: 1 });
      const y = one.backend.toWasmParams(want);
      expect(Object.is(wt.backend.dot(x, x), one.backend.dot(y, y))).toBe(true);
      await one.close();
    } finally {
      await wt.close();
    }
  });

  it('close() resolves, is idempotent, and the backend keeps working on the calling thread', async () => {
    const wt = await createWasmThreads({ threads: 2, threshold: 1000 });
    const x = wt.backend.toWasmParams(block(50_001));
    await wt.close();
    await wt.close();
    const want = block(50_001);
    cpuBackend().perturbInPlace({ kind: 'rademacher', seed: 5 }, 0.25, want);
    wt.backend.perturbInPlace({ kind: 'rademacher', seed: 5 }, 0.25, x);
    assertSameBits(x, want, 'rademacher after close');
  });

  it('a process that never calls close() still exits (workers are unref’d)', () => {
    const child = fileURLToPath(new URL('./fixtures/noCloseChild.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 30_000 });
    expect(Number.isFinite(Number(out))).toBe(true);
  });

  it('rejects invalid options with typed errors', async () => {
    await expect(createWasmThreads({ threads: 0 })).rejects.toBeInstanceOf(InvalidHyperparameter);
    await expect(createWasmThreads({ threads: 1.5 })).rejects.toBeInstanceOf(InvalidHyperparameter);
    await expect(createWasmThreads({ threshold: -1 })).rejects.toBeInstanceOf(InvalidHyperparameter);
  });
});
