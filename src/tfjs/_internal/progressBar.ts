/* A one-line progress bar on stderr, drawn only where stderr is a terminal (read from globalThis, so the module
 * imports nothing from Node and stays loadable in browsers). */

interface Tty {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

/** A progress bar; `update` redraws at most every 100 ms, `done` ends the line. */
export interface ProgressBar {
  update(step: number, total: number | undefined, text: string): void;
  done(): void;
}

/** The bar for `enabled` (default: when stderr is a terminal); a no-op otherwise. */
export function progressBar(enabled: boolean | undefined): ProgressBar {
  const stderr = (globalThis as { process?: { stderr?: Tty } }).process?.stderr;
  const on = stderr !== undefined && (enabled ?? stderr.isTTY === true);
  let last = 0;
  let drawn = false;
  return {
    update(step, total, text) {
      if (!on) return;
      const now = Date.now();
      if (now - last < 100 && step !== total) return;
      last = now;
      const width = 24;
      const frac = total === undefined ? 0 : Math.min(1, step / total);
      const bar = total === undefined ? '' : `${'█'.repeat(Math.round(frac * width))}${'░'.repeat(width - Math.round(frac * width))} `;
      const line = `fineTune ${bar}step ${step}${total === undefined ? '' : `/${total}`} ${text}`;
      stderr.write(`\r${line.slice(0, (stderr.columns ?? 120) - 1)}\u001b[K`);
      drawn = true;
    },
    done() {
      if (on && drawn) stderr.write('\n');
    },
  };
}
