/**
 * zeroth/webgpu: the `webgpu` backend — parameters in `GPUBuffer`s, WGSL kernels that reproduce the canonical
 * directions bit for bit — and a batch oracle whose probe points are generated on the GPU. Runs in browsers
 * (`navigator.gpu`) and in Node through the optional peer dependency `webgpu` (Dawn); importing `zeroth` never
 * loads it.
 *
 * @packageDocumentation
 */
export { webgpuBackend, type WebGpuBackend, type WebGpuBackendOptions, type WebGpuParams } from './webgpuBackend.js';
export { webgpuBatchOracle, type WebGpuBatchOracle, type WebGpuBatchOracleOptions } from './webgpuBatchOracle.js';
export { WebGpuData } from './webgpuData.js';
export { WebGpuUnavailable, describeAdapter, requestWebGpuDevice, type WebGpuDevice, type WebGpuDeviceOptions } from './webgpuDevice.js';
