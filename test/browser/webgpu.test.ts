import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fcSeed } from '../_support/fcConfig.js';
import { backendLaws } from '../laws/backendLaws.js';
import { openBrowserPage, type BrowserPage } from './_support/chromium.js';
import type { ZerothPage } from './pages/webgpuSuite.js';

type Api = ZerothPage;
let session: BrowserPage;
let adapter = '';

/** Calls a method of the page's API inside Chromium. */
async function call<K extends keyof Api>(method: K, ...args: Parameters<Api[K]>): Promise<Awaited<ReturnType<Api[K]>>> {
  try {
    return (await session.page.evaluate(
      ([m, a]) => ((globalThis as unknown as { __zeroth: Record<string, (...x: unknown[]) => unknown> }).__zeroth[m as string]!(...(a as unknown[]))),
      [method, args] as const,
    )) as Awaited<ReturnType<Api[K]>>;
  } catch (e) {
    const tail = session.log.slice(-10).join('\n');
    throw new Error(`${e instanceof Error ? e.message : String(e)}${tail ? `\n--- browser log ---\n${tail}` : ''}`);
  }
}

/** The law names (the laws themselves run in the page, on the webgpu backend). */
const laws = backendLaws('webgpu', () => {
  throw new Error('runs in the browser');
}, { hostArrays: false }).map((l) => l.name);
const exact = { construction: 'exact', hooks: 'native' } as const;
const exactPerturbed = { construction: 'exact', hooks: 'perturbed' } as const;
const naive = { construction: 'naive', hooks: 'native' } as const;
const naivePerturbed = { construction: 'naive', hooks: 'perturbed' } as const;

beforeAll(async () => {
  session = await openBrowserPage(new URL('./pages/webgpuSuite.ts', import.meta.url).pathname);
  adapter = await call('init', fcSeed, 25);
  console.log(`WebGPU adapter in Chromium: ${adapter}`);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('webgpu in Chromium', () => {
  it('finds an adapter', () => {
    expect(adapter).not.toBe('');
    expect(laws.length).toBeGreaterThan(0);
  });
  for (const name of laws) it(name, () => call('runLaw', name), 120_000);
  it('exact float operations match JavaScript on random and edge operands, whatever the native ops do', async () => {
    for (const hooks of ['native', 'perturbed', 'wild'] as const) {
      const r = await call('floatOps', { construction: 'exact', hooks }, 1 << 16, 17);
      expect(r.examples, hooks).toEqual([]);
      expect(r.mismatches).toBe(0);
    }
  }, 120_000);
});

describe('webgpuBatchOracle in Chromium', () => {
  it('probe points generated on the GPU have the cpu backend bits, for every direction kind, in one dispatch', async () => {
    const r = (await call('oracle', 'points')) as { got: number[]; want: number[]; baseUnchanged: boolean; dispatches: number };
    expect(r.got).toEqual(r.want);
    expect(r.baseUnchanged).toBe(true);
    expect(r.dispatches).toBe(2); // one for the generated probes, one for the materialised low-rank point
  });
  it('MeZO, SPSA and CGE steps on the webgpu backend and oracle give the cpu run bit for bit, reading back 4 bytes per probe', async () => {
    const r = (await call('oracle', 'trajectories')) as Record<string, { same: boolean; bytesPerStep: number; queries: number }>;
    expect(r['mezo']).toEqual({ same: true, bytesPerStep: 8, queries: 6 });
    expect(r['spsa']).toEqual({ same: true, bytesPerStep: 24, queries: 18 });
    expect(r['cge']!.same).toBe(true);
    expect(r['cge']!.bytesPerStep).toBe(4 * 2 * 61);
  });
  it('perturbTermsInPlace (one pass per block for seeded and params terms) gives one cpu perturbInPlace per term, bit for bit', async () => {
    expect(await call('oracle', 'terms')).toEqual([]);
  });
  it('an estimator that reads parameter values on the host (cge magnitude sparsity) refuses device blocks with a typed error', async () => {
    expect(await call('oracle', 'hostValues')).toMatch(/^INVALID_INPUT: .*on a device/);
  });
  it('a MeZO run on a WGSL objective (d = 2^14, user buffer) descends and reads back 8 bytes per step', async () => {
    const r = (await call('oracle', 'sphere')) as { first: number; last: number; bytesPerStep: number };
    expect(r.last).toBeLessThan(r.first);
    expect(r.bytesPerStep).toBe(8);
  }, 300_000);
});

describe('exhaustive Gaussian sweeps in Chromium (every input, against the definition)', () => {
  for (const [mode, what] of [[0, 'radius'], [1, 'angle']] as const) {
    it(`all 2^24 ${what} inputs: the exact kernels match with native and with perturbed operations; the naive kernel fails when perturbed`, async () => {
      const results = await call('sweep', mode, 1 << 24, [exact, exactPerturbed, naive, naivePerturbed]);
      console.log(results.map((r) => `${what} ${r.build}: ${r.mismatches} of ${r.inputs} differ${r.first === null ? '' : ` (first at ${r.first})`}`).join('\n'));
      expect(results[0]!.mismatches).toBe(0);
      expect(results[1]!.mismatches).toBe(0);
      expect(results[3]!.mismatches).toBeGreaterThan(0);
    }, 600_000);
  }
});
