import { cpuBackend } from '../backend/cpuBackend.js';
import { InvalidHyperparameter, InvalidInput } from '../errors.js';
import { checkSeed, seedStream } from '../rng/seedStream.js';
import type { Params } from '../types.js';
import { integerAtLeast } from '../validate.js';
import { saveCore } from './_internal/checkpointBody.js';
import { abandon, advance, complete, FAILED, PENDING, RANKED, VALUE, type Config, type Core, type Round } from './_internal/machine.js';
import type { Space } from './space.js';
import type { Recommendation, Trial, TrialFailure, Tuner, TunerOptions } from './types.js';

/**
 * Creates an ask/tell tuner: black-box minimisation of an objective evaluated anywhere (this process, worker
 * threads, other machines, a person), on the same estimators, transforms and seed stream as `optimizer`.
 *
 * **Rounds.** Each step of the estimator proposes a round of probes (`ask`/`askBatch` hand them out as
 * trials); when every trial of the round is told, the estimator combines the results and the transform turns
 * the estimate into a step, exactly as `optimizer().step` does. Multi-round estimators (ZO-SGD-Cons,
 * ZO-RankSGD's line search) open the next round of the same step; `final` steps skip the transform. Tells may
 * come in any order: the outcome depends only on the results, never on their order or timing, so any number
 * of parallel workers gives the same run.
 *
 * **Bounds.** The estimator sees the standardised point u ∈ [−1, 1]^dim of the {@link Space}; every trial's
 * point lies in the box. A probe `x + s·d` that would leave it is shortened along its direction to the
 * largest |s′| ≤ |s| that stays inside, and the estimator receives the probe re-expressed with the realised
 * scale s′, so its divisor is the realised difference. A step of a value estimator in which some direction's
 * probes all land on one point (both probes of a pair shortened to x at a corner, or a forward probe shortened
 * onto its base) measures nothing along it: it is re-drawn with the next seed before any query is charged
 * (`numRedrawn` counts these; after 100 re-draws in a row the step is asked anyway and then skipped). After each
 * step the iterate is projected onto the box (clipped coordinate-wise).
 *
 * **Failures.** A trial told `{ state: 'failed' | 'pruned' }` (or NaN/±Infinity) abandons its step at once,
 * for every estimator: the parameters, the estimator state and the transform state stay as they were before
 * the step, the other trials of the round become stale (their later tells are accepted and ignored, and the
 * ones not yet handed out are never asked), and the step is re-proposed with the next seed of the stream. The
 * same holds when the estimate, the estimator's new state or the transform's is not finite (a momentum or Adam
 * buffer that would overflow float32): `combine` works on a copy of the state, and nothing non-finite is ever
 * stored. The outcome is the same whatever the tell order; `numFailed`, `numPruned` and `numSkipped` count
 * what happened. Per estimator (`zeroth/estimators`):
 * - `spsa`, `mezo`, `lozo`, `lozoM`, `zoSgdSign`, `zoSgdSignElementwise`, `zoSgdMomentum`, `zoAdam`, `cge`: one
 *   round per step; a failed probe (of any pair, or the shared base point of forward differences) skips the
 *   step.
 * - `zoSgdCons`: two rounds; a failure in either skips the whole step (the three queries of round 1 are spent).
 * - `zoRankSgd`: a failed candidate skips the step (a ranking with a hole is not a ranking); with the line
 *   search, a failure in the search round drops the estimation round too. Rank rounds with `tellRanking`, or
 *   tell values and the tuner ranks them (ties by candidate index).
 * Failed and cancelled probes still count against the budget.
 *
 * **Budget.** A budget is a number of queries or `{ queries, steps }` (anything else is refused); without
 * one, the driver must stop the run (`tune` refuses to start without some limit). A step starts only if its documented `queriesPerStep` (plus the final re-evaluation, if any)
 * fits in what is left, and all its probes are charged when its round opens: a pair is never half asked, and
 * numTold ≤ numAsked ≤ numQueries ≤ budget.
 *
 * **Recommendation.** `recommend()` is separate from the last point asked; see {@link RecommendPolicy}.
 *
 * **Checkpoints.** `save()` returns versioned, checksummed JSON of the whole state (estimator and transform
 * states with typed arrays, the seed-stream position, the open round and its told results); `resumeTuner`
 * continues bit for bit, also between ask and tell (the open trials are handed out again by `ask`). The
 * estimator's and the transform's `options` are recorded, and a resume with other ones is refused unless asked.
 * `tell` checks that a trial object is this tuner's (its point must be the one this tuner asked with its id).
 *
 * @example
 * ```ts
 * import { adam, createTuner, float, logFloat, space } from 'zeroth';
 * import { spsa } from 'zeroth/estimators';
 * const tuner = createTuner({ space: space({ lr: logFloat(1e-4, 1), momentum: float(0, 0.99) }),
 *   estimator: spsa({ sigma: 0.1 }), update: adam(0.05), budget: 200, seed: 1 });
 * for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) {
 *   tuner.tell(t, (Math.log10(t.x.lr) + 2) ** 2 + (t.x.momentum - 0.9) ** 2);
 * }
 * tuner.recommend().x; // ≈ { lr: 0.01, momentum: 0.9 }
 * ```
 */
