/// <reference types="@webgpu/types" />
import { ZerothError } from '../../errors.js';

/** WebGPU cannot run here: no `navigator.gpu`, no `webgpu` package (Node), or no adapter. `reason` says which. */
export class WebGpuUnavailable extends ZerothError {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      'WEBGPU_UNAVAILABLE',
      `WebGPU is not available: ${reason}. In a browser, use one with WebGPU enabled (Chromium-based, Firefox, Safari); ` +
        'in Node, install the optional peer dependency `webgpu` (Dawn) on a machine whose GPU driver it supports; ' +
        'or use the cpu or wasm backend, which give the same bits.',
      options,
    );
    this.reason = reason;
  }
}

/** Options for finding a device. */
export interface WebGpuDeviceOptions {
  /** The `GPU` object to ask (default: `navigator.gpu`, else the `webgpu` npm package under Node). */
  readonly gpu?: GPU;
  /** Passed to `requestAdapter`. */
  readonly powerPreference?: GPUPowerPreference;
  /** Dawn options when the `webgpu` package is used (e.g. `['adapter=SwiftShader']`). */
  readonly dawnOptions?: readonly string[];
}

/** A device and a one-line description of its adapter. */
export interface WebGpuDevice {
  readonly device: GPUDevice;
  readonly adapter: string;
}

/**
 * Finds a WebGPU adapter and requests a device with the adapter's largest buffer limits: from `options.gpu`,
 * else `navigator.gpu` (browsers, Deno), else the optional `webgpu` npm package (Dawn for Node).
 *
 * @throws WebGpuUnavailable naming why (no WebGPU object, the package is missing, no adapter)
 *
 * @example
 * ```ts
 * const { device, adapter } = await requestWebGpuDevice();
 * console.log(adapter); // e.g. "google swiftshader (fallback)"
 * ```
 */
export async function requestWebGpuDevice(options: WebGpuDeviceOptions = {}): Promise<WebGpuDevice> {
  const gpu = options.gpu ?? (await findGpu(options.dawnOptions ?? []));
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(options.powerPreference === undefined ? {} : { powerPreference: options.powerPreference });
  } catch (e) {
    throw new WebGpuUnavailable(`requestAdapter failed (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (adapter === null) throw new WebGpuUnavailable('no WebGPU adapter was found (no supported GPU or driver on this machine)');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
    },
  });
  return { device, adapter: describeAdapter(adapter) };
}

/** "vendor architecture device (description)", with "(fallback)" for a software adapter. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  if (info === undefined) return 'unknown adapter';
  const parts = [info.vendor, info.architecture, info.device].filter((s) => s !== undefined && s !== '');
  const desc = info.description !== undefined && info.description !== '' ? ` (${info.description})` : '';
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ? ' (fallback)' : '';
  return (parts.join(' ') || 'unnamed adapter') + desc + fallback;
}

async function findGpu(dawnOptions: readonly string[]): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined) return nav.gpu;
  const name = 'webgpu'; // not a literal, so that bundlers leave the optional package alone
  let mod: { create?: (options: string[]) => GPU; globals?: Record<string, unknown> };
  try {
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (e) {
    throw new WebGpuUnavailable('this runtime has no navigator.gpu and the optional package `webgpu` is not installed', { cause: e });
  }
  if (typeof mod.create !== 'function') throw new WebGpuUnavailable('the `webgpu` package does not export create()');
  if (mod.globals !== undefined) {
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return mod.create([...dawnOptions]);
}
