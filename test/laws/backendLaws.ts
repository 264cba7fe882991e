import fc from 'fast-check';
import { labelled } from './_internal/labelled.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Backend } from '../../src/backend/backend.js';
import { perturbBlockRange } from '../../src/backend/_internal/perturbBlock.js';
import { ZerothError } from '../../src/errors.js';
import type { Block, Direction, Params } from '../../src/types.js';

/** One law of a backend: `run()` rejects (through `fc.assert`) when the backend breaks it. */
export interface BackendLaw {
  readonly name: string;
  run(): Promise<void>;
}

/** Options of {@link backendLaws}. */
export interface BackendLawOptions {
  /** fast-check runs per property (default 60). */
  readonly numRuns?: number;
  /** Block length of the "large blocks" law, above a thread pool's threshold (default 70_001). */
  readonly largeLength?: number;
  /**
   * Whether the backend also works on plain `Float32Array` blocks it did not allocate (default true, as cpu and
   * wasm do). Device backends (webgpu) take only their own blocks: the laws then run on `copy`s only.
   */
  readonly hostArrays?: boolean;
}

/** A backend that can perturb part of a block (the wasm backend); the split-range law uses it when present. */
interface RangeBackend<B> extends Backend<B> {
  perturbRangeInPlace(direction: Direction, alpha: number, block: Block<B>, b: number, start: number, end: number): void;
}

const cpu = cpuBackend();
const f32 = fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true });
const seedArb = fc.integer({ min: -2147483648, max: 2147483647 }).map((s) => s >>> 0);
const alphaArb = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom(1e-3, -1e-3, 1e-8, 1, -1, 3.0000001),
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
);
const lengthArb = fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 81, max: 700 }), fc.constantFrom(1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127));
const dataArb = (n: number): fc.Arbitrary<Float32Array> => fc.array(f32, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
const blocksArb = (lengths: fc.Arbitrary<number[]>): fc.Arbitrary<Params> =>
  lengths.chain((ls) => fc.tuple(...ls.map((n) => dataArb(n))).map((ds) => ds.map((data, i) => ({ name: `b${i}`, shape: [data.length], data }))));
const paramsArb = blocksArb(fc.array(lengthArb, { minLength: 1, maxLength: 4 }));
/** Blocks of shape [m, n] or [len], with per-block V (n × rank) for some 2-D blocks. */
const lowRankArb = fc.integer({ min: 1, max: 5 }).chain((rank) =>
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 41 }), fc.constantFrom('v', 'nov', '1d')), { minLength: 1, maxLength: 4 })
    .chain((specs) =>
      fc.tuple(
        fc.tuple(...specs.map(([m, n]) => dataArb(m * n))),
        fc.tuple(...specs.map(([, n, kind]) => (kind === 'v' ? dataArb(n * rank).map((v): Float32Array | undefined => v) : fc.constant(undefined)))),
      ).map(([ds, vs]) => ({
        rank,
        params: ds.map((data, i): Block => ({ name: `m${i}`, shape: specs[i]![2] === '1d' ? [data.length] : [specs[i]![0], specs[i]![1]], data })),
        v: vs,
      })),
    ),
);

/** Blocks and arrays of the same layout, labelled for counterexamples. */
const pairedArb = paramsArb.chain((p) => labelled({ blocks: fc.constant(p), arrays: fc.tuple(...p.map((b) => dataArb(b.data.length))) }));

