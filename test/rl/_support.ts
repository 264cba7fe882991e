import { bandit } from '../../problems/rl/bandit.js';
import { cartPole } from '../../problems/rl/cartPole.js';
import { contextualBandit } from '../../problems/rl/contextualBandit.js';
import { pendulum } from '../../problems/rl/pendulum.js';
import { sequenceTask } from '../../problems/rl/sequenceTask.js';
import type { Environment } from '../../src/rl/environment.js';
import { linearGaussian } from '../../src/rl/linearGaussian.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import type { Policy } from '../../src/rl/policy.js';
import { gaussianAt } from '../../src/rng/gaussian.js';
import type { Params } from '../../src/types.js';

/** Every environment of the package, in its default and its variant instances. */
export const ENVIRONMENTS: readonly (() => Environment)[] = [
  () => cartPole(),
  () => cartPole({ maxSteps: 50 }),
  () => pendulum(),
  () => bandit(),
  () => bandit({ kind: 'bernoulli', arms: 4, seed: 3 }),
  () => bandit({ means: [1, 2, 3], std: 0.5 }),
  () => contextualBandit(),
  () => contextualBandit({ arms: 3, contextSize: 2, std: 0 }),
  () => sequenceTask(),
  () => sequenceTask({ split: 'heldOut', length: 2 }),
];

/** The linear policy of an environment's action space. */
export function linearPolicyFor(env: Environment): Policy {
  return env.action.kind === 'discrete'
    ? linearSoftmax({ observationSize: env.observationSize, actions: env.action.n })
    : linearGaussian({ observationSize: env.observationSize, actionSize: env.action.size, low: env.action.low, high: env.action.high });
}

/** Parameters of `policy` filled with seeded normals × scale (so episodes are neither trivial nor all alike). */
export function randomParams(policy: Policy, seed: number, scale = 0.5): Params {
  return policy.init(0).map((b, i) => ({ ...b, data: Float32Array.from(b.data, (_, j) => scale * gaussianAt(seed, i, j, 6)) }));
}
