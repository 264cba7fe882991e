import type { Backend } from '../../backend/backend.js';
import type { Estimator } from '../../estimator.js';
import { InvalidInput, ZerothError } from '../../errors.js';
import { applyEstimate } from '../../optimizer.js';
import { derivedSeed } from '../../rng/derivedSeed.js';
import type { SeedStream } from '../../rng/seedStream.js';
import type { Transform } from '../../transform/transform.js';
import type { Params, Probe, ProbeBatch, Responses, Update } from '../../types.js';
import type { Space } from '../space.js';
import type { ReEvaluateOptions, TunerEvent } from '../types.js';
import { allFinite } from './allFinite.js';
import { clipProbe } from './clipProbe.js';
import { copyState } from './copyState.js';
import { degenerate } from './degenerate.js';

/** Status of a trial of a round. */
export const PENDING = 0;
export const VALUE = 1;
export const FAILED = 2;
export const RANKED = 3;

/** The fixed configuration of a tuner. */
export interface Config {
  readonly space: Space<unknown>;
  readonly estimator: Estimator<unknown>;
  readonly transform: Transform<unknown>;
  readonly backend: Backend;
  readonly maxQueries: number;
  readonly maxSteps: number;
  readonly seed: number;
  readonly reEvaluate: ReEvaluateOptions | undefined;
}

/** One round: the probes of one propose (or of one re-evaluation), their points and results. */
export interface Round {
  readonly kind: 'step' | 'reEvaluation';
  /** The step seed (kind 'step') or the re-evaluation counter (kind 'reEvaluation'). */
  readonly seed: number;
  /** The round within the step (0, 1, … for multi-round estimators). */
  readonly index: number;
  /** The estimator state the round was proposed from. */
  readonly eState: unknown;
  /** The batch with every probe re-expressed at its realised (clipped) scale. */
  readonly batch: ProbeBatch;
  readonly points: readonly Float32Array[];
  readonly firstId: number;
  asked: number;
  /** Ids handed out before a resume, handed out again by ask() (not counted again). */
  reissue: number[];
  readonly values: Float64Array;
  readonly status: Uint8Array;
  told: number;
}

/** A remembered point and its value. */
export interface Best {
  readonly u: Float32Array;
  readonly value: number;
  readonly id: number;
}

/** The whole mutable state of a tuner (everything a checkpoint holds, plus the derived round batch). */
export interface Core {
  readonly config: Config;
  readonly params: Params;
  eState: unknown;
  tState: unknown;
  readonly seeds: SeedStream;
  steps: number;
  attempts: number;
  charged: number;
  numAsked: number;
  numTold: number;
  nextId: number;
  round: Round | undefined;
  bestSeen: Best | undefined;
  bestReEvaluated: Best | undefined;
  reEvaluations: number;
  lastReEvaluatedStep: number;
  reEvaluationDue: boolean;
  readonly stale: Set<number>;
  finished: boolean;
  lastValue: number;
  /** Results told as failed / pruned; steps abandoned after their queries were charged; steps re-drawn for free. */
  failed: number;
  pruned: number;
  skipped: number;
  redrawn: number;
}

/** Re-draws of a step whose pair of probes clipped to one point, before the step is charged anyway. */
export const MAX_REDRAWS = 100;

const RE_EVALUATION = 0x7e0e;

/** Builds the probes of a round: proposed by the estimator, or r base points for a re-evaluation. */
export function proposeRound(core: Core, kind: Round['kind'], seed: number, eState: unknown): ProbeBatch {
  if (kind === 'step') return core.config.estimator.propose(eState, core.params, seed);
  const repeats = core.config.reEvaluate!.repeats;
  const probes: Probe[] = Array.from({ length: repeats }, (_, j) => ({
    direction: { kind: 'none' },
    scale: 0,
    noiseKey: derivedSeed(derivedSeed(core.config.seed, seed, RE_EVALUATION), j, 0),
  }));
  return { probes, response: 'values' };
}

