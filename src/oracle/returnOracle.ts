import { InvalidHyperparameter, OracleMismatch } from '../errors.js';
import { askInner, verdictOf } from './_internal/verdict.js';
import type { RolloutsOracle, ValueOracle } from './oracle.js';
import { derivedSeed } from '../rng/derivedSeed.js';
import type { EvalContext, Params } from '../types.js';
import type { EpisodeRequest } from '../rl/episode.js';

/** Options of {@link returnOracle}. */
export interface ReturnOracleOptions {
  /** Episodes averaged per query. @defaultValue 1 */
  readonly episodes?: number;
}

const EPISODE = 7;

/**
 * The return as an objective to minimise: f(θ) = −(1/E) Σₑ Rₑ(θ), the mean return of E episodes of the
 * rollouts oracle, negated. The episode seeds are derived from the query's `noiseSeed`, so the two probes of
 * an antithetic pair (which share their noise key) face the same E episodes: common random numbers. This is
 * all zeroth-order policy search needs: `spsa`, `mezo`, `lozo` take it as a value oracle, and `zoRankSgd`
 * through `rankingFromValues` (which ranks every candidate on the same episodes).
 *
 * Queries: 1 per call (E episodes); uses the oracle's `returns` (no trajectories kept) when it has one.
 *
 * @example
 * ```ts
 * import { minimize, adam, linearSoftmax, rolloutsOracle, returnOracle, optimizer } from 'zeroth';
 * import { spsa } from 'zeroth/estimators';
 * import { cartPole } from 'zeroth/problems';
 * const policy = linearSoftmax({ observationSize: 4, actions: 2 });
 * const f = returnOracle(rolloutsOracle({ environment: cartPole(), policy, actions: 'greedy' }), { episodes: 2 });
 * const opt = optimizer({ estimator: spsa({ sigma: 0.1 }), update: adam(0.05) });
 * const params = policy.init(0);
 * let state = opt.init(params, 1);
 * for (let k = 0; k < 20; k++) state = (await opt.step(params, f, state)).state;
 * ```
 */
export function returnOracle(rollouts: RolloutsOracle<Params>, options: ReturnOracleOptions = {}): ValueOracle<Params> {
  if (rollouts === null || typeof rollouts !== 'object' || rollouts.kind !== 'rollouts') {
    throw new InvalidHyperparameter('rollouts', rollouts, 'must be a rollouts oracle, e.g. rolloutsOracle({ environment, policy })');
  }
  const E = options.episodes ?? 1;
  if (!Number.isInteger(E) || E < 1) throw new InvalidHyperparameter('episodes', E, 'must be an integer ≥ 1');
  const self: ValueOracle<Params> = {
    kind: 'value',
    async value(x: Params, context: EvalContext) {
      const requests: EpisodeRequest[] = [];
      for (let e = 0; e < E; e++) requests.push({ seed: derivedSeed(context.noiseSeed, e, EPISODE), sample: 0 });
      const returns = await askInner(self, rollouts, async () =>
        rollouts.returns !== undefined ? rollouts.returns(x, requests, context) : (await rollouts.rollouts(x, requests, context)).map((ep) => ep.return),
      );
      if (returns === null || typeof returns !== 'object' || returns.length !== E) {
        throw verdictOf(self, new OracleMismatch('returnOracle', `${E} returns from the rollouts oracle`, 'rollouts answering another count'));
      }
      let sum = 0;
      for (let e = 0; e < E; e++) sum += returns[e]!;
      return -sum / E;
    },
  };
  return self;
}
