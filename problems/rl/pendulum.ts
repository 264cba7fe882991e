import type { Environment } from '../../src/rl/environment.js';
import { episodeKeys } from '../../src/rl/episodeKeys.js';
import { uniformDraw } from '../../src/rl/streamDraws.js';
import { checkInteger } from '../_internal/validate.js';

/** Options of {@link pendulum}. */
export interface PendulumOptions {
  /** Time limit. @defaultValue 200 (Pendulum-v1) */
  readonly maxSteps?: number;
}

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const G = 10;
const M = 1;
const L = 1;
/** The largest cost of one step: π² + 0.1 · 8² + 0.001 · 2². */
const MAX_COST = Math.PI * Math.PI + 0.1 * MAX_SPEED * MAX_SPEED + 0.001 * MAX_TORQUE * MAX_TORQUE;

/** θ wrapped into [−π, π). */
function angleNormalize(x: number): number {
  const t = (x + Math.PI) % (2 * Math.PI);
  return (t < 0 ? t + 2 * Math.PI : t) - Math.PI;
}

/**
 * Pendulum-v1: swing a frictionless pendulum up and keep it upright with a torque u ∈ [−2, 2] (the action is
 * clipped to it). With θ = 0 upright, g = 10, m = l = 1, dt = 0.05:
 *
 * r = −(angle(θ)² + 0.1 θ̇² + 0.001 u²),  θ̇ ← clip(θ̇ + (3g/(2l) sin θ + 3u/(m l²)) dt, −8, 8),  θ ← θ + θ̇ dt
 *
 * (the reward uses the state before the step). Observation (cos θ, sin θ, θ̇). Start: θ uniform in [−π, π],
 * θ̇ uniform in [−1, 1] from the episode seed. No terminal state: every episode is truncated after
 * `maxSteps` (200) steps, so returns lie in [−200 · (π² + 6.4 + 0.004), 0] ≈ [−3254.7, 0].
 *
 * Cost of a step: one sin, one modulo and about 15 flops per copy.
 *
 * @see Gymnasium, `Pendulum-v1` (classic control), the reference dynamics.
 *
 * @example
 * ```ts
 * import { mlpPolicy } from 'zeroth';
 * import { pendulum } from 'zeroth/problems';
 * const env = pendulum();
 * const policy = mlpPolicy({ observationSize: 3, action: env.action, hidden: [32, 32] });
 * ```
 */
export function pendulum(options: PendulumOptions = {}): Environment {
  const maxSteps = checkInteger('maxSteps', options.maxSteps ?? 200, 1);
  return {
    name: 'pendulum',
    observationSize: 3,
    action: { kind: 'continuous', size: 1, low: -MAX_TORQUE, high: MAX_TORQUE },
    maxSteps,
    stateSize: 2,
    returnBounds: { lower: -maxSteps * MAX_COST, upper: 0 },
    reset(state, row, seed) {
      const { k1, k2 } = episodeKeys(seed, 0).start;
      state[2 * row] = -Math.PI + 2 * Math.PI * uniformDraw(k1, k2, 0);
      state[2 * row + 1] = -1 + 2 * uniformDraw(k1, k2, 1);
    },
    observe(state, count, out) {
      for (let r = 0; r < count; r++) {
        const th = state[2 * r]!;
        out[3 * r] = Math.cos(th);
        out[3 * r + 1] = Math.sin(th);
        out[3 * r + 2] = state[2 * r + 1]!;
      }
    },
    step(state, count, actions, reward, terminated) {
      for (let r = 0; r < count; r++) {
        const a = actions[r]!;
        const u = a < -MAX_TORQUE ? -MAX_TORQUE : a > MAX_TORQUE ? MAX_TORQUE : a;
        const th = state[2 * r]!;
        const thDot = state[2 * r + 1]!;
        const n = angleNormalize(th);
        reward[r] = -(n * n + 0.1 * thDot * thDot + 0.001 * u * u);
        let v = thDot + ((3 * G) / (2 * L) * Math.sin(th) + (3 / (M * L * L)) * u) * DT;
        v = v < -MAX_SPEED ? -MAX_SPEED : v > MAX_SPEED ? MAX_SPEED : v;
        state[2 * r] = th + v * DT;
        state[2 * r + 1] = v;
        terminated[r] = 0;
      }
    },
  };
}
