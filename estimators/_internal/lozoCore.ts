/* The parts LOZO and LOZO-M share: option checks, the lazily resampled V factors, the ± probe pair along
 * U·Vᵀ, the projected gradient, and materialising U (or the Gaussian z of a 1-D block) from a direction. */
import { InvalidInput, OracleMismatch } from '../../src/errors.js';
import { derivedSeed } from '../../src/rng/derivedSeed.js';
import { lowRankFactor } from '../../src/rng/lowRankFactor.js';
import { perturbGaussianRange } from '../../src/rng/perturbGaussian.js';
import { streamKey } from '../../src/rng/streamKey.js';
import { streams } from '../../src/rng/streams.js';
import type { Schedule } from '../../src/transform/transform.js';
import type { Block, Direction, Params, ProbeBatch, Responses } from '../../src/types.js';
import { integerAtLeast, positiveSchedule } from '../../src/validate.js';

/** The low-rank direction kind, narrowed. */
export type LowRankDirection = Extract<Direction, { kind: 'lowRank' }>;

/** Per-block V factors: n × rank row-major for 2-D blocks, `undefined` for the others. */
export type Factors = readonly (Float32Array | undefined)[];

/** Options common to LOZO and LOZO-M. */
export interface LozoCommonOptions {
  readonly sigma?: number | Schedule;
  readonly rank?: number;
  readonly resampleEvery?: number;
}

/** Checked common options. */
export interface LozoSettings {
  readonly sigma: Schedule;
  readonly rank: number;
  readonly resampleEvery: number;
}

/* Purposes of the seeds derived from the step seed. DIRECTION and NOISE match spsa's. */
const DIRECTION = 0;
const NOISE = 1;
const FACTOR_V = 2;

/** Validates sigma (default 1e-3), rank (default 2) and resampleEvery (default 50). */
export function lozoSettings(options: LozoCommonOptions): LozoSettings {
  return {
    sigma: positiveSchedule('sigma', options.sigma ?? 1e-3),
    rank: integerAtLeast('rank', options.rank ?? 2, 1),
    resampleEvery: integerAtLeast('resampleEvery', options.resampleEvery ?? 50, 1),
  };
}

/** True for the blocks that get a low-rank perturbation: exactly two dimensions. */
export function isMatrix(block: Block): boolean {
  return block.shape.length === 2;
}

/** V factors and the seed they were drawn from (`undefined` when they were not drawn from a seed). */
export interface SeededFactors {
  readonly v: Factors;
  readonly vSeed: number | undefined;
}

/**
 * Fresh V factors for the step with seed `seed`: for each 2-D block b of shape [m, n], V (n × rank) with
 * V[c, j] = element c·rank + j of the `lowRankV` stream of (vSeed, b), vSeed = derivedSeed(seed, 0, FACTOR_V)
 * (`lowRankFactor`). U is drawn from the `lowRankU` stream of another derived seed, so the two never share
 * random numbers.
 */
export function drawFactors(params: Params, rank: number, seed: number): SeededFactors {
  const vSeed = derivedSeed(seed, 0, FACTOR_V);
  const v = params.map((block, b) => (isMatrix(block) ? lowRankFactor(vSeed, b, block.shape[1]!, rank) : undefined));
  return { v, vSeed };
}

/** The V factors of step `step`: fresh at steps ≡ 0 (mod resampleEvery), else the stored ones. */
export function factorsFor(settings: LozoSettings, stored: SeededFactors, step: number, params: Params, seed: number): SeededFactors {
  if (step % settings.resampleEvery === 0) return drawFactors(params, settings.rank, seed);
  params.forEach((block, b) => {
    const v = stored.v[b];
    const ok = isMatrix(block) ? v !== undefined && v.length === block.shape[1]! * settings.rank : v === undefined;
    if (!ok) {
      throw new InvalidInput(
        'params',
        `block ${b} (shape [${block.shape.join(', ')}]) does not match the layout the estimator state was built for`,
        'Keep the same parameter layout between steps, or start from a fresh init(params).',
      );
    }
  });
  return stored;
}

/** The antithetic pair x ± σ·(U Vᵀ on 2-D blocks, z on the others), both evaluations with one noise key. */
export function lowRankPair(settings: LozoSettings, factors: SeededFactors, step: number, seed: number): ProbeBatch {
  const s = settings.sigma(step);
  const { v, vSeed } = factors;
  const direction: LowRankDirection = {
    kind: 'lowRank',
    seed: derivedSeed(seed, 0, DIRECTION),
    rank: settings.rank,
    v,
    ...(vSeed === undefined ? {} : { vSeed }),
  };
  const noiseKey = derivedSeed(seed, 0, NOISE);
  return {
    response: 'values',
    probes: [
      { direction, scale: s, noiseKey },
      { direction, scale: -s, noiseKey },
    ],
  };
}

/** The projected gradient p = (f₊ − f₋)/(realised 2σ), the pair's direction and the mean of the two values. */
export function projectedGradient(
  name: string,
  batch: ProbeBatch,
  responses: Responses,
): { readonly p: number; readonly direction: LowRankDirection; readonly value: number } {
  if (responses.kind !== 'values') throw new OracleMismatch(name, 'values', responses.kind);
  const plus = batch.probes[0];
  const minus = batch.probes[1];
  const f = responses.values;
  if (plus === undefined || minus === undefined || plus.direction.kind !== 'lowRank' || f.length !== 2) {
    throw new InvalidInput('batch', `it is not the probe pair ${name} proposed`, `Pass ${name}'s own batch from propose() to combine().`);
  }
  const p = (f[0]! - f[1]!) / (Math.fround(plus.scale) - Math.fround(minus.scale));
  return { p, direction: plus.direction, value: (f[0]! + f[1]!) / 2 };
}

/** U (m × rank, row-major) of block b of a seeded low-rank direction, exactly as the backends regenerate it. */
export function uFactor(direction: LowRankDirection, b: number, m: number): Float32Array {
  const u = new Float32Array(m * direction.rank);
  const { k1, k2 } = streamKey(direction.seed, streams.lowRankU, b);
  perturbGaussianRange(u, k1, k2, 0, u.length, 1);
  return u;
}

/** The Gaussian z a low-rank direction applies to a block without a V factor (1-D blocks). */
export function otherBlockZ(direction: LowRankDirection, b: number, length: number): Float32Array {
  const z = new Float32Array(length);
  const { k1, k2 } = streamKey(direction.seed, streams.gaussian, b);
  perturbGaussianRange(z, k1, k2, 0, length, 1);
  return z;
}

/** `{ vSeed }` of a direction whose V was drawn from a seed, else `{}` (for the estimators' states). */
export function seedOf(direction: LowRankDirection): { vSeed?: number } {
  return direction.vSeed === undefined ? {} : { vSeed: direction.vSeed };
}
