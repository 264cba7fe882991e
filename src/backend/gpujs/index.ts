/**
 * zeroth/gpujs: batched evaluation of objectives written as gpu.js kernels — every probe point of a step in one
 * kernel launch. Needs the optional peer dependency `gpu.js` (^2.24.1); importing `zeroth` never loads it.
 *
 * @packageDocumentation
 */
export {
  gpujsBatchOracle,
  type GpujsBatchOracle,
  type GpujsBatchOracleOptions,
  type GpujsConstant,
  type GpujsConstants,
  type GpujsKernelThis,
  type GpujsObjectiveKernel,
} from './gpujsBatchOracle.js';
export { gpujsBackend, type GpujsBackend, type GpujsBackendOptions } from './gpujsBackend.js';
export { defaultGpujsMode, gpujsModes, kernelModeOf, type GpujsKernelMode, type GpujsMode } from './gpujsMode.js';
