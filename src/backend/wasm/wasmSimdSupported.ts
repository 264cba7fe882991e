import { wasmApi } from './_internal/wasmApi.js';

/** A minimal module whose one function uses a v128 value: valid exactly where wasm simd128 is supported. */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b, // i32.const 0; i8x16.splat; i8x16.popcnt
]);

let cached: boolean | undefined;

/**
 * Whether this engine runs WebAssembly with the simd128 extension (Node ≥ 16.4, current browsers).
 *
 * Cost: one `WebAssembly.validate` of a 31-byte module, cached after the first call.
 *
 * @example
 * ```ts
 * const backend = wasmSimdSupported() ? wasmBackend() : cpuBackend();
 * ```
 */
export function wasmSimdSupported(): boolean {
  if (cached === undefined) {
    const api = wasmApi();
    try {
      cached = api !== undefined && api.validate(SIMD_PROBE);
    } catch {
      cached = false;
    }
  }
  return cached;
}
