/**
 * The RL benchmark's grid: environments (with their evaluation and budget), methods, and the hand-tuned
 * setting of every method × environment (policy, estimator options, step rule, oracle). Hyperparameters were
 * chosen by short sweeps on seeds 1–3 (see the report's hyperparameter table); every method gets the same
 * training budget per environment.
 */
import { estimators } from '../../estimators/index.js';
import { environments } from '../../problems/index.js';
import type { BanditEnvironment, ContextualBanditEnvironment, SequenceTaskEnvironment } from '../../problems/index.js';
import { sequenceTask } from '../../problems/rl/sequenceTask.js';
import type { Estimator } from '../../src/estimator.js';
import type { Environment } from '../../src/rl/environment.js';
import { linearGaussian } from '../../src/rl/linearGaussian.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import { mlpPolicy } from '../../src/rl/mlpPolicy.js';
import type { Policy, ValueFunction } from '../../src/rl/policy.js';
import { valueNetwork } from '../../src/rl/valueNetwork.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { materialize } from '../../src/transform/materialize.js';
import { chain } from '../../src/transform/chain.js';
import { clipByGlobalNorm } from '../../src/transform/clipByGlobalNorm.js';
import type { Transform } from '../../src/transform/transform.js';

/** The environments of the benchmark. */
export const ENVIRONMENTS = ['cartPole', 'pendulum', 'bandit', 'contextualBandit', 'sequenceTask'] as const;
export type EnvName = (typeof ENVIRONMENTS)[number];

/** The methods: the registry's policy-gradient estimators and the zeroth-order ones on the return. */
export const METHODS = ['reinforce', 'ppo', 'grpo', 'spsa', 'mezo', 'zoRankSgd', 'lozo'] as const;
export type MethodName = (typeof METHODS)[number];

/** Policy-gradient methods (the registry's rollouts estimators). */
export function isPolicyGradient(method: string): boolean {
  return (estimators as Record<string, { response: string }>)[method]?.response === 'rollouts';
}

/** What a run is scored on and how long it may train. */
export interface EnvSpec {
  readonly title: string;
  readonly build: () => Environment;
  /** The score of the current parameters (not charged to the method): see `score`. */
  readonly score: 'greedyReturn' | 'heldOutSuccess' | 'expectedRegret';
  /** What the score means, for the report. */
  readonly scoreTitle: string;
  /** The score's axis title in plots. */
  readonly axisTitle: string;
  /** A run stops at the first evaluation whose score reaches this (≥, or ≤ for regret); none for bandits. */
  readonly target?: number;
  /** Training budget in episodes: one for every method, or one per family (policy-gradient, zeroth-order). */
  readonly budgetEpisodes: number | { readonly policyGradient: number; readonly zeroth: number };
  /** Evaluate after every this many training episodes (and at the end). */
  readonly evalEvery: number;
  /** Evaluation episodes (greedy) or contexts. */
  readonly evalEpisodes: number;
  /** Draw the learning curves on a logarithmic episode axis (budgets that differ tenfold). */
  readonly logEpisodes?: boolean;
}

export const ENV_SPECS: Record<EnvName, EnvSpec> = {
  cartPole: {
    title: 'CartPole-v1',
    build: () => environments.cartPole.build(environments.cartPole.defaultOptions),
    score: 'greedyReturn',
    scoreTitle: 'mean return of the greedy policy (100 episodes)',
    axisTitle: 'greedy mean return',
    target: 475,
    budgetEpisodes: 2000,
    evalEvery: 10,
    evalEpisodes: 100,
  },
  pendulum: {
    title: 'Pendulum-v1',
    build: () => environments.pendulum.build(environments.pendulum.defaultOptions),
    score: 'greedyReturn',
    scoreTitle: 'mean return of the greedy policy (100 episodes)',
    axisTitle: 'greedy mean return',
    target: -300,
    // The two budgets: 200,000 environment steps for PPO (and the other policy-gradient methods, whose
    // plain-TypeScript backpropagation makes 2M steps take many minutes), 2,000,000 for the zeroth-order methods.
    budgetEpisodes: { policyGradient: 1_000, zeroth: 10_000 },
    logEpisodes: true,
    evalEvery: 50,
    evalEpisodes: 100,
  },
  bandit: {
    title: '10-armed Gaussian bandit',
    build: () => environments.bandit.build(environments.bandit.defaultOptions),
    score: 'expectedRegret',
    scoreTitle: 'expected regret of the policy, max μ − Σ π(a) μₐ',
    axisTitle: 'expected regret per pull',
    budgetEpisodes: 2000,
    evalEvery: 20,
    evalEpisodes: 1,
  },
  contextualBandit: {
    title: 'linear contextual bandit (5 arms, d = 4)',
    build: () => environments.contextualBandit.build(environments.contextualBandit.defaultOptions),
    score: 'expectedRegret',
    scoreTitle: 'expected regret of the policy over 200 contexts, E[maxₐ θₐᵀx − Σ π(a|x) θₐᵀx]',
    axisTitle: 'expected regret per pull',
    budgetEpisodes: 4000,
    evalEvery: 40,
    evalEpisodes: 200,
  },
  sequenceTask: {
    title: 'sequence task (3 digits summing to a target; held-out targets)',
    build: () => environments.sequenceTask.build(environments.sequenceTask.defaultOptions),
    score: 'heldOutSuccess',
    scoreTitle: 'verified success of greedy answers on held-out prompts (400 episodes)',
    axisTitle: 'held-out success',
    target: 0.9,
    budgetEpisodes: 30_000,
    evalEvery: 200,
    logEpisodes: true,
    evalEpisodes: 400,
  },
};

