import { streamKey, type StreamKey } from '../rng/streamKey.js';
import { streams } from '../rng/streams.js';

/** The random streams of one episode; see {@link episodeKeys}. */
export interface EpisodeKeys {
  /** The start state (the prompt): a function of the seed alone. */
  readonly start: StreamKey;
  /** The policy's action noise. */
  readonly actions: StreamKey;
  /** The environment's transition noise (e.g. a bandit's reward noise). */
  readonly transitions: StreamKey;
}

/**
 * The counter-based streams of the episode `(seed, sample)`: `start` from the seed alone (stream `data`),
 * `actions` and `transitions` from `(seed, sample)` (stream `noise`, blocks 2·sample and 2·sample + 1).
 * Element i of a stream is `streamWord(k1, k2, i)`, so any draw can be regenerated on its own. Environments
 * draw their start states and transition noise here, and the rollouts oracle its action noise, so equal
 * requests give equal episodes and a GRPO group (one seed, G samples) shares its start state only.
 *
 * @example
 * ```ts
 * import { episodeKeys, streamWord } from 'zeroth';
 * const { start } = episodeKeys(42, 0);
 * const u = ((streamWord(start.k1, start.k2, 0) >>> 8) + 0.5) * 2 ** -24; // uniform in (0, 1)
 * ```
 */
export function episodeKeys(seed: number, sample: number): EpisodeKeys {
  return {
    start: streamKey(seed, streams.data, 0),
    actions: streamKey(seed, streams.noise, 2 * sample),
    transitions: streamKey(seed, streams.noise, 2 * sample + 1),
  };
}
