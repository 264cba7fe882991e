/**
 * Stream tags keep the random numbers drawn for different purposes from the same seed independent: a
 * Gaussian direction, a Rademacher direction and LOZO's U and V factors never share a stream.
 */
export const streams = {
  gaussian: 0,
  rademacher: 1,
  lowRankU: 2,
  lowRankV: 3,
  mask: 4,
  noise: 5,
  data: 6,
} as const;

/** A stream tag; see {@link streams}. */
export type Stream = (typeof streams)[keyof typeof streams];
