import type { Environment } from '../src/rl/environment.js';

/**
 * One entry of the {@link environments} registry: the factory and the options of its default instance.
 * `build` is a method so entries with specific option types satisfy `Record<string, EnvironmentEntry>`.
 *
 * @example
 * ```ts
 * import { cartPole, type CartPoleOptions, type EnvironmentEntry } from 'zeroth/problems';
 * const entry: EnvironmentEntry<CartPoleOptions> = { build: cartPole, defaultOptions: {} };
 * const env = entry.build(entry.defaultOptions);
 * ```
 */
export interface EnvironmentEntry<O extends object = object> {
  build(options: O): Environment;
  readonly defaultOptions: O;
}
