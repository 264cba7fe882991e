/** What the progress line shows. */
export interface ProgressState {
  readonly queries: number;
  readonly budget: number;
  readonly steps: number;
  readonly best: number;
  /** Steps abandoned after their queries were spent (failures, clipped pairs). */
  readonly skipped?: number;
  /** Evaluations that failed. */
  readonly failed?: number;
  readonly elapsedMs: number;
  readonly timeMs?: number;
}

/**
 * A progress bar on a stream (stderr): on a terminal one line redrawn at most every 100 ms; elsewhere a line
 * per 10% of the budget. Shows queries, steps (and the skipped ones), failed evaluations, the best value told
 * so far (best seen), elapsed time and the ETA.
 */
export function progressBar(stream: NodeJS.WriteStream, enabled: boolean): { update(s: ProgressState): void; done(s: ProgressState): void } {
  const tty = stream.isTTY === true;
  let last = 0;
  let lastDecile = -1;
  const line = (s: ProgressState): string => {
    const byQueries = Number.isFinite(s.budget) ? s.queries / s.budget : 0;
    const byTime = s.timeMs !== undefined ? s.elapsedMs / s.timeMs : 0;
    const frac = Math.min(1, Math.max(byQueries, byTime));
    const width = 24;
    const full = Math.round(frac * width);
    const bar = '█'.repeat(full) + '░'.repeat(width - full);
    const eta = frac > 0 && frac < 1 ? ` · ETA ${seconds((s.elapsedMs * (1 - frac)) / frac)}` : '';
    const of = Number.isFinite(s.budget) ? `/${s.budget}` : '';
    const best = Number.isFinite(s.best) ? s.best.toPrecision(6) : '—';
    const skipped = s.skipped ? ` (${s.skipped} skipped)` : '';
    const failed = s.failed ? ` · ${s.failed} failed` : '';
    return `[${bar}] ${s.queries}${of} queries · ${s.steps} steps${skipped}${failed} · best seen ${best} · ${seconds(s.elapsedMs)}${eta}`;
  };
  return {
    update(s) {
      if (!enabled) return;
      const now = Date.now();
      if (tty) {
        if (now - last < 100) return;
        last = now;
        stream.write(`\r\x1b[2K${line(s)}`);
        return;
      }
      const decile = Number.isFinite(s.budget) ? Math.floor((10 * s.queries) / s.budget) : Math.floor(s.elapsedMs / 10_000);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${line(s)}\n`);
      }
    },
    done(s) {
      if (!enabled) return;
      stream.write(tty ? `\r\x1b[2K${line(s)}\n` : `${line(s)}\n`);
    },
  };
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms - m * 60_000) / 1000)}s`;
}
