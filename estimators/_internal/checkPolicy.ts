import { InvalidHyperparameter } from '../../src/errors.js';
import type { Policy, ValueFunction } from '../../src/rl/policy.js';

/** Checks the `policy` (required) and `value` (optional) options of a policy-gradient estimator. */
export function checkPolicy(estimator: string, policy: unknown, value: unknown): { policy: Policy; value: ValueFunction | undefined } {
  const p = policy as Policy | undefined;
  if (p === null || typeof p !== 'object' || typeof p.accumulateGrad !== 'function' || !Number.isInteger(p.blockCount)) {
    throw new InvalidHyperparameter('policy', policy, `is required by "${estimator}": pass a Policy, e.g. linearSoftmax({ observationSize, actions }) from 'zeroth'`);
  }
  const v = value as ValueFunction | undefined;
  if (v !== undefined && (v === null || typeof v !== 'object' || typeof v.predict !== 'function' || !Number.isInteger(v.blockCount))) {
    throw new InvalidHyperparameter('value', value, "must be a ValueFunction, e.g. valueNetwork({ observationSize }) from 'zeroth'");
  }
  if (v !== undefined && v.observationSize !== p.observationSize) {
    throw new InvalidHyperparameter('value', `a value function of observationSize ${v.observationSize}`, `must read the policy's observationSize ${p.observationSize}`);
  }
  return { policy: p, value: v };
}

/** Checks a number in [0, 1]. */
export function unitInterval(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new InvalidHyperparameter(name, value, 'must be a number in [0, 1]');
  return value;
}
