import type { Backend } from '../../backend/backend.js';
import type { Params, Probe } from '../../types.js';

/** A probe as it is evaluated inside the box: its point and the probe re-expressed with the realised scale. */
export interface ClippedProbe {
  /** The standardised point, every coordinate in [−1, 1]. */
  readonly point: Float32Array;
  /** The probe with `scale` replaced by the realised scale (the same object when nothing was clipped). */
  readonly probe: Probe;
  /** True when a bound shortened the probe. */
  readonly clipped: boolean;
}

/**
 * Keeps a probe `x + s·d` inside the box [−1, 1]^dim by shortening it along its own direction: the realised
 * scale s′ is the largest |s′| ≤ |s| (same sign) with every coordinate of `x + s′·d` in [−1, 1], so the point
 * stays on the ray the estimator chose and the estimator, reading s′ from the re-expressed probe, divides by
 * the realised difference (algorithms.md S-5). A float32 rounding that lands a coordinate a hair outside the
 * box is clamped. `x` itself must lie in the box; it is not modified.
 */
export function clipProbe(backend: Backend, params: Params, probe: Probe): ClippedProbe {
  const x = backend.read(params[0]!);
  const point = x.slice();
  const s = Math.fround(probe.scale);
  if (probe.direction.kind === 'none' || s === 0) return { point, probe, clipped: false };
  const z = backend.zerosLike(params);
  backend.perturbInPlace(probe.direction, 1, z);
  const d = backend.read(z[0]!);
  const sign = s > 0 ? 1 : -1;
  let reach = Math.abs(s);
  for (let i = 0; i < d.length; i++) {
    const step = sign * d[i]!;
    if (step > 0) reach = Math.min(reach, Math.max(0, (1 - x[i]!) / step));
    else if (step < 0) reach = Math.min(reach, Math.max(0, (-1 - x[i]!) / step));
  }
  backend.dispose(z);
  const clipped = reach < Math.abs(s);
  const realised = clipped ? sign * towardZero(reach) : probe.scale;
  const target: Params = [{ name: params[0]!.name, shape: params[0]!.shape, data: point }];
  backend.perturbInPlace(probe.direction, realised, target);
  for (let i = 0; i < point.length; i++) point[i] = Math.min(1, Math.max(-1, point[i]!));
  return { point, probe: clipped ? { ...probe, scale: realised } : probe, clipped };
}

const bits = new Float32Array(1);
const word = new Uint32Array(bits.buffer);

/** The largest float32 ≤ r (r ≥ 0), so a shortened probe never reaches past the bound it was cut at. */
function towardZero(r: number): number {
  bits[0] = r;
  if (bits[0]! > r) word[0] = word[0]! - 1;
  return bits[0]!;
}
