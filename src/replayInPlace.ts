import type { Backend } from './backend/backend.js';
import { defaultBackend } from './backend/defaultBackend.js';
import { InvalidHyperparameter, SeedLogGap } from './errors.js';
import { decodeDirection } from './seedLog/_internal/directionCodec.js';
import { checkLayout } from './seedLog/_internal/layout.js';
import type { SeedLogJson } from './seedLog/seedLog.js';
import type { Direction, Params } from './types.js';

/** Options of {@link replayInPlace}. */
export interface ReplayOptions {
  /** Where the writes run. @defaultValue defaultBackend() */
  readonly backend?: Backend;
  /** The step `params` are at: entries before it are skipped. @defaultValue the log's `start` */
  readonly from?: number;
  /**
   * Replay the steps before this one: `params` end at step `to` (before any attempt of step `to`). Left out, every
   * entry from `from` on is applied, including a failed attempt after the last step, so `params` end exactly where
   * the run left them. @defaultValue the end of the log
   */
  readonly to?: number;
}

/** What {@link replayInPlace} did. */
export interface ReplayResult {
  /** The step the parameters are at now (the next step a run would take). */
  readonly step: number;
  /** Entries applied (failed steps included). */
  readonly entries: number;
}

/**
 * Rebuilds a run's parameters from its base parameters and its seed log: applies, in order, every write the log
 * holds for steps `from` … `to − 1` (`backend.perturbInPlace`, seeded directions regenerated from their seeds),
 * so `params` end bit for bit where the run left them — on the backend that ran it, and on any backend whose
 * kernels agree (cpu and wasm do). Lives beside {@link applyUpdates}, the only other writer of parameters.
 *
 * Everything is checked before the first write: the layout (block count, names, shapes), the steps (no gap, `from`
 * and `to` inside the log) and every direction; on any error `params` are untouched.
 *
 * Cost: one pass over the parameters per logged write (a MeZO step: 3), no forward passes, no extra memory
 * beyond the decoded explicit arrays of the log.
 *
 * @throws SeedLogMismatch when the log was written for other parameters
 * @throws SeedLogGap when the log misses a step, or `from`/`to` lie outside it
 * @throws SeedLogCorrupt when an entry is malformed
 *
 * @example
 * ```ts
 * const log = parseSeedLog(text);          // written by fineTune, or by log.append(step, result.writes)
 * replayInPlace(baseParams, log);          // baseParams now hold the fine-tuned values
 * replayInPlace(other, log, { to: 100 });  // the parameters after step 99
 * ```
 */
export function replayInPlace(params: Params, log: SeedLogJson, options: ReplayOptions = {}): ReplayResult {
  checkLayout(log.layout, params);
  const from = options.from ?? log.start;
  const last = lastStep(log);
  const to = options.to ?? last;
  if (!Number.isInteger(from) || from < log.start) throw new InvalidHyperparameter('from', from, `must be an integer ≥ the log's start (${log.start})`);
  if (!Number.isInteger(to) || to < from) throw new InvalidHyperparameter('to', to, `must be an integer ≥ from (${from})`);
  if (to > last) throw new SeedLogGap(last, undefined, `replaying to step ${to}:`);
  const blocks = log.layout.blocks;
  const cache = new Map<string, Extract<Direction, { kind: 'lowRank' }>['v']>();
  const plan: { direction: Direction; alphas: readonly number[] }[] = [];
  let expected = log.start;
  let applied = 0;
  log.entries.forEach((entry, i) => {
    if (entry.step !== expected) throw new SeedLogGap(expected, entry.step, `entry ${i} of the log`);
    const inRange = entry.step >= from && (options.to === undefined || entry.step < to);
    if (entry.failed !== true) expected++;
    if (!inRange) return;
    applied++;
    entry.writes.forEach((w, j) => plan.push({ direction: decodeDirection(w.d, blocks, `entry ${i}, write ${j}`, cache), alphas: w.a }));
  });
  const backend = options.backend ?? defaultBackend();
  for (const { direction, alphas } of plan) {
    for (const a of alphas) backend.perturbInPlace(direction, a, params);
  }
  return { step: to, entries: applied };
}

/** The step after the last entry of the log (its `start` when empty). */
function lastStep(log: SeedLogJson): number {
  let next = log.start;
  for (const e of log.entries) if (e.failed !== true) next = e.step + 1;
  return next;
}
