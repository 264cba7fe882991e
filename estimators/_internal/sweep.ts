import { derivedSeed } from '../../src/rng/derivedSeed.js';
import { permutation } from './permutation.js';

/**
 * Where a multi-epoch minibatch pass over a collected batch stands (PPO, GRPO): `units` rows or episodes,
 * shuffled afresh every epoch by a seeded permutation, split into ⌈minibatches⌉ near-equal slices.
 */
export interface Sweep {
  readonly units: number;
  readonly seed: number;
  readonly epoch: number;
  readonly minibatch: number;
  /** This epoch's permutation of 0 … units−1. */
  readonly order: Int32Array;
}

const SHUFFLE = 3;

/** The first minibatch of the first epoch. */
export function startSweep(units: number, seed: number): Sweep {
  return { units, seed, epoch: 0, minibatch: 0, order: permutation(units, derivedSeed(seed, 0, SHUFFLE)) };
}

/** The units of the current minibatch (slices of min(minibatches, units) near-equal parts). */
export function sweepSlice(sweep: Sweep, minibatches: number): Int32Array {
  const m = Math.min(minibatches, sweep.units);
  const lo = Math.floor((sweep.minibatch * sweep.units) / m);
  const hi = Math.floor(((sweep.minibatch + 1) * sweep.units) / m);
  return sweep.order.subarray(lo, hi);
}

/** The next minibatch, or null after the last minibatch of the last epoch. */
export function advanceSweep(sweep: Sweep, epochs: number, minibatches: number): Sweep | null {
  const m = Math.min(minibatches, sweep.units);
  if (sweep.minibatch + 1 < m) return { ...sweep, minibatch: sweep.minibatch + 1 };
  if (sweep.epoch + 1 >= epochs) return null;
  const epoch = sweep.epoch + 1;
  return { ...sweep, epoch, minibatch: 0, order: permutation(sweep.units, derivedSeed(sweep.seed, epoch, SHUFFLE)) };
}
