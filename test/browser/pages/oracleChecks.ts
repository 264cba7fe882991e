import { cge } from '../../../estimators/cge.js';
import { mezo } from '../../../estimators/mezo.js';
import { spsa } from '../../../estimators/spsa.js';
import { cpuBackend } from '../../../src/backend/cpuBackend.js';
import { webgpuBatchOracle } from '../../../src/backend/webgpu/webgpuBatchOracle.js';
import type { WebGpuBackend } from '../../../src/backend/webgpu/webgpuBackend.js';
import type { Estimator } from '../../../src/estimator.js';
import { optimizer } from '../../../src/optimizer.js';
import type { BatchOracle } from '../../../src/oracle/oracle.js';
import { sgd } from '../../../src/transform/aliases/sgd.js';
import type { Direction, Params, Probe } from '../../../src/types.js';

/**
 * An objective whose value is computed exactly on both sides: a 24-bit rolling hash of the bit patterns of every
 * coordinate of the point (so equal values mean equal points, bit for bit, with overwhelming probability), plus
 * the first coordinate's own bits in the low part.
 */
const checksumWgsl = /* wgsl */ `
fn f() -> f32 {
  var h = 0u;
  for (var i = 0u; i < dim(); i++) { h = h * 0x01000193u + bitcast<u32>(coord(i)); h = h ^ (h >> 13u); }
  return f32(h & 0xffffffu);
}
`;

function checksum(x: Params): number {
  let h = 0;
  for (const b of x) {
    const bits = new Uint32Array(b.data.buffer, b.data.byteOffset, b.data.length);
    for (let i = 0; i < bits.length; i++) {
      h = (Math.imul(h, 0x01000193) + bits[i]!) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
    }
  }
  return h & 0xffffff;
}

const sphereWgsl = /* wgsl */ `
fn f() -> f32 { var s = 0.0; for (var i = 0u; i < dim(); i++) { let v = coord(i) - goal[i]; s += v * v; } return s; }
`;

function params(lengths: readonly number[], seed: number): Params {
  return lengths.map((n, b) => ({
    name: `b${b}`,
    shape: b === 1 && n % 3 === 0 ? [3, n / 3] : [n],
    // with subnormals and −0 among the values, so that the software path (second pass) is exercised
    data: Float32Array.from({ length: n }, (_, i) => (i % 11 === 3 ? 3e-39 * (i % 2 ? -1 : 1) : i % 13 === 5 ? -0 : Math.sin(seed + 0.7 * i + b) * (i % 5 === 0 ? 1e-3 : 3))),
  }));
}

