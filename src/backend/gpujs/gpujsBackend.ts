import type { GPU } from 'gpu.js';
import { InvalidHyperparameter } from '../../errors.js';
import type { Backend } from '../backend.js';
import { cpuBackend } from '../cpuBackend.js';
import { gpujsBatchOracle, type GpujsBatchOracle, type GpujsBatchOracleOptions, type GpujsConstants } from './gpujsBatchOracle.js';
import { createGpu, defaultGpujsMode, type GpujsMode } from './gpujsMode.js';

/** Options of {@link gpujsBackend}. */
export interface GpujsBackendOptions {
  /** A GPU instance to run the evaluation kernels on (you own it). Exclusive with `mode`. */
  readonly gpu?: GPU;
  /** The gpu.js mode of a GPU created for this backend. @defaultValue {@link defaultGpujsMode} */
  readonly mode?: GpujsMode;
}

/** The `gpujs` backend: the cpu reference's primitives plus batched evaluation of gpu.js objective kernels. */
export interface GpujsBackend extends Backend {
  readonly name: 'gpujs';
  /** The GPU the evaluation kernels run on. */
  readonly gpu: GPU;
  /** The mode gpu.js was asked for. */
  readonly mode: string;
  /** A {@link gpujsBatchOracle} on this backend's GPU: all probe points of a step in one kernel launch. */
  batchOracle<C extends GpujsConstants = Record<never, never>>(options: Omit<GpujsBatchOracleOptions<C>, 'gpu' | 'mode'>): GpujsBatchOracle;
  /** Destroys the GPU when this backend created it (the oracles' kernels with it). */
  destroy(): Promise<void>;
}

/**
 * The `gpujs` backend. Perturbations, axpy, scaling and dot products are the `cpu` reference's (the same bits);
 * what gpu.js adds is the batched evaluation, through {@link GpujsBackend.batchOracle}.
 *
 * Why the perturbations are not gpu.js kernels: the canonical directions (`src/rng/DEFINITION.md`) need 32-bit
 * wrapping integer products (`imul`) and unsigned shifts. gpu.js cannot express them exactly: in `webasm`,
 * `Math.imul` is compiled through f32 (`i32.trunc_sat_f32_s` → `i32.mul` → `f32.convert_i32_s`), kernel arguments
 * are f32 and integer literals above 2²⁴ are rounded (above 2³¹ saturated), so the hash came out wrong in every
 * element; in the GL modes (GLSL ES 1.0) `Math.imul` does not compile at all. Only gpu.js's `cpu` mode is exact,
 * and that is plain JavaScript, i.e. this reference. Its `Math.random()` is a different generator (and ignores
 * the seed in `cpu` mode). Measured here, gpu.js webasm kernels are also 2–20× slower than zeroth's wasm kernels.
 *
 * Cost: the cpu backend's for every primitive; see {@link gpujsBatchOracle} for the evaluation.
 *
 * @example
 * ```ts
 * const be = gpujsBackend({ mode: 'webasm' });
 * const f = be.batchOracle({ dim: 2, kernel: function (x, _dim) { return x[this.thread.x]![0]! ** 2 + x[this.thread.x]![1]! ** 2; } });
 * const opt = optimizer({ estimator: cge(), update: sgd(0.1), backend: be });
 * ```
 */
export function gpujsBackend(options: GpujsBackendOptions = {}): GpujsBackend {
  let gpu: GPU;
  let mode: string;
  const owned = options.gpu === undefined;
  if (options.gpu !== undefined) {
    if (options.mode !== undefined) {
      throw new InvalidHyperparameter('mode', options.mode, 'cannot be combined with gpu: the GPU instance already has its mode; pass one of them');
    }
    gpu = options.gpu;
    mode = String(gpu.mode);
  } else {
    ({ gpu, mode } = createGpu(options.mode ?? defaultGpujsMode()));
  }
  return {
    ...cpuBackend(),
    name: 'gpujs',
    gpu,
    mode,
    batchOracle: (oracleOptions) => gpujsBatchOracle({ ...oracleOptions, gpu }),
    async destroy() {
      if (owned) await gpu.destroy();
    },
  };
}
