import type { Direction, Params } from '../types.js';

/**
 * The primitives every backend provides. Blocks are host-visible `Float32Array`s for the `cpu` and `wasm`
 * backends. Every method whose name ends in `InPlace` mutates its last parameter argument; nothing else
 * mutates.
 *
 * Perturbations follow the canonical float32 definition of `src/rng/DEFINITION.md`: for a seeded direction,
 * `x_i ← f32(x_i + f32(f32(alpha) · d_i))`, and every backend produces the same bits for the same seed.
 */
export interface Backend {
  /** `'cpu'`, `'wasm'`, … */
  readonly name: string;
  /** Allocates blocks of the same names and shapes as `params`, filled with zeros. */
  zerosLike(params: Params): Params;
  /** A deep copy of `params`, owned by this backend. */
  copy(params: Params): Params;
  /** Copies the values of `src` into `dst` (same shapes). */
  assignInPlace(src: Params, dst: Params): void;
  /** The values of a block as a `Float32Array` (a view for host backends; a sync point on devices). */
  read(block: Params[number]): Float32Array;
  /** `x ← x + alpha · d` for the direction `d`, regenerated from its description. */
  perturbInPlace(direction: Direction, alpha: number, x: Params): void;
  /** `y ← y + alpha · x`, block by block. */
  axpyInPlace(alpha: number, x: readonly Float32Array[] | Params, y: Params): void;
  /** `x ← alpha · x`. */
  scaleInPlace(alpha: number, x: Params): void;
  /** Σ x_i y_i over all blocks, accumulated in float64. */
  dot(x: readonly Float32Array[] | Params, y: readonly Float32Array[] | Params): number;
  /** Releases blocks this backend allocated (no-op on `cpu`). */
  dispose(params: Params): void;
}
