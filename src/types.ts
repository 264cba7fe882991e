/**
 * Core data types shared by every part of zeroth: parameters, seeded directions, probes, responses and
 * updates.
 *
 * @packageDocumentation
 */
import type { Episode } from './rl/episode.js';

/** An unsigned 32-bit integer seed. Every stochastic function of zeroth takes one explicitly. */
export type Seed = number;

/** A value that may be returned synchronously or as a promise. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * One named, shaped block of parameters. `data` holds `product(shape)` float32 values in row-major order.
 *
 * @typeParam B - the storage of the block; `Float32Array` for the `cpu` and `wasm` backends.
 */
export interface Block<B = Float32Array> {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: B;
}

/** The variables being optimised: an ordered list of named, shaped blocks. A flat vector is one block. */
export type Params<B = Float32Array> = readonly Block<B>[];

/**
 * A perturbation direction, *described* rather than stored. Element `i` of block `b` of a seeded direction
 * is a pure function of `(seed, b, i)` (see `src/rng/`), regenerated whenever it is needed.
 *
 * - `none`: the zero direction (the base point).
 * - `gaussian`: z with i.i.d. N(0, 1) elements.
 * - `rademacher`: Δ with i.i.d. ±1 elements.
 * - `coordinate`: the unit vector e_i of element `index` of block `block`.
 * - `lowRank`: for 2-D blocks of shape [m, n] with a `v` entry, U·Vᵀ with V (n × rank, row-major) from `v` and
 *   U (m × rank, row-major) from `u` when given, else seeded by `seed` (stream lowRankU). Other blocks (1-D,
 *   or no `v` entry) use a Gaussian z seeded by `seed` when `others` is `'gaussian'` (default), or are left
 *   unchanged when `others` is `'none'`. `vSeed`, when set, states that `v` was drawn from that seed:
 *   `v[b] = lowRankFactor(vSeed, b, n, rank)` for every 2-D block and `undefined` for the others, so a seed
 *   log can store the seed instead of V (it checks the claim).
 * - `dense`: explicit values, one `Float32Array` per block (a materialised direction); an `undefined` entry
 *   is zero.
 * - `params`: the current parameter values themselves, in the blocks where `blocks[b]` is true (all blocks
 *   when `blocks` is absent); used for decoupled weight decay on implicit updates.
 */
export type Direction =
  | { readonly kind: 'none' }
  | { readonly kind: 'gaussian'; readonly seed: Seed }
  | { readonly kind: 'rademacher'; readonly seed: Seed }
  | { readonly kind: 'coordinate'; readonly block: number; readonly index: number }
  | {
      readonly kind: 'lowRank';
      readonly seed: Seed;
      readonly rank: number;
      readonly v: readonly (Float32Array | undefined)[];
      readonly vSeed?: Seed;
      readonly u?: readonly (Float32Array | undefined)[];
      readonly others?: 'gaussian' | 'none';
    }
  | { readonly kind: 'dense'; readonly blocks: readonly (Float32Array | undefined)[] }
  | { readonly kind: 'params'; readonly blocks?: readonly boolean[] };

/** The kinds of {@link Direction}. */
export type DirectionKind = Direction['kind'];

/**
 * A query point `x + scale · direction`, where `x` is the current parameters.
 *
 * `noiseKey` groups probes that must see the same evaluation noise or minibatch (common random numbers):
 * the two evaluations of an antithetic pair share one key. The oracle receives it as `context.noiseSeed`.
 */
export interface Probe {
  readonly direction: Direction;
  readonly scale: number;
  readonly noiseKey: number;
  /**
   * For `'rollouts'` batches, where each probe is one episode: the index of the episode's sampling stream
   * among the probes that share its `noiseKey` (the episode seed). Equal keys give the same start state;
   * equal keys and equal samples give the same episode noise too (actions and transitions), so the two
   * probes of an antithetic pair face identical episodes. @defaultValue 0
   */
  readonly sample?: number;
}

/**
 * What the estimator needs back for a batch of probes: f at each probe (`'values'`), an order of the probes
 * (`'ranking'`), f and ∇f (`'valueAndGrad'`), or one episode per probe (`'rollouts'`, for policy gradients).
 */
export type ResponseKind = 'values' | 'ranking' | 'valueAndGrad' | 'rollouts';

/** The probes an estimator proposes for one round of evaluation, and the kind of answer it wants. */
export interface ProbeBatch {
  readonly probes: readonly Probe[];
  readonly response: ResponseKind;
}

/** The answers to a {@link ProbeBatch}, in probe order. */
export type Responses =
  | { readonly kind: 'values'; readonly values: Float64Array }
  /** Indices of probes, best (lowest) first. May hold only the best `k`. */
  | { readonly kind: 'ranking'; readonly order: Int32Array }
  | {
      readonly kind: 'valueAndGrad';
      readonly values: Float64Array;
      readonly grads: readonly (readonly Float32Array[])[];
    }
  /** One episode per probe, in probe order. */
  | { readonly kind: 'rollouts'; readonly episodes: readonly Episode[] };

/** One term `coeff · direction` of an implicit update. */
export interface UpdateTerm {
  readonly direction: Direction;
  readonly coeff: number;
}

/**
 * A gradient estimate (before transforms) or a step (after transforms), in one of two forms:
 *
 * - `implicit`: Σ coeffᵢ · directionᵢ, never materialised (MeZO's `(seed, projected gradient)`);
 * - `dense`: one `Float32Array` per parameter block.
 *
 * {@link applyUpdates} adds a step to the parameters: `x ← x + update`.
 */
export type Update =
  | { readonly kind: 'implicit'; readonly terms: readonly UpdateTerm[] }
  | { readonly kind: 'dense'; readonly blocks: readonly Float32Array[] };

/**
 * One write into the parameters: `x ← x + alpha · direction` (`backend.perturbInPlace`). A step of the
 * optimizer is fully described by the writes it left on the parameters, in order (probe moves that were not
 * undone exactly, the fused restore, the update's terms; a dense step is a `dense` direction with alpha 1):
 * replaying them on the same starting point gives the same bits on every backend. The seed log stores them.
 */
export interface ParamWrite {
  readonly direction: Direction;
  readonly alpha: number;
}

/** The context an oracle receives with each query. */
export interface EvalContext {
  /** Seed for the evaluation's noise or minibatch; equal for the probes of one antithetic pair. */
  readonly noiseSeed: number;
  /** The optimizer step that asked for the evaluation. */
  readonly step: number;
}
