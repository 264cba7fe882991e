import { CPUKernel, GPU, HeadlessGLKernel, WebAssemblyKernel, WebGL2Kernel, WebGLKernel } from 'gpu.js';
import { InvalidHyperparameter } from '../../errors.js';
import { oneOf } from '../../validate.js';

/**
 * The gpu.js modes zeroth can pin. `'gpu'` lets gpu.js choose (a GL context when one can be created: webgl2 →
 * webgl in browsers, headlessgl under Node with the native `gl` addon and an X server; else webasm); the
 * others force one backend. `'webgpu'` kernels are asynchronous (the oracle awaits them).
 */
export type GpujsMode = 'gpu' | 'webgl' | 'webgl2' | 'headlessgl' | 'webgpu' | 'webasm' | 'cpu';

/** The gpu.js backend a kernel actually ran on (its kernel class). */
export type GpujsKernelMode = 'webgl' | 'webgl2' | 'headlessgl' | 'webgpu' | 'webasm' | 'cpu';

/** Every {@link GpujsMode}, in the order of the documentation. */
export const gpujsModes: readonly GpujsMode[] = ['gpu', 'webgl', 'webgl2', 'headlessgl', 'webgpu', 'webasm', 'cpu'];

/**
 * The mode used when none is given: `'gpu'` when gpu.js can create a GL context (a browser with WebGL, or Node
 * with a working headless-gl), else `'webasm'` (Node without a GPU context, as on zeroth's own machines).
 * gpu.js's own default is always `'gpu'`, which under Node silently means headlessgl as soon as the `gl` addon
 * resolves, even on a software rasteriser: zeroth always passes an explicit mode.
 */
export function defaultGpujsMode(): 'gpu' | 'webasm' {
  return GPU.isWebGL2Supported || GPU.isWebGLSupported || GPU.isHeadlessGLSupported ? 'gpu' : 'webasm';
}

/** Validates `mode` and creates a GPU pinned to it. */
export function createGpu(mode: unknown): { readonly gpu: GPU; readonly mode: GpujsMode } {
  const m = oneOf('mode', mode, gpujsModes);
  try {
    return { gpu: new GPU({ mode: m }), mode: m };
  } catch (e) {
    throw new InvalidHyperparameter(
      'mode',
      m,
      `is not available on this machine (gpu.js: ${e instanceof Error ? e.message : String(e)}); pin 'webasm' or 'cpu', which run everywhere`,
    );
  }
}

/**
 * The backend a gpu.js kernel object runs on, from its class (`kernelFunction.kernel`); gpu.js may replace it by a
 * cpu kernel when the requested backend cannot compile the kernel. Returns the class name for unknown classes.
 */
export function kernelModeOf(kernel: object): GpujsKernelMode | string {
  // Subclasses first: HeadlessGLKernel and WebGL2Kernel extend WebGLKernel.
  if (kernel instanceof HeadlessGLKernel) return 'headlessgl';
  if (kernel instanceof WebGL2Kernel) return 'webgl2';
  if (kernel instanceof WebGLKernel) return 'webgl';
  if (kernel instanceof WebAssemblyKernel) return 'webasm';
  if (kernel instanceof CPUKernel) return 'cpu';
  // WebGPUKernel is not in gpu.js's typings, and a GPU from another copy of gpu.js fails instanceof.
  const name = kernel.constructor.name;
  const byName: Record<string, GpujsKernelMode> = {
    WebGPUKernel: 'webgpu',
    HeadlessGLKernel: 'headlessgl',
    WebGL2Kernel: 'webgl2',
    WebGLKernel: 'webgl',
    WebAssemblyKernel: 'webasm',
    CPUKernel: 'cpu',
  };
  return byName[name] ?? name;
}
