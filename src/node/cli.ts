#!/usr/bin/env node
/**
 * The `zeroth` command: `zeroth tune` runs a black-box tuning job on an objective module with worker threads,
 * a progress bar, a JSONL trial log and checkpoints; `zeroth bench` runs the benchmarks of a source checkout.
 * Run `zeroth --help` for the options.
 *
 * @packageDocumentation
 */
import { createWriteStream, existsSync, readFileSync, realpathSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Estimator } from '../estimator.js';
import { ZerothError } from '../errors.js';
import { patience, targetValue, tolerance, type Stopper } from '../stoppers.js';
import { adam } from '../transform/aliases/adam.js';
import { sgd } from '../transform/aliases/sgd.js';
import { identity } from '../transform/identity.js';
import type { Transform } from '../transform/transform.js';
import { createTuner } from '../tuner/createTuner.js';
import { inlineExecutor, type Executor } from '../tuner/executor.js';
import { checkpointMeta, resumeTuner } from '../tuner/resumeTuner.js';
import { spaceFromJSON } from '../tuner/space.js';
import { tune } from '../tuner/tune.js';
import type { Tuner } from '../tuner/types.js';
import { benchPlans, runBench } from './tunerBench.js';
import { loadObjective } from './tunerObjective.js';
import { workerPoolExecutor } from './tunerPool.js';
import { progressBar } from './tunerProgress.js';

const HELP = `zeroth — zeroth-order optimization

Usage:
  zeroth tune --objective FILE --space FILE (--budget N | --time SECONDS) [options]
  zeroth tune --resume CHECKPOINT [--budget N] [options]
  zeroth bench [quality|perf] [-- benchmark arguments]

zeroth tune minimizes the number returned by the objective module's default export (or its export
"objective"), a function (x, context) => number | Promise<number>, where x is an object shaped like the space.
Maximize a score by returning its negative.

Space file (JSON): nested objects whose leaves are
  { "type": "float" | "logFloat" | "int", "low": number, "high": number, "init"?: number }

Options of tune:
  --objective FILE        the objective module (.js/.mjs/.cjs)
  --export NAME           the export to call (default: default, else objective)
  --space FILE            the search space (JSON)
  --budget N              maximum objective evaluations (every probe of a step counts)
  --time SECONDS          wall-time limit (evaluations in flight are abandoned)
  --workers N             worker threads (default 1; 0 evaluates in this thread). Results do not depend on it.
  --seed N                run seed, uint32 (default 0): the run is a pure function of it
  --estimator NAME        a value or ranking estimator of zeroth/estimators (default subspaceTrustRegion:
                          a model-based trust region in the box [-1, 1]^dim, no learning rate to set)
  --sigma S               perturbation radius in standardized units, where each range is [-1, 1] (default 0.1);
                          for subspaceTrustRegion its initial trust radius (default 0.5)
  --num-probes Q          directions per step, for estimators that take numProbes
  --estimator-options J   more estimator options as a JSON object
  --optimizer adam|sgd|none  the step rule (default none for subspaceTrustRegion, which takes its own steps; else adam)
  --lr LR                 its learning rate, in standardized units (default 0.05)
  --re-evaluate R         evaluate the iterate R times every --re-evaluate-every steps and at the end (default 1; 0: off)
  --re-evaluate-every K   (default 10)
  --policy P              recommendation: iterate, bestSeen or reEvaluated (default reEvaluated, or iterate without re-evaluation)
  --target V              stop once a step's value is <= V
  --patience K            stop after K steps without improvement
  --tolerance T           stop when the last 10 step values lie within T
  --log FILE              append every trial as a JSON line (id, kind, step, x, state, value, elapsedMs)
  --checkpoint FILE       save the run there at the end and on Ctrl-C (resume with --resume FILE)
  --resume FILE           continue a saved run (its objective, space and options come from the checkpoint)
  --no-progress           no progress bar on stderr

The result is printed to stdout as JSON: { x, value, policy, queries, steps, stoppedBy }.
`;

