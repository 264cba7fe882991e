import fc from 'fast-check';
import { labelled } from './_internal/labelled.js';
import { UnsupportedUpdate } from '../../src/errors.js';
import { chain } from '../../src/transform/chain.js';
import { identity } from '../../src/transform/identity.js';
import type { Transform } from '../../src/transform/transform.js';
import type { Params, Update, UpdateTerm } from '../../src/types.js';
import type { Law } from './law.js';

/** Options of {@link transformLaws}. */
export interface TransformLawOptions {
  /** Number of fast-check runs per law. @defaultValue 50 */
  readonly numRuns?: number;
  /** fast-check seed. @defaultValue the global fast-check configuration */
  readonly seed?: number;
}

/** One random case: parameters and a sequence of dense updates of their layout. */
interface Case {
  readonly params: Params;
  readonly updates: readonly (readonly Float32Array[])[];
}

const names = ['weight', 'bias', 'fc1.weight', 'layer_norm.weight', 'ln_f.bias', 'embed'] as const;
const LIMIT = Math.fround(1e3);

const blockSpec = labelled({
  name: fc.constantFrom(...names),
  shape: fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 6 })),
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  ),
});

function values(n: number): fc.Arbitrary<Float32Array> {
  return fc.float32Array({ minLength: n, maxLength: n, min: -LIMIT, max: LIMIT, noNaN: true });
}

/** Parameters of 1–3 blocks and 1–4 dense updates with finite elements in [−1000, 1000]. */
const cases: fc.Arbitrary<Case> = fc
  .array(blockSpec, { minLength: 1, maxLength: 3 })
  .chain((specs) => {
    const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
    const arrays = fc.tuple(...sizes.map(values));
    return labelled({ params: arrays, updates: fc.array(arrays, { minLength: 1, maxLength: 4 }) }).map(
      ({ params, updates }): Case => ({
        params: params.map((data, b) => ({ name: `${b}.${specs[b]!.name}`, shape: [...specs[b]!.shape], data })),
        updates,
      }),
    );
  });

/** Implicit terms valid for the given parameters: seeded, coordinate and `params` directions. */
function implicitTerms(params: Params): fc.Arbitrary<UpdateTerm[]> {
  const coeff = fc.double({ min: -10, max: 10, noNaN: true });
  const seed = fc.integer({ min: 0, max: 0xffffffff });
  const coordinate = fc.integer({ min: 0, max: params.length - 1 }).chain((block) =>
    fc.integer({ min: 0, max: params[block]!.data.length - 1 }).map((index) => ({ kind: 'coordinate' as const, block, index })),
  );
  const direction = fc.oneof(
    seed.map((s) => ({ kind: 'gaussian' as const, seed: s })),
    seed.map((s) => ({ kind: 'rademacher' as const, seed: s })),
    coordinate,
    fc.constant({ kind: 'params' as const }),
  );
  return fc.array(labelled({ direction, coeff }), { minLength: 1, maxLength: 4 });
}

const dense = (blocks: readonly Float32Array[]): Update => ({ kind: 'dense', blocks: blocks.map((b) => b.slice()) });

/** Runs `t` from `init` over the updates (each copied first), returning the outputs. */
function trajectory(t: Transform<unknown>, c: Case): Update[] {
  let state = t.init(c.params);
  const outs: Update[] = [];
  for (const u of c.updates) {
    const [out, next] = t.update(dense(u), state, c.params);
    outs.push(out);
    state = next;
  }
  return outs;
}

/** Structural equality, bit-exact for numbers (Object.is) and typed arrays. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A deep copy of plain data (objects, arrays, typed arrays); anything else is kept by reference. */
function deepCopy(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (ArrayBuffer.isView(x)) return (x as unknown as Float32Array).slice();
  if (Array.isArray(x)) return x.map(deepCopy);
  if (Object.getPrototypeOf(x) !== Object.prototype) return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, deepCopy(v)]));
}

function snapshot(params: Params): Float32Array[] {
  return params.map((b) => b.data.slice());
}

function checkUnchanged(label: string, params: Params, before: readonly Float32Array[]): void {
  if (!deepEqual(snapshot(params), before)) throw new Error(`${label}: update modified the parameters`);
}

