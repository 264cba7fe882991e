import type { Block, Direction, Params, UpdateTerm } from '../types.js';

/**
 * What a backend's `read` and `dot` return: the value itself for host blocks (`Float32Array`), a promise for device
 * blocks (a GPU buffer can only be read back asynchronously).
 */
export type Readback<B, T> = [B] extends [Float32Array] ? T : Promise<T>;

/**
 * The primitives every backend provides, on blocks whose `data` is of type `B`: host-visible `Float32Array`s for
 * the `cpu` and `wasm` backends (the default), `WebGpuData` (a `GPUBuffer`) for the `webgpu` backend. Every
 * method whose name ends in `InPlace` mutates its last parameter argument; nothing else mutates.
 *
 * Perturbations follow the canonical float32 definition of `src/rng/DEFINITION.md`: for a seeded direction,
 * `x_i ← f32(x_i + f32(f32(alpha) · d_i))`, and every backend produces the same bits for the same seed.
 */
export interface Backend<B = Float32Array> {
  /** `'cpu'`, `'wasm'`, `'webgpu'`, … */
  readonly name: string;
  /** Allocates blocks of the same names and shapes as `params` (this backend's or host blocks), filled with zeros. */
  zerosLike(params: Params<B> | Params): Params<B>;
  /** A deep copy of `params`, owned by this backend (host blocks are moved to a device backend's storage). */
  copy(params: Params<B> | Params): Params<B>;
  /** Copies the values of `src` (this backend's or host blocks) into `dst` (same shapes). */
  assignInPlace(src: Params<B> | Params, dst: Params<B>): void;
  /** The values of a block as a `Float32Array` (a view for host backends; a copy, through a promise, on devices). */
  read(block: Block<B>): Readback<B, Float32Array>;
  /** `x ← x + alpha · d` for the direction `d`, regenerated from its description. */
  perturbInPlace(direction: Direction, alpha: number, x: Params<B>): void;
  /**
   * Optional: `x ← x + Σ coeffᵢ · dᵢ`, term by term in order — the same bits as one `perturbInPlace` per term, in
   * fewer passes over the parameters (`applyUpdates` uses it when present).
   */
  perturbTermsInPlace?(terms: readonly UpdateTerm[], x: Params<B>): void;
  /** `y ← y + alpha · x`, block by block. */
  axpyInPlace(alpha: number, x: readonly Float32Array[] | Params<B>, y: Params<B>): void;
  /** `x ← alpha · x`. */
  scaleInPlace(alpha: number, x: Params<B>): void;
  /** Σ x_i y_i over all blocks, accumulated in float64 (or more precisely). */
  dot(x: readonly Float32Array[] | Params<B>, y: readonly Float32Array[] | Params<B>): Readback<B, number>;
  /** Releases blocks this backend allocated (no-op on `cpu`). */
  dispose(params: Params<B>): void;
}