/** Opens a round with the given (re-)proposed batch, clipping every probe into the box. */
export function openRound(core: Core, kind: Round['kind'], seed: number, index: number, eState: unknown, firstId: number, batch: ProbeBatch): Round {
  const clipped = batch.probes.map((p) => clipProbe(core.config.backend, core.params, p));
  const n = batch.probes.length;
  return {
    kind,
    seed,
    index,
    eState,
    batch: { response: batch.response, probes: clipped.map((c) => c.probe) },
    points: clipped.map((c) => c.point),
    firstId,
    asked: 0,
    reissue: [],
    values: new Float64Array(n),
    status: new Uint8Array(n),
    told: 0,
  };
}

/** Starts the next round if the budget allows, else marks the tuner finished. Returns an event if a round completed at once. */
export function advance(core: Core): TunerEvent | undefined {
  const { config } = core;
  const fits = (n: number): boolean => core.charged + n <= config.maxQueries;
  if (core.finished || core.round !== undefined) return undefined;
  const re = config.reEvaluate;
  if (re !== undefined && core.reEvaluationDue && fits(re.repeats)) {
    core.reEvaluationDue = false;
    return start(core, 'reEvaluation', core.reEvaluations++, 0, core.eState);
  }
  core.reEvaluationDue = false;
  const cost = config.estimator.queriesPerStep(core.params);
  if (core.steps < config.maxSteps && fits(cost + (re?.repeats ?? 0))) {
    for (let draw = 0; ; draw++) {
      core.attempts++;
      const seed = core.seeds.next();
      if (draw < MAX_REDRAWS && config.estimator.response === 'values') {
        // A pair whose two probes clip to one point measures no difference: draw the next seed instead of
        // spending its queries (decided from the state alone, so a resumed run re-draws the same way).
        const batch = proposeRound(core, 'step', seed, core.eState);
        if (batch.probes.every((p) => Number.isFinite(p.scale))) {
          const round = openRound(core, 'step', seed, 0, core.eState, core.nextId, batch);
          if (!degenerate(round)) return start(core, 'step', seed, 0, core.eState, round);
          core.redrawn++;
          continue;
        }
      }
      return start(core, 'step', seed, 0, core.eState);
    }
  }
  if (re !== undefined && core.lastReEvaluatedStep !== core.steps && fits(re.repeats)) {
    return start(core, 'reEvaluation', core.reEvaluations++, 0, core.eState);
  }
  core.finished = true;
  return undefined;
}

function start(core: Core, kind: Round['kind'], seed: number, index: number, eState: unknown, opened?: Round): TunerEvent | undefined {
  const batch = opened?.batch ?? proposeRound(core, kind, seed, eState);
  if (!batch.probes.every((p) => Number.isFinite(p.scale))) {
    // A later round built from a degenerate estimate (e.g. ZO-SGD-Cons's p after a pair clipped to one point).
    if (index === 0) throw new InvalidInput('estimator', `"${core.config.estimator.name}" proposed a probe with a non-finite scale`, 'Check its sigma.');
    core.round = undefined;
    core.skipped++;
    const event: TunerEvent = { type: 'skipped', step: core.steps, reason: 'the estimator proposed a probe with a non-finite scale', queries: core.charged };
    return advance(core) ?? event;
  }
  if (core.charged + batch.probes.length > core.config.maxQueries) {
    // The estimator asked for more than its documented queriesPerStep: never exceed the budget.
    core.finished = true;
    return undefined;
  }
  if (kind === 'reEvaluation') core.lastReEvaluatedStep = core.steps;
  core.round = opened ?? openRound(core, kind, seed, index, eState, core.nextId, batch);
  core.nextId += batch.probes.length;
  core.charged += batch.probes.length;
  return core.round.told === core.round.batch.probes.length ? complete(core, undefined) : undefined;
}

/** Abandons the current step: parameters, estimator and transform states stay; the step is re-proposed with the next seed. */
export function abandon(core: Core, reason: string): TunerEvent {
  const round = core.round!;
  for (let i = 0; i < round.asked; i++) if (round.status[i] === PENDING) core.stale.add(round.firstId + i);
  core.round = undefined;
  core.skipped++;
  const event: TunerEvent = { type: 'skipped', step: core.steps, reason, queries: core.charged };
  return advance(core) ?? event;
}

