import type { Params, Update } from '../types.js';

/**
 * A gradient transformation (optax's contract over zeroth's {@link Update}): `init` builds the state from the
 * parameters; `update` maps an update and the state to a new update and a new state. `update` never writes
 * the parameters; only {@link applyUpdates} does. It may reuse the buffers of a dense update it was given, and
 * stateful transforms (`trace`, `scaleByAdam`) update their state buffers in place for memory's sake: the
 * state passed in is used up. The optimizer calls `update` only after every evaluation of the step succeeded;
 * code that replays a step must copy the state first.
 *
 * Transforms that cannot work on implicit updates (`trace`, `scaleByAdam`, `scaleBySign`, `clipByGlobalNorm`)
 * throw `UnsupportedUpdate` naming `materialize()` as the fix.
 */
export interface Transform<S = unknown> {
  readonly name: string;
  /**
   * The options it was built with, as plain JSON (a schedule appears as its name; `chain` lists its parts'):
   * tuner checkpoints record them and `resumeTuner` refuses a resume whose transform's options differ.
   * Optional: a transform without it is not checked.
   */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * `false` declares that `update` uses the shapes of `params` only, never their values (see
   * `Estimator.combineReadsValues`: the optimizer may then fuse the restore of the last probe with the step).
   * Left out, it counts as `true`.
   */
  readonly readsValues?: boolean;
  init(params: Params): S;
  update(update: Update, state: S, params: Params): readonly [Update, S];
}

/** A learning rate or scale that may depend on the step count `k` (0 at the first step). */
export type Schedule = (step: number) => number;
