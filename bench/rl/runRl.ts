/**
 * One run of the RL benchmark: a method trained on an environment with one seed, evaluated (outside its
 * budget) every few training episodes until it reaches the environment's target or spends its budget.
 */
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { ZerothError } from '../../src/errors.js';
import { rankingFromValues } from '../../src/oracle/adapters.js';
import type { Oracle, RolloutsOracle } from '../../src/oracle/oracle.js';
import { optimizer } from '../../src/optimizer.js';
import type { Environment } from '../../src/rl/environment.js';
import type { Episode, EpisodeRequest } from '../../src/rl/episode.js';
import type { Policy } from '../../src/rl/policy.js';
import { returnOracle } from '../../src/oracle/returnOracle.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import type { Params } from '../../src/types.js';
import {
  ENV_SPECS,
  budgetOf,
  SETTINGS,
  estimatorOf,
  heldOutSequenceTask,
  isPolicyGradient,
  updateOf,
  type BanditEnvironment,
  type ContextualBanditEnvironment,
  type EnvName,
  type MethodName,
  type Setting,
} from './settings.js';

/** One run to do. */
export interface RlTask {
  readonly method: MethodName;
  readonly env: EnvName;
  readonly seed: number;
  /** Multiplies the training budget (quick mode < 1). @defaultValue 1 */
  readonly budgetScale?: number;
  /** Replaces the method's setting (hyperparameter sweeps). */
  readonly setting?: Setting;
}

/** What a run produced. */
export interface RlRecord {
  readonly method: MethodName;
  readonly env: EnvName;
  readonly seed: number;
  readonly budgetEpisodes: number;
  /** Training episodes, environment steps and optimizer steps (updates) spent. */
  readonly episodes: number;
  readonly steps: number;
  readonly updates: number;
  /** Training wall time (evaluations excluded). */
  readonly wallMs: number;
  /** The score after `episodes[i]` training episodes (`steps[i]` environment steps). */
  readonly curve: { readonly episodes: number[]; readonly steps: number[]; readonly score: number[] };
  /** Cumulative pseudo-regret of the training pulls (bandits): Σ (optimal expected reward − expected reward of the pulled arm). */
  readonly regret?: { readonly episodes: number[]; readonly cumulative: number[] };
  /** Training episodes and steps at the first evaluation that met the target; null when none did. */
  readonly solved: { readonly episodes: number; readonly steps: number } | null;
  readonly final: number;
  readonly stoppedBy: 'target' | 'budget' | 'error';
  readonly error?: string;
}

const EVAL_SEED = 1_000_000_000;

/** The score function of an environment (see `EnvSpec.score`). */
function scorer(name: EnvName, env: Environment, policy: Policy): (params: Params) => number {
  const spec = ENV_SPECS[name];
  const requests = Array.from({ length: spec.evalEpisodes }, (_, i): EpisodeRequest => ({ seed: EVAL_SEED + i, sample: 0 }));
  const mean = (x: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]!;
    return s / x.length;
  };
  if (spec.score === 'greedyReturn') {
    const oracle = rolloutsOracle({ environment: env, policy, actions: 'greedy' });
    return (p) => mean(oracle.returns(p, requests));
  }
  if (spec.score === 'heldOutSuccess') {
    const oracle = rolloutsOracle({ environment: heldOutSequenceTask(), policy, actions: 'greedy' });
    return (p) => mean(oracle.returns(p, requests));
  }
  // Expected regret of the sampling policy, exact per context: max − Σₐ π(a|x) r(x, a).
  const k = env.action.kind === 'discrete' ? env.action.n : 0;
  const contexts = name === 'bandit' ? [new Float64Array([1])] : requests.map((r) => (env as ContextualBanditEnvironment).context(r.seed));
  const payoff = (x: Float64Array, a: number): number => {
    if (name === 'bandit') return (env as BanditEnvironment).means[a]!;
    const { theta } = env as ContextualBanditEnvironment;
    let s = 0;
    for (let j = 0; j < x.length; j++) s += theta[a * x.length + j]! * x[j]!;
    return s;
  };
  const O = env.observationSize;
  const obs = new Float32Array(k * O);
  const actions = Float32Array.from({ length: k }, (_, a) => a);
  const logp = new Float64Array(k);
  return (p) => {
    let total = 0;
    for (const x of contexts) {
      for (let a = 0; a < k; a++) obs.set(x, a * O);
      policy.logProb(p, obs, actions, k, logp);
      let best = -Infinity;
      let expected = 0;
      for (let a = 0; a < k; a++) {
        const r = payoff(x, a);
        best = Math.max(best, r);
        expected += Math.exp(logp[a]!) * r;
      }
      total += best - expected;
    }
    return total / contexts.length;
  };
}