function checkDenseOutput(label: string, out: Update, params: Params): void {
  if (out.kind !== 'dense') throw new Error(`${label}: a dense update came out ${out.kind}`);
  if (out.blocks.length !== params.length) {
    throw new Error(`${label}: ${out.blocks.length} output blocks for ${params.length} parameter blocks`);
  }
  out.blocks.forEach((block, b) => {
    if (block.length !== params[b]!.data.length) throw new Error(`${label}: output block ${b} has the wrong length`);
    block.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new Error(`${label}: output element ${i} of block ${b} is ${v}`);
    });
  });
}

/**
 * The laws every transform must satisfy on dense updates, as framework-agnostic checks (each `run` throws on
 * failure, with fast-check's seed and counterexample in the message). Register them with any runner, e.g.
 * `for (const law of transformLaws('adam', () => adam(1e-3))) test(law.name, law.run)`.
 *
 * - init is idempotent and fresh: two `init`s are equal (bit for bit), and updating one state leaves a second
 *   one equal to a new `init` (no buffers shared between states);
 * - `chain(t, identity())` and `chain(identity(), t)` give the same steps as `t`, bit for bit, over several steps;
 * - `update` never modifies the parameters, for dense updates and for implicit ones;
 * - finite input (|gᵢ| ≤ 1000) gives finite dense output of the parameters' layout;
 * - an implicit update is either handled or refused with `UnsupportedUpdate`.
 *
 * Random cases have 1–3 blocks (vectors and matrices, names including `bias` and `layer_norm`) and 1–4 steps.
 *
 * @param name - label used in the law names
 * @param build - makes a fresh transform (called once or more per run)
 */
export function transformLaws(name: string, build: () => Transform, options: TransformLawOptions = {}): Law[] {
  const params: fc.Parameters<unknown> = {
    numRuns: options.numRuns ?? 50,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const withTerms = cases.chain((c) => labelled({ case: fc.constant(c), terms: implicitTerms(c.params) }));
  return [
    {
      name: `${name}: init is idempotent and fresh`,
      run: () =>
        fc.assert(
          fc.property(cases, (c) => {
            const t = build();
            const s1 = t.init(c.params);
            const s2 = t.init(c.params);
            if (!deepEqual(s1, s2)) throw new Error('two inits differ');
            const before = deepCopy(s2);
            t.update(dense(c.updates[0]!), s1, c.params);
            if (!deepEqual(s2, before)) throw new Error('updating one state changed another (shared buffers)');
          }),
          params,
        ),
    },
    {
      name: `${name}: chain(t, identity()) ≡ t ≡ chain(identity(), t)`,
      run: () =>
        fc.assert(
          fc.property(cases, (c) => {
            const expected = trajectory(build(), c);
            if (!deepEqual(trajectory(chain(build(), identity()), c), expected)) throw new Error('chain(t, identity()) differs from t');
            if (!deepEqual(trajectory(chain(identity(), build()), c), expected)) throw new Error('chain(identity(), t) differs from t');
          }),
          params,
        ),
    },
    {
      name: `${name}: update never modifies the parameters`,
      run: () =>
        fc.assert(
          fc.property(withTerms, ({ case: c, terms }) => {
            const before = snapshot(c.params);
            trajectory(build(), c);
            checkUnchanged('dense', c.params, before);
            const t = build();
            try {
              t.update({ kind: 'implicit', terms }, t.init(c.params), c.params);
            } catch (e) {
              if (!(e instanceof UnsupportedUpdate)) throw e;
            }
            checkUnchanged('implicit', c.params, before);
          }),
          params,
        ),
    },
    {
      name: `${name}: finite input gives finite output of the parameters' layout`,
      run: () =>
        fc.assert(
          fc.property(cases, (c) => {
            trajectory(build(), c).forEach((out, k) => checkDenseOutput(`step ${k}`, out, c.params));
          }),
          params,
        ),
    },
    {
      name: `${name}: an implicit update is handled or refused with UnsupportedUpdate`,
      run: () =>
        fc.assert(
          fc.property(withTerms, ({ case: c, terms }) => {
            const t = build();
            let out: Update;
            try {
              [out] = t.update({ kind: 'implicit', terms }, t.init(c.params), c.params);
            } catch (e) {
              if (e instanceof UnsupportedUpdate) return;
              throw e;
            }
            if (out.kind === 'dense') checkDenseOutput('implicit input', out, c.params);
            else if (!out.terms.every((term) => Number.isFinite(term.coeff))) throw new Error('non-finite coefficient');
          }),
          params,
        ),
    },
  ];
}