/** The training budget of a method on an environment, in episodes. */
export function budgetOf(env: EnvName, method: string): number {
  const b = ENV_SPECS[env].budgetEpisodes;
  return typeof b === 'number' ? b : isPolicyGradient(method) ? b.policyGradient : b.zeroth;
}

/** The held-out split of the sequence task (evaluation only). */
export function heldOutSequenceTask(): SequenceTaskEnvironment {
  return sequenceTask({ split: 'heldOut' });
}

export type { BanditEnvironment, ContextualBanditEnvironment };

/** How a method is set up on an environment. */
export interface Setting {
  /** The policy (built for the environment). */
  readonly policy: (env: Environment) => Policy;
  readonly critic?: (env: Environment) => ValueFunction;
  /** Estimator options beyond `policy`/`value`, as passed to the registry's factory. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The step rule: Adam (default) or plain SGD with learning rate `lr`, optionally behind a global-norm clip. */
  readonly update: { readonly lr: number; readonly clip?: number; readonly rule?: 'adam' | 'sgd' };
  /** Zeroth-order methods: the actions of the policy they perturb, and episodes averaged per query. */
  readonly actions?: 'sample' | 'greedy';
  readonly episodesPerQuery?: number;
}

const linear = (env: Environment): Policy =>
  env.action.kind === 'discrete'
    ? linearSoftmax({ observationSize: env.observationSize, actions: env.action.n })
    : linearGaussian({ observationSize: env.observationSize, actionSize: env.action.size, low: env.action.low, high: env.action.high });
const mlp = (hidden: number[], initialLogStd = 0) => (env: Environment): Policy => mlpPolicy({ observationSize: env.observationSize, action: env.action, hidden, initialLogStd });
const critic = (hidden: number[]) => (env: Environment): ValueFunction => valueNetwork({ observationSize: env.observationSize, hidden });

/** Zeroth-order settings shared by the discrete tasks: a greedy linear policy perturbed in parameter space. */
const zo = (options: Record<string, unknown>, lr: number, extra: Partial<Setting> = {}): Setting => ({ policy: linear, options, update: { lr }, actions: 'greedy', episodesPerQuery: 1, ...extra });

/** The zeroth-order settings of both bandits: the sampling policy, σ = 1, two episodes per query. */
const banditZo = {
  spsa: zo({ sigma: 1 }, 0.1, { actions: 'sample', episodesPerQuery: 2 }),
  mezo: zo({ sigma: 1 }, 0.1, { actions: 'sample', episodesPerQuery: 2 }),
  zoRankSgd: zo({ sigma: 1 }, 0.1, { actions: 'sample', episodesPerQuery: 2 }),
  lozo: zo({ sigma: 1, rank: 1 }, 0.1, { actions: 'sample', episodesPerQuery: 2 }),
};

