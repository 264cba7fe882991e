import { InvalidHyperparameter, InvalidInput, SeedLogGap } from '../errors.js';
import { sameDirection } from '../eval/sameDirection.js';
import type { ParamWrite, Params } from '../types.js';
import { encodeDirection, type EncodedDirection } from './_internal/directionCodec.js';
import { layoutOf, type LayoutBlock, type ParamsLayout } from './_internal/layout.js';

export type { EncodedDirection, EncodedArrays } from './_internal/directionCodec.js';
export type { LayoutBlock, ParamsLayout } from './_internal/layout.js';

/** The value of `format` in every seed log. */
export const SEED_LOG_FORMAT = 'zeroth-seed-log';
/** The version of the seed log format this code writes and reads. */
export const SEED_LOG_VERSION = 1;

/** JSON-safe data. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Consecutive writes along one direction: `x ← x + aₖ · d` for each `aₖ` of `a`, in order. */
export interface EncodedWrites {
  readonly d: EncodedDirection;
  readonly a: readonly number[];
}

/**
 * One step of a run: the writes it left on the parameters. A `failed` entry is a step that threw (a NaN loss,
 * an objective error): its probe moves and their restore still rounded the parameters, so they are kept, but it
 * does not count as a step — the next entry carries the same step number.
 */
export interface SeedLogEntry {
  readonly step: number;
  readonly failed?: true;
  readonly writes: readonly EncodedWrites[];
}

/** The first line of the JSONL form, and every field of the JSON form but `entries`. */
export interface SeedLogHeader {
  readonly format: typeof SEED_LOG_FORMAT;
  readonly version: typeof SEED_LOG_VERSION;
  /** Names and shapes of the parameter blocks, and their fingerprint. */
  readonly layout: ParamsLayout;
  /** The step the base parameters are at (0 for a run from scratch). */
  readonly start: number;
  /** Free data about the run (estimator, hyperparameters, run seed…), not used by replay. */
  readonly meta?: JsonValue;
}

/** The JSON form of a seed log (`JSON.stringify(log)`). */
export interface SeedLogJson extends SeedLogHeader {
  readonly entries: readonly SeedLogEntry[];
}

/**
 * A seed log: what a run with in-place updates did to the parameters, step by step, in a backend-agnostic,
 * versioned, JSON/JSONL form. With the base parameters it rebuilds the run's parameters bit for bit
 * (`replayInPlace`), on the backend that ran it and on any other whose kernels agree (cpu and wasm do).
 * Seeded directions are stored as seeds (LOZO's V as the seed it was drawn from), so a MeZO or LOZO step costs
 * tens of bytes; explicit arrays (dense steps, LOZO-M's momentum factor) are stored as base64 and cost their size.
 */
export interface SeedLog extends SeedLogJson {
  /** The step number the next non-failed entry must carry. */
  readonly nextStep: number;
  /**
   * Appends the writes of step `step` (e.g. `StepResult.writes`). Writes along the same direction in a row are
   * stored once with their list of alphas.
   *
   * @throws SeedLogGap if `step` is not {@link SeedLog.nextStep}
   * @throws InvalidInput if an alpha is not finite or a direction does not fit the layout
   */
  append(step: number, writes: readonly ParamWrite[], options?: { readonly failed?: boolean }): SeedLogEntry;
  /** The header (the first line of the JSONL form). */
  header(): SeedLogHeader;
  /** The JSON form. */
  toJSON(): SeedLogJson;
  /** The JSONL form: the header, then one entry per line, each line ending in `\n`. */
  toJsonl(): string;
}

/** Options of {@link createSeedLog}. */
export interface SeedLogOptions {
  /** The step the base parameters are at. @defaultValue 0 */
  readonly start?: number;
  /** Free JSON data about the run. */
  readonly meta?: JsonValue;
}

/**
 * Starts an empty seed log for parameters of the layout of `params` (their names and shapes; values are not
 * stored: the log goes with the base parameters).
 *
 * Cost: per logged MeZO step about 70 bytes of JSON (seed, three alphas); per LOZO step the same plus the V
 * seed; dense steps cost 4/3 × 4 bytes per parameter (base64).
 *
 * @example
 * ```ts
 * const log = createSeedLog(params, { meta: { estimator: 'mezo' } });
 * let state = opt.init(params, 42);
 * for (let k = 0; k < 100; k++) {
 *   const r = await opt.step(params, oracle, state);
 *   log.append(state.step, r.writes);
 *   state = r.state;
 * }
 * const text = log.toJsonl(); // ship base + text; replayInPlace(base, parseSeedLog(text)) rebuilds params
 * ```
 */
export function createSeedLog(params: Params | readonly LayoutBlock[], options: SeedLogOptions = {}): SeedLog {
  const start = options.start ?? 0;
  if (!Number.isInteger(start) || start < 0) throw new InvalidHyperparameter('start', start, 'must be an integer ≥ 0');
  const header: SeedLogHeader = {
    format: SEED_LOG_FORMAT,
    version: SEED_LOG_VERSION,
    layout: layoutOf(params),
    start,
    ...(options.meta === undefined ? {} : { meta: options.meta }),
  };
  return seedLogOf(header, []);
}

/** A {@link SeedLog} over a checked header and checked, contiguous entries (shared with `parseSeedLog`). */
export function seedLogOf(header: SeedLogHeader, initial: readonly SeedLogEntry[]): SeedLog {
  const entries: SeedLogEntry[] = [...initial];
  let nextStep = header.start;
  for (const e of entries) if (e.failed !== true) nextStep = e.step + 1;
  const blocks = header.layout.blocks;
  const log: SeedLog = {
    ...header,
    entries,
    get nextStep() {
      return nextStep;
    },
    append(step, writes, options = {}) {
      if (step !== nextStep) throw new SeedLogGap(nextStep, step, 'appending to the log');
      const grouped: { d: EncodedDirection; a: number[]; direction: ParamWrite['direction'] }[] = [];
      writes.forEach((w, i) => {
        if (typeof w.alpha !== 'number' || !Number.isFinite(w.alpha)) {
          throw new InvalidInput(`writes[${i}].alpha`, `${String(w.alpha)} is not a finite number`, 'Log only the writes a step made.');
        }
        if (w.direction.kind === 'none' || w.alpha === 0) return;
        const last = grouped[grouped.length - 1];
        if (last !== undefined && sameDirection(last.direction, w.direction)) {
          last.a.push(w.alpha);
          return;
        }
        grouped.push({ d: encodeDirection(w.direction, blocks), a: [w.alpha], direction: w.direction });
      });
      const entry: SeedLogEntry = {
        step,
        ...(options.failed === true ? { failed: true as const } : {}),
        writes: grouped.map((g) => ({ d: g.d, a: g.a })),
      };
      entries.push(entry);
      if (options.failed !== true) nextStep = step + 1;
      return entry;
    },
    header: () => header,
    toJSON: () => ({ ...header, entries }),
    toJsonl: () => [header, ...entries].map((x) => JSON.stringify(x) + '\n').join(''),
  };
  return log;
}
