import fc from 'fast-check';
import type { Estimator } from '../../src/estimator.js';
import { lowbias32 } from '../../src/rng/lowbias32.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import type { Transform } from '../../src/transform/transform.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float, int, logFloat } from '../../src/tuner/dimensions.js';
import { resumeTuner } from '../../src/tuner/resumeTuner.js';
import { space, type Space } from '../../src/tuner/space.js';
import type { Trial, Tuner, TunerEvent, TunerOptions } from '../../src/tuner/types.js';
import type { Law } from './law.js';
import { labelled } from './_internal/labelled.js';

/** What the tuner laws need to know about an estimator. */
export interface TunerSubject {
  /** Label used in law names. */
  readonly name: string;
  /** Builds a fresh estimator (a value or ranking estimator). */
  readonly build: () => Estimator<unknown>;
  /** The step rule. @defaultValue sgd(0.1) */
  readonly update?: () => Transform<unknown>;
  /** Number of fast-check runs per law. @defaultValue 12 */
  readonly numRuns?: number;
  /** fast-check seed. @defaultValue the global fast-check configuration */
  readonly seed?: number;
}

type X = { a: number; b: { c: number; k: number } };

/** The laws' space: a float, a logFloat and an int, nested. */
export const lawSpace: Space<X> = space({ a: float(-2, 3), b: { c: logFloat(1e-3, 10), k: int(0, 5) } });

function objective(x: X): number {
  return (x.a - 1) ** 2 + Math.log10(x.b.c) ** 2 + 0.1 * (x.b.k - 3) ** 2;
}

/** A schedule of asks and tells, and which trials fail (by id, so every schedule sees the same failures). */
interface Plan {
  readonly seed: number;
  readonly budget: number;
  readonly ops: readonly number[];
  readonly failRate: number;
  readonly reEvaluate: boolean;
  readonly corner: boolean;
}

const plans = labelled({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  budget: fc.integer({ min: 12, max: 80 }),
  ops: fc.array(fc.nat({ max: 1 << 20 }), { minLength: 1, maxLength: 40 }),
  failRate: fc.constantFrom(0, 0, 0.1, 0.3),
  reEvaluate: fc.boolean(),
  corner: fc.boolean(),
});

function failure(id: number, plan: Plan): number | { state: 'failed' | 'pruned' } | undefined {
  const h = lowbias32((id * 0x9e3779b9) ^ plan.seed) >>> 0;
  if (h / 2 ** 32 >= plan.failRate) return undefined;
  const kind = h % 4;
  return kind === 0 ? { state: 'failed' } : kind === 1 ? { state: 'pruned' } : kind === 2 ? NaN : Infinity;
}

function make(subject: TunerSubject, plan: Plan): TunerOptions<X> & { readonly estimator: Estimator<unknown> } {
  const estimator = subject.build();
  return {
    space: lawSpace,
    estimator,
    update: subject.update?.() ?? (sgd(0.1) as Transform<unknown>),
    budget: plan.budget,
    seed: plan.seed,
    ...(plan.corner ? { init: { a: 3, b: { c: 1e-3, k: 5 } } } : {}),
    ...(plan.reEvaluate && estimator.response === 'values' ? { reEvaluate: { every: 3, repeats: 2 } } : {}),
  };
}

/** Everything a run decides, without the counters that depend on the schedule (asked, told, stale trials, failures told). */
function fingerprint(tuner: Tuner<X>, events: readonly TunerEvent[]): string {
  const top = JSON.parse(tuner.save()) as { body: Record<string, unknown> };
  for (const k of ['numAsked', 'numTold', 'stale', 'failed', 'pruned']) delete top.body[k];
  // A skipped step's reason names the first failure told, which depends on the order; the outcome does not.
  return JSON.stringify({ body: top.body, events: events.map((e) => (e.type === 'skipped' ? { ...e, reason: '' } : e)) });
}

interface Drive {
  readonly tuner: Tuner<X>;
  readonly events: TunerEvent[];
  readonly trials: Trial<X>[];
}

/**
 * Drives a tuner to the end with the plan's schedule: op `k` asks (or, for a ranking estimator, asks the round
 * and tells it ranked) or tells one outstanding trial. `hook(k, tuner)` may replace the tuner (a resume after a
 * crash: the outstanding trials are then forgotten and handed out again by `ask`). `check` runs after every op.
 */