/** The oracle checks of the browser suite, by name. */
export async function oracleChecks(backend: WebGpuBackend, name: string): Promise<unknown> {
  const cpu = cpuBackend();
  if (name === 'points') {
    // every supported direction (and a materialised low-rank one) gives the cpu point's checksum, on 2 blocks
    const host = params([37, 24], 3);
    const x = backend.copy(host);
    const oracle = await webgpuBatchOracle({ backend, dim: 61, wgsl: checksumWgsl });
    const dirs: [Direction, number][] = [
      [{ kind: 'none' }, 1],
      [{ kind: 'gaussian', seed: 42 }, 1e-3],
      [{ kind: 'gaussian', seed: 0xffffffff }, -2.5],
      [{ kind: 'rademacher', seed: 7 }, 0.125],
      [{ kind: 'coordinate', block: 1, index: 5 }, 1e-2],
      [{ kind: 'gaussian', seed: 9 }, 0],
      [{ kind: 'lowRank', seed: 5, rank: 2, v: [undefined, Float32Array.from({ length: 16 }, (_, i) => i / 7)] }, 0.5],
    ];
    const probes: Probe[] = dirs.map(([direction, scale], i) => ({ direction, scale, noiseKey: i }));
    const got = await oracle.probeValues(x, probes, probes.map((p) => ({ noiseSeed: p.noiseKey, step: 0 })));
    const want = dirs.map(([d, s]) => {
      const p = cpu.copy(host);
      cpu.perturbInPlace(d, s, p);
      return checksum(p);
    });
    const base = await backend.readAll(x);
    backend.dispose(x);
    oracle.dispose();
    return { got: [...got], want, baseUnchanged: checksum(base.map((data, b) => ({ ...host[b]!, data }))) === checksum(host), dispatches: oracle.dispatches };
  }
  if (name === 'trajectories') {
    // MeZO, SPSA (q = 3, Rademacher) and CGE steps with the webgpu backend and oracle give the cpu run's bits
    const runs: [string, Estimator<unknown>][] = [
      ['mezo', mezo({ sigma: 1e-2 }) as Estimator<unknown>],
      ['spsa', spsa({ sigma: 1e-2, numProbes: 3, distribution: 'rademacher' }) as Estimator<unknown>],
      ['cge', cge({ sigma: 1e-2 }) as Estimator<unknown>],
    ];
    const out: Record<string, unknown> = {};
    for (const [label, estimator] of runs) {
      const host = params([40, 21], 11);
      const oracle = await webgpuBatchOracle({ backend, dim: 61, wgsl: checksumWgsl });
      const x = backend.copy(host);
      const opt = optimizer({ estimator, update: sgd(1e-9), backend });
      let s = opt.init(x, 5);
      const before = oracle.bytesRead;
      for (let k = 0; k < 3; k++) s = (await opt.step(x, oracle, s)).state;
      const perStep = (oracle.bytesRead - before) / 3;
      const ref = cpu.copy(host);
      const hostOracle: BatchOracle<Params> = { kind: 'batch', values: (xs) => xs.map((p) => checksum(p)) };
      const copt = optimizer({ estimator, update: sgd(1e-9), backend: cpu });
      let cs = copt.init(ref, 5);
      for (let k = 0; k < 3; k++) cs = (await copt.step(ref, hostOracle, cs)).state;
      const got = await backend.readAll(x);
      const same = got.every((g, b) => g.every((v, i) => Object.is(v, ref[b]!.data[i]!)));
      out[label] = { same, bytesPerStep: perStep, queries: s.queries };
      backend.dispose(x);
      oracle.dispose();
    }
    return out;
  }
  if (name === 'sphere') {
    // a d = 2^14 MeZO run on a WGSL objective with a user buffer: it descends, and a step reads back 8 bytes
    const d = 1 << 14;
    const target = Float32Array.from({ length: d }, (_, i) => Math.cos(i));
    const oracle = await webgpuBatchOracle({ backend, dim: d, wgsl: sphereWgsl, buffers: { goal: target } });
    const x = backend.zerosLike([{ name: 'w', shape: [d], data: new Float32Array(d) }]);
    const opt = optimizer({ estimator: mezo({ sigma: 1e-3 }), update: sgd(2e-5), backend });
    let s = opt.init(x, 1);
    const first = (await opt.step(x, oracle, s)).value;
    const readBefore = oracle.bytesRead + backend.kernels.bytesRead;
    let last = first;
    for (let k = 0; k < 10; k++) {
      const r = await opt.step(x, oracle, s);
      s = r.state;
      last = r.value;
    }
    const bytesPerStep = (oracle.bytesRead + backend.kernels.bytesRead - readBefore) / 10;
    backend.dispose(x);
    oracle.dispose();
    return { first, last, bytesPerStep };
  }
  if (name === 'terms') {
    // perturbTermsInPlace (one pass per block for Gaussian, Rademacher and params runs; the rest one by one) gives
    // the bits of one cpu perturbInPlace per term, in order
    const failures: string[] = [];
    for (let trial = 0; trial < 12; trial++) {
      const host = params([1 + ((trial * 37) % 90), 3 * (1 + (trial % 7))], trial);
      const kinds: Direction[] = [
        { kind: 'gaussian', seed: 1000 + trial },
        { kind: 'rademacher', seed: 77 * trial },
        { kind: 'params', blocks: [trial % 2 === 0, true] },
        { kind: 'coordinate', block: 1, index: trial % 3 },
        { kind: 'dense', blocks: [undefined, Float32Array.from({ length: host[1]!.data.length }, (_, i) => i - 2.5)] },
        { kind: 'none' },
        { kind: 'gaussian', seed: 0xffffffff - trial },
      ];
      const terms = Array.from({ length: 2 + (trial % 6) }, (_, j) => ({
        direction: kinds[(trial + 3 * j) % kinds.length]!,
        coeff: j % 5 === 4 ? 0 : (j % 2 === 0 ? 1 : -1) * 10 ** (-(trial % 4) - j),
      }));
      const want = cpu.copy(host);
      for (const t of terms) cpu.perturbInPlace(t.direction, t.coeff, want);
      const x = backend.copy(host);
      backend.perturbTermsInPlace(terms, x);
      const got = await backend.readAll(x);
      backend.dispose(x);
      got.forEach((g, b) =>
        g.forEach((v, i) => {
          if (!Object.is(v, want[b]!.data[i]!) && failures.length < 5) failures.push(`trial ${trial} block ${b} element ${i}: ${v} vs ${want[b]!.data[i]}`);
        }),
      );
    }
    return failures;
  }
  if (name === 'hostValues') {
    // an estimator that reads parameter values on the host refuses device blocks with a typed error
    const oracle = await webgpuBatchOracle({ backend, dim: 8, wgsl: checksumWgsl });
    const x = backend.copy(params([8], 1));
    const opt = optimizer({ estimator: cge({ sigma: 1e-2, sparsity: { ratio: 0.5, mode: 'magnitude' } }), update: sgd(1e-3), backend });
    let message = 'did not throw';
    try {
      await opt.step(x, oracle, opt.init(x, 1));
    } catch (e) {
      message = `${(e as { code?: string }).code}: ${(e as Error).message}`;
    }
    backend.dispose(x);
    oracle.dispose();
    return message;
  }
  throw new Error(`no oracle check ${name}`);
}
