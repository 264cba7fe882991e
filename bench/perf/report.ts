/** One measured point: median ns/element of `runs` runs in one process. */
export interface Measurement {
  readonly impl: string;
  readonly kind: string;
  readonly d: number;
  readonly runs: readonly number[];
  readonly median: number;
  readonly version?: string;
}

/** A speed target of the fast-primitives work, checked at the largest d measured (1e7 in a full run). */
export interface Target {
  readonly label: string;
  readonly impl: string;
  readonly kind: string;
  /** Upper bound in ns/elem, or … */
  readonly maxNs?: number;
  /** … lower bound of (PyTorch ns/elem with the same threads) ÷ (ours). */
  readonly minSpeedupVsTorch?: number;
}

export const targets: readonly Target[] = [
  { label: 'wasm Gaussian, 1 thread ≤ 3 ns/elem', impl: 'wasm1', kind: 'gaussian', maxNs: 3 },
  { label: 'wasm Gaussian, 2 threads ≤ 1.5 ns/elem', impl: 'wasm2', kind: 'gaussian', maxNs: 1.5 },
  { label: 'wasm Gaussian, 1 thread ≥ 2× faster than PyTorch (1 thread)', impl: 'wasm1', kind: 'gaussian', minSpeedupVsTorch: 2 },
  { label: 'wasm Gaussian, 2 threads ≥ 2× faster than PyTorch (2 threads)', impl: 'wasm2', kind: 'gaussian', minSpeedupVsTorch: 2 },
  { label: 'wasm Rademacher, 1 thread ≤ 0.6 ns/elem', impl: 'wasm1', kind: 'rademacher', maxNs: 0.6 },
  { label: 'wasm Rademacher, 2 threads ≤ 0.3 ns/elem', impl: 'wasm2', kind: 'rademacher', maxNs: 0.3 },
  { label: 'TS fallback Gaussian ≤ 7 ns/elem', impl: 'cpu', kind: 'gaussian', maxNs: 7 },
  { label: 'TS fallback Rademacher ≤ 2 ns/elem', impl: 'cpu', kind: 'rademacher', maxNs: 2 },
];

const BYTES: Record<string, number> = { gaussian: 8, rademacher: 8, copy: 8, axpy: 12 };
const LABEL: Record<string, string> = {
  cpu: 'cpu (TypeScript)',
  wasm1: 'wasm, 1 thread',
  wasm2: 'wasm, 2 threads',
  torch1: 'PyTorch, 1 thread',
  torch2: 'PyTorch, 2 threads',
};
const threadsOf = (impl: string): number => (impl.endsWith('2') ? 2 : 1);
const f = (x: number | undefined, digits = 2): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** The Markdown report: one table per d, then the targets. */
export function formatReport(results: readonly Measurement[], env: Record<string, unknown>): string {
  const lines: string[] = [];
  lines.push('## In-place perturbation speed (`npm run bench:perf`)', '');
  lines.push(`${env['date']} · ${env['cpus']} × ${env['cpu']} · Node ${env['node']} · PyTorch ${env['torch']} · median of ${env['runs']} runs, each point in a fresh process · load average ${env['loadAverage']}`, '');
  lines.push('GB/s counts 8 B/elem for in-place perturbation and copy (θ read and written; z regenerated, never stored), 12 B/elem for axpy.');
  lines.push('"× copy" = ns/elem ÷ the Float32Array.set copy; "× axpy" = ns/elem ÷ wasm axpy with the same threads; "vs PyTorch" = PyTorch ns/elem ÷ ours (same threads; > 1 means faster than PyTorch).', '');
  const get = (impl: string, kind: string, d: number): Measurement | undefined => results.find((m) => m.impl === impl && m.kind === kind && m.d === d);
  for (const d of [...new Set(results.map((m) => m.d))].sort((a, b) => a - b)) {
    lines.push(`### d = ${d.toExponential(0)}`, '');
    lines.push('| backend | operation | ns/elem (median) | min–max | GB/s | × copy | × axpy | vs PyTorch |');
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
    const copy = get('cpu', 'copy', d);
    for (const m of results.filter((r) => r.d === d)) {
      const axpy = get(`wasm${threadsOf(m.impl)}`, 'axpy', d);
      const torch = m.kind === 'gaussian' && !m.impl.startsWith('torch') ? get(`torch${threadsOf(m.impl)}`, 'gaussian', d) : undefined;
      const op = m.kind === 'copy' ? 'copy (Float32Array.set)' : m.kind === 'axpy' ? 'axpy y += a·x' : `${m.kind} x += α·z`;
      lines.push(
        `| ${LABEL[m.impl] ?? m.impl} | ${op} | ${f(m.median, 3)} | ${f(Math.min(...m.runs), 2)}–${f(Math.max(...m.runs), 2)} | ${f((BYTES[m.kind] ?? 8) / m.median, 1)} | ` +
          `${m.kind === 'copy' ? '1' : f(copy ? m.median / copy.median : undefined, 1)} | ${m.kind === 'axpy' ? '1' : f(axpy ? m.median / axpy.median : undefined, 1)} | ${f(torch ? torch.median / m.median : undefined, 2)} |`,
      );
    }
    lines.push('');
  }
  const dMax = Math.max(...results.map((m) => m.d));
  lines.push(`### Targets (at d = ${dMax.toExponential(0)})`, '');
  lines.push('| target | measured | met? |', '|---|---:|:---:|');
  for (const t of targets) {
    const m = get(t.impl, t.kind, dMax);
    let measured: string;
    let met: boolean | undefined;
    if (t.maxNs !== undefined) {
      measured = m ? `${f(m.median, 3)} ns/elem` : 'not measured';
      met = m ? m.median <= t.maxNs : undefined;
    } else {
      const torch = get(`torch${threadsOf(t.impl)}`, 'gaussian', dMax);
      const speedup = m && torch ? torch.median / m.median : undefined;
      measured = speedup === undefined ? 'PyTorch not measured' : `${f(speedup, 2)}× (${f(torch!.median, 2)} vs ${f(m!.median, 2)} ns/elem)`;
      met = speedup === undefined ? undefined : speedup >= t.minSpeedupVsTorch!;
    }
    lines.push(`| ${t.label} | ${measured} | ${met === undefined ? '—' : met ? 'met' : '**missed**'} |`);
  }
  lines.push('');
  return lines.join('\n');
}