export const SETTINGS: Record<EnvName, Record<MethodName, Setting>> = {
  cartPole: {
    reinforce: { policy: linear, options: { episodes: 8, discount: 0.99 }, update: { lr: 0.05 } },
    ppo: { policy: linear, critic: critic([64, 64]), options: { episodes: 8, epochs: 4, minibatches: 4, discount: 0.99, gaeLambda: 0.95 }, update: { lr: 0.01 } },
    grpo: { policy: linear, options: { groups: 1, groupSize: 8, beta: 0, epochs: 2, minibatches: 2 }, update: { lr: 0.05 } },
    spsa: zo({ sigma: 0.5 }, 0.2),
    mezo: zo({ sigma: 0.5 }, 0.2),
    zoRankSgd: zo({ sigma: 0.3 }, 0.2),
    lozo: zo({ sigma: 0.5, rank: 2 }, 0.2),
  },
  pendulum: {
    reinforce: { policy: mlp([32, 32]), critic: critic([32, 32]), options: { episodes: 10, discount: 0.9, baseline: 'value' }, update: { lr: 3e-3, clip: 0.5 } },
    ppo: {
      policy: mlp([32, 32]),
      critic: critic([32, 32]),
      options: { episodes: 10, epochs: 10, minibatches: 32, discount: 0.9, gaeLambda: 0.95, rewardScale: 0.1 },
      update: { lr: 1e-3, clip: 0.5 },
    },
    grpo: { policy: mlp([32, 32]), options: { groups: 4, groupSize: 8, beta: 0, epochs: 4, minibatches: 4 }, update: { lr: 1e-3, clip: 0.5 } },
    spsa: zo({ sigma: 0.3, distribution: 'gaussian', numProbes: 8 }, 0.05, { policy: mlp([8]) }),
    mezo: zo({ sigma: 0.3 }, 0.05, { policy: mlp([8]) }),
    zoRankSgd: zo({ sigma: 0.3, numCandidates: 8 }, 0.05, { policy: mlp([8]) }),
    lozo: zo({ sigma: 0.3, rank: 2 }, 0.05, { policy: mlp([8]) }),
  },
  bandit: {
    reinforce: { policy: linear, options: { episodes: 8, normalizeAdvantages: false }, update: { lr: 0.05 } },
    ppo: { policy: linear, options: { episodes: 8, epochs: 4, minibatches: 2 }, update: { lr: 0.05 } },
    grpo: { policy: linear, options: { groups: 1, groupSize: 8, beta: 0 }, update: { lr: 0.05 } },
    ...banditZo,
  },
  contextualBandit: {
    reinforce: { policy: linear, options: { episodes: 8, normalizeAdvantages: false }, update: { lr: 0.05 } },
    ppo: { policy: linear, options: { episodes: 8, epochs: 4, minibatches: 2 }, update: { lr: 0.05 } },
    grpo: { policy: linear, options: { groups: 2, groupSize: 4, beta: 0 }, update: { lr: 0.05 } },
    ...banditZo,
  },
  sequenceTask: {
    reinforce: { policy: linear, options: { episodes: 32, discount: 1 }, update: { lr: 0.05 } },
    ppo: { policy: linear, options: { episodes: 32, epochs: 2, minibatches: 2, discount: 1, gaeLambda: 1 }, update: { lr: 0.05 } },
    grpo: { policy: linear, options: { groups: 4, groupSize: 8, beta: 0 }, update: { lr: 0.05 } },
    // The greedy (deterministic) answers of the perturbed policy, scored on 16 prompts per query.
    spsa: zo({ sigma: 1 }, 0.1, { episodesPerQuery: 16 }),
    mezo: zo({ sigma: 1 }, 0.1, { episodesPerQuery: 16 }),
    zoRankSgd: zo({ sigma: 1, numCandidates: 8 }, 0.1, { episodesPerQuery: 16 }),
    lozo: zo({ sigma: 1, rank: 1 }, 0.1, { episodesPerQuery: 16 }),
  },
};

/** The step rule of a setting: Adam or SGD, behind a global-norm clip when the setting has one. */
export function updateOf(s: Setting): Transform<unknown> {
  const rule = (s.update.rule === 'sgd' ? sgd(s.update.lr) : adam(s.update.lr)) as Transform<unknown>;
  return (s.update.clip !== undefined ? chain(materialize(), clipByGlobalNorm(s.update.clip), rule) : rule) as Transform<unknown>;
}

/** The registry estimator of a method with a setting's options. */
export function estimatorOf(method: MethodName, s: Setting, policy: Policy, value: ValueFunction | undefined): Estimator<unknown> {
  const entry = (estimators as Record<string, { build(o?: object): Estimator<unknown> }>)[method]!;
  return entry.build(isPolicyGradient(method) ? { ...s.options, policy, ...(value !== undefined ? { value } : {}) } : s.options);
}
