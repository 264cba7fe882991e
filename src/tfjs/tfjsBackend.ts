import * as tf from '@tensorflow/tfjs-core';
import type { Backend } from '../backend/backend.js';
import { defaultBackend } from '../backend/defaultBackend.js';
import { checkDirectionSeed, isZeroStep, perturbBlockRange } from '../backend/_internal/perturbBlock.js';
import { axpyArrays, perturbBlockWasm } from '../backend/wasm/_internal/wasmPerturb.js';
import { InvalidInput } from '../errors.js';
import type { Block, Direction, Params } from '../types.js';
import { checkLive, exclusiveStorageOf, owningBackend, type Storage } from './_internal/storage.js';
import { heapView, invalidateDerived, wasmEnvOf } from './_internal/tfjsWasm.js';
import { isTfjsBlock, TfjsBlock } from './tfjsParams.js';

/** How the `tfjs` backend writes a block: in place on tfjs-wasm's heap or tfjs-cpu's storage, or by upload. */
export type TfjsWritePath = 'wasm' | 'cpu' | 'upload' | 'host';

/** The `tfjs` backend: a {@link Backend} whose blocks are `tf.Variable`s ({@link TfjsBlock}). */
export interface TfjsBackend extends Backend {
  readonly name: 'tfjs';
  /** How writes to `block` are done (`'host'` for plain `Float32Array` blocks). */
  writePath(block: Block): TfjsWritePath;
}

/** Options of {@link tfjsBackend}. */
export interface TfjsBackendOptions {
  /**
   * The backend for plain `Float32Array` blocks and for tfjs-cpu's storage (its arrays are host memory).
   * @defaultValue defaultBackend(): the wasm kernels (through 64 KiB staging), else the TypeScript reference
   */
  readonly host?: Backend;
  /**
   * `false` never writes tfjs's storage in place: every backend takes the upload path (host-generated delta,
   * `v.assign(v + delta)`; transient memory about 3× the largest block). @defaultValue true
   */
  readonly inPlace?: boolean;
}

interface RangeHost extends Backend {
  perturbRangeInPlace(direction: Direction, alpha: number, block: Block, b: number, start: number, end: number): void;
}

let copies = 0;

/**
 * The `tfjs` backend: the {@link Backend} primitives on blocks that are `tf.Variable`s, for whichever tfjs backend
 * holds them:
 *
 * - **tfjs-wasm** (the default for models): in place on tfjs's own WebAssembly heap, with zeroth's wasm kernels
 *   instantiated on that memory — no copy, the bits of the `cpu` backend. tfjs-wasm caches XNNPACK-packed weights
 *   per tensor; every write drops that cache for the written variables, so the next forward pass sees the new
 *   values (and repacks them once).
 * - **tfjs-cpu**: in place on the backend's `Float32Array`s (through the `host` backend's kernels).
 * - **any other** (webgl, webgpu, tfjs-node, tfjs-node-gpu): the same canonical direction is generated on the host
 *   one block at a time and added with `v.assign(v + delta)` — transient memory: about 3× the largest block;
 *   the addition runs on the device (bit-exact only where the device adds in IEEE float32).
 *
 * A variable whose buffer is shared with another tensor (`tf.variable(t)` shares `t`'s) gets its own copy before
 * the first in-place write, so the other tensor keeps its values. `copy` makes new variables (disposed by
 * `dispose`; a model's own variables are never disposed); `zerosLike` makes plain arrays; plain `Float32Array`
 * blocks are handled by the `host` backend. No operation leaves a tensor behind.
 *
 * Cost (tfjs-wasm, one thread): a Gaussian pass ≈ 2.6–3 ns per parameter, Rademacher ≈ 0.5; no extra memory
 * beyond about 400 KiB of scratch on tfjs's heap, taken once by {@link tfjsParams} (make the parameters before the
 * model's first forward pass: then the repacked weights land where the dropped ones were, and a MeZO step's peak
 * stays at inference's). Writes allocate nothing on tfjs's heap.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * await tf.setBackend('wasm');
 * const params = tfjsParams(model);
 * const be = tfjsBackend();
 * be.perturbInPlace({ kind: 'gaussian', seed: 7 }, 1e-3, params);  // the model now computes with θ + 1e-3·z
 * be.perturbInPlace({ kind: 'gaussian', seed: 7 }, -1e-3, params); // back (up to float32 rounding)
 * ```
 */
