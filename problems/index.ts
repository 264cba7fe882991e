/**
 * `zeroth/problems`: objectives to minimise, with exact gradients and known optima, plus the wrappers that
 * make them noisy, rotated or shifted. Every problem implements {@link Problem}. Reinforcement-learning
 * environments (`cartPole`, `pendulum`, `bandit`, `contextualBandit`, `sequenceTask`) implement `Environment`
 * and are listed in {@link environments}.
 *
 * @packageDocumentation
 */

import type { ProblemEntry } from './problemEntry.js';
import { logisticRegression } from './logisticRegression.js';
import { lowRankMatrix } from './lowRankMatrix.js';
import { quadratic } from './quadratic.js';
import { rastrigin } from './rastrigin.js';
import { rosenbrock } from './rosenbrock.js';
import { sphere } from './sphere.js';
import type { EnvironmentEntry } from './environmentEntry.js';
import { bandit } from './rl/bandit.js';
import { cartPole } from './rl/cartPole.js';
import { contextualBandit } from './rl/contextualBandit.js';
import { pendulum } from './rl/pendulum.js';
import { sequenceTask } from './rl/sequenceTask.js';

export type { Problem } from './problem.js';
export type { ProblemEntry } from './problemEntry.js';
export { sphere } from './sphere.js';
export type { SphereOptions, SphereProblem } from './sphere.js';
export { quadratic } from './quadratic.js';
export type { QuadraticOptions, QuadraticProblem } from './quadratic.js';
export { rosenbrock } from './rosenbrock.js';
export type { RosenbrockOptions, RosenbrockProblem } from './rosenbrock.js';
export { rastrigin } from './rastrigin.js';
export type { RastriginOptions, RastriginProblem } from './rastrigin.js';
export { logisticRegression } from './logisticRegression.js';
export type { LogisticRegressionOptions, LogisticRegressionProblem } from './logisticRegression.js';
export { lowRankMatrix } from './lowRankMatrix.js';
export type { LowRankMatrixOptions, LowRankMatrixProblem } from './lowRankMatrix.js';
export { haarRotation } from './haarRotation.js';
export type { Rotation } from './haarRotation.js';
export { noisy } from './wrappers/noisy.js';
export type { NoisyProblem } from './wrappers/noisy.js';
export { rotated } from './wrappers/rotated.js';
export type { RotatedProblem } from './wrappers/rotated.js';
export { shifted } from './wrappers/shifted.js';
export type { ShiftedProblem } from './wrappers/shifted.js';
export type { EnvironmentEntry } from './environmentEntry.js';
export { cartPole, type CartPoleOptions } from './rl/cartPole.js';
export { pendulum, type PendulumOptions } from './rl/pendulum.js';
export { bandit, type BanditEnvironment, type BanditOptions } from './rl/bandit.js';
export { contextualBandit, type ContextualBanditEnvironment, type ContextualBanditOptions } from './rl/contextualBandit.js';
export { sequenceTask, type SequenceTaskEnvironment, type SequenceTaskOptions } from './rl/sequenceTask.js';

/**
 * The registry of base problems; each key equals the factory's export name. `defaultOptions` are a
 * benchmark-sized instance (d = 10, `quadratic` with condition 100; `lowRankMatrix` 8 × 6 of rank 2), not the
 * factories' own defaults.
 * Wrappers (`noisy`, `rotated`, `shifted`) compose with any entry and are not listed.
 *
 * @example
 * ```ts
 * for (const [name, entry] of Object.entries(problems)) {
 *   const p = entry.build(entry.defaultOptions);   // p.name === name
 * }
 * ```
 */
export const problems = {
  sphere: { build: sphere, differentiable: true, defaultOptions: { dim: 10 } },
  quadratic: { build: quadratic, differentiable: true, defaultOptions: { dim: 10, condition: 100 } },
  rosenbrock: { build: rosenbrock, differentiable: true, defaultOptions: { dim: 10 } },
  rastrigin: { build: rastrigin, differentiable: true, defaultOptions: { dim: 10 } },
  logisticRegression: {
    build: logisticRegression,
    differentiable: true,
    defaultOptions: { dim: 10, samples: 100, seed: 0, l2: 1e-3 },
  },
  lowRankMatrix: { build: lowRankMatrix, differentiable: true, defaultOptions: { rows: 8, cols: 6, rank: 2, seed: 0 } },
} as const satisfies Record<string, ProblemEntry>;

/**
 * The registry of reinforcement-learning environments; each key equals the factory's export name and
 * `build(defaultOptions)` gives the standard instance (CartPole-v1, Pendulum-v1, a 10-armed Gaussian bandit, a
 * 5-armed linear contextual bandit in 4 dimensions, the 3-digit sum task's training prompts).
 *
 * @example
 * ```ts
 * for (const [name, entry] of Object.entries(environments)) {
 *   const env = entry.build(entry.defaultOptions);   // env.name === name
 * }
 * ```
 */
export const environments = {
  cartPole: { build: cartPole, defaultOptions: {} },
  pendulum: { build: pendulum, defaultOptions: {} },
  bandit: { build: bandit, defaultOptions: { arms: 10, kind: 'gaussian', seed: 0 } },
  contextualBandit: { build: contextualBandit, defaultOptions: { arms: 5, contextSize: 4, seed: 0 } },
  sequenceTask: { build: sequenceTask, defaultOptions: { split: 'train' } },
} as const satisfies Record<string, EnvironmentEntry>;
