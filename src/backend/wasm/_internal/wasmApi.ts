/**
 * Typed access to the global `WebAssembly` object. The project compiles against `lib: ES2022` (no DOM types),
 * so the few members used here are typed locally instead of declaring globals that could clash with
 * `lib.dom.d.ts` in users' programs.
 */

/** A `WebAssembly.Memory`, structurally: what zeroth needs of it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

/** An instantiated module's exports. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** A compiled module (opaque). */
export type WasmModule = object;

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

/** The global `WebAssembly` object, or `undefined` where the engine has none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Bytes per wasm page. */
export const PAGE_BYTES = 65536;

/** True when `memory` is backed by a `SharedArrayBuffer` (a shared memory, usable from workers). */
export function isShared(memory: WasmMemory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** Decodes base64 with `atob` (present in browsers and in Node ≥ 16). */
export function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