export function createTuner<X>(options: TunerOptions<X>): Tuner<X> {
  const config = checkOptions(options);
  const params: Params = [{ name: 'u', shape: [config.space.dim], data: options.init === undefined ? config.space.initial() : config.space.encode(options.init) }];
  const core: Core = {
    config,
    params,
    eState: config.estimator.init(params),
    tState: config.transform.init(params),
    seeds: seedStream(config.seed),
    steps: 0,
    attempts: 0,
    charged: 0,
    numAsked: 0,
    numTold: 0,
    nextId: 0,
    round: undefined,
    bestSeen: undefined,
    bestReEvaluated: undefined,
    reEvaluations: 0,
    lastReEvaluatedStep: -1,
    reEvaluationDue: false,
    stale: new Set(),
    finished: false,
    lastValue: NaN,
    failed: 0,
    pruned: 0,
    skipped: 0,
    redrawn: 0,
  };
  advance(core);
  return tunerOf<X>(core);
}

/** Validates the options of a tuner (also used by `resumeTuner`). */
export function checkOptions<X>(options: TunerOptions<X>): Config {
  if (options === null || typeof options !== 'object') throw new InvalidHyperparameter('options', options, 'must be { space, estimator, update, budget, seed }');
  const sp = options.space as Space<unknown> | undefined;
  if (sp === undefined || typeof sp.decode !== 'function' || typeof sp.dim !== 'number') {
    throw new InvalidHyperparameter('space', sp, "is required: build it with space({ … }) (or spaceFromJSON) from 'zeroth'");
  }
  const estimator = options.estimator;
  if (estimator === undefined || typeof estimator.propose !== 'function') {
    throw new InvalidHyperparameter('estimator', estimator, "is required, e.g. spsa({ sigma: 0.1 }) from 'zeroth/estimators'");
  }
  if (estimator.response !== 'values' && estimator.response !== 'ranking') {
    throw new InvalidHyperparameter('estimator', estimator.name, 'must consume values or rankings: the tuner cannot ask for gradients');
  }
  const transform = options.update;
  if (transform === undefined || typeof transform.update !== 'function') throw new InvalidHyperparameter('update', transform, 'is required, e.g. adam(0.05) or sgd(0.05)');
  const b = checkBudget(options.budget);
  const maxQueries = b.queries === undefined ? Infinity : integerAtLeast('budget.queries', b.queries, 1);
  const maxSteps = b.steps === undefined ? Infinity : integerAtLeast('budget.steps', b.steps, 1);
  const re = options.reEvaluate;
  if (re !== undefined) {
    integerAtLeast('reEvaluate.every', re.every, 1);
    integerAtLeast('reEvaluate.repeats', re.repeats, 1);
    if (estimator.response !== 'values') throw new InvalidHyperparameter('reEvaluate', re, 'needs a value estimator (a ranking has no values to average)');
  }
  return {
    space: sp,
    estimator,
    transform,
    backend: cpuBackend(),
    maxQueries,
    maxSteps,
    seed: checkSeed(options.seed ?? 0),
    reEvaluate: re === undefined ? undefined : { every: re.every, repeats: re.repeats },
  };
}

