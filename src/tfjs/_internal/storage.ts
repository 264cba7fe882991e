/* Where a tf.Variable's values live, through tfjs 4.22's internal (stable-looking) fields: the engine's
 * tensorInfo map gives the backend that owns the data; tfjs-cpu keeps a Float32Array per dataId, tfjs-wasm an
 * offset into its WebAssembly heap. Everything tfjs-internal is confined to this file and tfjsWasm.ts. */
import * as tf from '@tensorflow/tfjs-core';
import type { WasmMemory } from '../../backend/wasm/_internal/wasmApi.js';
import { InvalidInput } from '../../errors.js';

/** The parts of tfjs-wasm's backend zeroth uses. */
export interface TfWasmBackend {
  readonly wasm: {
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    readonly asm: { readonly memory: WasmMemory };
    readonly tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void };
  };
  readonly dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; refCount: number; dtype: string } | undefined };
}

/** The parts of tfjs-cpu's backend zeroth uses. */
export interface TfCpuBackend {
  readonly data: { get(dataId: object): { values?: unknown; refCount: number; dtype?: string } | undefined };
}

/** Where a variable's values are, right now. */
export type Storage =
  | { readonly kind: 'wasm'; readonly backend: TfWasmBackend; readonly id: number; readonly offset: number; readonly refCount: number }
  | { readonly kind: 'cpu'; readonly backend: TfCpuBackend; readonly values: Float32Array; readonly refCount: number }
  | { readonly kind: 'other'; readonly backend: tf.KernelBackend };

interface EngineState {
  readonly tensorInfo: { get(dataId: object): { backend: tf.KernelBackend } | undefined };
}

/** The backend that owns the data of `t`. */
export function owningBackend(t: tf.Tensor): tf.KernelBackend {
  const state = (tf.engine() as unknown as { state: EngineState }).state;
  return state.tensorInfo.get(t.dataId)?.backend ?? tf.backend();
}

function isWasm(be: tf.KernelBackend): be is tf.KernelBackend & TfWasmBackend {
  const w = be as unknown as Partial<TfWasmBackend>;
  return typeof w.dataIdMap?.get === 'function' && typeof w.wasm?._malloc === 'function' && w.wasm.asm?.memory !== undefined;
}

function isCpu(be: tf.KernelBackend): be is tf.KernelBackend & TfCpuBackend {
  const c = be as unknown as Partial<TfCpuBackend>;
  return !isWasm(be) && typeof c.data?.get === 'function';
}

/** The storage of `v` (checked to be a live float32 variable); `name` names it in errors. */
export function storageOf(v: tf.Variable, name: string): Storage {
  checkLive(v, name);
  const be = owningBackend(v);
  if (isWasm(be)) {
    const info = be.dataIdMap.get(v.dataId);
    if (info !== undefined) return { kind: 'wasm', backend: be, id: info.id, offset: info.memoryOffset, refCount: info.refCount };
  } else if (isCpu(be)) {
    const info = be.data.get(v.dataId);
    if (info !== undefined && info.values instanceof Float32Array) return { kind: 'cpu', backend: be, values: info.values, refCount: info.refCount };
  }
  return { kind: 'other', backend: be };
}

/**
 * The storage of `v`, with its buffer made exclusive first: `tf.variable(t)`, `tf.reshape` and `clone` share a
 * buffer between tensors, and an in-place write must not change the other tensor. A shared buffer is replaced
 * by a copy (once; the variable keeps its identity and name, the other tensor its values).
 */
export function exclusiveStorageOf(v: tf.Variable, name: string): Storage {
  const s = storageOf(v, name);
  if (s.kind === 'other' || s.refCount <= 1) return s;
  const values = Float32Array.from(v.dataSync());
  const copy = tf.engine().makeTensor(values, v.shape, 'float32', owningBackend(v));
  v.assign(copy);
  copy.dispose();
  return storageOf(v, name);
}

/** Throws InvalidInput unless `v` is a live float32 variable. */
export function checkLive(v: tf.Variable, name: string): void {
  if (v.isDisposed) {
    throw new InvalidInput(`block "${name}"`, 'its tf.Variable was disposed', 'Build the parameters again from the live model: tfjsParams(model).');
  }
  if (v.dtype !== 'float32') {
    throw new InvalidInput(`block "${name}"`, `its tf.Variable has dtype ${v.dtype}`, 'Only float32 variables can be optimised; leave the others out.');
  }
}
