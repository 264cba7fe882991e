import type { Problem } from './problem.js';

/**
 * One entry of the {@link problems} registry: how to build the problem, whether it has an exact gradient, and
 * the options of a benchmark-sized default instance.
 *
 * `build` is declared as a method so that entries with specific option types satisfy
 * `Record<string, ProblemEntry>` (method parameters are checked bivariantly).
 *
 * @typeParam O - the options of the factory
 *
 * @example
 * ```ts
 * const entry: ProblemEntry<SphereOptions> = { build: sphere, differentiable: true, defaultOptions: { dim: 10 } };
 * const p = entry.build(entry.defaultOptions);
 * ```
 */
export interface ProblemEntry<O extends object = object> {
  /** The factory (the export of the same name). */
  build(options: O): Problem;
  /** True when every built problem has an exact `grad`. */
  readonly differentiable: boolean;
  /** Options of a default instance; `build(defaultOptions)` always succeeds. */
  readonly defaultOptions: O;
}
