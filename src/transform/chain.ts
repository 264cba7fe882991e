import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import type { Transform } from './transform.js';

/** The tuple of states of a tuple of transforms, in order. */
export type StatesOf<T extends readonly Transform<unknown>[]> = {
  readonly [K in keyof T]: T[K] extends Transform<infer S> ? S : never;
};

/**
 * Composes transforms left to right: `u ← tₙ(… t₂(t₁(u)))`, as optax's `chain`. The state is the tuple of the
 * transforms' states, in the same order; the name lists the parts, e.g.
 * `'chain(materialize,scaleByAdam,scaleByLearningRate)'`.
 *
 * `chain()` with no transform is the identity.
 *
 * Cost: extra memory: the sum of the parts' (no more).
 *
 * @throws InvalidHyperparameter if an argument is not a transform (e.g. `materialize` passed without calling it)
 *
 * @example
 * ```ts
 * const t = chain(materialize(), clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * let state = t.init(params);
 * const [step, next] = t.update(gradient, state, params);
 * state = next;
 * applyUpdates(cpuBackend(), step, params);
 * ```
 */
export function chain<const T extends readonly Transform<unknown>[]>(...transforms: T): Transform<StatesOf<T>> {
  transforms.forEach((t, i) => {
    const ok =
      typeof t === 'object' && t !== null && typeof t.init === 'function' && typeof t.update === 'function';
    if (!ok) {
      throw new InvalidHyperparameter(
        `transforms[${i}]`,
        t,
        'must be a transform ({ name, init, update }); did you pass a factory without calling it, e.g. materialize instead of materialize()?',
      );
    }
  });
  const parts: readonly Transform<unknown>[] = [...transforms];
  return {
    name: `chain(${parts.map((t) => t.name).join(',')})`,
    options: { parts: parts.map((t) => t.options ?? null) },
    readsValues: parts.some((t) => t.readsValues !== false),
    init(params: Params): StatesOf<T> {
      return parts.map((t) => t.init(params)) as unknown as StatesOf<T>;
    },
    update(update: Update, state: StatesOf<T>, params: Params): readonly [Update, StatesOf<T>] {
      const states = state as readonly unknown[];
      const next: unknown[] = new Array<unknown>(parts.length);
      let u = update;
      for (let i = 0; i < parts.length; i++) {
        const [out, s] = parts[i]!.update(u, states[i], params);
        u = out;
        next[i] = s;
      }
      return [u, next as unknown as StatesOf<T>];
    },
  };
}
