/// <reference types="@webgpu/types" />
/*
 * The page of the browser tests: it runs inside Chromium and exposes `globalThis.__zeroth`, whose methods the
 * Node side (test/browser/webgpu.test.ts) calls through playwright-core. Everything here is bundled by esbuild.
 */
import fc from 'fast-check';
import type { WgslBuild } from '../../../src/backend/webgpu/_internal/wgslKernels.js';
import { webgpuBackend, type WebGpuBackend } from '../../../src/backend/webgpu/webgpuBackend.js';
import type { WebGpuData } from '../../../src/backend/webgpu/webgpuData.js';
import { requestWebGpuDevice } from '../../../src/backend/webgpu/webgpuDevice.js';
import { backendLaws, type BackendLaw } from '../../laws/backendLaws.js';
import { checkFloatOps } from './floatOps.js';
import { oracleChecks } from './oracleChecks.js';
import { sweepGaussian, type SweepResult } from './sweeps.js';

let device: GPUDevice | undefined;
let backend: WebGpuBackend | undefined;
let laws: BackendLaw[] = [];

const api = {
  /** Creates the device and the backend; returns the adapter's description. */
  async init(seed: number, numRuns: number): Promise<string> {
    fc.configureGlobal({ seed, numRuns, endOnFailure: true, includeErrorInReport: true });
    const found = await requestWebGpuDevice();
    device = found.device;
    backend = await webgpuBackend({ device });
    laws = backendLaws<WebGpuData>('webgpu', () => backend!, { numRuns, hostArrays: false });
    return found.adapter;
  },
  lawNames(): string[] {
    return laws.map((l) => l.name);
  },
  async runLaw(name: string): Promise<void> {
    const law = laws.find((l) => l.name === name);
    if (law === undefined) throw new Error(`no law ${name}`);
    await law.run();
  },
  async floatOps(build: WgslBuild, n: number, seed: number) {
    return checkFloatOps(device!, build, n, seed);
  },
  async oracle(name: string): Promise<unknown> {
    return oracleChecks(backend!, name);
  },
  async sweep(mode: 0 | 1, count: number, builds: WgslBuild[]): Promise<SweepResult[]> {
    return sweepGaussian(device!, mode, count, builds);
  },
};

(globalThis as { __zeroth?: typeof api }).__zeroth = api;

/** The API of the page, for the Node side's types. */
export type ZerothPage = typeof api;
