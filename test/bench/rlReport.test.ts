import { describe, expect, test } from 'vitest';
import { buildRlReport, targets, type RlResults } from '../../bench/rl/report.js';
import type { RlRecord } from '../../bench/rl/runRl.js';
import type { EnvName, MethodName } from '../../bench/rl/settings.js';

function run(method: MethodName, env: EnvName, seed: number, solvedAt: number | null, steps = 40 * (solvedAt ?? 0)): RlRecord {
  return {
    method,
    env,
    seed,
    budgetEpisodes: 2000,
    episodes: solvedAt ?? 2000,
    steps,
    updates: 10,
    wallMs: 5,
    curve: { episodes: [0, solvedAt ?? 2000], steps: [0, steps], score: [20, solvedAt === null ? 300 : 480] },
    solved: solvedAt === null ? null : { episodes: solvedAt, steps },
    final: solvedAt === null ? 300 : 480,
    stoppedBy: solvedAt === null ? 'budget' : 'target',
  };
}

const results = (runs: RlRecord[]): RlResults => ({
  meta: { mode: 'quick', startedAt: 'now', totalMs: 1, node: 'v20', cpus: 2, loadAverage: [1, 1, 1], seeds: [1, 2, 3] },
  speed: [{ what: 'cartPole: environment step', copies: 1024, wall: [9e6], cpu: [2e7], medianWall: 9e6, medianCpu: 2e7 }],
  runs,
});

describe('RL benchmark targets', () => {
  test('median over seeds decides, a run that never solved counts as +∞, and every target says met, missed or not run', () => {
    const ts = targets(
      results([
        run('reinforce', 'cartPole', 1, 300),
        run('reinforce', 'cartPole', 2, 900),
        run('reinforce', 'cartPole', 3, null),
        run('spsa', 'cartPole', 1, 100),
        run('spsa', 'cartPole', 2, 500),
        run('spsa', 'cartPole', 3, 200),
        run('ppo', 'cartPole', 1, 100, 160_000),
      ]),
    );
    const by = (part: string) => ts.find((t) => t.name.includes(part))!;
    expect(by('by reinforce').status).toBe('met'); // median 900 ≤ 2000
    expect(by('numpy anchor').status).toBe('missed'); // 900 > 700
    expect(by('numpy anchor').detail).toContain('over by 200');
    expect(by('best zeroth-order method (spsa)').status).toBe('met'); // median 200
    expect(by('CleanRL').status).toBe('missed');
    expect(by('by grpo').status).toBe('not run');
    expect(by('10 million').status).toBe('met');
  });
  test('the report renders tables and SVG learning curves', async () => {
    const built = await buildRlReport(results([run('reinforce', 'cartPole', 1, 300), run('spsa', 'cartPole', 1, null)]));
    expect(built.markdown).toContain('## Targets');
    expect(built.markdown).toContain('## CartPole-v1');
    expect(built.plots.map((p) => p.file)).toEqual(['cartPole.svg']);
    expect(built.plots[0]!.svg.startsWith('<svg')).toBe(true);
  });
});
