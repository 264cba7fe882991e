import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root, the tsx loader and the CLI's source, for running `zeroth` as a user does. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
export const cliPath = join(root, 'src/node/cli.ts');

/** What a run of the command printed and returned. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from the signal `during` reported sending to the exit. */
  readonly afterSignalMs?: number;
}

/** A fresh folder, and a function that writes a file in it (folders created) and returns its path. */
export function scratch(prefix: string): { readonly dir: string; file(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
  };
}

/**
 * Runs `zeroth …` in a child process (the TypeScript source through tsx) in `cwd`; `during` sees the child while
 * it runs and calls `signalled()` when it sends a signal, so that the result reports the time to the exit.
 */
export function zeroth(cwd: string, args: readonly string[], during?: (child: ReturnType<typeof spawn>, signalled: () => void) => void): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', tsx, cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt: number | undefined;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, ...(sentAt === undefined ? {} : { afterSignalMs: Date.now() - sentAt }) }));
    during?.(child, () => (sentAt = Date.now()));
  });
}
