import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import { wasmSimdSupported } from '../../src/backend/wasm/wasmSimdSupported.js';
import type { Direction, Params } from '../../src/types.js';

const simd = wasmSimdSupported();
if (!simd) console.warn('\n!! wasm memory tests SKIPPED: WebAssembly simd128 does not validate on this engine\n');

const d = 1 << 20;
const layout = (): Params => [
  { name: 'w', shape: [1024, 1024], data: Float32Array.from({ length: d }, (_, i) => Math.sin(i)) },
  { name: 'b', shape: [1023], data: new Float32Array(1023).fill(0.25) },
];

describe.runIf(simd)('wasm backend memory', () => {
  it('a perturbation pass allocates no parameter-sized temporary (allocator accounting)', () => {
    const be = wasmBackend({ initialBytes: 16 << 20 });
    const owned = be.toWasmParams(layout());
    const plain = layout();
    const dirs: Direction[] = [
      { kind: 'gaussian', seed: 1 },
      { kind: 'rademacher', seed: 2 },
      { kind: 'lowRank', seed: 3, rank: 4, v: [Float32Array.from({ length: 1024 * 4 }, (_, i) => Math.cos(i)), undefined] },
      { kind: 'params' },
      { kind: 'dense', blocks: plain.map((b) => b.data) },
      { kind: 'coordinate', block: 0, index: 5 },
    ];
    const base = be.memoryStats();
    be.resetPeak();
    for (const x of [owned, plain]) {
      for (const dir of dirs) be.perturbInPlace(dir, 1e-3, x);
      be.axpyInPlace(0.5, plain, x);
      be.scaleInPlace(0.9, x);
      be.dot(x, plain);
    }
    const after = be.memoryStats();
    expect(after.allocatedBytes).toBe(base.allocatedBytes);
    expect(after.peakAllocatedBytes).toBe(base.allocatedBytes);
    expect(after.memoryBytes).toBe(base.memoryBytes);
    be.dispose(owned);
    expect(be.memoryStats().allocatedBytes).toBe(base.allocatedBytes - 4 * (d + 1023 + 1));
  });

  it('allocations are reused after dispose, and growth keeps block views live', () => {
    const be = wasmBackend({ initialBytes: 1 << 20 });
    const a = be.toWasmParams(layout());
    const view = a[0]!.data;
    const big = be.zerosLike(layout().concat(layout()));
    expect(be.memoryStats().memoryBytes).toBeGreaterThan(1 << 20);
    expect(view.length === 0 || view.buffer === be.memory.buffer || be.memory.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(a[0]!.data.length).toBe(d);
    expect(a[0]!.data[1]).toBe(Math.fround(Math.sin(1)));
    be.perturbInPlace({ kind: 'gaussian', seed: 9 }, 1e-3, a);
    const used = be.memoryStats().allocatedBytes;
    be.dispose(big);
    const again = be.zerosLike(layout());
    expect(be.memoryStats().allocatedBytes).toBeLessThan(used);
    expect(() => big[0]!.data).toThrow(/disposed/);
    be.dispose(again);
    be.dispose(a);
  });

  it('a view detached by memory growth is reported with a typed error, re-read blocks keep working', () => {
    const be = wasmBackend({ initialBytes: 1 << 20 });
    const x = be.toWasmParams([{ name: 'w', shape: [1000], data: new Float32Array(1000).fill(1) }]);
    const stale: Params = [{ name: 'w', shape: [1000], data: x[0]!.data }];
    const big = be.zerosLike(layout()); // grows the plain memory: `stale` is detached
    expect(stale[0]!.data.length).toBe(0);
    expect(() => be.perturbInPlace({ kind: 'gaussian', seed: 1 }, 1, stale)).toThrow(/detached/);
    be.perturbInPlace({ kind: 'gaussian', seed: 1 }, 1, x);
    expect(x[0]!.data.length).toBe(1000);
    be.dispose([...x, ...big]);
  });

  it.each(['wasm-owned', 'wasm-plain', 'cpu'])('peak RSS does not grow during perturbation passes over 1e7 parameters (%s, child process)', (kind) => {
    const child = fileURLToPath(new URL('./fixtures/rssChild.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', child, kind, String(1e7)], { encoding: 'utf8', timeout: 120_000 });
    const { before, after, bytes } = JSON.parse(out) as { before: number; after: number; bytes: number };
    // maxRSS is in KiB; a parameter-sized temporary would add 40 MB (JIT code and heap growth add a few MB)
    expect((after - before) * 1024).toBeLessThan(bytes / 4);
  });
});
