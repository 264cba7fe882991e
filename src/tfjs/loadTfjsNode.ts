import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link loadTfjsNode}. */
export interface LoadTfjsNodeOptions {
  /** Load `@tensorflow/tfjs-node-gpu` (CUDA) instead of `@tensorflow/tfjs-node`. @defaultValue false */
  readonly gpu?: boolean;
}

/**
 * Loads `@tensorflow/tfjs-node` (or `-gpu`) when it is installed and makes its `tensorflow` backend the active
 * one; resolves to `undefined` when the package is absent or its native library cannot load. Both are optional:
 * zeroth never requires them (their install downloads libtensorflow). Variables on that backend are written by
 * upload, one block at a time (see `tfjsBackend`).
 *
 * To fine-tune on a CUDA GPU: `npm install @tensorflow/tfjs-node-gpu@4.22.0` (with CUDA 11.2 and cuDNN 8.1, as
 * tfjs-node-gpu 4.22 requires), then `await loadTfjsNode({ gpu: true })` before building the model.
 *
 * @example
 * ```ts
 * const loaded = await loadTfjsNode({ gpu: true });
 * if (loaded === undefined) console.warn('tfjs-node-gpu is not installed; using tfjs-wasm');
 * ```
 */
export async function loadTfjsNode(options: LoadTfjsNodeOptions = {}): Promise<{ readonly package: string; readonly backend: string } | undefined> {
  const name = options.gpu === true ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  try {
    await import(/* @vite-ignore */ name);
  } catch {
    return undefined;
  }
  if (!(await tf.setBackend('tensorflow'))) return undefined;
  return { package: name, backend: tf.getBackend() };
}