/** Finishes a fully told round: combine and step, or record a re-evaluation. */
export function complete(core: Core, ranking: Int32Array | undefined): TunerEvent | undefined {
  const round = core.round!;
  const { config } = core;
  if (round.kind === 'reEvaluation') {
    let sum = 0;
    let n = 0;
    round.status.forEach((s, i) => {
      if (s !== VALUE) return;
      sum += round.values[i]!;
      n++;
      noteSeen(core, round, i);
    });
    const mean = n > 0 ? sum / n : NaN;
    const best = core.bestReEvaluated;
    if (n > 0 && (best === undefined || mean < best.value)) core.bestReEvaluated = { u: core.params[0]!.data.slice(), value: mean, id: round.firstId };
    core.round = undefined;
    const event: TunerEvent = { type: 'reEvaluated', step: core.steps, value: mean, queries: core.charged };
    return advance(core) ?? event;
  }
  if (ranking === undefined) round.status.forEach((_, i) => noteSeen(core, round, i));
  const responses: Responses =
    config.estimator.response === 'ranking'
      ? { kind: 'ranking', order: ranking ?? rankByValues(round.values) }
      : { kind: 'values', values: round.values.slice() };
  let combined;
  try {
    // Copy on write: estimators may update their buffers in place (withTransform's momentum, Adam moments), and
    // an abandoned step must leave the state exactly as it was.
    combined = config.estimator.combine(copyState(round.eState), round.batch, responses, core.params);
  } catch (e) {
    if (e instanceof ZerothError) return abandon(core, `the estimator refused the results: ${e.message}`);
    throw e;
  }
  if (!allFinite(combined.state)) return abandon(core, "the estimator's state became non-finite (an overflow, e.g. of a momentum buffer): it was not stored");
  if (combined.update === undefined) {
    core.round = undefined;
    return start(core, 'step', round.seed, round.index + 1, combined.state);
  }
  if (!finiteUpdate(combined.update)) return abandon(core, 'the estimate is not finite (e.g. both probes of a pair clipped to the same point)');
  const snapshot = copyState(core.tState);
  const x = core.params[0]!.data;
  const before = x.slice();
  try {
    core.tState = applyEstimate(config.backend, config.transform, combined.update, combined.final === true, core.tState, core.params);
  } catch (e) {
    core.tState = snapshot;
    if (e instanceof ZerothError) return abandon(core, `the step was refused: ${e.message}`);
    throw e;
  }
  if (!x.every((v) => Number.isFinite(v)) || !allFinite(core.tState)) {
    // An overflow in the transform (its moments) or a direction holding NaN: undo the step.
    x.set(before);
    core.tState = snapshot;
    return abandon(core, 'the step is not finite (an overflow in the update rule): it was not stored');
  }
  for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(-1, x[i]!));
  core.eState = combined.state;
  core.steps++;
  core.lastValue = combined.value;
  if (config.reEvaluate !== undefined && core.steps % config.reEvaluate.every === 0) core.reEvaluationDue = true;
  core.round = undefined;
  const event: TunerEvent = { type: 'step', step: core.steps, value: combined.value, queries: core.charged };
  advance(core);
  return event;
}

function noteSeen(core: Core, round: Round, i: number): void {
  if (round.status[i] !== VALUE) return;
  const value = round.values[i]!;
  const id = round.firstId + i;
  const best = core.bestSeen;
  if (best === undefined || value < best.value || (value === best.value && id < best.id)) core.bestSeen = { u: round.points[i]!.slice(), value, id };
}

/** Candidate indices by increasing value, ties by index (as `rankingFromValues`). */
export function rankByValues(values: Float64Array): Int32Array {
  const order = Array.from(values, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  return Int32Array.from(order);
}

function finiteUpdate(u: Update): boolean {
  const finite = (arrays: readonly (Float32Array | undefined)[] | undefined): boolean => (arrays ?? []).every((b) => b === undefined || b.every((v) => Number.isFinite(v)));
  if (u.kind === 'dense') return finite(u.blocks);
  return u.terms.every((t) => {
    const d = t.direction;
    return Number.isFinite(t.coeff) && (d.kind === 'dense' ? finite(d.blocks) : d.kind === 'lowRank' ? finite(d.v) && finite(d.u) : true);
  });
}