const OPTIONS = {
  objective: { type: 'string' },
  export: { type: 'string' },
  space: { type: 'string' },
  budget: { type: 'string' },
  time: { type: 'string' },
  workers: { type: 'string' },
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
  log: { type: 'string' },
  checkpoint: { type: 'string' },
  resume: { type: 'string' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The estimator of `zeroth tune` without --estimator: the winner of the tuning suite (bench/tuning). */
const DEFAULT_ESTIMATOR = 'subspaceTrustRegion';

/** A mistake in the command line or its files: printed as `zeroth: message`, exit code 2. */
class UsageError extends Error {}

/** Everything needed to rebuild a run; stored in the checkpoint's meta. */
interface RunSpec {
  readonly cli: 1;
  readonly objective: string;
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
  readonly description: string;
}

/** Runs the command with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === 'bench') return bench(rest);
    if (command === 'tune') return await tuneCommand(rest);
    throw new UsageError(`unknown command "${command}"; run zeroth --help`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ZerothError) {
      process.stderr.write(`zeroth: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function bench(args: readonly string[]): number {
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const extra = dash < 0 ? [] : args.slice(dash + 1);
  const dry = own.includes('--dry-run');
  const kinds = own.filter((a) => a !== '--dry-run');
  for (const k of kinds) if (k !== 'quality' && k !== 'perf') throw new UsageError(`unknown benchmark "${k}": use quality or perf`);
  const plans = benchPlans(kinds, extra);
  if (dry) {
    for (const p of plans) process.stdout.write(`${p.kind}: ${p.command === undefined ? p.why : p.command.join(' ')}\n`);
    return plans.some((p) => p.command !== undefined) ? 0 : 2;
  }
  return runBench(plans);
}

async function tuneCommand(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: false, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; run zeroth --help`);
  }
  const o = parsed.values;
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const resumeText = o.resume === undefined ? undefined : readText(o.resume, 'checkpoint');
  const spec: RunSpec = resumeText === undefined ? specFromFlags(o) : specFromCheckpoint(resumeText, o);
  const budget = o.budget === undefined ? undefined : integer('--budget', o.budget, 1);
  const timeMs = o.time === undefined ? undefined : Math.round(1000 * number('--time', o.time, 0));
  if (resumeText === undefined && budget === undefined && timeMs === undefined) throw new UsageError('give --budget N (evaluations) or --time SECONDS');
  const workers = integer('--workers', o.workers ?? '1', 0);
  const policy = o.policy === undefined ? undefined : oneOf('--policy', o.policy, ['iterate', 'bestSeen', 'reEvaluated'] as const);

  const space = spaceFromJSON(spec.space);
  const estimator = await buildEstimator(spec.estimator, spec.estimatorOptions);
  const update: Transform<unknown> =
    spec.optimizer === 'none' ? (identity() as Transform<unknown>) : spec.optimizer === 'adam' ? (adam(spec.lr) as Transform<unknown>) : (sgd(spec.lr) as Transform<unknown>);
  const reEvaluate = spec.reEvaluate ?? undefined;
  const tuner: Tuner<Record<string, unknown>> =
    resumeText === undefined
      ? createTuner({ space, estimator, update, ...(budget === undefined ? {} : { budget }), seed: integer('--seed', o.seed ?? '0', 0), ...(reEvaluate ? { reEvaluate } : {}) })
      : resumeTuner(resumeText, { space, estimator, update, ...(budget === undefined ? {} : { budget }), ...(reEvaluate ? { reEvaluate } : {}) });

  const executor: Executor<Record<string, unknown>> =
    workers === 0
      ? inlineExecutor(await loadObjective<Record<string, unknown>>(spec.objective, spec.export ?? undefined))
      : workerPoolExecutor<Record<string, unknown>>({ module: spec.objective, ...(spec.export === null ? {} : { exportName: spec.export }), workers });
  if ('check' in executor && typeof executor.check === 'function') {
    try {
      await (executor.check as () => Promise<void>)();
    } catch (e) {
      await executor.close();
      throw e;
    }
  }

  const stoppers: Stopper[] = [];
  if (o.target !== undefined) stoppers.push(targetValue(number('--target', o.target)));
  if (o.patience !== undefined) stoppers.push(patience(integer('--patience', o.patience, 1)));
  if (o.tolerance !== undefined) stoppers.push(tolerance(number('--tolerance', o.tolerance, 0)));

  const checkpoint = o.checkpoint ?? o.resume;
  const log: WriteStream | undefined = o.log === undefined ? undefined : createWriteStream(resolve(o.log), { flags: 'a' });
  const progress = progressBar(process.stderr, !o['no-progress']);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nzeroth: interrupted; stopping (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let best = Infinity;
  const state = (elapsedMs: number) => ({ queries: tuner.numQueries, budget: tuner.budget, steps: tuner.numSteps, best, elapsedMs, ...(timeMs === undefined ? {} : { timeMs }) });
  try {
    const result = await tune(tuner, {
      executor,
      signal: controller.signal,
      ...(timeMs === undefined ? {} : { timeMs }),
      stoppers,
      ...(policy === undefined ? {} : { policy }),
      onTrial(r) {
        if (r.value !== undefined && r.value < best) best = r.value;
        log?.write(`${JSON.stringify({ id: r.trial.id, kind: r.trial.kind, step: r.trial.context.step, x: r.trial.x, state: r.state, ...(r.value === undefined ? {} : { value: r.value }), ...(r.error === undefined ? {} : { error: r.error }), elapsedMs: r.elapsedMs })}\n`);
        progress.update(state(r.elapsedMs));
      },
    });
    progress.done(state(result.elapsedMs));
    if (checkpoint !== undefined) writeAtomic(resolve(checkpoint), tuner.save(spec));
    const rec = result.recommendation;
    process.stdout.write(
      `${JSON.stringify({ x: rec.x, value: rec.value ?? null, policy: rec.policy, queries: result.numQueries, steps: result.numSteps, stoppedBy: { reason: result.stoppedBy.reason, message: result.stoppedBy.message } })}\n`,
    );
    if (result.stoppedBy.reason === 'signal') {
      process.stderr.write(
        checkpoint === undefined
          ? 'zeroth: interrupted without --checkpoint: nothing saved\n'
          : `zeroth: checkpoint saved to ${checkpoint}; continue with: zeroth tune --resume ${checkpoint}\n`,
      );
      return 130;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await executor.close();
    if (log !== undefined) await new Promise<void>((done) => log.end(done));
  }
}

function specFromFlags(o: Record<string, string | boolean | undefined>): RunSpec {
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
  const estimator = (o['estimator'] as string | undefined) ?? DEFAULT_ESTIMATOR;
  const ownSteps = estimator === DEFAULT_ESTIMATOR;
  // The default estimator searches the tuner's standardized box itself; the others take a perturbation radius.
  const options: Record<string, unknown> = ownSteps
    ? { bounds: { lower: -1, upper: 1 }, ...(typeof o['sigma'] === 'string' ? { radius: number('--sigma', o['sigma'], 0) } : {}) }
    : { sigma: number('--sigma', (o['sigma'] as string | undefined) ?? '0.1', 0) };
  const optimizer = oneOf('--optimizer', (o['optimizer'] as string | undefined) ?? (ownSteps ? 'none' : 'adam'), ['adam', 'sgd', 'none'] as const);
  if (ownSteps && (optimizer !== 'none' || o['lr'] !== undefined)) {
    throw new UsageError(`${DEFAULT_ESTIMATOR} takes its own trust-region steps: it has no step rule or learning rate (drop --optimizer and --lr, or pick another --estimator)`);
  }
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
  const repeats = integer('--re-evaluate', (o['re-evaluate'] as string | undefined) ?? '1', 0);
  const every = integer('--re-evaluate-every', (o['re-evaluate-every'] as string | undefined) ?? '10', 1);
  return {
    cli: 1,
    objective,
    export: typeof o['export'] === 'string' ? o['export'] : null,
    space,
    estimator,
    estimatorOptions: options,
    optimizer,
    lr: number('--lr', (o['lr'] as string | undefined) ?? '0.05', 0),
    reEvaluate: repeats === 0 ? null : { every, repeats },
  };
}

function specFromCheckpoint(text: string, o: Record<string, string | boolean | undefined>): RunSpec {
  for (const flag of ['objective', 'space', 'seed', 'estimator', 'sigma', 'num-probes', 'estimator-options', 'optimizer', 'lr', 're-evaluate', 're-evaluate-every', 'export']) {
    if (o[flag] !== undefined) throw new UsageError(`--${flag} cannot be changed when resuming: the checkpoint holds the run's settings`);
  }
  const meta = checkpointMeta(text) as RunSpec | null;
  if (meta === null || typeof meta !== 'object' || meta.cli !== 1) throw new UsageError('this checkpoint was not written by the zeroth command (resume it with resumeTuner in code)');
  return meta;
}

async function buildEstimator(name: string, options: Record<string, unknown>): Promise<Estimator<unknown>> {
  // The registry is loaded at run time: src/ (and so the CLI's own imports) never depends on estimators/.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const { estimators } = (await import(new URL(`../../estimators/index${ext}`, import.meta.url).href)) as { estimators: Record<string, RegistryEntry> };
  const usable = Object.entries(estimators).filter(([, e]) => e.response !== 'valueAndGrad');
  const entry = usable.find(([k]) => k === name)?.[1];
  if (entry === undefined) {
    throw new UsageError(`unknown estimator "${name}"; the tuner can use: ${usable.map(([k]) => k).join(', ')}`);
  }
  return entry.build(options);
}

function readText(path: string, what: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`${what} file ${path} not found (looked for ${full})`);
  return readFileSync(full, 'utf8');
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function number(flag: string, text: string, min = -Infinity): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min) throw new UsageError(`${flag} must be a number${min > -Infinity ? ` ≥ ${min}` : ''}, got "${text}"`);
  return v;
}

function integer(flag: string, text: string, min: number): number {
  const v = number(flag, text, min);
  if (!Number.isInteger(v)) throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${text}"`);
  return v;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

function version(): string {
  try {
    const pkg = new URL(import.meta.url.endsWith('.ts') ? '../../package.json' : '../../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url || realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`zeroth: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

