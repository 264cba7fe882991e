// One measurement in a fresh process (V8 specialises kernels per process; see performance.md):
//   tsx bench/perf/child.ts <impl: cpu|wasm1|wasm2> <kind: gaussian|rademacher|copy|axpy> <d> <runs>
// Prints one JSON line: { impl, kind, d, runs: ns/elem per run, median }.
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Backend } from '../../src/backend/backend.js';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import { createWasmThreads } from '../../src/node/wasmThreads.js';
import type { Params } from '../../src/types.js';

const [impl = 'wasm1', kind = 'gaussian', dArg = '1e6', runsArg = '7'] = process.argv.slice(2);
const d = Number(dArg);
const runs = Number(runsArg);
const reserve = 12 * d + (16 << 20);

let close = async (): Promise<void> => {};
let be: Backend;
if (impl === 'cpu') {
  be = cpuBackend();
} else if (impl === 'wasm1') {
  be = wasmBackend({ initialBytes: reserve });
} else {
  const wt = await createWasmThreads({ threads: Number(impl.slice(4)) || 2, initialBytes: reserve });
  be = wt.backend;
  close = () => wt.close();
}

/** d elements owned by the backend (no plain copy for wasm), filled with small values. */
function params(): Params {
  const shape: Params = [{ name: 'theta', shape: [d], data: new Float32Array(impl === 'cpu' ? d : 0) }];
  const p = impl === 'cpu' ? shape : be.zerosLike([{ name: 'theta', shape: [d], data: { length: d } as Float32Array }]);
  p[0]!.data.fill(0.01);
  return p;
}

const x = params();
const y = kind === 'axpy' || kind === 'copy' ? params() : x;
const plainSrc = kind === 'copy' ? new Float32Array(d).fill(0.5) : undefined;
const plainDst = kind === 'copy' ? new Float32Array(d) : undefined;

function once(r: number): void {
  const alpha = r % 2 === 0 ? 1e-3 : -1e-3;
  switch (kind) {
    case 'gaussian':
      be.perturbInPlace({ kind: 'gaussian', seed: 1000 + r }, alpha, x);
      return;
    case 'rademacher':
      be.perturbInPlace({ kind: 'rademacher', seed: 1000 + r }, alpha, x);
      return;
    case 'axpy':
      be.axpyInPlace(alpha, y, x);
      return;
    case 'copy':
      plainDst!.set(plainSrc!);
      return;
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

const times: number[] = [];
for (let r = 0; r < runs + 2; r++) {
  const t0 = process.hrtime.bigint();
  once(r);
  const ns = Number(process.hrtime.bigint() - t0) / d;
  if (r >= 2) times.push(ns);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
process.stdout.write(`${JSON.stringify({ impl, kind, d, runs: times, median })}\n`);
await close();
