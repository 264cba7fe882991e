import { InvalidInput } from '../../src/errors.js';
import type { Environment } from '../../src/rl/environment.js';
import { episodeKeys } from '../../src/rl/episodeKeys.js';
import { uniformDraw } from '../../src/rl/streamDraws.js';
import { checkInteger } from '../_internal/validate.js';

/** Options of {@link cartPole}. */
export interface CartPoleOptions {
  /** Time limit. @defaultValue 500 (CartPole-v1) */
  readonly maxSteps?: number;
}

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
const HALF_LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE = 10.0;
const TAU = 0.02;
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
const X_LIMIT = 2.4;

/**
 * CartPole-v1: balance a pole on a cart by pushing the cart left (action 0) or right (action 1) with a force
 * of 10 N. The dynamics of Barto, Sutton & Anderson (1983) as in Gymnasium, explicit Euler with τ = 0.02 s:
 *
 * θ̈ = (g sin θ − cos θ · tmp) / (l (4/3 − m_p cos²θ / M)),  tmp = (F + m_p l θ̇² sin θ) / M,
 * ẍ = tmp − m_p l θ̈ cos θ / M,
 * x += τ ẋ, ẋ += τ ẍ, θ += τ θ̇, θ̇ += τ θ̈
 *
 * with g = 9.8, cart 1.0 kg, pole 0.1 kg, half-length l = 0.5, M = 1.1. Observation (x, ẋ, θ, θ̇) in float32;
 * state in float64. Reward 1 for every step, the last included. The episode terminates when |θ| > 12° or
 * |x| > 2.4 and is truncated after `maxSteps` (500) steps, so returns lie in [1, maxSteps]; solved at a mean
 * return of 475. Start state: each coordinate uniform in [−0.05, 0.05] from the episode seed.
 *
 * Cost of a step: one sin, one cos and about 25 flops per copy; no allocation.
 *
 * @see A. G. Barto, R. S. Sutton, C. W. Anderson, "Neuronlike adaptive elements that can solve difficult
 * learning control problems", IEEE SMC 13(5), 1983.
 *
 * @example
 * ```ts
 * import { rolloutsOracle, linearSoftmax } from 'zeroth';
 * import { cartPole } from 'zeroth/problems';
 * const env = cartPole();
 * const oracle = rolloutsOracle({ environment: env, policy: linearSoftmax({ observationSize: 4, actions: 2 }) });
 * ```
 */
export function cartPole(options: CartPoleOptions = {}): Environment {
  const maxSteps = checkInteger('maxSteps', options.maxSteps ?? 500, 1);
  return {
    name: 'cartPole',
    observationSize: 4,
    action: { kind: 'discrete', n: 2 },
    maxSteps,
    stateSize: 4,
    returnBounds: { lower: 1, upper: maxSteps },
    solvedAt: Math.min(475, 0.95 * maxSteps),
    reset(state, row, seed) {
      const { k1, k2 } = episodeKeys(seed, 0).start;
      for (let i = 0; i < 4; i++) state[4 * row + i] = -0.05 + 0.1 * uniformDraw(k1, k2, i);
    },
    observe(state, count, out) {
      for (let i = 0; i < 4 * count; i++) out[i] = state[i]!;
    },
    step(state, count, actions, reward, terminated) {
      for (let r = 0; r < count; r++) {
        const a = actions[r]!;
        if (a !== 0 && a !== 1) throw new InvalidInput('action', `row ${r} chose ${a}`, 'CartPole takes action 0 (push left) or 1 (push right).');
        const o = 4 * r;
        const x = state[o]!;
        const xDot = state[o + 1]!;
        const theta = state[o + 2]!;
        const thetaDot = state[o + 3]!;
        const force = a === 1 ? FORCE : -FORCE;
        const cos = Math.cos(theta);
        const sin = Math.sin(theta);
        const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4 / 3 - (MASS_POLE * cos * cos) / TOTAL_MASS));
        const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
        const nx = x + TAU * xDot;
        const nTheta = theta + TAU * thetaDot;
        state[o] = nx;
        state[o + 1] = xDot + TAU * xAcc;
        state[o + 2] = nTheta;
        state[o + 3] = thetaDot + TAU * thetaAcc;
        reward[r] = 1;
        terminated[r] = nx < -X_LIMIT || nx > X_LIMIT || nTheta < -THETA_LIMIT || nTheta > THETA_LIMIT ? 1 : 0;
      }
    },
  };
}