function clone(p: Params): Params {
  return p.map((b) => ({ name: b.name, shape: [...b.shape], data: b.data.slice() }));
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Throws unless `got` has the same layout and the same bits as `want`. */
export function assertSameBits(got: Params | readonly Float32Array[], want: Params | readonly Float32Array[], what: string): void {
  const g = got.map((b) => (b instanceof Float32Array ? b : b.data));
  const w = want.map((b) => (b instanceof Float32Array ? b : b.data));
  if (g.length !== w.length) throw new Error(`${what}: ${g.length} blocks, expected ${w.length}`);
  for (let b = 0; b < w.length; b++) {
    const x = bits(g[b]!);
    const y = bits(w[b]!);
    if (x.length !== y.length) throw new Error(`${what}: block ${b} has ${x.length} elements, expected ${y.length}`);
    for (let i = 0; i < y.length; i++) {
      if (x[i] !== y[i]) throw new Error(`${what}: block ${b} element ${i} is ${g[b]![i]} (0x${x[i]!.toString(16)}), cpu gives ${w[b]![i]} (0x${y[i]!.toString(16)})`);
    }
  }
}

/** The values of blocks of any backend, on the host (`read` for device blocks). */
async function values<B>(be: Backend<B>, params: Params<B>): Promise<Float32Array[]> {
  return Promise.all(params.map(async (b) => (b.data instanceof Float32Array ? b.data : await (be.read(b) as Promise<Float32Array>))));
}

/** Host blocks given to a backend of any storage, where it takes them. */
function asB<B>(p: Params): Params<B> {
  return p as unknown as Params<B>;
}

/** Perturbs cpu, the backend on plain arrays (when it takes them) and on its own copies; all must agree bitwise. */
async function checkPerturb<B>(be: Backend<B>, host: boolean, params: Params, steps: readonly (readonly [Direction, number])[], what: string): Promise<void> {
  const want = clone(params);
  const foreign = clone(params);
  const owned = be.copy(params);
  try {
    for (const [d, a] of steps) {
      cpu.perturbInPlace(d, a, want);
      if (host) be.perturbInPlace(d, a, asB<B>(foreign));
      be.perturbInPlace(d, a, owned);
    }
    if (host) assertSameBits(foreign, want, `${what} (plain arrays)`);
    assertSameBits(await values(be, owned), want, `${what} (backend-owned blocks)`);
  } finally {
    be.dispose(owned);
  }
}

function throwsZeroth(f: () => unknown, what: string): void {
  try {
    f();
  } catch (e) {
    if (e instanceof ZerothError) return;
    throw new Error(`${what}: threw ${String(e)}, expected a ZerothError`);
  }
  throw new Error(`${what}: did not throw`);
}

/**
 * The conformance laws of a {@link Backend}, checked against the `cpu` reference: every perturbation bit for
 * bit (random seeds, alphas and block layouts with odd lengths, on plain arrays and on the backend's own
 * blocks; split ranges when the backend can perturb part of a block), `axpyInPlace` and `scaleInPlace` bit for
 * bit, `dot` within `(2n + 8) · 2⁻⁵³ · Σ|xᵢyᵢ|`, and the behaviour of `copy`, `assignInPlace`, `zerosLike`,
 * `read` and `dispose`. Framework-agnostic: each law's `run()` calls `fc.assert` and rejects on failure. Device
 * backends (`read` and `dot` through promises, no plain arrays) pass `hostArrays: false`.
 *
 * @example
 * ```ts
 * for (const law of backendLaws('wasm', () => be)) it(law.name, () => law.run());
 * for (const law of backendLaws('webgpu', () => gpu, { hostArrays: false })) it(law.name, () => law.run());
 * ```
 */
export function backendLaws<B = Float32Array>(name: string, makeBackend: () => Backend<B>, options: BackendLawOptions = {}): BackendLaw[] {
  const numRuns = options.numRuns ?? 60;
  const large = options.largeLength ?? 70_001;
  const host = options.hostArrays ?? true;
  const law = (title: string, run: (be: Backend<B>) => Promise<void>): BackendLaw => ({ name: `${name}: ${title}`, run: () => run(makeBackend()) });
  return [
    law('gaussian and rademacher perturbations match cpu bit for bit', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ params: paramsArb, seed: seedArb, alpha: alphaArb, kind: fc.constantFrom('gaussian' as const, 'rademacher' as const) }), ({ params, seed, alpha, kind }) =>
          checkPerturb(be, host, params, [[{ kind, seed }, alpha]], kind),
        ),
        { numRuns },
      ),
    ),
    law('+σz, −2σz, +σz and an update match cpu bit for bit', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ params: paramsArb, seed: seedArb, sigma: alphaArb, kind: fc.constantFrom('gaussian' as const, 'rademacher' as const) }), async ({ params, seed, sigma: s, kind }) => {
          const d: Direction = { kind, seed };
          await checkPerturb(be, host, params, [[d, s], [d, -2 * s], [d, s], [d, -0.01 * s]], `${kind} sequence`);
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      ),
    ),
    law('low-rank perturbations match cpu bit for bit', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ lowRank: lowRankArb, seed: seedArb, alpha: alphaArb }), ({ lowRank: { rank, params, v }, seed, alpha }) =>
          checkPerturb(be, host, params, [[{ kind: 'lowRank', seed, rank, v }, alpha]], 'lowRank'),
        ),
        { numRuns },
      ),
    ),
    law('coordinate, dense, params and none directions match cpu bit for bit', async (be) =>
      fc.assert(
        fc.asyncProperty(
          labelled({
            directions: paramsArb.chain((p) =>
              labelled({
                params: fc.constant(p),
                dense: fc.tuple(...p.map((b) => dataArb(b.data.length))),
                mask: fc.array(fc.boolean(), { minLength: p.length, maxLength: p.length }),
                block: fc.nat(p.length - 1),
                index: fc.nat(),
              }),
            ),
            alpha: alphaArb,
          }),
          async ({ directions: { params: p, dense, mask, block: cb, index: ci }, alpha }) => {
            const steps: [Direction, number][] = [
              [{ kind: 'dense', blocks: dense }, alpha],
              [{ kind: 'params' }, alpha / 7],
              [{ kind: 'params', blocks: mask }, -alpha / 3],
              [{ kind: 'none' }, alpha],
            ];
            const len = p[cb]!.data.length;
            if (len > 0) steps.push([{ kind: 'coordinate', block: cb, index: ci % len }, alpha]);
            await checkPerturb(be, host, p, steps, 'explicit directions');
          },
        ),
        { numRuns },
      ),
    ),
    law('a zero step (f32(alpha) = ±0: alpha ±0 or one that rounds to 0) and the none direction leave every bit (and −0) unchanged', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ lowRank: lowRankArb, seed: seedArb, zero: fc.constantFrom(0, -0, 1e-50, -1e-50, 7e-46, -3e-46) }), async ({ lowRank: { rank, params, v }, seed, zero }) => {
          const q = clone(params);
          q.forEach((b) => b.data.forEach((_, i) => i % 3 === 0 && (b.data[i] = -0)));
          const dense = q.map((b) => Float32Array.from(b.data, (_, i) => (i % 2 === 0 ? Infinity : NaN)));
          const directions: Direction[] = [
            { kind: 'gaussian', seed },
            { kind: 'rademacher', seed },
            { kind: 'lowRank', seed, rank, v },
            { kind: 'dense', blocks: dense },
            { kind: 'params' },
            { kind: 'coordinate', block: 0, index: 0 },
          ];
          await checkPerturb(be, host, q, [...directions.map((d): [Direction, number] => [d, zero]), [{ kind: 'none' }, 1]], 'zero step');
          const owned = be.copy(q);
          for (const d of directions) be.perturbInPlace(d, zero, owned);
          assertSameBits(await values(be, owned), q, `alpha ${zero}`);
          be.dispose(owned);
        }),
        { numRuns: Math.ceil(numRuns / 3) },
      ),
    ),
    law('a direction seed outside [0, 2³²), not an integer or NaN is refused with a typed error, also for a zero step', async (be) => {
      const p = be.copy([{ name: 'w', shape: [2, 3], data: new Float32Array(6) }]);
      for (const seed of [NaN, -1, 2 ** 32, 2 ** 32 + 42, 0.5, Infinity]) {
        for (const alpha of [1, 0]) {
          throwsZeroth(() => be.perturbInPlace({ kind: 'gaussian', seed }, alpha, p), `gaussian seed ${seed}, alpha ${alpha}`);
          throwsZeroth(() => be.perturbInPlace({ kind: 'rademacher', seed }, alpha, p), `rademacher seed ${seed}, alpha ${alpha}`);
          throwsZeroth(() => be.perturbInPlace({ kind: 'lowRank', seed, rank: 1, v: [new Float32Array(3)] }, alpha, p), `lowRank seed ${seed}, alpha ${alpha}`);
        }
      }
      assertSameBits(await values(be, p), [new Float32Array(6)], 'parameters after refused perturbations');
      be.dispose(p);
    }),
    law('a block perturbed in ranges split at odd offsets gets the whole-block bits', async (be) =>
      fc.assert(
        fc.asyncProperty(
          labelled({
            lowRank: lowRankArb,
            seed: seedArb,
            alpha: alphaArb,
            cuts: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
            kind: fc.constantFrom('gaussian' as const, 'rademacher' as const, 'lowRank' as const),
          }),
          async ({ lowRank: { rank, params, v }, seed, alpha, cuts, kind }) => {
            const d: Direction = kind === 'lowRank' ? { kind, seed, rank, v } : { kind, seed };
            const want = clone(params);
            cpu.perturbInPlace(d, alpha, want);
            const rb = be as Partial<RangeBackend<B>>;
            // Without perturbRangeInPlace the ranges go through the cpu reference, which needs host blocks.
            const modes = rb.perturbRangeInPlace !== undefined || host ? [false, true] : [false];
            for (const owned of modes) {
              const got = owned ? be.copy(params) : asB<B>(clone(params));
              got.forEach((block, b) => {
                const n = (block.data as { length: number }).length;
                const bounds = [0, ...cuts.map((c) => c % (n + 1)).sort((x, y) => x - y), n];
                for (let i = 0; i + 1 < bounds.length; i++) {
                  if (rb.perturbRangeInPlace !== undefined) rb.perturbRangeInPlace(d, alpha, block, b, bounds[i]!, bounds[i + 1]!);
                  else perturbBlockRange(d, alpha, block as unknown as Block, b, bounds[i]!, bounds[i + 1]!);
                }
              });
              assertSameBits(await values(be, got), want, `${kind} in ranges ${owned ? '(owned)' : '(plain)'}`);
              if (owned) be.dispose(got);
            }
          },
        ),
        { numRuns },
      ),
    ),
    law(`large blocks (${large} elements, above a pool's threshold) match cpu bit for bit`, async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ seed: seedArb, alpha: alphaArb, extra: fc.integer({ min: 0, max: 64 }) }), async ({ seed, alpha, extra }) => {
          const n = large + extra;
          const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
          const cols = 101;
          const p: Params = [{ name: 'big', shape: [n], data }, { name: 'mat', shape: [Math.floor(n / cols), cols], data: data.slice(0, Math.floor(n / cols) * cols) }];
          const v = [undefined, Float32Array.from({ length: cols * 3 }, (_, i) => Math.cos(i + seed))];
          await checkPerturb(be, host, p, [
            [{ kind: 'gaussian', seed }, alpha],
            [{ kind: 'rademacher', seed }, alpha],
            [{ kind: 'lowRank', seed, rank: 3, v }, alpha],
            [{ kind: 'params' }, alpha / 5],
            [{ kind: 'dense', blocks: [data, p[1]!.data] }, -alpha],
          ], 'large blocks');
        }),
        { numRuns: 3 },
      ),
    ),
    law('perturbations write only inside their blocks', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ length: lengthArb, seed: seedArb, alpha: alphaArb }), async ({ length: n, seed, alpha }) => {
          const mk = (v: number, len: number): Params => [{ name: 'g', shape: [len], data: new Float32Array(len).fill(v) }];
          const [a, x, c] = [be.copy(mk(1.5, 67)), be.copy(mk(0, n)), be.copy(mk(2.5, 65))];
          for (const kind of ['gaussian', 'rademacher'] as const) be.perturbInPlace({ kind, seed }, alpha, x);
          assertSameBits(await values(be, a), mk(1.5, 67), 'block before');
          assertSameBits(await values(be, c), mk(2.5, 65), 'block after');
          be.dispose([...a, ...x, ...c]);
        }),
        { numRuns },
      ),
    ),
    law('axpyInPlace and scaleInPlace match cpu bit for bit', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ y: pairedArb, alpha: alphaArb }), async ({ y: { blocks: y, arrays: xs }, alpha }) => {
          const want = clone(y);
          cpu.axpyInPlace(alpha, xs, want);
          const plain = clone(y);
          if (host) be.axpyInPlace(alpha, xs, asB<B>(plain));
          if (host) assertSameBits(plain, want, 'axpy on plain arrays');
          const ownedY = be.copy(y);
          const ownedX = be.copy(xs.map((data, i) => ({ name: `x${i}`, shape: [data.length], data })));
          be.axpyInPlace(alpha, ownedX, ownedY);
          assertSameBits(await values(be, ownedY), want, 'axpy on owned blocks');
          const fromHost = be.copy(y);
          be.axpyInPlace(alpha, xs, fromHost);
          assertSameBits(await values(be, fromHost), want, 'axpy of host arrays into owned blocks');
          be.dispose(fromHost);
          cpu.scaleInPlace(-alpha / 3, want);
          if (host) be.scaleInPlace(-alpha / 3, asB<B>(plain));
          be.scaleInPlace(-alpha / 3, ownedY);
          if (host) assertSameBits(plain, want, 'scale on plain arrays');
          assertSameBits(await values(be, ownedY), want, 'scale on owned blocks');
          be.dispose([...ownedX, ...ownedY]);
        }),
        { numRuns },
      ),
    ),
    law('dot is within (2n + 8)·2⁻⁵³·Σ|xy| of cpu, deterministic and the same on plain and owned blocks', async (be) =>
      fc.assert(
        fc.asyncProperty(pairedArb, async ({ blocks: x, arrays: ys }) => {
          const want = cpu.dot(x, ys);
          let abs = 0;
          let n = 0;
          x.forEach((b, i) => b.data.forEach((v, j) => ((abs += Math.abs(v * ys[i]![j]!)), n++)));
          const got = await be.dot(asB<B>(x), ys);
          if (!(Math.abs(got - want) <= (2 * n + 8) * 2 ** -53 * abs)) throw new Error(`dot ${got}, cpu ${want}, Σ|xy| ${abs}, n ${n}`);
          const ox = be.copy(x);
          const oy = be.copy(ys.map((data, i) => ({ name: `y${i}`, shape: [data.length], data })));
          const again = await be.dot(ox, oy);
          be.dispose([...ox, ...oy]);
          if (!Object.is(again, got)) throw new Error(`dot on owned blocks ${again} differs from plain ${got}`);
        }),
        { numRuns },
      ),
    ),
    law('copy, zerosLike, assignInPlace and read keep layouts and bits; copies are independent', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ params: paramsArb }), async ({ params: p }) => {
          const snapshot = clone(p);
          const c = be.copy(p);
          const z = be.zerosLike(p);
          const zeros = p.map((b) => new Float32Array(b.data.length));
          try {
            if (c.some((b, i) => b.name !== p[i]!.name || b.shape.join() !== p[i]!.shape.join())) throw new Error('copy changed names or shapes');
            if (z.some((b, i) => b.name !== p[i]!.name || b.shape.join() !== p[i]!.shape.join())) throw new Error('zerosLike changed names or shapes');
            assertSameBits(await values(be, c), p, 'copy');
            assertSameBits(await values(be, z), zeros, 'zerosLike');
            assertSameBits(await Promise.all(c.map(async (b) => (await be.read(b)) as Float32Array)), p, 'read');
            const sevens = p.map((b) => ({ ...b, data: new Float32Array(b.data.length).fill(7) }));
            if (host) c.forEach((b) => (b.data as Float32Array).fill(7));
            else be.assignInPlace(sevens, c);
            assertSameBits(await values(be, c), sevens, 'the copy after writing it');
            assertSameBits(p, snapshot, 'the source after writing its copy');
            assertSameBits(await values(be, z), zeros, 'zerosLike after writing the copy');
            be.assignInPlace(p, z);
            assertSameBits(await values(be, z), p, 'assignInPlace');
            be.assignInPlace(c, z);
            assertSameBits(await values(be, z), sevens, 'assignInPlace between owned blocks');
            throwsZeroth(() => be.assignInPlace(p, [...z, ...z]), 'assignInPlace with a mismatched layout');
          } finally {
            be.dispose(c);
            be.dispose(z);
          }
        }),
        { numRuns },
      ),
    ),
    law('dispose releases owned blocks, is idempotent and leaves plain arrays alone', async (be) =>
      fc.assert(
        fc.asyncProperty(labelled({ params: paramsArb }), async ({ params: p }) => {
          const before = clone(p);
          const c = be.copy(p);
          be.dispose(c);
          be.dispose(c);
          be.dispose(asB<B>(p));
          assertSameBits(p, before, 'plain arrays after dispose');
        }),
        { numRuns: Math.ceil(numRuns / 3) },
      ),
    ),
    law('malformed directions throw typed errors', async (be) => {
      const p = be.copy([{ name: 'w', shape: [2, 3], data: new Float32Array(6) }]);
      throwsZeroth(() => be.perturbInPlace({ kind: 'dense', blocks: [] }, 1, p), 'dense without blocks');
      throwsZeroth(() => be.perturbInPlace({ kind: 'dense', blocks: [new Float32Array(5)] }, 1, p), 'dense of the wrong length');
      throwsZeroth(() => be.perturbInPlace({ kind: 'lowRank', seed: 1, rank: 2, v: [new Float32Array(5)] }, 1, p), 'lowRank V of the wrong size');
      throwsZeroth(() => be.axpyInPlace(1, [new Float32Array(5)], p), 'axpy of the wrong length');
      throwsZeroth(() => be.dot([new Float32Array(6)], [new Float32Array(6), new Float32Array(1)]), 'dot of mismatched layouts');
      be.dispose(p);
    }),
  ];
}
