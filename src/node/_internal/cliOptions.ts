import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Estimator } from '../../estimator.js';
import { checkpointMeta } from '../../tuner/resumeTuner.js';
import { spaceFromJSON } from '../../tuner/space.js';

/** The options of `zeroth tune` (node:util parseArgs configuration). */
export const TUNE_OPTIONS = {
  objective: { type: 'string' },
  export: { type: 'string' },
  space: { type: 'string' },
  budget: { type: 'string' },
  time: { type: 'string' },
  workers: { type: 'string' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  seed: { type: 'string' },
  estimator: { type: 'string' },
  sigma: { type: 'string' },
  'num-probes': { type: 'string' },
  'estimator-options': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  're-evaluate': { type: 'string' },
  're-evaluate-every': { type: 'string' },
  policy: { type: 'string' },
  target: { type: 'string' },
  patience: { type: 'string' },
  tolerance: { type: 'string' },
  'max-failures': { type: 'string' },
  log: { type: 'string' },
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'string' },
  force: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The parsed flags. */
export type Flags = Record<string, string | boolean | undefined>;

/** A mistake in the command line or its files: printed as `zeroth: message`, exit code 2. */
export class UsageError extends Error {}

/** Everything needed to rebuild a run; stored in the checkpoint's meta. */
export interface RunSpec {
  readonly cli: 1;
  /** Identifies the run across its checkpoints (absent from older checkpoints). */
  readonly run?: string;
  /** The objective module: absolute here; relative to the checkpoint's folder inside a checkpoint. */
  readonly objective: string;
  /** SHA-256 of the objective module's text, checked on resume (absent from older checkpoints). */
  readonly objectiveHash?: string;
  readonly export: string | null;
  readonly space: unknown;
  readonly estimator: string;
  readonly estimatorOptions: Record<string, unknown>;
  readonly optimizer: 'adam' | 'sgd' | 'none';
  readonly lr: number;
  readonly reEvaluate: { every: number; repeats: number } | null;
}

interface RegistryEntry {
  build(options?: object): Estimator<unknown>;
  readonly response: string;
}

/** A command's flag configuration for node:util `parseArgs`. */
export type FlagOptions = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/**
 * Parses a command's flags strictly. A negative number after a flag that takes a value is that value
 * (`--budget -3` reaches the flag's range check instead of Node's "argument is ambiguous"). Mistakes are
 * `UsageError`s that point to `help`.
 */
export function parseFlags(args: readonly string[], options: FlagOptions, help: string): Flags {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const takesValue = name !== undefined && options[name]?.type === 'string';
    if (takesValue && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: false, strict: true }).values as Flags;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; run ${help}`);
  }
}

/** The flags of `zeroth tune`. */
export function parseTuneArgs(args: readonly string[]): Flags {
  return parseFlags(args, TUNE_OPTIONS, 'zeroth --help');
}

/** The estimator of `zeroth tune` without --estimator: the winner of the tuning suite (bench/tuning). */
export const DEFAULT_ESTIMATOR = 'subspaceTrustRegion';

/** The run described by the flags of a new run. */
export async function specFromFlags(o: Flags, run: string): Promise<RunSpec> {
  if (typeof o['objective'] !== 'string') throw new UsageError('give --objective FILE (a module exporting the objective function)');
  if (typeof o['space'] !== 'string') throw new UsageError('give --space FILE (the search space as JSON)');
  const objective = resolve(o['objective']);
  if (!existsSync(objective)) throw new UsageError(`objective file ${o['objective']} not found (looked for ${objective})`);
  let space: unknown;
  const text = readText(o['space'], 'space');
  try {
    space = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`space file ${o['space']} is not valid JSON: ${(e as Error).message}`);
  }
  spaceFromJSON(space); // validates, naming the faulty path
  const name = str(o, 'estimator') ?? DEFAULT_ESTIMATOR;
  const ownSteps = name === DEFAULT_ESTIMATOR;
  // The default estimator searches the tuner's standardized box itself (--sigma: its initial trust radius); the
  // others take a perturbation radius.
  const options: Record<string, unknown> = ownSteps
    ? { bounds: { lower: -1, upper: 1 }, ...(str(o, 'sigma') === undefined ? {} : { radius: number('--sigma', str(o, 'sigma')!, Number.MIN_VALUE) }) }
    : { sigma: number('--sigma', str(o, 'sigma') ?? '0.1', Number.MIN_VALUE) };
  if (typeof o['num-probes'] === 'string') options['numProbes'] = integer('--num-probes', o['num-probes'], 1);
  if (typeof o['estimator-options'] === 'string') {
    let extra: unknown;
    try {
      extra = JSON.parse(o['estimator-options']);
    } catch (e) {
      throw new UsageError(`--estimator-options is not valid JSON: ${(e as Error).message}`);
    }
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) throw new UsageError('--estimator-options must be a JSON object');
    Object.assign(options, extra);
  }
  const entry = await registryEntry(name);
  const optimizer = oneOf('--optimizer', str(o, 'optimizer') ?? (ownSteps ? 'none' : 'adam'), ['adam', 'sgd', 'none'] as const);
  if (ownSteps && (optimizer !== 'none' || str(o, 'lr') !== undefined)) {
    throw new UsageError(`${DEFAULT_ESTIMATOR} takes its own trust-region steps: it has no step rule or learning rate (drop --optimizer and --lr, or pick another --estimator)`);
  }
  const lr = number('--lr', str(o, 'lr') ?? '0.05', Number.MIN_VALUE);
  const ranking = entry.response === 'ranking';
  const repeats = integer('--re-evaluate', str(o, 're-evaluate') ?? (ranking ? '0' : '1'), 0);
  if (ranking && repeats > 0) {
    throw new UsageError(`--re-evaluate ${repeats}: ${name} ranks candidates and has no values to average; use --re-evaluate 0 (the default for ranking estimators)`);
  }
  const every = integer('--re-evaluate-every', str(o, 're-evaluate-every') ?? '10', 1);
  const spec: RunSpec = {
    cli: 1,
    run,
    objective,
    objectiveHash: fileHash(objective),
    export: typeof o['export'] === 'string' ? o['export'] : null,
    space,
    estimator: name,
    estimatorOptions: options,
    optimizer,
    lr,
    reEvaluate: repeats === 0 ? null : { every, repeats },
  };
  await buildEstimator(spec); // refuses unknown options before anything runs
  return spec;
}

/** The run stored in a checkpoint written by the command; `--objective` may point at the moved module. */
export function specFromCheckpoint(text: string, checkpointPath: string, o: Flags): RunSpec {
  for (const flag of ['space', 'seed', 'estimator', 'sigma', 'num-probes', 'estimator-options', 'optimizer', 'lr', 're-evaluate', 're-evaluate-every', 'export']) {
    if (o[flag] !== undefined) throw new UsageError(`--${flag} cannot be changed when resuming: the checkpoint holds the run's settings`);
  }
  const meta = checkpointMeta(text) as RunSpec | null;
  if (meta === null || typeof meta !== 'object' || meta.cli !== 1) throw new UsageError('this checkpoint was not written by the zeroth command (resume it with resumeTuner in code)');
  const given = str(o, 'objective');
  const objective = given !== undefined ? resolve(given) : resolve(dirname(resolve(checkpointPath)), meta.objective);
  if (!existsSync(objective)) {
    throw new UsageError(
      given !== undefined
        ? `objective file ${given} not found (looked for ${objective})`
        : `the run's objective ${meta.objective} (relative to the checkpoint: ${objective}) is not there; if it moved, pass --objective FILE`,
    );
  }
  const hash = fileHash(objective);
  if (meta.objectiveHash !== undefined && meta.objectiveHash !== hash && o['force'] !== true) {
    throw new UsageError(`the objective ${objective} is not the one the run started with (its content changed); resume with the run's module, or pass --force to continue with this one`);
  }
  return { ...meta, objective, objectiveHash: hash };
}

