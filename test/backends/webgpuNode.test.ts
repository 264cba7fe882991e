import { describe, expect, it } from 'vitest';
import { WebGpuUnavailable, requestWebGpuDevice, webgpuBackend } from '../../src/backend/webgpu/index.js';

/**
 * zeroth/webgpu under Node goes through the optional `webgpu` package (Dawn). On machines whose GPU driver Dawn
 * supports it runs the backend; elsewhere (as on zeroth's CI machines, where Dawn finds no Vulkan adapter) it
 * must say so with a typed error, which these tests check. The backend's bits are tested in Chromium
 * (test/browser/).
 */
let available: boolean | string;
try {
  const { device, adapter } = await requestWebGpuDevice();
  device.destroy();
  available = adapter;
} catch (e) {
  if (!(e instanceof WebGpuUnavailable)) throw e;
  available = false;
  console.warn(`\n!! zeroth/webgpu under Node: ${e.reason}; the Node GPU tests are skipped (the browser tests run the backend).\n`);
}

describe('zeroth/webgpu under Node', () => {
  it('reports a missing adapter with WebGpuUnavailable naming the reason and the fallback', async () => {
    if (available !== false) return;
    const error = await webgpuBackend().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebGpuUnavailable);
    expect((error as WebGpuUnavailable).code).toBe('WEBGPU_UNAVAILABLE');
    expect((error as Error).message).toMatch(/no WebGPU adapter|not installed|requestAdapter failed/);
    expect((error as Error).message).toMatch(/cpu or wasm backend/);
  });
  it('reports a runtime without WebGPU (no navigator.gpu, no package) clearly', async () => {
    const noGpu = { requestAdapter: async () => null } as unknown as GPU;
    await expect(requestWebGpuDevice({ gpu: noGpu })).rejects.toThrow(/no WebGPU adapter was found/);
  });
  it.runIf(available !== false)('runs the backend where Dawn finds an adapter', async () => {
    const be = await webgpuBackend();
    const x = be.copy([{ name: 'x', shape: [5], data: new Float32Array([1, 2, 3, 4, 5]) }]);
    be.scaleInPlace(2, x);
    expect([...(await be.read(x[0]!))]).toEqual([2, 4, 6, 8, 10]);
    be.dispose(x);
    be.device.destroy();
  });
});