/** The pseudo-regret of one training episode of a bandit. */
function regretOf(name: EnvName, env: Environment): ((e: Episode) => number) | undefined {
  if (name === 'bandit') {
    const b = env as BanditEnvironment;
    return (e) => b.optimalValue - b.means[e.actions[0]!]!;
  }
  if (name === 'contextualBandit') {
    const c = env as ContextualBanditEnvironment;
    return (e) => {
      const x = c.context(e.seed);
      const a = e.actions[0]!;
      let s = 0;
      for (let j = 0; j < x.length; j++) s += c.theta[a * x.length + j]! * x[j]!;
      return c.optimalReturn(e.seed) - s;
    };
  }
  return undefined;
}

/** A rollouts oracle that reports every episode it runs (and has no returns-only path, so it always can). */
function observed(inner: RolloutsOracle<Params>, onEpisode: (e: Episode) => void): RolloutsOracle<Params> {
  return {
    kind: 'rollouts',
    async rollouts(x, requests, context) {
      const eps = await inner.rollouts(x, requests, context);
      for (const e of eps) onEpisode(e);
      return eps;
    },
  };
}

/** Runs one task. */
export async function runRl(task: RlTask): Promise<RlRecord> {
  const spec = ENV_SPECS[task.env];
  const setting = task.setting ?? SETTINGS[task.env][task.method];
  const env = spec.build();
  const policy = setting.policy(env);
  const critic = setting.critic?.(env);
  const params: Params = [...policy.init(task.seed), ...(critic !== undefined ? critic.init(task.seed + 7919) : [])];
  const pg = isPolicyGradient(task.method);
  const train = rolloutsOracle({ environment: env, policy, actions: pg ? 'sample' : (setting.actions ?? 'greedy') });
  const regretOfEpisode = regretOf(task.env, env);
  let regret = 0;
  const source: RolloutsOracle<Params> = regretOfEpisode === undefined ? train : observed(train, (e) => (regret += regretOfEpisode(e)));
  let oracle: Oracle<Params> = source;
  if (!pg) {
    const value = returnOracle(source, { episodes: setting.episodesPerQuery ?? 1 });
    oracle = task.method === 'zoRankSgd' ? rankingFromValues(value) : value;
  }
  const opt = optimizer({ estimator: estimatorOf(task.method, setting, policy, critic), update: updateOf(setting), backend: cpuBackend() });
  const budget = Math.max(1, Math.round(budgetOf(task.env, task.method) * (task.budgetScale ?? 1)));
  const score = scorer(task.env, env, policy);
  const better = spec.score === 'expectedRegret' ? (s: number, t: number) => s <= t : (s: number, t: number) => s >= t;
  const curve = { episodes: [] as number[], steps: [] as number[], score: [] as number[] };
  const regretCurve = { episodes: [] as number[], cumulative: [] as number[] };
  let solved: RlRecord['solved'] = null;
  let wallMs = 0;
  let updates = 0;
  let nextEval = 0;
  let stoppedBy: RlRecord['stoppedBy'] = 'budget';
  let error: string | undefined;
  const evaluate = (): boolean => {
    const s = score(params);
    curve.episodes.push(train.episodes);
    curve.steps.push(train.steps);
    curve.score.push(s);
    if (regretOfEpisode !== undefined) {
      regretCurve.episodes.push(train.episodes);
      regretCurve.cumulative.push(regret);
    }
    nextEval = train.episodes + spec.evalEvery;
    if (spec.target !== undefined && solved === null && better(s, spec.target)) {
      solved = { episodes: train.episodes, steps: train.steps };
      return true;
    }
    return false;
  };
  let state = opt.init(params, task.seed);
  if (evaluate()) stoppedBy = 'target';
  else {
    for (;;) {
      const t0 = performance.now();
      try {
        state = (await opt.step(params, oracle, state)).state;
      } catch (e) {
        if (!(e instanceof ZerothError)) throw e;
        stoppedBy = 'error';
        error = e.message;
        break;
      }
      wallMs += performance.now() - t0;
      updates++;
      const done = train.episodes >= budget;
      if (train.episodes >= nextEval || done) {
        if (evaluate()) {
          stoppedBy = 'target';
          break;
        }
      }
      if (done) break;
    }
  }
  return {
    method: task.method,
    env: task.env,
    seed: task.seed,
    budgetEpisodes: budget,
    episodes: train.episodes,
    steps: train.steps,
    updates,
    wallMs,
    curve,
    ...(regretOfEpisode !== undefined ? { regret: regretCurve } : {}),
    solved,
    final: curve.score[curve.score.length - 1]!,
    stoppedBy,
    ...(error !== undefined ? { error } : {}),
  };
}
