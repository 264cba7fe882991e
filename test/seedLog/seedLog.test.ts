import { describe, expect, test } from 'vitest';
import { exactGradient } from '../../estimators/exactGradient.js';
import { lozo } from '../../estimators/lozo.js';
import { lozoM } from '../../estimators/lozoM.js';
import { mezo } from '../../estimators/mezo.js';
import { zoAdam } from '../../estimators/zoAdam.js';
import type { Backend } from '../../src/backend/backend.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import type { Estimator } from '../../src/estimator.js';
import { InvalidInput, NonFiniteValue, SeedLogCorrupt, SeedLogGap, SeedLogMismatch } from '../../src/errors.js';
import { optimizer } from '../../src/optimizer.js';
import { gradientOracle, valueOracle } from '../../src/oracle/adapters.js';
import { replayInPlace } from '../../src/replayInPlace.js';
import { lowRankFactor } from '../../src/rng/lowRankFactor.js';
import { parseSeedLog } from '../../src/seedLog/parseSeedLog.js';
import { createSeedLog, type SeedLog } from '../../src/seedLog/seedLog.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Transform } from '../../src/transform/transform.js';
import type { ParamWrite, Params } from '../../src/types.js';

/** A small model-like layout: a matrix, a bias, a second matrix. */
function base(): Params {
  const fill = (n: number, k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
  return [
    { name: 'dense/kernel', shape: [12, 8], data: fill(96, 0.37) },
    { name: 'dense/bias', shape: [8], data: fill(8, 1.3) },
    { name: 'out/kernel', shape: [8, 3], data: fill(24, 0.71) },
  ];
}

const copy = (p: Params): Params => p.map((b) => ({ name: b.name, shape: [...b.shape], data: b.data.slice() }));

/** A smooth loss on all blocks (a quadratic around a target). */
function loss(p: Params): number {
  let s = 0;
  p.forEach((b, k) => b.data.forEach((v, i) => (s += (v - Math.cos(i + k)) ** 2 * (1 + (i % 3)))));
  return s;
}

function grad(p: Params): Float32Array[] {
  return p.map((b, k) => Float32Array.from(b.data, (v, i) => 2 * (v - Math.cos(i + k)) * (1 + (i % 3))));
}

async function run<S, T>(
  estimator: Estimator<S>,
  update: Transform<T>,
  backend: Backend,
  steps: number,
  objective = loss,
): Promise<{ params: Params; log: SeedLog }> {
  const params = copy(base());
  const opt = optimizer({ estimator, update, backend });
  const oracle = estimator.response === 'valueAndGrad' ? gradientOracle((p: Params) => ({ value: objective(p), grad: grad(p) })) : valueOracle(objective);
  const log = createSeedLog(params, { meta: { estimator: estimator.name } });
  let state = opt.init(params, 7);
  for (let k = 0; k < steps; k++) {
    const writes: ParamWrite[] = [];
    try {
      const r = await opt.step(params, oracle, state, Infinity, writes);
      log.append(state.step, r.writes);
      state = r.state;
    } catch (e) {
      if (!(e instanceof NonFiniteValue)) throw e;
      log.append(state.step, writes, { failed: true });
    }
  }
  return { params, log };
}

const bits = (p: Params): Uint32Array[] => p.map((b) => new Uint32Array(b.data.slice().buffer));

describe('seed log', () => {
  const cases: [string, () => Estimator<unknown>, () => Transform<unknown>][] = [
    ['mezo', () => mezo({ sigma: 1e-3 }) as Estimator<unknown>, () => sgd(1e-3) as Transform<unknown>],
    ['mezo with weight decay', () => mezo({ sigma: 1e-3, weightDecay: 0.1 }) as Estimator<unknown>, () => sgd(1e-3) as Transform<unknown>],
    ['lozo', () => lozo({ rank: 2, resampleEvery: 4 }) as Estimator<unknown>, () => sgd(1e-3) as Transform<unknown>],
    ['lozoM', () => lozoM({ rank: 2, resampleEvery: 4 }) as Estimator<unknown>, () => sgd(1e-3) as Transform<unknown>],
    ['zoAdam', () => zoAdam() as Estimator<unknown>, () => sgd(1e-3) as Transform<unknown>],
    ['exactGradient', () => exactGradient() as Estimator<unknown>, () => sgd(1e-2) as Transform<unknown>],
  ];

  for (const [name, estimator, update] of cases) {
    test(`${name}: replaying the log on the base parameters gives the run's parameters bit for bit`, async () => {
      const { params, log } = await run(estimator(), update(), cpuBackend(), 12);
      expect(log.entries).toHaveLength(12);
      const rebuilt = copy(base());
      expect(bits(rebuilt)).not.toEqual(bits(params));
      const r = replayInPlace(rebuilt, parseSeedLog(log.toJsonl()), { backend: cpuBackend() });
      expect(r).toEqual({ step: 12, entries: 12 });
      expect(bits(rebuilt)).toEqual(bits(params));
    });
  }

  test('a run on wasm replays bit for bit on cpu and the other way round (the kernels agree)', async () => {
    for (const [runOn, replayOn] of [
      [wasmBackend(), cpuBackend()],
      [cpuBackend(), wasmBackend()],
    ] as const) {
      for (const est of [mezo({ sigma: 1e-3 }), lozo({ rank: 2, resampleEvery: 3 })] as Estimator<unknown>[]) {
        const { params, log } = await run(est, sgd(1e-3), runOn, 10);
        const rebuilt = copy(base());
        replayInPlace(rebuilt, parseSeedLog(JSON.stringify(log)), { backend: replayOn });
        expect(bits(rebuilt)).toEqual(bits(params));
      }
    }
  });

  test('seeded directions are stored as seeds: MeZO and LOZO entries are small and hold no arrays', async () => {
    for (const est of [mezo({ sigma: 1e-3 }), lozo({ rank: 2, resampleEvery: 5 })] as Estimator<unknown>[]) {
      const { log } = await run(est, sgd(1e-3), cpuBackend(), 20);
      const lines = log.toJsonl().trim().split('\n').slice(1);
      for (const line of lines) {
        expect(line.length).toBeLessThan(140);
        expect(line).not.toMatch(/"[A-Za-z0-9+/]{16,}={0,2}"/); // no base64
      }
      const first = log.entries[0]!;
      expect(first.writes).toHaveLength(1); // +σz, −2σz and the fused restore+update along one direction
      expect(first.writes[0]!.a).toHaveLength(3);
    }
  });

  test('a MeZO step makes three passes over the parameters: the restore is fused with the update', async () => {
    const inner = cpuBackend();
    const calls: number[] = [];
    const counting: Backend = { ...inner, perturbInPlace: (d, a, x) => (calls.push(a), inner.perturbInPlace(d, a, x)) };
    const params = copy(base());
    const opt = optimizer({ estimator: mezo({ sigma: 1e-2 }), update: sgd(0.1), backend: counting });
    const f = valueOracle(loss);
    const before = copy(params);
    const r = await opt.step(params, f, opt.init(params, 3));
    expect(calls).toHaveLength(3);
    expect(calls[0]).toBe(1e-2);
    expect(calls[1]).toBe(-2e-2);
    // The step is x − η·p·z: compare with z regenerated on a copy.
    const z = copy(before).map((b) => ({ ...b, data: new Float32Array(b.data.length) }));
    inner.perturbInPlace(r.writes[0]!.direction, 1, z);
    const p = (calls[2]! - 1e-2) / -0.1;
    params.forEach((b, k) => b.data.forEach((v, i) => expect(v).toBeCloseTo(before[k]!.data[i]! - 0.1 * p * z[k]!.data[i]!, 5)));
  });

  test('a failed step (NaN) keeps its rounding in a failed entry, and replay still matches bit for bit', async () => {
    let calls = 0;
    const flaky = (p: Params): number => (++calls === 9 ? NaN : loss(p));
    const { params, log } = await run(mezo({ sigma: 1e-3 }), sgd(1e-3), cpuBackend(), 8, flaky);
    const failed = log.entries.filter((e) => e.failed === true);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.step).toBe(4);
    expect(log.entries[5]!.step).toBe(4); // the retry carries the same step number
    expect(log.nextStep).toBe(7);
    const rebuilt = copy(base());
    replayInPlace(rebuilt, parseSeedLog(log.toJsonl()), { backend: cpuBackend() });
    expect(bits(rebuilt)).toEqual(bits(params));
  });

  test('replaying to a step, then from it, equals replaying the whole log', async () => {
    const { params, log } = await run(lozo({ rank: 1, resampleEvery: 3 }), sgd(1e-3), cpuBackend(), 9);
    const rebuilt = copy(base());
    expect(replayInPlace(rebuilt, log, { to: 5, backend: cpuBackend() })).toEqual({ step: 5, entries: 5 });
    expect(replayInPlace(rebuilt, log, { from: 5, backend: cpuBackend() })).toEqual({ step: 9, entries: 4 });
    expect(bits(rebuilt)).toEqual(bits(params));
  });

  test('a log from another model is refused with SeedLogMismatch, parameters untouched', async () => {
    const { log } = await run(mezo(), sgd(1e-3), cpuBackend(), 3);
    const renamed = base().map((b, i) => (i === 1 ? { ...b, name: 'other/bias' } : b));
    const reshaped = base().map((b, i) => (i === 0 ? { ...b, shape: [8, 12] } : b));
    for (const target of [renamed, reshaped, base().slice(0, 2)]) {
      const before = bits(target);
      expect(() => replayInPlace(target, log)).toThrow(SeedLogMismatch);
      expect(bits(target)).toEqual(before);
    }
    expect(() => replayInPlace(renamed, log)).toThrow(/block 1 is "other\/bias" \[8\] in the parameters but "dense\/bias" \[8\] in the log/);
  });

  test('a gap is refused with SeedLogGap (parse, append, replay), parameters untouched', async () => {
    const { log } = await run(mezo(), sgd(1e-3), cpuBackend(), 5);
    const json = log.toJSON();
    const holed = { ...json, entries: json.entries.filter((e) => e.step !== 2) };
    expect(() => parseSeedLog(JSON.stringify(holed))).toThrow(SeedLogGap);
    const target = base();
    const before = bits(target);
    expect(() => replayInPlace(target, holed)).toThrow(SeedLogGap);
    expect(() => replayInPlace(target, log, { to: 9 })).toThrow(SeedLogGap);
    expect(bits(target)).toEqual(before);
    expect(() => log.append(7, [])).toThrow(/expected step 5 but found step 7/);
  });

  test('unreadable logs are refused with SeedLogCorrupt; an incomplete last JSONL line may be dropped', async () => {
    const { log, params } = await run(mezo(), sgd(1e-3), cpuBackend(), 4);
    const text = log.toJsonl();
    expect(() => parseSeedLog('not json')).toThrow(SeedLogCorrupt);
    expect(() => parseSeedLog(text.replace('"version":1', '"version":2'))).toThrow(/version 2 is not supported/);
    expect(() => parseSeedLog(text.replace('dense/bias', 'dense/bia5'))).toThrow(/fingerprint/);
    const cut = text.slice(0, text.length - 20);
    expect(() => parseSeedLog(cut)).toThrow(/last line is incomplete/);
    const dropped = parseSeedLog(cut, { incompleteLastLine: 'drop' });
    expect(dropped.entries).toHaveLength(3);
    expect(dropped.nextStep).toBe(3);
    const bad = JSON.parse(JSON.stringify(log)) as { entries: { writes: { d: unknown[] }[] }[] };
    bad.entries[1]!.writes[0]!.d = ['gaussian', -4];
    const target = base();
    const before = bits(target);
    expect(() => replayInPlace(target, parseSeedLog(bad))).toThrow(SeedLogCorrupt);
    expect(bits(target)).toEqual(before);
    void params;
  });

  test('dense arrays round-trip exactly (base64 of float32 bytes), including −0 and subnormals', () => {
    const p = base();
    const log = createSeedLog(p);
    const dense = p.map((b) => Float32Array.from(b.data, (_, i) => [-0, 1e-45, -3.4e38, 0.1][i % 4]!));
    log.append(0, [{ direction: { kind: 'dense', blocks: dense }, alpha: 1 }]);
    const a = copy(p);
    const b = copy(p);
    cpuBackend().perturbInPlace({ kind: 'dense', blocks: dense }, 1, a);
    replayInPlace(b, parseSeedLog(log.toJsonl()), { backend: cpuBackend() });
    expect(bits(b)).toEqual(bits(a));
  });

  test('a lowRank vSeed that does not describe V is refused when logged', () => {
    const p = base();
    const log = createSeedLog(p);
    const v = [lowRankFactor(5, 0, 8, 2), undefined, lowRankFactor(5, 2, 3, 2)];
    const ok = { kind: 'lowRank', seed: 1, rank: 2, v, vSeed: 5 } as const;
    expect(() => log.append(0, [{ direction: ok, alpha: 1e-3 }])).not.toThrow();
    const lie = { kind: 'lowRank', seed: 1, rank: 2, v: [v[0], undefined, lowRankFactor(6, 2, 3, 2)], vSeed: 5 } as const;
    expect(() => log.append(1, [{ direction: lie, alpha: 1e-3 }])).toThrow(InvalidInput);
  });
});
