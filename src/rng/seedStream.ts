import seedrandom from 'seedrandom';
import { checkSeed } from './checkSeed.js';

export { checkSeed };

/** The serialisable position of a {@link SeedStream}. */
export interface SeedStreamState {
  readonly seed: number;
  readonly alea: unknown;
  readonly drawn: number;
}

/**
 * The per-step seed stream derived from a user's seed with seedrandom's `alea` generator. `next()` returns
 * the next uint32 seed; `state()` captures the position so that a run can be checkpointed and resumed.
 */
export interface SeedStream {
  next(): number;
  state(): SeedStreamState;
}

/**
 * Creates the seed stream of `seed`, or resumes one from a saved state.
 *
 * @example
 * ```ts
 * const s = seedStream(42);
 * const a = s.next(), b = s.next();
 * const resumed = seedStream(42, s.state()); // continues after b
 * ```
 */
export function seedStream(seed: number, saved?: SeedStreamState): SeedStream {
  checkSeed(seed);
  const state: seedrandom.State.Alea | true = saved ? (saved.alea as seedrandom.State.Alea) : true;
  const rng = seedrandom.alea(`zeroth:${seed}`, { state });
  let drawn = saved?.drawn ?? 0;
  return {
    next(): number {
      drawn++;
      return rng.int32() >>> 0;
    },
    state(): SeedStreamState {
      return { seed, alea: rng.state(), drawn };
    },
  };
}
