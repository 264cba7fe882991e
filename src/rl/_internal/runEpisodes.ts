import type { Params } from '../../types.js';
import { actionSize, type Environment } from '../environment.js';
import type { Episode, EpisodeRequest } from '../episode.js';
import { episodeKeys } from '../episodeKeys.js';
import type { Policy } from '../policy.js';
import { gaussianDraw, uniformDraw } from '../streamDraws.js';

/** What {@link runEpisodes} returns. */
export interface EpisodeRun {
  readonly episodes: Episode[];
  readonly returns: Float64Array;
  readonly steps: number;
}

/** One episode's growing record. */
class Recorder {
  cap: number;
  obs: Float32Array;
  act: Float32Array;
  rew: Float64Array;
  logp: Float64Array;
  readonly o: number;
  readonly a: number;
  constructor(o: number, a: number, cap: number) {
    this.o = o;
    this.a = a;
    this.cap = cap;
    this.obs = new Float32Array(cap * o);
    this.act = new Float32Array(cap * a);
    this.rew = new Float64Array(cap);
    this.logp = new Float64Array(cap);
  }
  grow(): void {
    const cap = 2 * this.cap;
    const obs = new Float32Array(cap * this.o);
    obs.set(this.obs);
    const act = new Float32Array(cap * this.a);
    act.set(this.act);
    const rew = new Float64Array(cap);
    rew.set(this.rew);
    const logp = new Float64Array(cap);
    logp.set(this.logp);
    Object.assign(this, { cap, obs, act, rew, logp });
  }
}

/**
 * Runs the requested episodes as one vectorised batch: rows 0 … count−1 of the state matrix are the running
 * episodes, stepped together; a finished row is swapped with the last running one. With `record` false only
 * the returns are kept.
 */
export function runEpisodes(env: Environment, policy: Policy, params: Params, requests: readonly EpisodeRequest[], greedy: boolean, record: boolean): EpisodeRun {
  const n = requests.length;
  const S = env.stateSize;
  const O = env.observationSize;
  const A = actionSize(env.action);
  const T = env.maxSteps;
  const noiseSize = policy.noise.size;
  const gaussian = policy.noise.kind === 'gaussian';
  const state = new Float64Array(n * S);
  const obs = new Float32Array(n * O);
  const act = new Float32Array(n * A);
  const logp = new Float64Array(n);
  const rew = new Float64Array(n);
  const term = new Uint8Array(n);
  const noise = greedy ? null : new Float64Array(n * noiseSize);
  const rowEp = new Int32Array(n);
  const k1 = new Int32Array(n);
  const k2 = new Int32Array(n);
  const returns = new Float64Array(n);
  const lengths = new Int32Array(n);
  const terminated = new Uint8Array(n);
  const finals: Float32Array[] = new Array<Float32Array>(n);
  const recs: Recorder[] = record ? requests.map(() => new Recorder(O, A, Math.min(T, 64))) : [];
  for (let r = 0; r < n; r++) {
    const { seed, sample } = requests[r]!;
    env.reset(state, r, seed, sample);
    const key = episodeKeys(seed, sample).actions;
    k1[r] = key.k1;
    k2[r] = key.k2;
    rowEp[r] = r;
  }
  let count = n;
  let t = 0;
  let steps = 0;
  if (count > 0) env.observe(state, count, obs);
  const swap = (i: number, j: number): void => {
    for (let k = 0; k < S; k++) {
      const v = state[i * S + k]!;
      state[i * S + k] = state[j * S + k]!;
      state[j * S + k] = v;
    }
    for (let k = 0; k < O; k++) {
      const v = obs[i * O + k]!;
      obs[i * O + k] = obs[j * O + k]!;
      obs[j * O + k] = v;
    }
    let v = rowEp[i]!;
    rowEp[i] = rowEp[j]!;
    rowEp[j] = v;
    v = k1[i]!;
    k1[i] = k1[j]!;
    k1[j] = v;
    v = k2[i]!;
    k2[i] = k2[j]!;
    k2[j] = v;
    v = term[i]!;
    term[i] = term[j]!;
    term[j] = v;
  };
  while (count > 0) {
    if (noise !== null) {
      for (let r = 0; r < count; r++) {
        for (let j = 0; j < noiseSize; j++) {
          const i = t * noiseSize + j;
          noise[r * noiseSize + j] = gaussian ? gaussianDraw(k1[r]!, k2[r]!, i) : uniformDraw(k1[r]!, k2[r]!, i);
        }
      }
    }
    policy.act(params, obs, count, noise, act, logp);
    if (record) {
      for (let r = 0; r < count; r++) {
        const rec = recs[rowEp[r]!]!;
        if (t >= rec.cap) rec.grow();
        const ro = rec.obs;
        for (let k = 0; k < O; k++) ro[t * O + k] = obs[r * O + k]!;
        const ra = rec.act;
        for (let k = 0; k < A; k++) ra[t * A + k] = act[r * A + k]!;
        rec.logp[t] = logp[r]!;
      }
    }
    env.step(state, count, act, rew, term);
    steps += count;
    for (let r = 0; r < count; r++) {
      const e = rowEp[r]!;
      returns[e] = returns[e]! + rew[r]!;
      if (record) recs[e]!.rew[t] = rew[r]!;
    }
    t++;
    env.observe(state, count, obs);
    for (let r = 0; r < count; ) {
      if (term[r] === 1 || t >= T) {
        const e = rowEp[r]!;
        lengths[e] = t;
        terminated[e] = term[r]!;
        if (record) finals[e] = obs.slice(r * O, r * O + O);
        swap(r, count - 1);
        count--;
      } else r++;
    }
  }
  const episodes: Episode[] = [];
  if (record) {
    for (let e = 0; e < n; e++) {
      const rec = recs[e]!;
      const L = lengths[e]!;
      const { seed, sample } = requests[e]!;
      const optimal = env.optimalReturn?.(seed);
      episodes.push({
        seed,
        sample,
        length: L,
        observations: rec.obs.slice(0, L * O),
        actions: rec.act.slice(0, L * A),
        rewards: rec.rew.slice(0, L),
        logProbs: rec.logp.slice(0, L),
        finalObservation: finals[e]!,
        terminated: terminated[e] === 1,
        return: returns[e]!,
        ...(optimal !== undefined ? { optimalReturn: optimal } : {}),
      });
    }
  }
  return { episodes, returns, steps };
}
