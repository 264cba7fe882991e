import { InvalidHyperparameter, ZerothError } from '../errors.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './cpuBackend.js';
import { wasmBackend } from './wasm/wasmBackend.js';
import type { WasmBackendOptions } from './wasm/wasmBackend.js';
import { wasmSimdSupported } from './wasm/wasmSimdSupported.js';

let shared: Backend | undefined;

/** Options of {@link defaultBackend}. */
export interface DefaultBackendOptions {
  /**
   * `'auto'` (default): `wasm` where WebAssembly simd128 validates, `cpu` otherwise. `'wasm'` or `'cpu'` pins
   * one (`'wasm'` throws where simd128 is missing).
   */
  readonly prefer?: 'auto' | 'wasm' | 'cpu';
  /** Options of the wasm backend, when it is chosen. */
  readonly wasm?: WasmBackendOptions;
}

/**
 * The backend zeroth uses when none is given: the embedded wasm simd128 kernels where the engine supports them
 * (Node ≥ 16.4, current browsers), else the pure TypeScript `cpu` backend. Both produce the same bits for every
 * perturbation, so the choice changes speed, never results (`dot` differs by float64 rounding only).
 *
 * Cost: creating the wasm backend compiles a 6 KB module (once per process) and reserves a 4 MiB memory;
 * without options, one instance is created per process and shared.
 *
 * @example
 * ```ts
 * const be = defaultBackend();                      // wasm here
 * const pinned = defaultBackend({ prefer: 'cpu' }); // always the TypeScript reference
 * ```
 */
export function defaultBackend(options: DefaultBackendOptions = {}): Backend {
  const prefer = options.prefer ?? 'auto';
  if (prefer === 'auto' && options.wasm === undefined) {
    // One shared instance for the plain default: optimizers that do not pin a backend share its memory.
    shared ??= wasmSimdSupported() ? wasmBackend() : cpuBackend();
    return shared;
  }
  switch (prefer) {
    case 'cpu':
      return cpuBackend();
    case 'wasm':
      if (!wasmSimdSupported()) {
        throw new ZerothError('WASM_UNAVAILABLE', 'WebAssembly simd128 is not supported by this engine. Use prefer: "cpu" or "auto".');
      }
      return wasmBackend(options.wasm);
    case 'auto':
      return wasmSimdSupported() ? wasmBackend(options.wasm) : cpuBackend();
    default:
      throw new InvalidHyperparameter('prefer', prefer, "must be 'auto', 'wasm' or 'cpu'");
  }
}
