import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { integer, parseFlags, UsageError, type FlagOptions } from './_internal/cliOptions.js';
import { importDistributed } from './_internal/importDistributed.js';

const WORKER_OPTIONS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  objective: { type: 'string' },
  export: { type: 'string' },
  concurrency: { type: 'string' },
  'lock-ms': { type: 'string' },
  prefix: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagOptions;

type WorkerFlags = { readonly [K in keyof typeof WORKER_OPTIONS]?: (typeof WORKER_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Help of `zeroth worker`. */
export const WORKER_HELP = `Usage:
  zeroth worker --redis URL --queue NAME --objective FILE [--export NAME] [--concurrency N] [--lock-ms MS]

Serves a queue of zeroth jobs on Redis: the trials of \`zeroth tune --redis URL --queue NAME\` and the probes
of distributedOracle (zeroth/distributed), on both of its transports (lean rounds and BullMQ jobs). Start as
many workers as you like, on any machine that reaches Redis; a worker that dies loses its job to another one
after --lock-ms. Stop with Ctrl-C or SIGTERM: the jobs in hand are finished first.

Options of worker:
  --redis URL             the Redis server, e.g. redis://127.0.0.1:6379
  --queue NAME            the queue to serve
  --objective FILE        the objective module (.js/.mjs/.cjs), as for zeroth tune
  --export NAME           the export to call (default: default, else objective)
  --concurrency N         jobs evaluated at once (default 1; more helps only objectives that wait)
  --lock-ms MS            how long a job stays with a silent worker before another takes it (default 30000;
                          also the lifetime of the worker's heartbeat for the lean transport)
`;

/**
 * `zeroth worker`: runs `startWorker` from `zeroth/distributed` until SIGINT or SIGTERM. Resolves with the exit
 * code. Usage mistakes throw `UsageError`.
 */
export async function workerCommand(args: readonly string[]): Promise<number> {
  const values = parseFlags(args, WORKER_OPTIONS, 'zeroth worker --help') as WorkerFlags;
  if (values.help === true) {
    process.stdout.write(WORKER_HELP);
    return 0;
  }
  if (values.redis === undefined) throw new UsageError('give --redis URL (e.g. redis://127.0.0.1:6379)');
  if (values.queue === undefined) throw new UsageError('give --queue NAME (the queue of zeroth tune --queue NAME)');
  if (values.objective === undefined) throw new UsageError('give --objective FILE (a module exporting the objective function)');
  const objective = resolve(values.objective);
  if (!existsSync(objective)) throw new UsageError(`objective file ${values.objective} not found (looked for ${objective})`);
  const concurrency = values.concurrency === undefined ? 1 : integer('--concurrency', values.concurrency, 1);
  const lockMs = values['lock-ms'] === undefined ? 30_000 : integer('--lock-ms', values['lock-ms'], 100);
  const { startWorker } = await importDistributed(() => import('../distributed/startWorker.js'), 'zeroth worker', (m) => new UsageError(m));
  const worker = startWorker({
    redis: values.redis,
    queue: values.queue,
    objective,
    ...(values.export === undefined ? {} : { exportName: values.export }),
    ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
    concurrency,
    lockMs,
  });
  try {
    await worker.ready();
  } catch (e) {
    await worker.close();
    throw e;
  }
  process.stderr.write(`zeroth worker ${process.pid}: serving queue ${values.queue} on ${redacted(values.redis)}\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await worker.close();
  const s = worker.stats;
  process.stderr.write(`zeroth worker ${process.pid}: stopped after ${s.jobs} jobs (${s.evaluations} evaluations, ${s.failed} failed)\n`);
  return 0;
}

/** The URL without its password. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
