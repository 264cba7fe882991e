#!/usr/bin/env node
/**
 * The `zeroth` command: `zeroth tune` runs a black-box tuning job on an objective module with worker threads,
 * a progress bar, a JSONL trial log and checkpoints; `zeroth bench` runs the benchmarks of a source checkout.
 * Run `zeroth --help` for the options.
 *
 * @packageDocumentation
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZerothError } from '../errors.js';
import { UsageError } from './_internal/cliOptions.js';
import { tuneCommand } from './_internal/tuneCommand.js';
import { workerCommand } from './workerCommand.js';
import { benchPlans, runBench } from './tunerBench.js';

const HELP = `zeroth — zeroth-order optimization

Usage:
  zeroth tune --objective FILE --space FILE (--budget N | --time SECONDS) [options]
  zeroth tune --resume CHECKPOINT [--budget N] [options]
  zeroth bench [quality|perf|rl] [-- benchmark arguments]
  zeroth worker --redis URL --queue NAME --objective FILE   (zeroth worker --help)

zeroth tune minimizes the number returned by the objective module's default export (or its export
"objective"), a function (x, context) => number | Promise<number>, where x is an object shaped like the space.
Maximize a score by returning its negative.

Space file (JSON): nested objects whose leaves are
  { "type": "float" | "logFloat" | "int", "low": number, "high": number, "init"?: number }

Options of tune:
  --objective FILE        the objective module (.js/.mjs/.cjs); on --resume, the run's module if it moved
                          (its content must be the same, unless --force)
  --export NAME           the export to call (default: default, else objective)
  --space FILE            the search space (JSON)
  --budget N              maximum objective evaluations (every probe of a step counts); on --resume, at least
                          the evaluations already spent
  --time SECONDS          wall-time limit (evaluations in flight are abandoned)
  --workers N             worker threads (default 1; 0 evaluates in this thread). Results do not depend on it.
                          Only a worker can stop an evaluation that hangs: with 0, a time limit or Ctrl-C acts
                          between evaluations.
  --redis URL             evaluate on the workers of a Redis queue instead (zeroth worker), e.g. redis://127.0.0.1:6379
  --queue NAME            the queue's name, with --redis (default zeroth)
  --seed N                run seed, uint32 (default 0): the run is a pure function of it
  --estimator NAME        a value or ranking estimator of zeroth/estimators (default subspaceTrustRegion:
                          a model-based trust region in the box [-1, 1]^dim, no learning rate to set)
  --sigma S               perturbation radius in standardized units, where each range is [-1, 1] (default 0.1);
                          for subspaceTrustRegion its initial trust radius (default 0.5)
  --num-probes Q          directions per step, for estimators that take numProbes
  --estimator-options J   more estimator options as a JSON object (unknown keys are refused)
  --optimizer adam|sgd|none  the step rule (default none for subspaceTrustRegion, which takes its own steps; else adam)
  --lr LR                 its learning rate, in standardized units (default 0.05); estimators that take their
                          own step (zoSgdCons) use it as theirs
  --re-evaluate R         evaluate the iterate R times every --re-evaluate-every steps and at the end
                          (default 1; 0: off, the default and the only choice for ranking estimators)
  --re-evaluate-every K   (default 10)
  --policy P              recommendation: iterate, bestSeen or reEvaluated (default reEvaluated, or iterate without re-evaluation)
  --target V              stop once a step's value is <= V
  --patience K            stop after K steps without improvement
  --tolerance T           stop when the last 10 step values lie within T
  --max-failures N        stop (exit 1) after N evaluations in a row failed (default 20; 0: never)
  --log FILE              append every trial as a JSON line (id, kind, step, x, state, value, elapsedMs)
  --checkpoint FILE       save the run there at the end and on Ctrl-C or SIGTERM (resume with --resume FILE);
                          an existing file that is not this run's checkpoint is refused (unless --force), and
                          a run whose evaluations all failed since the last save never replaces it
  --checkpoint-every S    also save every S seconds
  --resume FILE           continue a saved run (its objective, space and options come from the checkpoint)
  --force                 replace a checkpoint file of another run; resume with a changed objective module
  --no-progress           no progress bar on stderr

The result is printed to stdout as JSON: { x, value, policy, bestSeen: { x, value }, queries, steps, failed,
skipped, stoppedBy }. value is the recommendation's known value (null for the iterate, which is never
evaluated); bestSeen is the evaluated point with the lowest value. Exit code: 0 done; 1 the run failed (every
evaluation failed, --max-failures reached, or a file could not be written); 2 a usage error; 130 Ctrl-C;
143 SIGTERM.
`;

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
    if (command === 'tune') return await tuneCommand(rest, HELP);
    if (command === 'worker') return await workerCommand(rest);
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
  for (const k of kinds) if (k !== 'quality' && k !== 'perf' && k !== 'rl') throw new UsageError(`unknown benchmark "${k}": use quality, perf or rl`);
  const plans = benchPlans(kinds, extra);
  if (dry) {
    for (const p of plans) process.stdout.write(`${p.kind}: ${p.command === undefined ? p.why : p.command.join(' ')}\n`);
    return plans.some((p) => p.command !== undefined) ? 0 : 2;
  }
  return runBench(plans);
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
      // Everything is written (stdout and stderr are synchronous for files and pipes); exit now rather than wait
      // for an abandoned evaluation of an objective (a timer, a socket) after a time limit or a signal.
      process.exit(code);
    },
    (e: unknown) => {
      process.stderr.write(`zeroth: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

