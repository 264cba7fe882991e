/**
 * Throughput of the vectorised environments and of the rollouts oracle, in one thread (so per core):
 * environment steps per second, median of several repetitions.
 */
import { cartPole } from '../../problems/rl/cartPole.js';
import type { Environment } from '../../src/rl/environment.js';
import type { EpisodeRequest } from '../../src/rl/episode.js';
import { linearSoftmax } from '../../src/rl/linearSoftmax.js';
import { rolloutsOracle } from '../../src/rl/rolloutsOracle.js';
import { ENV_SPECS, ENVIRONMENTS, type EnvName } from './settings.js';

/**
 * One measurement: steps per second of each repetition and their median, per second of wall time and per
 * second of this process's CPU time (user + system). The benchmark runs in one thread, so the CPU-time rate
 * is the rate per core, and it does not count the time the OS gave other processes on a shared machine.
 */
export interface Throughput {
  readonly what: string;
  readonly copies: number;
  readonly wall: number[];
  readonly cpu: number[];
  readonly medianWall: number;
  readonly medianCpu: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** Times `fn` (which returns the steps it took) over `reps` repetitions after one warm-up. */
function timed(what: string, copies: number, reps: number, fn: (rep: number) => number): Throughput {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let rep = 0; rep < reps + 1; rep++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const steps = fn(rep);
    const dt = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const dc = (c.user + c.system) / 1e6;
    if (rep === 0) continue; // warm-up
    wall.push(steps / dt);
    cpu.push(steps / Math.max(dc, 1e-6));
  }
  return { what, copies, wall, cpu, medianWall: median(wall), medianCpu: median(cpu) };
}

/**
 * `env.step` alone on `copies` rows for `steps` steps (actions alternate between two fixed patterns, so nothing
 * but the step is timed; finished rows keep integrating, which costs the same arithmetic).
 */
export function measureStep(env: Environment, copies: number, steps: number, reps: number): Throughput {
  const state = new Float64Array(copies * env.stateSize);
  const size = env.action.kind === 'discrete' ? 1 : env.action.size;
  const a = new Float32Array(copies * size);
  const b = new Float32Array(copies * size);
  for (let i = 0; i < a.length; i++) {
    a[i] = env.action.kind === 'discrete' ? i % env.action.n : 0.5;
    b[i] = env.action.kind === 'discrete' ? (i + 1) % env.action.n : -0.5;
  }
  const reward = new Float64Array(copies);
  const terminated = new Uint8Array(copies);
  return timed(`${env.name}: environment step`, copies, reps, (rep) => {
    for (let r = 0; r < copies; r++) env.reset(state, r, rep * copies + r, 0);
    for (let k = 0; k < steps; k++) env.step(state, copies, k & 1 ? a : b, reward, terminated);
    return copies * steps;
  });
}

/** The rollouts oracle on `episodes` CartPole episodes with a linear-softmax policy (greedy or sampled, returns or full episodes). */
export function measureRollouts(episodes: number, reps: number, mode: 'greedy-returns' | 'sample-episodes'): Throughput {
  const env = cartPole();
  const policy = linearSoftmax({ observationSize: 4, actions: 2 });
  const params = policy.init(0);
  // A policy that balances: push towards the side the pole leans to (θ and θ̇ weights).
  params[0]!.data.set([0, 0, -1, -1, 0, 0, 1, 1]);
  const oracle = rolloutsOracle({ environment: env, policy, actions: mode === 'greedy-returns' ? 'greedy' : 'sample' });
  const what = `cartPole: rollouts oracle, linear softmax, ${mode === 'greedy-returns' ? 'greedy actions, returns only' : 'sampled actions, full episodes recorded'}`;
  return timed(what, episodes, reps, (rep) => {
    const requests = Array.from({ length: episodes }, (_, i): EpisodeRequest => ({ seed: rep * episodes + i, sample: 0 }));
    const before = oracle.steps;
    if (mode === 'greedy-returns') oracle.returns(params, requests);
    else oracle.rollouts(params, requests);
    return oracle.steps - before;
  });
}

/** Every measurement of the report: each environment's step, then the CartPole rollouts oracle. */
export function measureAll(quick: boolean): Throughput[] {
  const reps = quick ? 3 : 7;
  const out: Throughput[] = [];
  for (const name of ENVIRONMENTS as readonly EnvName[]) out.push(measureStep(ENV_SPECS[name].build(), 1024, quick ? 500 : 2000, reps));
  out.push(measureRollouts(1024, reps, 'greedy-returns'));
  out.push(measureRollouts(1024, reps, 'sample-episodes'));
  return out;
}
