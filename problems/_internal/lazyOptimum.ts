import type { Problem } from '../problem.js';

/** The optimum record of a {@link Problem}. */
export type Optimum = NonNullable<Problem['optimum']>;

/**
 * Gives `target` an enumerable, lazily computed and cached `optimum` property mapped from `inner.optimum`, when
 * `inner` has one. Reading `inner.optimum` is deferred to the first read of `target.optimum`, so wrapping a
 * problem whose optimum is expensive (e.g. `logisticRegression`) costs nothing until the optimum is needed.
 * (An object spread would read the getter at once.)
 */
export function defineLazyOptimum<T extends object>(target: T, inner: Problem, map: (o: Optimum) => Optimum): T {
  if (!('optimum' in inner)) return target;
  let cached: Optimum | undefined;
  Object.defineProperty(target, 'optimum', {
    enumerable: true,
    configurable: false,
    get(): Optimum | undefined {
      if (cached === undefined) {
        const o = inner.optimum;
        if (o === undefined) return undefined;
        cached = map(o);
      }
      return cached;
    },
  });
  return target;
}
