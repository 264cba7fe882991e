/**
 * The SciPy peer column: scipy.optimize.minimize (Nelder–Mead, Powell, COBYLA) run by /usr/bin/python3 as a
 * subprocess (bench/quality/scipyPeer.py) on the very same problem instances — every function evaluation is a
 * request back to this process — with their function evaluations counted as queries.
 *
 * SciPy comes from Debian's `python3-scipy` (the pyenv python3 on PATH cannot see Debian packages).
 * {@link ensureScipy} installs it with apt-get when it is missing and this process may (root, apt-get present),
 * and otherwise reports why the peers are skipped.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CurveRecorder, TARGET, checkpointGrid, relativeSuboptimality, roundSig } from './metrics.js';
import type { RunRecord } from './record.js';
import { instance, type Task } from './suite.js';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'scipyPeer.py');

/** Whether the SciPy peers can run, and if not, why. */
export interface ScipyStatus {
  readonly available: boolean;
  readonly version?: string;
  readonly message: string;
}

function probe(): string | undefined {
  if (!existsSync(PYTHON)) return undefined;
  const r = spawnSync(PYTHON, ['-c', 'import scipy, numpy; print(scipy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Checks for SciPy under /usr/bin/python3; when absent, tries `apt-get install -y python3-scipy` (and, if that
 * fails, `apt-get update` and the install again) when running as root with apt-get available.
 */
export function ensureScipy(log: (line: string) => void = () => {}): ScipyStatus {
  let version = probe();
  if (version !== undefined) return { available: true, version, message: `SciPy ${version} (${PYTHON})` };
  if (!existsSync(PYTHON)) return { available: false, message: `SciPy peers skipped: ${PYTHON} not found (install Debian's python3-scipy)` };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    return { available: false, message: `SciPy peers skipped: scipy is not importable by ${PYTHON}, and apt-get ${apt ? 'needs root' : 'is not available'} to install python3-scipy` };
  }
  log('SciPy missing: apt-get install -y python3-scipy …');
  const install = (): boolean => spawnSync('apt-get', ['install', '-y', '-q', 'python3-scipy'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    log('apt-get install failed: apt-get update, then again …');
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
    install();
  }
  version = probe();
  return version !== undefined
    ? { available: true, version, message: `SciPy ${version} (${PYTHON}, installed by the benchmark with apt-get)` }
    : { available: false, message: 'SciPy peers skipped: apt-get install python3-scipy failed' };
}

/** A long-lived python3 process that runs SciPy tasks one after another. */
export class ScipyPeer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((frame: { tag: string; body: Buffer }) => void) | undefined;
  private dim = 0;
  private exited: string | undefined;
  private stderr = '';

  constructor() {
    this.proc = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.pump();
    });
    this.proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.proc.on('exit', (code) => {
      this.exited = `python3 exited with code ${code}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      this.waiting?.({ tag: 'X', body: Buffer.from(this.exited) });
    });
  }

  private pump(): void {
    while (this.waiting !== undefined && this.buf.length > 0) {
      const tag = String.fromCharCode(this.buf[0]!);
      let size: number;
      let start: number;
      if (tag === 'E') {
        size = 8 * this.dim;
        start = 1;
      } else {
        if (this.buf.length < 5) return;
        size = this.buf.readUInt32LE(1);
        start = 5;
      }
      if (this.buf.length < start + size) return;
      const body = Buffer.from(this.buf.subarray(start, start + size));
      this.buf = this.buf.subarray(start + size);
      const w = this.waiting;
      this.waiting = undefined;
      w({ tag, body });
    }
  }

  private next(): Promise<{ tag: string; body: Buffer }> {
    if (this.exited !== undefined) return Promise.resolve({ tag: 'X', body: Buffer.from(this.exited) });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.pump();
    });
  }

  /** The versions the peer reports (waits for its hello). */
  async hello(): Promise<{ scipy: string; numpy: string }> {
    const f = await this.next();
    if (f.tag !== 'H') throw new Error(`SciPy peer failed to start: ${f.body.toString()}`);
    return JSON.parse(f.body.toString()) as { scipy: string; numpy: string };
  }

  /** Runs a `scipy` task; `timeLimitS` caps its wall time. */
  async run(task: Task, timeLimitS: number): Promise<RunRecord> {
    const inst = instance(task.family, task.d);
    const p = inst.problem;
    const x0 = inst.x0(task.seed);
    const f0 = inst.truth(x0);
    this.dim = p.dim;
    const recorder = new CurveRecorder(checkpointGrid(task.budget));
    let monitorMs = 0;
    let bestValue = Infinity;
    const best = Float32Array.from(x0);
    const measure = (x: Float32Array, queries: number): number => {
      const t = performance.now();
      const r = relativeSuboptimality(inst.truth(x), inst.fStar, f0);
      recorder.record(queries, roundSig(r));
      monitorMs += performance.now() - t;
      return r;
    };
    const t0 = performance.now();
    measure(x0, 0);
    let n = 0;
    let toTarget: number | null = null;
    const x32 = new Float32Array(p.dim);
    this.proc.stdin.write(JSON.stringify({ method: task.method, dim: p.dim, x0: Array.from(x0), budget: task.budget, timeLimit: timeLimitS }) + '\n');
    let result: { x: number[]; nfev: number; nit: number; message: string; stoppedBy: string } | undefined;
    for (;;) {
      const f = await this.next();
      if (f.tag === 'E') {
        for (let i = 0; i < p.dim; i++) x32[i] = f.body.readDoubleLE(8 * i);
        // A fresh noise draw per evaluation, as a plain noisy black box gives (no common random numbers).
        const v = p.value(x32, { noiseSeed: (task.seed * 0x9e3779b1 + n) >>> 0, step: n });
        n++;
        if (v < bestValue) {
          bestValue = v;
          best.set(x32);
        }
        const reply = Buffer.alloc(8);
        reply.writeDoubleLE(Number.isFinite(v) ? v : 1e300);
        this.proc.stdin.write(reply);
        if (recorder.due(n)) {
          const r = measure(best, n);
          if (toTarget === null && r <= TARGET) toTarget = n;
        }
      } else if (f.tag === 'R') {
        result = JSON.parse(f.body.toString()) as typeof result;
        break;
      } else {
        throw new Error(`SciPy peer: ${f.body.toString()}`);
      }
    }
    const xr = Float32Array.from(result!.x);
    const final = measure(xr, n);
    if (toTarget === null && final <= TARGET) toTarget = n;
    const wallMs = performance.now() - t0 - monitorMs;
    return {
      kind: 'scipy',
      method: task.method,
      family: task.family,
      d: task.d,
      dim: p.dim,
      seed: task.seed,
      budget: task.budget,
      instance: inst.label,
      settings: settingsOf(task.method, p.dim),
      f0,
      fStar: inst.fStar,
      queriesToTarget: toTarget,
      finalSubopt: recorder.last()!.subopt,
      queries: n,
      steps: result!.nit,
      wallMs: roundSig(wallMs, 4),
      stateBytes: 0,
      curve: { queries: recorder.queries, subopt: recorder.subopt },
      stoppedBy: result!.stoppedBy === 'converged' ? `converged (${result!.message})` : result!.stoppedBy,
    };
  }

  close(): void {
    if (this.exited === undefined) this.proc.stdin.end('\n');
  }
}

/** The SciPy options used, as the report shows them. */
export function settingsOf(method: string, dim: number): string {
  switch (method) {
    case 'Nelder-Mead':
      return `maxfev = maxiter = budget, adaptive ${dim > 10}, default tolerances (xatol = fatol = 1e-4)`;
    case 'Powell':
      return 'maxfev = maxiter = budget, default tolerances (xtol = ftol = 1e-4)';
    default:
      return 'maxiter = budget (COBYLA counts evaluations), default rhobeg 1 and tol (rhoend) 1e-4';
  }
}

/** Documented extra memory of the SciPy peers (their own data structures, d = dimension). */
export const SCIPY_MEMORY: Record<string, string> = {
  'Nelder-Mead': 'the simplex: (d + 1) × d float64 plus d + 1 values',
  Powell: 'the direction set: d × d float64',
  COBYLA: 'the simplex and its linear models: O(d²) float64',
};
