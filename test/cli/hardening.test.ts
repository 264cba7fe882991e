import type { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { estimators } from '../../estimators/index.js';
import { main } from '../../src/node/cli.js';
import { benchPlans, runBench } from '../../src/node/tunerBench.js';
import { scratch, zeroth as run, type Run } from './_harness.js';

const { dir, file } = scratch('zeroth-cli-hard-');
const zeroth = (args: readonly string[], during?: (child: ReturnType<typeof spawn>, signalled: () => void) => void): Promise<Run> => run(dir, args, during);

/** Sends `signal` once `ready()` holds (polled every 5 ms). */
function signalWhen(ready: () => boolean, signal: NodeJS.Signals) {
  return (child: ReturnType<typeof spawn>, signalled: () => void): void => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      signalled();
      child.kill(signal);
    }, 5);
    child.on('close', () => clearInterval(poll));
  };
}

/** Runs the command in this process (for runs that need no signal); stdout and stderr are captured. */
async function inProcess(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const lines = (path: string): number => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);
const result = (r: Run): Record<string, unknown> => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
const spaceFile = file('space.json', JSON.stringify({ a: { type: 'float', low: 0, high: 1 }, b: { type: 'float', low: 0, high: 1 } }));
/** A synchronous objective that never yields: `ms` of busy work per call. */
const syncObjective = (name: string, ms: number): string =>
  file(name, `export default function (x) { const end = Date.now() + ${ms}; while (Date.now() < end) {} return (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2; }\n`);
const sync5 = syncObjective('sync5.mjs', 5);
const fast = file('fast.mjs', 'export default (x) => (x.a - 0.3) ** 2 + (x.b - 0.7) ** 2;\n');

