// Entry point of the zeroth wasm kernel module. Built by ../build.mjs with asc (--enable simd, --importMemory,
// --runtime stub): no data segments, no stack, so it can be instantiated on any memory (ours or tfjs-wasm's).
export { gaussian } from './gaussian';
export { rademacher } from './rademacher';
export { lowRank } from './lowRank';
export { axpy, scale, dotChunks, sumF64, copy, zero, DOT_CHUNK } from './blas';
export { initContext, CONTEXT_BYTES } from './context';
