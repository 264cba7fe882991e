/** The report of `npm run bench:distributed`: figures and the targets, each marked met or missed. */
export interface Report {
  machine: string;
  runs: number;
  throughput: { name: string; perSecond: number }[];
  overhead: { latencyMs: number; jobsPerSecond8: number };
  bytes: { perTunerQuery: number };
  mezo: { d: number; workers: number; bytesPerWorkerStep: number; payloadBytes: number; msPerStep: number }[];
}

/** A target and whether the run met it. */
export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

/** The targets: bytes per MeZO step per worker ≤ 200 whatever d; 4 workers ≥ 3× one inline evaluator (50 ms objective). */
export function targets(r: Report): Target[] {
  const inline = r.throughput.find((t) => t.name.startsWith('inline'))?.perSecond ?? NaN;
  const four = r.throughput.find((t) => t.name === 'BullMQ, 4 workers')?.perSecond ?? NaN;
  const wire = Math.max(...r.mezo.map((m) => m.bytesPerWorkerStep));
  const payload = Math.max(...r.mezo.map((m) => m.payloadBytes));
  const small = r.mezo.filter((m) => m.d === 1e3).map((m) => m.bytesPerWorkerStep);
  const large = r.mezo.filter((m) => m.d === 1e6).map((m) => m.bytesPerWorkerStep);
  const spread = Math.max(...large) / Math.max(...small);
  return [
    { name: 'bytes on the wire per MeZO step per worker ≤ 200 (all of Redis\'s traffic)', met: wire <= 200, detail: `${wire.toFixed(0)} B (max over d and worker counts)` },
    { name: 'zeroth\'s payload per MeZO step per worker ≤ 200', met: payload <= 200, detail: `${payload.toFixed(0)} B` },
    { name: 'independent of the parameter count (1e6 vs 1e3 within 10 %)', met: spread <= 1.1, detail: `ratio ${spread.toFixed(3)}` },
    { name: '4 workers ≥ 3× one inline evaluator (50 ms objective)', met: four >= 3 * inline, detail: `${(four / inline).toFixed(2)}×` },
    { name: 'per-job overhead reported', met: Number.isFinite(r.overhead.latencyMs), detail: `${r.overhead.latencyMs.toFixed(2)} ms per job` },
  ];
}

/** Markdown. */
export function formatReport(r: Report): string {
  const inline = r.throughput.find((t) => t.name.startsWith('inline'))?.perSecond ?? NaN;
  const lines = [
    '# zeroth/distributed benchmark',
    '',
    `Machine: ${r.machine}. Medians of ${r.runs} run(s). Redis: a private redis-server on 127.0.0.1; workers are \`zeroth worker\` processes.`,
    '',
    '## Throughput (tuner trials, 50 ms objective that waits)',
    '',
    '| executor | trials/s | × inline |',
    '| --- | ---: | ---: |',
    ...r.throughput.map((t) => `| ${t.name} | ${t.perSecond.toFixed(1)} | ${(t.perSecond / inline).toFixed(2)} |`),
    '',
    '## Per-job overhead (0 ms objective, 1 worker)',
    '',
    `- one job at a time: ${r.overhead.latencyMs.toFixed(2)} ms per job (the added latency of BullMQ + Redis on loopback)`,
    `- 8 jobs in flight: ${r.overhead.jobsPerSecond8.toFixed(0)} jobs/s`,
    `- bytes on the wire per tuner query (Redis INFO counters, all clients): ${r.bytes.perTunerQuery.toFixed(0)} B`,
    '',
    '## Data-parallel MeZO (shards = workers, seeds and coefficients, no snapshots)',
    '',
    '| parameters | workers | bytes on the wire per worker per step | zeroth payload per worker per step | ms per step |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...r.mezo.map((m) => `| ${m.d.toExponential(0)} | ${m.workers} | ${m.bytesPerWorkerStep.toFixed(0)} | ${m.payloadBytes.toFixed(0)} | ${m.msPerStep.toFixed(1)} |`),
    '',
    '## Targets',
    '',
    ...targets(r).map((t) => `- ${t.met ? '**met**' : '**missed**'} — ${t.name}: ${t.detail}`),
    '',
  ];
  return lines.join('\n');
}