function drive(tuner0: Tuner<X>, plan: Plan, ranking: 'tellRanking' | 'values' | undefined, hook?: (k: number, t: Tuner<X>) => Tuner<X>, check?: (t: Tuner<X>) => void): Drive {
  let tuner = tuner0;
  let held: Trial<X>[] = [];
  const events: TunerEvent[] = [];
  const trials: Trial<X>[] = [];
  const tell = (t: Trial<X>): void => {
    const e = tuner.tell(t, failure(t.id, plan) ?? objective(t.x));
    if (e !== undefined) events.push(e);
  };
  for (let k = 0; k < 100_000; k++) {
    if (hook !== undefined) {
      const next = hook(k, tuner);
      if (next !== tuner) {
        tuner = next;
        held = [];
      }
    }
    if (tuner.done && held.length === 0) return { tuner, events, trials };
    const op = plan.ops[k % plan.ops.length]!;
    if (ranking === 'tellRanking') {
      const got = tuner.askBatch();
      trials.push(...got);
      held.push(...got);
      if (held.length === 0) throw new Error('the tuner is not done but hands out nothing');
      const pending = tuner.pending();
      // A failing trial of the round is told first, whichever trial the op points at: a round with a failure
      // is never ranked, in any schedule.
      const failing = pending.find((p) => failure(p.id, plan) !== undefined && held.some((h) => h.id === p.id));
      const t = failing ?? held[op % held.length]!;
      const inRound = pending.some((p) => p.id === t.id);
      if (inRound && failing === undefined && pending.every((p) => held.some((h) => h.id === p.id))) {
        const shown = rotate(pending, op);
        const values = shown.map((p) => objective(p.x));
        const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]! || shown[i]!.id - shown[j]!.id);
        const e = tuner.tellRanking(shown, order);
        if (e !== undefined) events.push(e);
        held = held.filter((h) => !pending.some((p) => p.id === h.id));
      } else {
        held = held.filter((h) => h.id !== t.id);
        tell(t);
      }
    } else if (op % 4 === 0 || held.length === 0) {
      const t = tuner.ask();
      if (t !== undefined) {
        trials.push(t);
        held.push(t);
      } else if (held.length === 0) {
        throw new Error('the tuner is not done but hands out nothing and nothing is outstanding');
      } else {
        tell(held.splice(op % held.length, 1)[0]!);
      }
    } else {
      tell(held.splice(op % held.length, 1)[0]!);
    }
    check?.(tuner);
  }
  throw new Error('the tuner never finished');
}

function rotate<T>(a: readonly T[], by: number): T[] {
  const r = by % Math.max(1, a.length);
  return [...a.slice(r), ...a.slice(0, r)];
}

function sequential(plan: Plan): Plan {
  return { ...plan, ops: [0, 1] };
}

/**
 * The laws every estimator must satisfy under the ask/tell tuner, as framework-agnostic checks:
 *
 * - tell order: any interleaving of asks and tells (one trial at a time, whole batches, shuffled tells) gives
 *   the same run — same parameters, states, seed position, recommendations and step events;
 * - accounting: numTold ≤ numAsked ≤ numQueries ≤ budget after every ask and tell, and the run ends `done`;
 * - bounds: every asked point lies within its dimension's bounds (ints are integers), also from a corner;
 * - failures (failed, pruned, NaN, ±Infinity results) never crash the tuner nor push it out of the box;
 * - save → resume at a random point (also between ask and tell) ends exactly as the uninterrupted run, and a
 *   checkpoint read back and saved again is the same text.
 */
