/**
 * Runs suite tasks, in this process or on a pool of child processes (`node --import tsx worker.ts`), one task
 * at a time per child, longest first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from './record.js';
import { runZeroth } from './runZeroth.js';
import { PythonPeer } from '../peers/pythonPeer.js';
import { runPeer } from './runPeer.js';
import type { Task } from './suite.js';

/** Per-run wall-time caps (seconds). */
export interface Limits {
  readonly zerothS: number;
  readonly peerS: number;
}

export type TaskMessage = { type: 'task'; id: number; task: Task; limits: Limits } | { type: 'exit' };
export type ResultMessage = { type: 'ready' } | { type: 'result'; id: number; record: RunRecord } | { type: 'error'; id: number; message: string };

/**
 * Estimators whose own work per query is O(d²) at d ≤ 100 (a quadratic model over all parameters, as the
 * model-based peers): their per-run time limit is ten times the others', so a limit set for O(d) estimators
 * does not cut them off in quick mode.
 */
export const SLOW_PER_QUERY: readonly string[] = ['subspaceTrustRegion'];

let peer: PythonPeer | undefined;

/** Runs one task in this process. */
export async function runTask(task: Task, limits: Limits): Promise<RunRecord> {
  if (task.kind === 'zeroth') return runZeroth(task, limits.zerothS * 1000 * (SLOW_PER_QUERY.includes(task.method) ? 10 : 1));
  if (peer === undefined || !peer.alive) {
    peer = new PythonPeer();
    await peer.hello();
  }
  return runPeer(peer, task, limits.peerS);
}

/** Closes this process's Python peer, if any. */
export function closePeer(): void {
  peer?.close();
  peer = undefined;
}

/** Rough cost of a task in arbitrary units, to start the longest first. */
export function costEstimate(task: Task): number {
  const rotation = 4e-6 * task.d * task.d;
  const perQuery = task.family.startsWith('noisyRotated') || task.family === 'rotatedQuadratic' ? rotation : task.family === 'logisticRegression' ? 1e-5 * task.d * task.d : 0;
  const base = (task.kind === 'peer' ? 30 : 15) + 0.1 * task.d;
  const slow =
    task.kind === 'peer' && /COBYLA|NEWUOA|BOBYQA|Optuna/.test(task.method) ? 10 + 0.05 * task.d * task.d : task.method === 'zoRankSgd' || task.method === 'subspaceTrustRegion' ? 20 : 0;
  return task.budget * (base + slow + perQuery * 1000);
}

/**
 * Runs every task; `workers` ≤ 1 runs them in this process. `onDone` is called after each task in completion
 * order. Results are returned in task order; a task that threw becomes an `error` entry.
 */
export async function runTasks(
  tasks: readonly Task[],
  options: { workers: number; limits: Limits; onDone?: (done: number, total: number, task: Task, record: RunRecord | undefined) => void },
): Promise<(RunRecord | { error: string; task: Task })[]> {
  const order = tasks.map((t, i) => ({ t, i, c: costEstimate(t) })).sort((a, b) => b.c - a.c);
  const results: (RunRecord | { error: string; task: Task })[] = new Array(tasks.length);
  let done = 0;
  const finish = (i: number, r: RunRecord | { error: string; task: Task }): void => {
    results[i] = r;
    done++;
    options.onDone?.(done, tasks.length, tasks[i]!, 'error' in r ? undefined : r);
  };
  if (options.workers <= 1) {
    for (const { t, i } of order) {
      try {
        finish(i, await runTask(t, options.limits));
      } catch (e) {
        finish(i, { error: e instanceof Error ? e.message : String(e), task: t });
      }
    }
    closePeer();
    return results;
  }
  const worker = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');
  let next = 0;
  await Promise.all(
    Array.from({ length: options.workers }, () => {
      return new Promise<void>((resolve, reject) => {
        const child: ChildProcess = fork(worker, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        let current: { t: Task; i: number } | undefined;
        const give = (): void => {
          const item = order[next++];
          if (item === undefined) {
            current = undefined;
            child.send({ type: 'exit' } satisfies TaskMessage);
            return;
          }
          current = item;
          child.send({ type: 'task', id: item.i, task: item.t, limits: options.limits } satisfies TaskMessage);
        };
        child.on('message', (m: ResultMessage) => {
          if (m.type === 'ready') return give();
          finish(m.id, m.type === 'result' ? m.record : { error: m.message, task: tasks[m.id]! });
          give();
        });
        child.on('exit', (code) => {
          if (current !== undefined) {
            finish(current.i, { error: `worker exited with code ${code}`, task: current.t });
            reject(new Error(`a benchmark worker exited with code ${code} during a task`));
          } else resolve();
        });
      });
    }),
  );
  return results;
}