export function tfjsBackend(options: TfjsBackendOptions = {}): TfjsBackend {
  const host = options.host ?? defaultBackend();
  const inPlace = options.inPlace ?? true;
  const storage = (block: TfjsBlock): Storage => (inPlace ? exclusiveStorageOf(block.variable, block.name) : { kind: 'other', backend: owningBackend(block.variable) });
  const owned = new WeakSet<tf.Variable>();
  const hostRange = (direction: Direction, alpha: number, block: Block, b: number): void => {
    const rh = host as Partial<RangeHost>;
    if (typeof rh.perturbRangeInPlace === 'function') rh.perturbRangeInPlace(direction, alpha, block, b, 0, block.data.length);
    else perturbBlockRange(direction, alpha, block, b, 0, block.data.length);
  };
  const perturbBlock = (direction: Direction, alpha: number, block: Block, b: number): void => {
    if (!isTfjsBlock(block)) {
      hostRange(direction, alpha, block, b);
      return;
    }
    const s = storage(block);
    switch (s.kind) {
      case 'wasm': {
        const env = wasmEnvOf(s.backend);
        const live: Block = { name: block.name, shape: block.shape, get data() { return heapView(s.backend, s.offset, block.size); } };
        try {
          perturbBlockWasm(env, direction, alpha, live, b);
        } finally {
          invalidateDerived(s.backend, s.id, block.size, s.offset);
        }
        return;
      }
      case 'cpu':
        hostRange(direction, alpha, { name: block.name, shape: block.shape, data: s.values }, b);
        return;
      case 'other':
        uploadPerturbation(direction, alpha, block, b, hostRange);
        return;
    }
  };
  const lengths = (x: readonly Float32Array[] | Params): number[] =>
    x.map((b) => (b instanceof Float32Array ? b.length : isTfjsBlock(b) ? b.size : b.data.length));
  const checkLayout = (a: readonly Float32Array[] | Params, b: Params, what: string): void => {
    const la = lengths(a);
    const lb = lengths(b);
    if (la.length !== lb.length || la.some((n, i) => n !== lb[i])) {
      throw new InvalidInput(what, `its layout [${la.join(', ')}] differs from the parameters' [${lb.join(', ')}]`, 'Pass blocks of the same layout as the parameters.');
    }
  };
  /**
   * Checks every variable is live before anything is written, and makes sure the scratch memory of every tfjs-wasm
   * backend involved exists before views are taken.
   */
  const prepare = (x: readonly Float32Array[] | Params): void => {
    for (const b of x) if (isTfjsBlock(b)) checkLive(b.variable, b.name);
    for (const b of x) {
      if (!isTfjsBlock(b)) continue;
      const s = storage(b);
      if (s.kind === 'wasm') wasmEnvOf(s.backend);
    }
  };
  const arraysOf = (x: readonly Float32Array[] | Params): Float32Array[] => x.map((b) => (b instanceof Float32Array ? b : b.data));

  const backend: TfjsBackend = {
    name: 'tfjs',
    writePath(block: Block): TfjsWritePath {
      if (!isTfjsBlock(block)) return 'host';
      const kind = storage(block).kind;
      return kind === 'other' ? 'upload' : kind;
    },
    zerosLike(params: Params): Params {
      return params.map((b) => ({ name: b.name, shape: [...b.shape], data: new Float32Array(lengths([b])[0]!) }));
    },
    copy(params: Params): Params {
      return params.map((b) => {
        const where = isTfjsBlock(b) ? owningBackend(b.variable) : tf.backend();
        const values = isTfjsBlock(b) && storage(b).kind === 'other' ? undefined : Float32Array.from(b.data);
        const t = values === undefined ? tf.tidy(() => tf.mul((b as TfjsBlock).variable, 1)) : tf.engine().makeTensor(values, [...b.shape], 'float32', where);
        const v = tf.variable(t, false, `${b.name}/zeroth_copy_${++copies}`);
        t.dispose();
        owned.add(v);
        return new TfjsBlock(v, b.name);
      });
    },
    assignInPlace(src: Params, dst: Params): void {
      checkLayout(src, dst, 'src');
      prepare(dst);
      dst.forEach((d, i) => {
        const s = src[i]!;
        if (!isTfjsBlock(d)) {
          d.data.set(s.data);
          return;
        }
        const st = storage(d);
        if (st.kind === 'other') {
          tf.tidy(() => d.variable.assign(isTfjsBlock(s) ? s.variable : tf.tensor(s.data, [...d.shape], 'float32')));
          return;
        }
        const values = s.data;
        const target = st.kind === 'cpu' ? st.values : heapView(st.backend, st.offset, d.size);
        target.set(values);
        if (st.kind === 'wasm') invalidateDerived(st.backend, st.id, d.size, st.offset);
      });
    },
    read(block: Block): Float32Array {
      return block.data;
    },
    perturbInPlace(direction: Direction, alpha: number, x: Params): void {
      checkDirectionSeed(direction);
      if (direction.kind === 'none' || isZeroStep(alpha)) return;
      prepare(x);
      for (let b = 0; b < x.length; b++) perturbBlock(direction, alpha, x[b]!, b);
    },
    axpyInPlace(alpha: number, x: readonly Float32Array[] | Params, y: Params): void {
      checkLayout(x, y, 'x');
      prepare(y);
      prepare(x);
      const xs = arraysOf(x);
      const a = Math.fround(alpha);
      y.forEach((block, b) => {
        const xb = xs[b]!;
        if (!isTfjsBlock(block)) {
          host.axpyInPlace(alpha, [xb], [block]);
          return;
        }
        const s = storage(block);
        if (s.kind === 'cpu') {
          host.axpyInPlace(alpha, [xb], [{ name: block.name, shape: block.shape, data: s.values }]);
        } else if (s.kind === 'wasm') {
          axpyArrays(wasmEnvOf(s.backend), alpha, xb, heapView(s.backend, s.offset, block.size));
          invalidateDerived(s.backend, s.id, block.size, s.offset);
        } else {
          const delta = Float32Array.from(xb, (v) => Math.fround(a * v));
          tf.tidy(() => block.variable.assign(tf.add(block.variable, tf.tensor(delta, [...block.shape], 'float32'))));
        }
      });
    },
    scaleInPlace(alpha: number, x: Params): void {
      prepare(x);
      const a = Math.fround(alpha);
      for (const block of x) {
        if (isTfjsBlock(block) && storage(block).kind === 'other') {
          tf.tidy(() => block.variable.assign(tf.mul(block.variable, tf.scalar(a))));
          continue;
        }
        const d = block.data;
        for (let i = 0; i < d.length; i++) d[i] = Math.fround(a * d[i]!);
      }
    },
    dot(x: readonly Float32Array[] | Params, y: readonly Float32Array[] | Params): number {
      const xs = arraysOf(x);
      const ys = arraysOf(y);
      return host.dot(xs.map((d) => d.slice()), ys.map((d) => d.slice()));
    },
    dispose(params: Params): void {
      for (const b of params) {
        if (isTfjsBlock(b) && owned.has(b.variable) && !b.variable.isDisposed) b.variable.dispose();
      }
    },
  };
  return backend;
}

/**
 * `v ← v + alpha·d` on a backend zeroth cannot write in place: the canonical `alpha·d` of this block is generated
 * on the host (the kernels' bits) and added on the device. Blocks the direction does not touch are skipped.
 */
function uploadPerturbation(
  direction: Direction,
  alpha: number,
  block: TfjsBlock,
  b: number,
  hostRange: (direction: Direction, alpha: number, block: Block, b: number) => void,
): void {
  const v = block.variable;
  if (direction.kind === 'params') {
    if (direction.blocks !== undefined && direction.blocks[b] !== true) return;
    tf.tidy(() => v.assign(tf.add(v, tf.mul(v, tf.scalar(Math.fround(alpha))))));
    return;
  }
  if (direction.kind === 'coordinate' && direction.block !== b) return;
  if (direction.kind === 'dense' && direction.blocks[b] === undefined && b < direction.blocks.length) return;
  const delta = new Float32Array(block.size);
  hostRange(direction, alpha, { name: block.name, shape: block.shape, data: delta }, b);
  tf.tidy(() => v.assign(tf.add(v, tf.tensor(delta, [...block.shape], 'float32'))));
}