export function tunerLaws(subject: TunerSubject): Law[] {
  const opts = { numRuns: subject.numRuns ?? 12, includeErrorInReport: true, ...(subject.seed !== undefined ? { seed: subject.seed } : {}) };
  const modes = (est: Estimator<unknown>): ('tellRanking' | 'values' | undefined)[] => (est.response === 'ranking' ? ['tellRanking', 'values'] : [undefined]);
  return [
    {
      name: `${subject.name}: tell order and batching do not change the run`,
      run: () =>
        fc.assert(
          fc.property(labelled({ plan: plans, otherOps: fc.array(fc.nat({ max: 1 << 20 }), { minLength: 1, maxLength: 20 }) }), ({ plan, otherOps: other }) => {
            for (const mode of modes(subject.build())) {
              const a = drive(createTuner(make(subject, plan)), plan, mode);
              const b = drive(createTuner(make(subject, plan)), { ...plan, ops: other }, mode);
              const c = drive(createTuner(make(subject, plan)), sequential(plan), mode);
              const fa = fingerprint(a.tuner, a.events);
              if (fa !== fingerprint(b.tuner, b.events)) throw new Error(`two tell orders gave different runs (${mode ?? 'values'})`);
              if (fa !== fingerprint(c.tuner, c.events)) throw new Error(`one-at-a-time and interleaved tells gave different runs (${mode ?? 'values'})`);
            }
          }),
          opts,
        ),
    },
    {
      name: `${subject.name}: numTold ≤ numAsked ≤ numQueries ≤ budget, and the run ends done`,
      run: () =>
        fc.assert(
          fc.property(labelled({ plan: plans }), ({ plan }) => {
            for (const mode of modes(subject.build())) {
              const check = (t: Tuner<X>): void => {
                if (!(t.numTold <= t.numAsked && t.numAsked <= t.numQueries && t.numQueries <= plan.budget)) {
                  throw new Error(`told ${t.numTold}, asked ${t.numAsked}, queries ${t.numQueries}, budget ${plan.budget}`);
                }
              };
              const r = drive(createTuner(make(subject, plan)), plan, mode, undefined, check);
              if (!r.tuner.done) throw new Error('not done');
              const perStep = subject.build().queriesPerStep([{ name: 'u', shape: [3], data: new Float32Array(3) }]);
              if (plan.budget - r.tuner.numQueries >= perStep + (plan.reEvaluate ? 2 : 0) && r.tuner.numQueries < plan.budget && Number.isFinite(perStep)) {
                // Stopping early is only allowed when the next step does not fit.
                throw new Error(`stopped with ${plan.budget - r.tuner.numQueries} queries left, a step needs ${perStep}`);
              }
            }
          }),
          opts,
        ),
    },
    {
      name: `${subject.name}: every asked point lies within the bounds`,
      run: () =>
        fc.assert(
          fc.property(labelled({ plan: plans }), ({ plan }) => {
            for (const mode of modes(subject.build())) {
              const r = drive(createTuner(make(subject, { ...plan, corner: true })), plan, mode);
              for (const t of r.trials) {
                const { a, b } = t.x;
                const ok = a >= -2 && a <= 3 && b.c >= 1e-3 && b.c <= 10 && Number.isInteger(b.k) && b.k >= 0 && b.k <= 5 && t.u.every((v) => v >= -1 && v <= 1);
                if (!ok) throw new Error(`trial ${t.id} at ${JSON.stringify(t.x)} (u = ${String(Array.from(t.u))}) is out of bounds`);
              }
              const rec = r.tuner.recommend({ policy: 'iterate' });
              if (!rec.u.every((v) => v >= -1 && v <= 1)) throw new Error('the iterate left the box');
            }
          }),
          opts,
        ),
    },
    {
      name: `${subject.name}: failed, pruned and non-finite results never crash the tuner`,
      run: () =>
        fc.assert(
          fc.property(labelled({ plan: plans, failRate: fc.constantFrom(0.2, 0.5, 0.9) }), ({ plan, failRate }) => {
            for (const mode of modes(subject.build())) {
              const p = { ...plan, failRate };
              const r = drive(createTuner(make(subject, p)), p, mode);
              const u = r.tuner.recommend({ policy: 'iterate' }).u;
              if (!r.tuner.done || !u.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)) throw new Error(`ended at ${String(Array.from(u))}, done ${r.tuner.done}`);
              for (const policy of ['bestSeen', 'reEvaluated'] as const) r.tuner.recommend({ policy });
            }
          }),
          opts,
        ),
    },
    {
      name: `${subject.name}: save → resume at a random point ends as the uninterrupted run`,
      run: () =>
        fc.assert(
          fc.property(labelled({ plan: plans, resumeAtOp: fc.nat({ max: 120 }) }), ({ plan, resumeAtOp: at }) => {
            for (const mode of modes(subject.build())) {
              const whole = drive(createTuner(make(subject, plan)), plan, mode);
              let resumed = false;
              const hook = (k: number, t: Tuner<X>): Tuner<X> => {
                if (k !== at || resumed) return t;
                resumed = true;
                const text = t.save({ at });
                const o = make(subject, plan);
                const back = resumeTuner(text, { space: o.space, estimator: o.estimator, update: o.update });
                if (back.save({ at }) !== text) throw new Error('a checkpoint read back and saved again differs');
                return back;
              };
              const cut = drive(createTuner(make(subject, plan)), plan, mode, hook);
              if (fingerprint(whole.tuner, whole.events) !== fingerprint(cut.tuner, cut.events)) {
                throw new Error(`resumed at op ${at} (${resumed ? 'resumed' : 'never reached'}) the run differs (${mode ?? 'values'})`);
              }
            }
          }),
          opts,
        ),
    },
  ];
}