/** Builds the run's estimator from the registry: `--lr` goes to estimators that take a learning rate; unknown options are refused. */
export async function buildEstimator(spec: RunSpec): Promise<Estimator<unknown>> {
  const entry = await registryEntry(spec.estimator);
  const given = spec.estimatorOptions;
  // Estimators that take their own step (ZO-SGD-Cons) get --lr as their learning rate.
  const withLr = entry.build({ learningRate: spec.lr, ...given });
  const takesLr = withLr.options !== undefined && 'learningRate' in withLr.options;
  const estimator = takesLr ? withLr : entry.build(given);
  if (estimator.options !== undefined) {
    const known = Object.keys(estimator.options);
    const unknown = Object.keys(given).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
      throw new UsageError(`${spec.estimator} has no option ${unknown.map((k) => `"${k}"`).join(', ')}${unknown.includes('numProbes') ? ' (from --num-probes)' : ''}; its options are ${known.join(', ')}`);
    }
  }
  return estimator;
}

async function registryEntry(name: string): Promise<RegistryEntry> {
  // The registry is loaded at run time: src/ (and so the CLI's own imports) never depends on estimators/.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const { estimators } = (await import(new URL(`../../../estimators/index${ext}`, import.meta.url).href)) as { estimators: Record<string, RegistryEntry> };
  const usable = Object.entries(estimators).filter(([, e]) => e.response === 'values' || e.response === 'ranking');
  const entry = usable.find(([k]) => k === name)?.[1];
  if (entry === undefined) throw new UsageError(`unknown estimator "${name}"; the tuner can use: ${usable.map(([k]) => k).join(', ')}`);
  return entry;
}

/** SHA-256 of a file's bytes, hex. */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The text of a file the user named, or a UsageError naming it. */
export function readText(path: string, what: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`${what} file ${path} not found (looked for ${full})`);
  return readFileSync(full, 'utf8');
}

/** A string flag's value. */
export function str(o: Flags, name: string): string | undefined {
  const v = o[name];
  return typeof v === 'string' ? v : undefined;
}

/** A number flag, at least `min`. */
export function number(flag: string, text: string, min = -Infinity): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min) {
    throw new UsageError(`${flag} must be a number${min === Number.MIN_VALUE ? ' > 0' : min > -Infinity ? ` ≥ ${min}` : ''}, got "${text}"`);
  }
  return v;
}

/** An integer flag, at least `min`. */
export function integer(flag: string, text: string, min: number): number {
  const v = number(flag, text, -Infinity);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${text}"`);
  return v;
}

/** One of the allowed words. */
export function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}