/** A budget: undefined (unlimited), a number of queries, or `{ queries?, steps? }`; anything else is refused. */
function checkBudget(budget: unknown): { queries?: unknown; steps?: unknown } {
  if (budget === undefined) return {};
  if (typeof budget === 'number') return { queries: budget };
  if (budget === null || typeof budget !== 'object' || Array.isArray(budget)) {
    throw new InvalidHyperparameter('budget', budget, 'must be a number of queries (an integer ≥ 1) or { queries, steps }; leave it out for no limit');
  }
  for (const key of Object.keys(budget)) {
    if (key !== 'queries' && key !== 'steps') throw new InvalidHyperparameter(`budget.${key}`, (budget as Record<string, unknown>)[key], 'is not a budget field (queries, steps)');
  }
  return budget as { queries?: unknown; steps?: unknown };
}

/** The public face of a tuner core. */
export function tunerOf<X>(core: Core): Tuner<X> {
  const { config } = core;
  const sp = config.space as Space<X>;

  const trialOf = (round: Round, i: number): Trial<X> => {
    const id = round.firstId + i;
    const u = round.points[i]!.slice();
    return { id, x: sp.decode(u), kind: round.kind === 'step' ? 'probe' : 'reEvaluation', u, context: { noiseSeed: round.batch.probes[i]!.noiseKey, step: core.steps, trial: id } };
  };

  const locate = (trial: Trial<X> | number, what: string): { round: Round; i: number } | 'stale' => {
    const id = typeof trial === 'number' ? trial : trial?.id;
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new InvalidInput(what, `got ${String(trial)}`, 'Pass a trial returned by ask() or its id.');
    if (core.stale.has(id)) return 'stale';
    const round = core.round;
    const i = round === undefined ? -1 : id - round.firstId;
    if (round === undefined || i < 0 || i >= round.status.length) {
      throw new InvalidInput(what, `trial ${id} is not outstanding (never asked, or already told)`, 'Tell each asked trial exactly once.');
    }
    if (i >= round.asked) throw new InvalidInput(what, `trial ${id} was not asked yet`, 'Tell only trials returned by ask() or askBatch().');
    if (round.status[i] !== PENDING) throw new InvalidInput(what, `trial ${id} was already told`, 'Tell each asked trial exactly once.');
    if (typeof trial !== 'number' && !samePoint(trial, round.points[i]!, sp)) {
      throw new InvalidInput(what, `trial ${id} was not asked by this tuner (its point differs from this tuner's trial ${id})`, 'Tell each tuner the trials it handed out.');
    }
    return { round, i };
  };

  const tuner: Tuner<X> = {
    ask() {
      const round = core.round;
      if (round === undefined) return undefined;
      while (round.reissue.length > 0) {
        const id = round.reissue.shift()!;
        if (round.status[id - round.firstId] === PENDING) return trialOf(round, id - round.firstId);
      }
      if (round.asked >= round.status.length) return undefined;
      core.numAsked++;
      return trialOf(round, round.asked++);
    },
    askBatch() {
      const out: Trial<X>[] = [];
      for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) out.push(t);
      return out;
    },
    pending() {
      const round = core.round;
      if (round === undefined) return [];
      const out: Trial<X>[] = [];
      for (let i = 0; i < round.asked; i++) if (round.status[i] === PENDING) out.push(trialOf(round, i));
      return out;
    },
    tell(trial, result) {
      const at = locate(trial, 'trial');
      const failed = typeof result === 'number' ? !Number.isFinite(result) : checkFailure(result);
      core.numTold++;
      if (failed) {
        if (typeof result === 'object' && result.state === 'pruned') core.pruned++;
        else core.failed++;
      }
      if (at === 'stale') {
        core.stale.delete(typeof trial === 'number' ? trial : trial.id);
        return undefined;
      }
      const { round, i } = at;
      round.told++;
      if (failed) {
        round.status[i] = FAILED;
        if (round.kind === 'step') return abandon(core, `trial ${round.firstId + i} ${typeof result === 'number' ? `returned ${result}` : (result as TrialFailure).state}`);
      } else {
        round.status[i] = VALUE;
        round.values[i] = result as number;
      }
      return round.told === round.status.length ? complete(core, undefined) : undefined;
    },
    tellRanking(trials, order) {
      if (config.estimator.response !== 'ranking') {
        throw new InvalidInput('tellRanking', `estimator "${config.estimator.name}" consumes values`, 'Tell each trial its value with tell().');
      }
      if (!Array.isArray(trials) || trials.length === 0) throw new InvalidInput('trials', 'no trials given', "Pass every trial of the round (askBatch()'s result).");
      const where = trials.map((t) => locate(t, 'trials'));
      if (where.every((w) => w === 'stale')) {
        for (const t of trials) core.stale.delete(typeof t === 'number' ? t : t.id);
        core.numTold += trials.length;
        return undefined;
      }
      const round = core.round!;
      const index = where.map((w) => (w === 'stale' ? -1 : w.i));
      if (index.includes(-1) || new Set(index).size !== round.status.length || index.length !== round.status.length) {
        throw new InvalidInput('trials', `they are not the ${round.status.length} trials of the current round`, 'Rank all trials of one round, each once.');
      }
      const m = index.length;
      const seen = new Set<number>();
      const mapped = Int32Array.from({ length: order.length }, (_, k) => {
        const o = order[k]!;
        if (!Number.isInteger(o) || o < 0 || o >= m || seen.has(o)) throw new InvalidInput('order', `entry ${k} is ${o}`, `Give distinct indices into trials, in [0, ${m}), best first.`);
        seen.add(o);
        return index[o]!;
      });
      if (mapped.length === 0) throw new InvalidInput('order', 'it is empty', 'Give at least the best trial.');
      index.forEach((i) => (round.status[i] = RANKED));
      round.told = m;
      core.numTold += m;
      return complete(core, mapped);
    },
    recommend(opts = {}) {
      const policy = opts.policy ?? (config.reEvaluate !== undefined ? 'reEvaluated' : 'iterate');
      const pick = policy === 'bestSeen' ? core.bestSeen : policy === 'reEvaluated' ? core.bestReEvaluated : undefined;
      if (policy !== 'iterate' && policy !== 'bestSeen' && policy !== 'reEvaluated') {
        throw new InvalidHyperparameter('policy', policy, "must be 'iterate', 'bestSeen' or 'reEvaluated'");
      }
      const u = pick === undefined ? core.params[0]!.data.slice() : pick.u.slice();
      const rec: Recommendation<X> = { x: sp.decode(u), u, value: pick?.value, policy: pick === undefined ? 'iterate' : policy };
      return rec;
    },
    save: (meta?: unknown) => saveCore(core, meta),
    get numAsked() {
      return core.numAsked;
    },
    get numTold() {
      return core.numTold;
    },
    get numQueries() {
      return core.charged;
    },
    get numSteps() {
      return core.steps;
    },
    get numFailed() {
      return core.failed;
    },
    get numPruned() {
      return core.pruned;
    },
    get numSkipped() {
      return core.skipped;
    },
    get numRedrawn() {
      return core.redrawn;
    },
    get budget() {
      return config.maxQueries;
    },
    get maxSteps() {
      return config.maxSteps;
    },
    get done() {
      return core.finished && core.round === undefined;
    },
    get lastValue() {
      return core.lastValue;
    },
    space: sp,
  };
  return tuner;
}

/** True when a told trial object carries the point this tuner asked: its `u`, or its `x` after a JSON round trip. */
function samePoint<X>(trial: Trial<X>, point: Float32Array, sp: Space<X>): boolean {
  const u = trial.u as ArrayLike<number> | null | undefined;
  if (u === null || u === undefined || typeof u.length !== 'number') return JSON.stringify(trial.x) === JSON.stringify(sp.decode(point));
  if (u.length !== point.length) return false;
  for (let k = 0; k < point.length; k++) if (u[k] !== point[k]) return false;
  return true;
}

function checkFailure(result: unknown): true {
  const state = result !== null && typeof result === 'object' ? (result as { state?: unknown }).state : undefined;
  if (state !== 'failed' && state !== 'pruned') {
    const got = typeof result === 'string' ? `the string ${JSON.stringify(result)}` : typeof result === 'object' || result === undefined ? String(JSON.stringify(result)) : `${typeof result} ${String(result)}`;
    throw new InvalidInput('result', `got ${got}`, "Tell a number (convert text with Number(…)), or { state: 'failed' } / { state: 'pruned' }.");
  }
  return true;
}

