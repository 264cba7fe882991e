import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsBackend } from '../../src/tfjs/tfjsBackend.js';
import { backendLaws } from '../laws/backendLaws.js';

for (const tfBackend of ['cpu', 'wasm'] as const) {
  describe(`backend conformance: tfjs on tfjs-${tfBackend} (blocks are tf.Variables)`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(tfBackend)).toBe(true);
      await tf.ready();
    });
    const be = tfjsBackend();
    for (const law of backendLaws(`tfjs-${tfBackend}`, () => be, { numRuns: 15, largeLength: 20_001 })) {
      it(law.name, async () => {
        const before = tf.memory().numTensors;
        await law.run();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}
