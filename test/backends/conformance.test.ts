import { afterAll, beforeAll, describe, it } from 'vitest';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Backend } from '../../src/backend/backend.js';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import { wasmSimdSupported } from '../../src/backend/wasm/wasmSimdSupported.js';
import { createWasmThreads } from '../../src/node/wasmThreads.js';
import type { WasmThreads } from '../../src/node/wasmThreads.js';
import { backendLaws } from '../laws/backendLaws.js';

/** The backends of this machine, and why any were skipped (printed loudly). */
const skipped: string[] = [];
const simd = wasmSimdSupported();
if (!simd) skipped.push('wasm (1 thread) and wasm (2 threads): WebAssembly simd128 does not validate on this engine');
const threadsOk = simd && typeof SharedArrayBuffer !== 'undefined';
if (simd && !threadsOk) skipped.push('wasm (2 threads): no SharedArrayBuffer');
if (skipped.length > 0) {
  console.warn(`\n${'!'.repeat(72)}\n!! backend conformance SKIPPED:\n${skipped.map((s) => `!!   - ${s}`).join('\n')}\n${'!'.repeat(72)}\n`);
}

describe('backend conformance: cpu (the reference against itself)', () => {
  const be = cpuBackend();
  for (const law of backendLaws('cpu', () => be, { numRuns: 25 })) it(law.name, () => law.run());
});

describe.runIf(simd)('backend conformance: wasm, 1 thread', () => {
  let be: Backend | undefined;
  const get = (): Backend => (be ??= wasmBackend());
  for (const law of backendLaws('wasm×1', get)) it(law.name, () => law.run());
});

describe.runIf(threadsOk)('backend conformance: wasm, 2 threads (every range above 256 elements split)', () => {
  let wt: WasmThreads | undefined;
  beforeAll(async () => {
    wt = await createWasmThreads({ threads: 2, threshold: 256 });
  });
  afterAll(async () => {
    await wt?.close();
  });
  for (const law of backendLaws('wasm×2', () => wt!.backend)) it(law.name, () => law.run());
});

describe.runIf(threadsOk)('backend conformance: wasm, 2 threads, default threshold', () => {
  let wt: WasmThreads | undefined;
  beforeAll(async () => {
    wt = await createWasmThreads({ threads: 2 });
  });
  afterAll(async () => {
    await wt?.close();
  });
  const laws = backendLaws('wasm×2 default', () => wt!.backend, { largeLength: 300_001 });
  for (const law of laws.filter((l) => l.name.includes('large blocks'))) it(law.name, () => law.run());
});
