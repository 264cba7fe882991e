import { expect, test } from 'vitest';
import { acceptanceChecks } from '../../bench/quality/acceptance.js';
import type { QualityResults } from '../../bench/quality/aggregate.js';
import type { RunRecord } from '../../bench/quality/record.js';

const run = (method: string, family: RunRecord['family'], seed: number, queriesToTarget: number | null, finalSubopt = 1e-4): RunRecord => ({
  kind: 'zeroth',
  method,
  family,
  d: 100,
  dim: 100,
  seed,
  budget: 50_000,
  instance: family,
  settings: '',
  f0: 1,
  fStar: 0,
  queriesToTarget,
  finalSubopt,
  queries: 50_000,
  steps: 25_000,
  wallMs: 1,
  stateBytes: 0,
  curve: { queries: [0, queriesToTarget ?? 50_000], subopt: [1, finalSubopt] },
  stoppedBy: 'budget',
});

const seeds = [1, 2, 3, 4, 5];
const results: QualityResults = {
  meta: {
    mode: 'full',
    startedAt: '',
    totalMs: 0,
    node: '',
    cpus: 2,
    workers: 2,
    limits: { zerothS: 1, peerS: 1 },
    peers: { message: '', methods: [] },
    estimators: [
      { name: 'spsa', description: '', response: 'values' },
      { name: 'zoSgdSign', description: '', response: 'values' },
      { name: 'zoAdam', description: '', response: 'values' },
      { name: 'exactGradient', description: '', response: 'valueAndGrad' },
    ],
  },
  checks: { cgeGradient: { available: true, sigma: 5e-3, relativeError: 7e-5, maxAbsError: 6e-3, tolerance: 1.5e-3, queries: 200, pass: true } },
  runs: [
    // spsa: median 6,000 ≤ 20,000 although two seeds never reach the target.
    ...[5000, 5600, 6000, null, null].map((q, i) => run('spsa', 'rotatedQuadratic', seeds[i]!, q)),
    // zoSgdSign: median 60,000 > 50,000.
    ...[40_000, 45_000, 60_000, 70_000, null].map((q, i) => run('zoSgdSign', 'rotatedQuadratic', seeds[i]!, q)),
    // zoAdam: only three seeds ran.
    ...[1000, 1000, 1000].map((q, i) => run('zoAdam', 'rotatedQuadratic', seeds[i]!, q)),
    ...seeds.map((s) => run('exactGradient', 'rotatedQuadratic', s, 100)),
    ...seeds.map((s) => run('mezo', 'lowRankMatrix', s, 80, 1e-10)),
    ...seeds.map((s) => run('lozo', 'lowRankMatrix', s, 300, 1e-10)),
  ],
  failures: [],
};

test('acceptance checks: per-estimator query targets, the CGE gradient check and LOZO vs MeZO', () => {
  const checks = acceptanceChecks(results);
  const status = (prefix: string): string | undefined => checks.find((c) => c.name.startsWith(prefix))?.status;
  expect(status('spsa:')).toBe('PASS');
  expect(checks.find((c) => c.name.startsWith('spsa:'))!.measured).toBe('6,000 (seeds: 5,000, 5,600, 6,000, —, —)');
  expect(status('zoSgdSign:')).toBe('FAIL');
  expect(status('zoAdam:')).toBe('FAIL'); // fewer than 5 seeds cannot pass
  expect(checks.some((c) => c.name.startsWith('exactGradient'))).toBe(false); // first-order: not held to ZO targets
  expect(status('cge: estimate')).toBe('PASS');
  const lozo = checks.find((c) => c.name.startsWith('lozo vs mezo'))!;
  expect(lozo.status).toBe('INFO');
  expect(lozo.detail).toBe('MeZO wins');
  expect(lozo.measured).toContain('LOZO 300 vs MeZO 80');
});