describe('the zeroth command under signals, bad paths and failing objectives', () => {
  test('Ctrl-C on --workers 0 with a synchronous objective saves the checkpoint and exits 130 within 1 s; SIGTERM exits 143; the run resumes exactly', async () => {
    const args = ['tune', '--objective', sync5, '--space', spaceFile, '--budget', '300', '--seed', '2', '--workers', '0', '--no-progress'];
    const checkpoint = join(dir, 'sig.json');
    const log = join(dir, 'sig.jsonl');
    const [whole, cut] = await Promise.all([
      zeroth(args),
      zeroth([...args, '--checkpoint', checkpoint, '--log', log], signalWhen(() => lines(log) >= 20, 'SIGINT')),
    ]);
    expect(cut.code).toBe(130);
    expect(cut.afterSignalMs).toBeLessThan(1000);
    expect(cut.stderr).toMatch(/checkpoint saved to .*sig\.json; continue with: zeroth tune --resume/);
    expect(result(cut)['stoppedBy']).toMatchObject({ reason: 'signal' });

    const log2 = join(dir, 'sig2.jsonl');
    const term = await zeroth(['tune', '--resume', checkpoint, '--workers', '0', '--log', log2, '--no-progress'], signalWhen(() => lines(log2) >= 20, 'SIGTERM'));
    expect(term.code).toBe(143);
    expect(term.afterSignalMs).toBeLessThan(1000);
    expect(term.stderr).toMatch(/terminated; saving and stopping/);
    expect(result(term)['queries']).toBeGreaterThan(result(cut)['queries'] as number);

    const rest = await zeroth(['tune', '--resume', checkpoint, '--workers', '0', '--no-progress']);
    expect(rest.code).toBe(0);
    expect(result(rest)).toEqual(result(whole));
  });

  test('Ctrl-C before the objective module has loaded saves the run; --checkpoint-every saves while it runs', async () => {
    const slow = file('slowload.mjs', "await new Promise((r) => setTimeout(r, 4000));\nexport default (x) => x.a;\n");
    const early = join(dir, 'early.json');
    const log = join(dir, 'early.jsonl');
    const r = await zeroth(['tune', '--objective', slow, '--space', spaceFile, '--budget', '50', '--workers', '0', '--checkpoint', early, '--log', log], signalWhen(() => existsSync(log), 'SIGINT'));
    expect(r.code).toBe(130);
    expect(r.afterSignalMs).toBeLessThan(1000);
    expect(existsSync(early)).toBe(true);
    expect(result(r)).toMatchObject({ steps: 0, stoppedBy: { reason: 'signal', message: 'interrupted before the first evaluation' } });

    // Periodic saves: a run killed without warning (SIGKILL) resumes from its last periodic checkpoint.
    const periodic = join(dir, 'periodic.json');
    const plog = join(dir, 'periodic.jsonl');
    const args = ['tune', '--objective', sync5, '--space', spaceFile, '--budget', '200', '--seed', '4', '--workers', '0', '--no-progress'];
    const killed = await zeroth([...args, '--checkpoint', periodic, '--checkpoint-every', '0.1', '--log', plog], signalWhen(() => existsSync(periodic) && lines(plog) >= 60, 'SIGKILL'));
    expect(killed.code).toBe(null);
    const saved = (JSON.parse(readFileSync(periodic, 'utf8')) as { body: { numTold: number } }).body.numTold;
    expect(saved).toBeGreaterThan(0);
    const [resumed, whole] = await Promise.all([zeroth(['tune', '--resume', periodic, '--workers', '0', '--no-progress']), zeroth(args)]);
    expect(resumed.code).toBe(0);
    expect(result(resumed)).toEqual(result(whole));
  });

  test('a run in which every evaluation fails exits 1 and prints the first error; it never replaces a good checkpoint', async () => {
    const broken = file('broken.mjs', "export default () => { throw new Error('service down'); };\n");
    const r = await inProcess(['tune', '--objective', broken, '--space', spaceFile, '--budget', '200', '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/queries · 0 steps \(20 skipped\) · 20 failed · best seen — ·/); // the progress line says so too
    expect(result(r)).toMatchObject({ failed: 20, stoppedBy: { reason: 'error' } });
    expect(r.stderr).toMatch(/zeroth: 20 evaluations failed; the first: trial 0: The objective threw at trial 0: service down/);
    const text = await inProcess(['tune', '--objective', file('text.mjs', "export default () => 'NaN';\n"), '--space', spaceFile, '--budget', '10', '--workers', '0', '--no-progress']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/returned "NaN" at trial 0, not a number/);

    // A good run, then a resume with a broken objective: the checkpoint keeps the good state.
    const good = join(dir, 'good.json');
    expect((await inProcess(['tune', '--objective', fast, '--space', spaceFile, '--budget', '40', '--workers', '0', '--checkpoint', good, '--no-progress'])).code).toBe(0);
    const before = readFileSync(good, 'utf8');
    const bad = await inProcess(['tune', '--resume', good, '--budget', '400', '--objective', broken, '--force', '--workers', '0', '--no-progress']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/every evaluation since the last save failed: .*good\.json was not replaced/);
    expect(readFileSync(good, 'utf8')).toBe(before);
  });

  test("a checkpoint of another run is not overwritten without --force; a resume keeps writing its own", async () => {
    const taken = join(dir, 'taken.json');
    const args = ['tune', '--objective', fast, '--space', spaceFile, '--budget', '20', '--workers', '0', '--no-progress', '--estimator', 'spsa', '--checkpoint', taken];
    expect((await inProcess(args)).code).toBe(0);
    const first = readFileSync(taken, 'utf8');
    const again = await inProcess(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/taken\.json already exists and is not this run's checkpoint: continue that run with --resume .*taken\.json, choose another --checkpoint path, or pass --force/);
    expect(readFileSync(taken, 'utf8')).toBe(first);
    expect((await inProcess([...args, '--force'])).code).toBe(0);
    // Resuming into another file, then into that file again, is the same run.
    const copy = join(dir, 'taken-more.json');
    expect((await inProcess(['tune', '--resume', taken, '--budget', '30', '--checkpoint', copy, '--workers', '0', '--no-progress'])).code).toBe(0);
    expect((await inProcess(['tune', '--resume', taken, '--budget', '40', '--checkpoint', copy, '--workers', '0', '--no-progress'])).code).toBe(0);
    // A smaller budget than already spent is refused and changes nothing.
    const small = await inProcess(['tune', '--resume', copy, '--budget', '10', '--workers', '0', '--no-progress']);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/budget\.queries: got 10; budget\.queries must be ≥ the 3\d queries the run has already spent/);
  });

  test('bad output paths are refused before the first evaluation; a late write failure still prints the result and exits 1', async () => {
    const marker = join(dir, 'called');
    const marking = file('marking.mjs', `import { writeFileSync } from 'node:fs';\nexport default (x) => { writeFileSync(${JSON.stringify(marker)}, 'x'); return x.a; };\n`);
    const run = ['tune', '--objective', marking, '--space', spaceFile, '--budget', '20', '--workers', '0', '--no-progress', '--estimator', 'spsa'];
    const ck = await inProcess([...run, '--checkpoint', '/nonexistent/dir/ck.json']);
    expect(ck.code).toBe(2);
    expect(ck.stderr).toBe('zeroth: cannot write the checkpoint /nonexistent/dir/ck.json: the folder /nonexistent/dir does not exist\n');
    const log = await inProcess([...run, '--log', '/nonexistent/dir/t.jsonl']);
    expect(log.code).toBe(2);
    expect(log.stderr).toMatch(/^zeroth: cannot open the trial log \/nonexistent\/dir\/t\.jsonl: ENOENT/);
    expect(existsSync(marker)).toBe(false);
    // A log that fails to write later (a full disk): the run ends, prints its result, says why and exits 1.
    const full = await inProcess([...run, '--log', '/dev/full']);
    expect(full.code).toBe(1);
    expect(result(full)).toMatchObject({ stoppedBy: { reason: 'queries' } });
    expect(full.stderr).toMatch(/^zeroth: could not write the trial log \/dev\/full: ENOSPC[^\n]*\n$/);

    // The objective removes the checkpoint's folder during the run: the result is printed anyway.
    const doomed = join(dir, 'doomed');
    mkdirSync(doomed);
    const remover = file('remover.mjs', `import { rmSync } from 'node:fs';\nlet n = 0;\nexport default (x) => { if (++n === 10) rmSync(${JSON.stringify(doomed)}, { recursive: true }); return x.a; };\n`);
    const late = await inProcess(['tune', '--objective', remover, '--space', spaceFile, '--budget', '20', '--workers', '0', '--no-progress', '--estimator', 'spsa', '--checkpoint', join(doomed, 'ck.json')]);
    expect(late.code).toBe(1);
    expect(result(late)).toMatchObject({ steps: 9, stoppedBy: { reason: 'queries' } }); // 9 steps + 1 re-evaluation
    expect(late.stderr).toMatch(/^zeroth: could not write the checkpoint .*doomed\/ck\.json: ENOENT[^\n]*\n$/);
  });

  test('checkpoints name the objective relative to themselves; --objective on resume is checked by content', async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    const objective = join(project, 'objective.mjs');
    writeFileSync(objective, readFileSync(fast));
    const ck = join(project, 'run.json');
    expect((await inProcess(['tune', '--objective', objective, '--space', spaceFile, '--budget', '20', '--workers', '0', '--no-progress', '--checkpoint', ck])).code).toBe(0);
    expect((JSON.parse(readFileSync(ck, 'utf8')) as { body: { meta: { objective: string } } }).body.meta.objective).toBe('objective.mjs');
    const moved = join(dir, 'moved');
    renameSync(project, moved);
    const resumed = await inProcess(['tune', '--resume', join(moved, 'run.json'), '--budget', '30', '--workers', '0', '--no-progress']);
    expect(resumed.code).toBe(0);
    expect(result(resumed)['queries']).toBeGreaterThan(20);
    // The checkpoint alone, without its objective: name it with --objective (same content).
    const alone = join(dir, 'alone.json');
    cpSync(join(moved, 'run.json'), alone);
    expect((await inProcess(['tune', '--resume', alone, '--budget', '40', '--workers', '0', '--no-progress'])).stderr).toMatch(/the run's objective objective\.mjs .* is not there; if it moved, pass --objective FILE/);
    expect((await inProcess(['tune', '--resume', alone, '--budget', '40', '--objective', join(moved, 'objective.mjs'), '--workers', '0', '--no-progress'])).code).toBe(0);
    const other = file('other.mjs', 'export default (x) => x.b;\n');
    const refused = await inProcess(['tune', '--resume', alone, '--budget', '50', '--objective', other, '--workers', '0', '--no-progress']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not the one the run started with \(its content changed\)/);
  });

  test('every registry estimator runs from the command line with its documented flags', async () => {
    const names = Object.entries(estimators).filter(([, e]) => e.response === 'values' || e.response === 'ranking').map(([k]) => k);
    expect(names.length).toBeGreaterThanOrEqual(11);
    for (const name of names) {
      const r = await inProcess(['tune', '--objective', fast, '--space', spaceFile, '--budget', '60', '--workers', '0', '--no-progress', '--estimator', name]);
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
      expect(result(r)['steps'], name).toBeGreaterThan(0);
    }
    const cons = await inProcess(['tune', '--objective', fast, '--space', spaceFile, '--budget', '60', '--workers', '0', '--no-progress', '--estimator', 'zoSgdCons', '--lr', '0.2']);
    expect(cons.code).toBe(0);
    const rank = await inProcess(['tune', '--objective', fast, '--space', spaceFile, '--budget', '60', '--workers', '0', '--estimator', 'zoRankSgd', '--re-evaluate', '2']);
    expect(rank.code).toBe(2);
    expect(rank.stderr).toMatch(/--re-evaluate 2: zoRankSgd ranks candidates .*use --re-evaluate 0/);
  });

  test('negative numbers get a range message; unknown estimator options are refused', async () => {
    const run = ['tune', '--objective', fast, '--space', spaceFile, '--workers', '0', '--estimator', 'spsa'];
    const cases: [string[], RegExp][] = [
      [[...run, '--budget', '-3'], /--budget must be an integer ≥ 1, got "-3"/],
      // The default estimator takes its own steps: a learning rate or step rule for it is a mistake.
      [['tune', '--objective', fast, '--space', spaceFile, '--workers', '0', '--budget', '10', '--lr', '0.1'], /subspaceTrustRegion takes its own trust-region steps: it has no step rule or learning rate/],
      [[...run, '--budget', '10', '--sigma', '-0.1'], /--sigma must be a number > 0, got "-0\.1"/],
      [[...run, '--budget', '10', '--time', '-2'], /--time must be a number > 0, got "-2"/],
      [[...run, '--budget', '10', '--estimator-options', '{"sigm": 0.1}'], /spsa has no option "sigm"; its options are sigma, distribution, difference, numProbes, commonRandomNumbers/],
      [[...run, '--budget', '10', '--estimator', 'mezo', '--num-probes', '2'], /mezo has no option "numProbes" \(from --num-probes\)/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
    }
  });

  test('bench in an installed package says that the benchmarks need a source checkout', () => {
    const installed = join(dir, 'node_modules', 'zeroth');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'zeroth', scripts: { 'bench:perf': 'node src/backend/wasm/build.mjs && tsx bench/perf/run.ts' } }));
    const plans = benchPlans(['perf', 'quality'], [], installed);
    expect(plans.map((p) => p.command)).toEqual([undefined, undefined]);
    expect(plans[0]!.why).toMatch(/the perf benchmark needs a source checkout of zeroth: .* has no bench\/perf\/run\.ts, since the npm package ships no benchmarks/);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(runBench(plans, installed)).toBe(2);
    } finally {
      err.mockRestore();
    }
  });
});
