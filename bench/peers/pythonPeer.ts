/**
 * The Python peers of the benchmarks: SciPy (Nelder–Mead, Powell, COBYLA), NLopt (NEWUOA, BOBYQA, COBYLA),
 * CMA-ES (the `cmaes` package) and Optuna (TPE, CMA-ES), run by /usr/bin/python3 as one long-lived subprocess
 * (bench/peers/pythonPeer.py) on objectives that live in this process — every function evaluation is a
 * request back here — so peers and zeroth optimise the very same instances and the driver counts queries.
 *
 * The libraries come from Debian (`python3-scipy`, `python3-nlopt`, `python3-cmaes`, `python3-optuna`; the
 * pyenv python3 on PATH cannot see Debian packages). {@link ensurePeers} installs the missing ones with apt-get
 * when it may (root, apt-get present) and otherwise says which peers are skipped and why.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'pythonPeer.py');

/** The Python libraries a peer may need, with the Debian package that provides each. */
export const LIBRARIES = { scipy: 'python3-scipy', nlopt: 'python3-nlopt', cmaes: 'python3-cmaes', optuna: 'python3-optuna' } as const;
export type Library = keyof typeof LIBRARIES;

/** Which libraries can be imported by /usr/bin/python3, their versions, and a one-line summary. */
export interface PeerStatus {
  readonly versions: Readonly<Partial<Record<Library, string>>>;
  readonly message: string;
}

function probe(): Partial<Record<Library, string>> {
  if (!existsSync(PYTHON)) return {};
  const code = [
    'import json',
    'out = {}',
    ...Object.keys(LIBRARIES).map(
      (lib) =>
        `try:\n    import ${lib} as m\n    out['${lib}'] = str(getattr(m, '__version__', None) or ('%d.%d.%d' % (m.version_major(), m.version_minor(), m.version_bugfix())))\nexcept Exception:\n    pass`,
    ),
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) return {};
  try {
    return JSON.parse(r.stdout.trim()) as Partial<Record<Library, string>>;
  } catch {
    return {};
  }
}

/**
 * Checks which peer libraries /usr/bin/python3 can import; installs the missing ones among `wanted` with
 * `apt-get install -y` (after an `apt-get update` if the first attempt fails) when running as root with apt-get.
 */
export function ensurePeers(wanted: readonly Library[] = Object.keys(LIBRARIES) as Library[], log: (line: string) => void = () => {}): PeerStatus {
  let versions = probe();
  const missing = (): Library[] => wanted.filter((l) => versions[l] === undefined);
  if (missing().length > 0 && existsSync(PYTHON)) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
    if (root && apt) {
      const pkgs = missing().map((l) => LIBRARIES[l]);
      log(`peer libraries missing: apt-get install -y ${pkgs.join(' ')} …`);
      const install = (): boolean =>
        spawnSync('apt-get', ['install', '-y', '-q', ...pkgs], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
      if (!install()) {
        log('apt-get install failed: apt-get update, then again …');
        spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
        install();
      }
      versions = probe();
    }
  }
  const have = wanted.filter((l) => versions[l] !== undefined).map((l) => `${l} ${versions[l]}`);
  const lost = missing();
  const why = !existsSync(PYTHON)
    ? `${PYTHON} not found`
    : typeof process.getuid === 'function' && process.getuid() !== 0
      ? 'not importable, and apt-get needs root to install them'
      : 'not importable and apt-get could not install them';
  const message =
    (have.length > 0 ? `peers via ${PYTHON}: ${have.join(', ')}` : 'no Python peers') +
    (lost.length > 0 ? `; skipped (${lost.map((l) => LIBRARIES[l]).join(', ')} ${why})` : '');
  return { versions, message };
}

/** One optimisation run asked of the peer process. */
export interface PeerRequest {
  readonly method: string;
  readonly x0: ArrayLike<number>;
  readonly budget: number;
  readonly timeLimitS: number;
  readonly seed: number;
  /** The box (Optuna needs one), or undefined. */
  readonly lower?: ArrayLike<number>;
  readonly upper?: ArrayLike<number>;
  /** Initial step / radius / σ. */
  readonly step: number;
}

/** What the peer reports at the end of a run. */
export interface PeerResult {
  readonly x: Float64Array;
  readonly nfev: number;
  readonly nit: number;
  readonly message: string;
  /** 'converged' (the method stopped itself), 'budget' or 'time'. */
  readonly stoppedBy: string;
}

/** A long-lived python3 process that runs peer tasks one after another. */
export class PythonPeer {
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

  /** The library versions the peer reports (waits for its hello). */
  async hello(): Promise<Record<string, string | null>> {
    const f = await this.next();
    if (f.tag !== 'H') throw new Error(`Python peer failed to start: ${f.body.toString()}`);
    return JSON.parse(f.body.toString()) as Record<string, string | null>;
  }

  /**
   * Runs one optimisation; `evaluate(x, n)` answers evaluation n (0-based) at the float32 point x (the peer
   * works in float64; the point is rounded to float32, as the problems take float32 inputs).
   */
  async run(request: PeerRequest, evaluate: (x: Float32Array, n: number) => number): Promise<PeerResult> {
    const dim = request.x0.length;
    this.dim = dim;
    const x32 = new Float32Array(dim);
    const list = (v: ArrayLike<number> | undefined): number[] | null => (v === undefined ? null : Array.from(v));
    this.proc.stdin.write(
      JSON.stringify({
        method: request.method,
        dim,
        x0: Array.from(request.x0),
        budget: request.budget,
        timeLimit: request.timeLimitS,
        seed: request.seed,
        lower: list(request.lower),
        upper: list(request.upper),
        step: request.step,
      }) + '\n',
    );
    let n = 0;
    for (;;) {
      const f = await this.next();
      if (f.tag === 'E') {
        for (let i = 0; i < dim; i++) x32[i] = f.body.readDoubleLE(8 * i);
        const v = evaluate(x32, n++);
        const reply = Buffer.alloc(8);
        reply.writeDoubleLE(Number.isFinite(v) ? v : 1e300);
        this.proc.stdin.write(reply);
      } else if (f.tag === 'R') {
        const r = JSON.parse(f.body.toString()) as { x: number[]; nfev: number; nit: number; message: string; stoppedBy: string };
        return { x: Float64Array.from(r.x), nfev: r.nfev, nit: r.nit, message: r.message, stoppedBy: r.stoppedBy };
      } else {
        throw new Error(`Python peer: ${f.body.toString()}`);
      }
    }
  }

  /** False once the python process has exited (a new peer must be started). */
  get alive(): boolean {
    return this.exited === undefined;
  }

  close(): void {
    if (this.exited === undefined) this.proc.stdin.end('\n');
  }
}
