import { gaussianPair } from '../rng/gaussian.js';
import { streamWord } from '../rng/streamKey.js';

/**
 * Element i of the stream (k1, k2) as a uniform number in (0, 1): ((word >>> 8) + ½) · 2⁻²⁴ (never 0 or 1).
 * With {@link gaussianDraw}, how environments and the rollouts oracle draw from `episodeKeys`.
 *
 * @example
 * ```ts
 * import { episodeKeys, uniformDraw } from 'zeroth';
 * const { start } = episodeKeys(7, 0);
 * const x0 = -0.05 + 0.1 * uniformDraw(start.k1, start.k2, 0); // a CartPole start coordinate
 * ```
 */
export function uniformDraw(k1: number, k2: number, i: number): number {
  return ((streamWord(k1, k2, i) >>> 8) + 0.5) * 2 ** -24;
}

/**
 * Element i of the stream (k1, k2) as a standard normal: the canonical float32 Box–Muller value of
 * `gaussianAt` (elements 2k and 2k + 1 share one pair). Its magnitude never exceeds 5.77.
 */
export function gaussianDraw(k1: number, k2: number, i: number): number {
  const k = i >>> 1;
  return gaussianPair(streamWord(k1, k2, 2 * k), streamWord(k1, k2, 2 * k + 1))[i & 1]!;
}
