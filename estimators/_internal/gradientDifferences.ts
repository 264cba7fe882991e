/**
 * The coordinate-difference probes of the gradient-subspace mode and its noise handling: forward differences
 * for exact evaluations; under noise the centre evaluated again first (its mean value and the estimate of σ),
 * then central differences at h = max(Δ, h_σ), capped by the third-order check and a quarter of the box.
 *
 * @internal
 */
import type { GradientConfig, GradientState } from './gradientState.js';

/** Relative accuracy of the curvature along ĝ that sets the noise radius h_σ. */
export const CURVATURE_ACCURACY = 1 / 100;
/** Differences from the model within this many noise sds (of a difference of two values) are noise. */
export const NOISE_BAND = 3;

/** The noise sd estimated from repeated evaluations (0 in the exact mode). */
export function gradientNoiseSd(state: GradientState): number {
  return state.noiseCount > 0 ? Math.sqrt(state.noiseSum / state.noiseCount) : 0;
}

/** The signed difference step for coordinate i (towards the inside of the box). */
export function differenceStep(state: GradientState, i: number, config: GradientConfig): number {
  const x = state.x[i]!;
  let h = state.h;
  if (state.noiseCount > 0) {
    // Central differences: +h then −h, each shortened at the box.
    const minus = state.pending.t < 0;
    if (minus) h = config.lower === undefined ? -h : -Math.min(h, x - config.lower[i]!);
    else if (config.upper !== undefined) h = Math.min(h, config.upper[i]! - x);
    return Math.fround(x + h) - x;
  }
  if (config.upper !== undefined && x + h > config.upper[i]!) h = -h;
  // The realised float32 step (x + h rounded), so the divisor is exact.
  return Math.fround(x + h) - x;
}

/** Begins a gradient at x: under noise the centre is evaluated again first, else the differences start. */
export function startDifferences(s: GradientState): GradientState {
  // Under noise the centre is evaluated again first (its mean value and the noise estimate).
  if (s.noiseCount > 0) return { ...s, pending: { kind: 'repeat', s: new Float64Array(0), predicted: 0, t: 0 } };
  return differencesFrom(s);
}

/** Under noise: h = max(Δ, h_σ), at most the cap found by the third-order check and a quarter of the box. */
function differenceScale(s: GradientState): number {
  let h = Math.max(s.delta, s.hNoise);
  if (s.hMax > 0) h = Math.min(h, s.hMax);
  return s.hBox > 0 ? Math.min(h, s.hBox) : h;
}

/** The first coordinate difference at x, into a fresh gradient buffer (under noise at h = differenceScale). */
export function differencesFrom(s: GradientState): GradientState {
  const noisy = s.noiseCount > 0;
  return { ...s, index: 0, h: noisy ? differenceScale(s) : s.h, grad: new Float64Array(s.dim), gradStamp: new Float64Array(1), gradVersion: 0, pending: { kind: 'difference', s: new Float64Array(0), predicted: 0, t: noisy ? 1 : 0 } };
}
