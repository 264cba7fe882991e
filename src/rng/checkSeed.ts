import { InvalidHyperparameter } from '../errors.js';

/**
 * Checks that `seed` is a uint32 — an integer in [0, 2³²) — and returns it. A seed is never reduced modulo 2³²
 * (nor NaN taken as 0): a seed outside the domain is a mistake, and two different seeds must not name one stream.
 *
 * @param name - the parameter named in the error
 * @throws InvalidHyperparameter naming `name`
 */
export function checkSeed(seed: unknown, name = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InvalidHyperparameter(name, seed, 'must be an integer in [0, 2^32 − 1] (seeds are never reduced modulo 2^32; reduce one yourself with seed >>> 0)');
  }
  return seed;
}
