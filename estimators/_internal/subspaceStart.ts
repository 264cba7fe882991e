/**
 * Starting a subspace of the trust-region engine: the initial interpolation points about its centre
 * (±ρ along each direction, then NEWUOA's pairs), a new subspace about the best point once the model in the
 * current one is exhausted, and a seeded restart in the box once ρ reached ρ_end.
 *
 * @internal
 */
import { subspaceBasis } from './subspaceBasis.js';
import type { EngineConfig } from './trustRegionConfig.js';
import { bestS, feasibleFraction, fullPoint } from './trustRegionPoints.js';
import type { Work } from './trustRegionState.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';

/**
 * The k-th initial point (k ≥ 1) about the subspace's centre s = 0: +ρ qᵢ for k ≤ p, −ρ qᵢ for k ≤ 2p, then
 * (NEWUOA's order) ±ρ qᵢ ± ρ qⱼ for pairs i < j, each sign towards the lower of the two values along qᵢ.
 */
export function initPoint(w: Work, k: number, config: EngineConfig): Float64Array {
  const { p, rho } = w;
  if (k > 2 * p) return pairPoint(w, k, config);
  const i = (k - 1) % p;
  const plus = k <= p;
  const s = new Float64Array(p);
  if (w.basis === null && config.lower !== undefined && config.upper !== undefined) {
    const x = w.xbase[i]!;
    const up = config.upper[i]! - x;
    const dn = x - config.lower[i]!;
    let a: number;
    if (up >= rho && dn >= rho) a = plus ? rho : -rho;
    else if (up >= dn) a = (plus ? 1 : 2) * Math.min(rho, up / 2);
    else a = -(plus ? 1 : 2) * Math.min(rho, dn / 2);
    s[i] = a;
    return s;
  }
  s[i] = plus ? rho : -rho;
  if (config.lower !== undefined) {
    const t = feasibleFraction(w, new Float64Array(p), s, config);
    if (t < 1) {
      const flip = Float64Array.from(s, (v) => -v);
      const t2 = feasibleFraction(w, new Float64Array(p), flip, config);
      if (t2 > t) return Float64Array.from(flip, (v) => v * t2);
      return Float64Array.from(s, (v) => v * t);
    }
  }
  return s;
}

function pairPoint(w: Work, k: number, config: EngineConfig): Float64Array {
  const { p } = w;
  // Pairs in NEWUOA's order: for the offset t = 1, 2, … the pairs (i, i + t mod p).
  const q = k - 2 * p - 1;
  const t = 1 + Math.floor(q / p);
  let i = q % p;
  let j = (i + t) % p;
  if (i > j) [i, j] = [j, i];
  const s = new Float64Array(p);
  const along = (a: number): number => {
    const plus = w.points[(1 + a) * p + a]!;
    const minus = w.points[(1 + p + a) * p + a]!;
    return w.values[1 + p + a]! < w.values[1 + a]! ? minus : plus;
  };
  s[i] = along(i);
  s[j] = along(j);
  if (config.lower !== undefined) {
    const tt = feasibleFraction(w, new Float64Array(p), s, config);
    if (tt < 1) for (let a = 0; a < p; a++) s[a] = s[a]! * tt;
  }
  return s;
}

/** ρ reached its floor: restart about the best point in a new subspace (a rotated basis when p = d). */
export function onConverged(w: Work, config: EngineConfig): void {
  if (config.restart === 'random' && config.lower !== undefined && config.upper !== undefined) {
    randomRestart(w, config);
    return;
  }
  newSubspace(w, config, w.rhoBeg);
}

/** A new local search from a seeded uniform point of the box (its value unknown: it is evaluated first). */
function randomRestart(w: Work, config: EngineConfig): void {
  const { dim: d, p } = w;
  w.epoch++;
  const centre = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const u = derivedSeed(derivedSeed(w.seed, w.epoch, 0x3e), i, 0x3f) / 4294967296;
    centre[i] = Math.fround(config.lower![i]! + u * (config.upper![i]! - config.lower![i]!));
  }
  if (p < d) w.basis = subspaceBasis(d, p, derivedSeed(w.seed, w.epoch, 0x7b)).basis;
  w.xbase = centre;
  w.epochStart = centre.slice();
  w.fopt = 0;
  w.fEpochStart = 0;
  w.points = new Float64Array(w.m * p);
  w.values = new Float64Array(w.m);
  w.kopt = 0;
  w.filled = 0;
  w.model = null;
  w.h = null;
  w.rho = w.rhoBeg;
  w.delta = w.rhoBeg;
  w.nf = 0;
  w.nfsav = 0;
  w.diffs.fill(0);
  w.pending = { kind: 'init', s: new Float64Array(p), knew: -1, predicted: 0, dnorm: 0 };
}

/**
 * Starts a subspace about the best point with radius ρ: a new basis (kept directions first when p < d, a
 * random rotation for restarts when p = d), the known best value as its first point.
 */
export function newSubspace(w: Work, config: EngineConfig, rho: number): void {
  const { dim: d, p } = w;
  const sopt = bestS(w);
  const centre = fullPoint(w, sopt);
  const progress = new Float64Array(d);
  let moved = 0;
  for (let i = 0; i < d; i++) {
    progress[i] = centre[i]! - w.epochStart[i]!;
    moved += progress[i]! * progress[i]!;
  }
  const memory = moved > 0 ? [progress, ...w.memory].slice(0, config.memory) : w.memory.slice(0, config.memory);
  w.epoch++;
  const seed = derivedSeed(w.seed, w.epoch, 0x7b);
  const { basis } = subspaceBasis(d, p, seed, p < d ? memory : []);
  w.basis = basis;
  w.memory = memory;
  w.xbase = centre;
  w.epochStart = centre.slice();
  w.fEpochStart = w.fopt;
  w.points = new Float64Array(w.m * p);
  w.values = new Float64Array(w.m);
  w.values[0] = w.fopt;
  w.kopt = 0;
  w.filled = 1;
  w.model = null;
  w.h = null;
  w.rho = rho;
  w.delta = rho;
  w.nf = 0;
  w.nfsav = 0;
  w.diffs.fill(0);
  w.pending = { kind: 'init', s: initPoint(w, 1, config), knew: -1, predicted: 0, dnorm: 0 };
}
