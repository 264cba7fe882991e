/** Real `zeroth` processes for the distributed tests (the TypeScript CLI through tsx). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
const cli = join(root, 'src/node/cli.ts');

/** A scratch directory with a helper to write files into it. */
export function scratch(prefix: string): { dir: string; file(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** A running `zeroth …` process. */
export interface ZerothProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves once stderr contains `pattern`. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Starts `zeroth …args` in `cwd`. */
export function zeroth(args: readonly string[], cwd: string): ZerothProcess {
  const child = spawn(process.execPath, ['--import', tsx, cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  const watchers: (() => void)[] = [];
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    for (const w of watchers) w();
  });
  const exited = new Promise<number | null>((done) =>
    child.on('exit', (code) => {
      live.delete(child);
      for (const w of watchers) w();
      done(code);
    }),
  );
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms = 30_000) {
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${pattern} from zeroth ${args.join(' ')} within ${ms} ms; stderr: ${err}`)), ms);
        const check = (): void => {
          if (pattern.test(err)) {
            clearTimeout(timer);
            done();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            fail(new Error(`zeroth ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before ${pattern}; stderr: ${err}`));
          }
        };
        watchers.push(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** A small deterministic generator for test schedules (tests take no Math.random either). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
