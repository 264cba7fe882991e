// In its own file so that the tfjs-wasm backend is fresh: zeroth has taken nothing from its heap yet.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, test } from 'vitest';
import { tfjsBackend } from '../../src/tfjs/tfjsBackend.js';
import { tfjsParams } from '../../src/tfjs/tfjsParams.js';

interface Malloc {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.ready();
});

test('tfjs-wasm: tfjsParams takes zeroth’s scratch memory; writes and forward passes after it allocate nothing for zeroth', () => {
  const wasm = (tf.backend() as unknown as { wasm: Malloc }).wasm;
  // Emscripten's first call to _malloc replaces the export with the raw function: make that happen before wrapping.
  wasm._free(wasm._malloc(8));
  const malloc = wasm._malloc;
  let calls = 0;
  wasm._malloc = (bytes: number): number => {
    calls++;
    return malloc.call(wasm, bytes);
  };
  try {
    // Made in tf.tidy so the initial tensors are released: the variables own their buffers (no copy on first write).
    const [kernel, bias] = tf.tidy(() => [tf.variable(tf.randomNormal([48, 32], 0, 1, 'float32', 3), true, 'k'), tf.variable(tf.zeros([32]), true, 'b')]);
    const x = tf.randomNormal([8, 48], 0, 1, 'float32', 4);
    const forward = (): Float32Array => tf.tidy(() => tf.fused.matMul({ a: x, b: kernel!, bias, activation: 'relu' }).dataSync() as Float32Array);
    forward(); // tfjs-wasm packs the kernel (XNNPACK) and caches it
    calls = 0;
    const params = tfjsParams([kernel!, bias!]);
    expect(calls).toBeGreaterThan(0); // the scratch, before any write
    const be = tfjsBackend();
    calls = 0;
    be.perturbInPlace({ kind: 'gaussian', seed: 1 }, 1e-3, params);
    be.perturbInPlace({ kind: 'rademacher', seed: 2 }, -1e-3, params);
    be.axpyInPlace(0.5, [new Float32Array(48 * 32).fill(0.25), new Float32Array(32).fill(1)], params);
    be.assignInPlace(be.zerosLike(params), params);
    expect(calls).toBe(0);
    // The forward pass still sees the last write (the packed cache was dropped): zero weights and bias give zeros.
    expect(forward().every((v) => v === 0)).toBe(true);
    x.dispose();
    kernel!.dispose();
    bias!.dispose();
  } finally {
    wasm._malloc = malloc;
  }
});
