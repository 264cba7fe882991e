import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliPath, root, scratch, tsx, zeroth as run, type Run } from './_harness.js';

const { dir, file } = scratch('zeroth-cli-');
/** Runs `zeroth …` in the scratch folder; `during` sees the child while it runs. */
const zeroth = (args: readonly string[], during?: (child: ReturnType<typeof spawn>) => void): Promise<Run> => run(dir, args, during);

const objective = file(
  'objective.mjs',
  `export default async function (x) {
     const end = Date.now() + 2;
     while (Date.now() < end) {}
     return (Math.log10(x.lr) + 2) ** 2 + (x.net.momentum - 0.9) ** 2 + (x.net.layers - 3) ** 2 / 20;
   }`,
);
const spaceFile = file(
  'space.json',
  JSON.stringify({ lr: { type: 'logFloat', low: 1e-4, high: 1 }, net: { momentum: { type: 'float', low: 0, high: 0.99 }, layers: { type: 'int', low: 1, high: 6 } } }),
);
const base = ['tune', '--objective', objective, '--space', spaceFile, '--budget', '240', '--seed', '3'];
const result = (r: Run): { x: unknown; value: number; queries: number; steps: number } => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as never;

describe('the zeroth command', () => {
  test('tune: 1 and 2 workers give the same result; a JSONL log of every trial; a checkpoint; a progress bar', async () => {
    const log = join(dir, 'trials.jsonl');
    const two = await zeroth([...base, '--workers', '2', '--log', log, '--checkpoint', join(dir, 'end.json')]);
    expect(two.stderr).toMatch(/queries · \d+ steps.* · best seen/);
    expect(two.code).toBe(0);
    const one = await zeroth([...base, '--workers', '1', '--no-progress']);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe('');
    expect(result(two)).toEqual(result(one));
    const r = result(two);
    expect(r.queries).toBeLessThanOrEqual(240);
    expect(r.value).toBeLessThan(0.05);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; state: string; x: { net: { layers: number } } });
    expect(lines).toHaveLength(r.queries);
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    expect(lines.every((l) => l.state === 'complete' && Number.isInteger(l.x.net.layers))).toBe(true);
    expect(existsSync(join(dir, 'end.json'))).toBe(true);
  });

  test('Ctrl-C saves a checkpoint; --resume ends exactly as the uninterrupted run', async () => {
    const whole = await zeroth([...base, '--workers', '2', '--no-progress']);
    const checkpoint = join(dir, 'run.json');
    const log = join(dir, 'cut.jsonl');
    const cut = await zeroth([...base, '--workers', '2', '--log', log, '--checkpoint', checkpoint], (child) => {
      const poll = setInterval(() => {
        if (existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 60) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 5);
      child.on('close', () => clearInterval(poll));
    });
    expect(cut.code).toBe(130);
    expect(cut.stderr).toMatch(/checkpoint saved to .*run\.json; continue with: zeroth tune --resume/);
    expect(result(cut).queries).toBeLessThan(240);
    const resumed = await zeroth(['tune', '--resume', checkpoint, '--log', log, '--no-progress']);
    expect(resumed.code).toBe(0);
    expect(result(resumed)).toEqual(result(whole));
  });

  test('clear messages for a missing objective, an objective without a function, an invalid space', async () => {
    const cases: [string[], RegExp][] = [
      [['tune', '--objective', 'nope.mjs', '--space', spaceFile, '--budget', '10'], /objective file nope\.mjs not found/],
      [['tune', '--objective', file('none.mjs', 'export const a = 1;'), '--space', spaceFile, '--budget', '10'], /does not export a function \(it exports a\)/],
      [['tune', '--objective', objective, '--space', file('bad.json', '{"lr": {"type": "logFloat", "low": 0, "high": 1}}'), '--budget', '10'], /space\.lr\.low.*must be > 0/],
      [['tune', '--objective', objective, '--space', file('broken.json', '{"lr": '), '--budget', '10'], /space file .*broken\.json is not valid JSON/],
      [['tune', '--objective', objective, '--space', spaceFile], /give --budget N/],
      [['tune', '--objective', objective, '--space', spaceFile, '--budget', '10', '--estimator', 'exactGradient'], /unknown estimator "exactGradient"; the tuner can use: spsa, /],
      [['tune', '--objective', objective, '--space', spaceFile, '--budget', 'ten'], /--budget must be a number/],
      [['tune', '--resume', file('trunc.json', '{"format":"zeroth-tuner","vers')], /Checkpoint truncated/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    const runs = await Promise.all(cases.map(([args]) => zeroth(args)));
    runs.forEach((r, i) => {
      expect(r.stderr).toMatch(cases[i]![1]);
      expect(r.code).toBe(2);
    });
  });

  test('bench: runs the source checkout benchmarks, or says clearly what is missing', async () => {
    const dry = await zeroth(['bench', '--dry-run']);
    expect(dry.stdout).toMatch(/^quality: /m);
    expect(dry.stdout).toMatch(/^perf: /m);
    const bad = await zeroth(['bench', 'speedy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown benchmark "speedy": use quality, perf or rl/);
    const help = await zeroth(['--help']);
    expect(help.stdout).toMatch(/zeroth tune --objective FILE --space FILE/);
  });

  test("the README's terminal example runs as written (npx zeroth → this checkout's CLI)", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Tuning a black-box program'));
    const fences = [...section.slice(0, section.indexOf('\n## ', 5) > 0 ? section.indexOf('\n## ', 5) : undefined).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(fences.length).toBeGreaterThanOrEqual(1);
    const work = mkdtempSync(join(tmpdir(), 'zeroth-readme-'));
    const shim = `npx() { if [ "$1" = zeroth ]; then shift; "${process.execPath}" --import "${tsx}" "${cliPath}" "$@"; else command npx "$@"; fi; }\nset -e\n`;
    for (const code of fences) {
      const r = await new Promise<Run>((done) => {
        const child = spawn('bash', ['-c', shim + code], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.on('close', (c) => done({ code: c, stdout, stderr }));
      });
      expect(r.stderr).not.toMatch(/zeroth: /);
      expect(r.code).toBe(0);
      // The result shown in a `# {…}` comment is what the command printed, to the digits shown.
      const shown = [...code.matchAll(/^# (\{.*)$/gm)].map((m) => m[1]!);
      const printed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      shown.forEach((comment, i) => {
        const flat = new Map<string, unknown>();
        // The first occurrence of a key counts (the recommendation's x and value come before bestSeen's).
        const walk = (o: Record<string, unknown>): void => Object.entries(o).forEach(([k, v]) => (v !== null && typeof v === 'object' ? walk(v as Record<string, unknown>) : flat.has(k) || flat.set(k, v)));
        walk(printed[i]!);
        for (const [, key, literal] of comment.matchAll(/"(\w+)":("[^"]*"|[-\d.e]+)/g)) {
          const want = JSON.parse(literal!) as unknown;
          const got = flat.get(key!);
          if (typeof want === 'number') {
            const digits = literal!.replace(/^-?0\.0*|e.*$|\./g, '').length;
            expect((got as number).toPrecision(digits)).toBe(want.toPrecision(digits));
          } else expect(got).toBe(want);
        }
      });
    }
  });
});
