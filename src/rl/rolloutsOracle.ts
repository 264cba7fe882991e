import { InvalidHyperparameter, InvalidInput } from '../errors.js';
import { verdictOf } from '../oracle/_internal/verdict.js';
import type { RolloutsOracle } from '../oracle/oracle.js';
import type { EvalContext, Params } from '../types.js';
import { checkActionSpace } from './_internal/checkActionSpace.js';
import { runEpisodes } from './_internal/runEpisodes.js';
import { actionSize, type Environment } from './environment.js';
import type { Episode, EpisodeRequest } from './episode.js';
import type { Policy } from './policy.js';

/** Options of {@link rolloutsOracle}. */
export interface RolloutsOracleOptions {
  readonly environment: Environment;
  readonly policy: Policy;
  /**
   * `'sample'`: actions drawn from π(· | s) with the episode's action noise (what the policy-gradient
   * estimators need). `'greedy'`: the mode of π (a deterministic policy: evaluation, or zeroth-order policy
   * search on the return). @defaultValue 'sample'
   */
  readonly actions?: 'sample' | 'greedy';
}

/** A rollouts oracle that counts what it ran. */
export interface CountingRolloutsOracle extends RolloutsOracle<Params> {
  readonly environment: Environment;
  readonly policy: Policy;
  /** Episodes run so far (every call counts, `returns` included). */
  readonly episodes: number;
  /** Environment steps taken so far. */
  readonly steps: number;
  rollouts(x: Params, requests: readonly EpisodeRequest[], context?: EvalContext): Episode[];
  returns(x: Params, requests: readonly EpisodeRequest[], context?: EvalContext): Float64Array;
}

/**
 * The rollouts oracle: runs one episode of `environment` under `policy` with parameters x per request, all
 * requests of a call stepped together as one vectorised batch (finished episodes leave the batch; an
 * episode still running after `environment.maxSteps` steps is truncated).
 *
 * Common random numbers by episode seed: the start state is a function of `request.seed`, the action and
 * transition noise of `(request.seed, request.sample)` (see `episodeKeys`), so the + and − probes of a
 * zeroth-order estimator face the same episodes and a GRPO group (one seed, G samples) shares its start state.
 *
 * Cost of a call: Σ episode lengths × (one environment step + one policy row); memory: the episodes' arrays
 * (`returns` keeps none).
 *
 * @throws InvalidInput when the policy's observation size or action space does not match the environment's
 *
 * @example
 * ```ts
 * import { linearSoftmax, rolloutsOracle } from 'zeroth';
 * import { cartPole } from 'zeroth/problems';
 * const environment = cartPole();
 * const policy = linearSoftmax({ observationSize: 4, actions: 2 });
 * const oracle = rolloutsOracle({ environment, policy });
 * const episodes = oracle.rollouts(policy.init(0), [{ seed: 1, sample: 0 }, { seed: 2, sample: 0 }]);
 * // episodes[0].return, episodes[0].length, oracle.steps
 * ```
 */
export function rolloutsOracle(options: RolloutsOracleOptions): CountingRolloutsOracle {
  const { environment, policy } = options ?? ({} as RolloutsOracleOptions);
  if (environment === undefined || typeof environment.step !== 'function') {
    throw new InvalidHyperparameter('environment', environment, "must be an Environment, e.g. cartPole() from 'zeroth/problems'");
  }
  if (policy === undefined || typeof policy.act !== 'function') {
    throw new InvalidHyperparameter('policy', policy, "must be a Policy, e.g. linearSoftmax({ observationSize, actions })");
  }
  checkCompatible(environment, policy);
  const mode = options.actions ?? 'sample';
  if (mode !== 'sample' && mode !== 'greedy') throw new InvalidHyperparameter('actions', mode, "must be 'sample' or 'greedy'");
  let episodes = 0;
  let steps = 0;
  const run = (x: Params, requests: readonly EpisodeRequest[], record: boolean) => {
    // Malformed requests are the oracle's own verdict; what the environment or the policy throws is the objective's.
    try {
      checkRequests(requests);
    } catch (e) {
      throw verdictOf(self, e);
    }
    const out = runEpisodes(environment, policy, x, requests, mode === 'greedy', record);
    episodes += requests.length;
    steps += out.steps;
    return out;
  };
  const self: CountingRolloutsOracle = {
    kind: 'rollouts',
    environment,
    policy,
    get episodes() {
      return episodes;
    },
    get steps() {
      return steps;
    },
    rollouts: (x, requests) => run(x, requests, true).episodes,
    returns: (x, requests) => run(x, requests, false).returns,
  };
  return self;
}

function checkCompatible(env: Environment, policy: Policy): void {
  if (policy.observationSize !== env.observationSize) {
    throw new InvalidInput('policy', `it reads ${policy.observationSize} observation values but ${env.name} observes ${env.observationSize}`, `Build the policy with observationSize: ${env.observationSize}.`);
  }
  const a = checkActionSpace('environment.action', env.action);
  const b = policy.action;
  const same = a.kind === b.kind && (a.kind === 'discrete' ? b.kind === 'discrete' && a.n === b.n : actionSize(a) === actionSize(b));
  if (!same) {
    const show = (s: typeof a): string => (s.kind === 'discrete' ? `${s.n} discrete actions` : `continuous actions of size ${s.size}`);
    throw new InvalidInput('policy', `it acts with ${show(b)} but ${env.name} takes ${show(a)}`, 'Build the policy for the environment\'s action space.');
  }
}

function checkRequests(requests: readonly EpisodeRequest[]): void {
  if (!Array.isArray(requests)) throw new InvalidInput('requests', 'it is not an array', 'Pass an array of { seed, sample }.');
  for (const [i, r] of requests.entries()) {
    const ok = r !== null && typeof r === 'object' && Number.isInteger(r.seed) && r.seed >= 0 && r.seed <= 0xffffffff && Number.isInteger(r.sample) && r.sample >= 0;
    if (!ok) throw new InvalidInput(`requests[${i}]`, 'it is not { seed: uint32, sample: integer ≥ 0 }', 'Give every episode a uint32 seed and a sample index.');
  }
}
