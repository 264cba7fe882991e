import type { Params } from '../../../src/types.js';

/** Parameters from plain arrays: one block per array, named `b0`, `b1`, … unless names are given. */
export function paramsOf(arrays: readonly (readonly number[])[], names?: readonly string[]): Params {
  return arrays.map((a, b) => ({ name: names?.[b] ?? `b${b}`, shape: [a.length], data: Float32Array.from(a) }));
}

/** A dense update from plain arrays. */
export function denseOf(arrays: readonly (readonly number[])[]): { kind: 'dense'; blocks: Float32Array[] } {
  return { kind: 'dense', blocks: arrays.map((a) => Float32Array.from(a)) };
}
