/** The report of `npm run bench:distributed`: figures and the targets, each marked met or missed. */
export interface Report {
  machine: string;
  runs: number;
  throughput: { name: string; perSecond: number }[];
  overhead: { latencyMs: number; jobsPerSecond8: number };
  bytes: { perTunerQuery: number };
  mezo: { d: number; workers: number; transport: 'lean' | 'bullmq'; bytesPerWorkerStep: number; payloadBytes: number; msPerStep: number; steps: number }[];
  /** Bytes on the wire while a lean run idles between steps (the workers' heartbeats), per worker per second. */
  background?: { bytesPerSecondPerWorker: number; seconds: number; workers: number };
}

/** A target and whether the run met it. */
export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

/** The target of bytes on the wire per MeZO step per worker. */
export const WIRE_TARGET = 200;

/**
 * The targets: bytes on the wire per MeZO step per worker ≤ 200 whatever d (the lean transport, the default of
 * distributedOracle; BullMQ's figure beside it); 4 workers ≥ 3× one inline evaluator (50 ms objective).
 */
export function targets(r: Report): Target[] {
  const inline = r.throughput.find((t) => t.name.startsWith('inline'))?.perSecond ?? NaN;
  const four = r.throughput.find((t) => t.name === 'BullMQ, 4 workers')?.perSecond ?? NaN;
  const of = (transport: string) => r.mezo.filter((m) => m.transport === transport);
  const wire = (transport: string) => Math.max(...of(transport).map((m) => m.bytesPerWorkerStep));
  const payload = Math.max(...of('lean').map((m) => m.payloadBytes));
  // The lean figures plus the heartbeats of the time a step takes (measured apart, between steps).
  const bg = r.background?.bytesPerSecondPerWorker ?? 0;
  const withBackground = Math.max(...of('lean').map((m) => m.bytesPerWorkerStep + (bg * m.msPerStep) / 1000));
  // 1e6 against 1e3 parameters, per worker count: the largest departure from 1.
  const ratios = [...new Set(of('lean').map((m) => m.workers))].map((n) => {
    const at = (d: number) => of('lean').find((m) => m.workers === n && m.d === d)?.bytesPerWorkerStep ?? NaN;
    return at(1e6) / at(1e3);
  });
  const spread = ratios.reduce((worst, q) => (Math.abs(q - 1) > Math.abs(worst - 1) ? q : worst), 1);
  return [
    {
      name: `bytes on the wire per MeZO step per worker ≤ ${WIRE_TARGET} (lean transport, all of Redis's traffic)`,
      met: Math.max(wire('lean'), withBackground) <= WIRE_TARGET,
      detail: `${wire('lean').toFixed(0)} B (max over d and worker counts); ${withBackground.toFixed(0)} B with the heartbeats of each step's duration added`,
    },
    { name: `bytes on the wire per MeZO step per worker ≤ ${WIRE_TARGET} (bullmq transport, for comparison)`, met: wire('bullmq') <= WIRE_TARGET, detail: `${wire('bullmq').toFixed(0)} B` },
    { name: 'independent of the parameter count (lean: 1e6 vs 1e3 within 10 %)', met: Math.abs(spread - 1) <= 0.1, detail: `ratio ${spread.toFixed(3)} (worst over worker counts)` },
    { name: `zeroth's payload per MeZO step per worker ≤ ${WIRE_TARGET} (lean)`, met: payload <= WIRE_TARGET, detail: `${payload.toFixed(0)} B` },
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
    `Bytes on the wire per worker per step: Redis's INFO counters (total_net_input_bytes + total_net_output_bytes, every client) over the measured steps, divided by steps × workers; target ≤ ${WIRE_TARGET} B. zeroth's payload: its own message bodies and answers.`,
    '',
    '| parameters | workers | lean: bytes / worker / step | ≤ 200 | bullmq: bytes / worker / step | lean payload | bullmq payload | lean ms / step | bullmq ms / step |',
    '| ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: |',
    ...pairs(r).map(
      ([lean, bull]) =>
        `| ${lean.d.toExponential(0)} | ${lean.workers} | ${lean.bytesPerWorkerStep.toFixed(0)} | ${lean.bytesPerWorkerStep <= WIRE_TARGET ? 'met' : 'missed'} | ${bull?.bytesPerWorkerStep.toFixed(0) ?? '–'} | ${lean.payloadBytes.toFixed(0)} | ${bull?.payloadBytes.toFixed(0) ?? '–'} | ${lean.msPerStep.toFixed(1)} | ${bull?.msPerStep.toFixed(1) ?? '–'} |`,
    ),
    '',
    `Rounds numbered up to ${Math.max(...r.mezo.map((m) => m.steps))} here; from round 16384 on the round number in every answer and aggregate takes one byte more (about +1.5 B per worker per step with 2 workers).`,
    '',
    ...(r.background === undefined
      ? []
      : [
          `Between steps (a lean run open, no step running, ${r.background.workers} workers, ${r.background.seconds} s): ${r.background.bytesPerSecondPerWorker.toFixed(1)} B per second per worker — the workers' heartbeats at the default lock time (30 s). A step of t seconds adds about ${r.background.bytesPerSecondPerWorker.toFixed(1)}·t B per worker to the figures above (${Math.max(...r.mezo.filter((m) => m.transport === 'lean').map((m) => (r.background!.bytesPerSecondPerWorker * m.msPerStep) / 1000)).toFixed(1)} B at the slowest step measured here).`,
          '',
        ]),
    '## Targets',
    '',
    ...targets(r).map((t) => `- ${t.met ? '**met**' : '**missed**'} — ${t.name}: ${t.detail}`),
    '',
  ];
  return lines.join('\n');
}

/** The lean row of each (d, workers) with the bullmq row beside it. */
function pairs(r: Report): [Report['mezo'][number], Report['mezo'][number] | undefined][] {
  return r.mezo.filter((m) => m.transport === 'lean').map((m) => [m, r.mezo.find((b) => b.transport === 'bullmq' && b.d === m.d && b.workers === m.workers)]);
}
