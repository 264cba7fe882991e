/**
 * The problems of the tuning suite: bounded black-box problems from the optimisation literature, and one real
 * hyperparameter problem (see irisClassifier.ts). Each is a tuner {@link Space} and an objective on its points,
 * so zeroth's tuner, random search and the peers all search the same standardised box u ∈ [−1, 1]^dim.
 */
import { float, int, logFloat } from '../../src/tuner/dimensions.js';
import { space, type Space } from '../../src/tuner/space.js';
import { irisValidationLoss } from './irisClassifier.js';

/** A tuning problem: minimise `value(x)` over the space. */
export interface TuningProblem {
  readonly name: string;
  readonly title: string;
  readonly space: Space<Record<string, unknown>>;
  /** The objective at a point of the space (a decoded parameter object). */
  value(x: Record<string, unknown>): number;
  /** The known minimum (NaN when unknown). */
  readonly fStar: number;
}

const vec = (x: Record<string, unknown>, d: number): number[] => Array.from({ length: d }, (_, i) => x[`x${i}`] as number);
const box = (d: number, lo: number, hi: number): Space<Record<string, unknown>> =>
  space(Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i}`, float(lo, hi)]))) as unknown as Space<Record<string, unknown>>;

/** Branin–Hoo on [−5, 10] × [0, 15]: three global minima, f* = 0.397887. */
function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const H6_ALPHA = [1, 1.2, 3, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

/** Hartmann-6 on [0, 1]⁶: f* = −3.32237. */
function hartmann6(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let e = 0;
    for (let j = 0; j < 6; j++) e += H6_A[i]![j]! * (x[j]! - H6_P[i]![j]!) ** 2;
    s += H6_ALPHA[i]! * Math.exp(-e);
  }
  return -s;
}

/** Levy on [−10, 10]^d: f* = 0 at x = 1. */
function levy(x: readonly number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const d = w.length;
  let s = Math.sin(Math.PI * w[0]!) ** 2;
  for (let i = 0; i < d - 1; i++) s += (w[i]! - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i]! + 1) ** 2);
  s += (w[d - 1]! - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]!) ** 2);
  return s;
}

/** Ackley on [−32.768, 32.768]^d: f* = 0 at x = 0. */
function ackley(x: readonly number[]): number {
  const d = x.length;
  let sq = 0;
  let cs = 0;
  for (const v of x) {
    sq += v * v;
    cs += Math.cos(2 * Math.PI * v);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cs / d) + 20 + Math.E;
}

/** Rosenbrock on [−5, 10]^d: f* = 0 at x = 1. */
function rosenbrockBox(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1]! - x[i]! * x[i]!) ** 2 + (1 - x[i]!) ** 2;
  return s;
}

/** The suite's problems, in report order. */
export const TUNING_PROBLEMS: readonly TuningProblem[] = [
  { name: 'branin', title: 'Branin (2-d)', space: box(2, 0, 1), value: (x) => branin(-5 + 15 * (x['x0'] as number), 15 * (x['x1'] as number)), fStar: 0.397887 },
  { name: 'hartmann6', title: 'Hartmann-6', space: box(6, 0, 1), value: (x) => hartmann6(vec(x, 6)), fStar: -3.32237 },
  { name: 'levy10', title: 'Levy-10', space: box(10, -10, 10), value: (x) => levy(vec(x, 10)), fStar: 0 },
  { name: 'ackley10', title: 'Ackley-10', space: box(10, -32.768, 32.768), value: (x) => ackley(vec(x, 10)), fStar: 0 },
  { name: 'rosenbrock10', title: 'Rosenbrock-10 in [−5, 10]¹⁰', space: box(10, -5, 10), value: (x) => rosenbrockBox(vec(x, 10)), fStar: 0 },
  {
    name: 'iris',
    title: 'softmax classifier on Iris: 3-fold validation cross-entropy over lr, L2, epochs, batch size, decay',
    space: space({ lr: logFloat(1e-3, 3), l2: logFloat(1e-6, 1), epochs: int(1, 60), batch: int(1, 64), decay: float(0, 0.3) }) as unknown as Space<Record<string, unknown>>,
    value: (x) => irisValidationLoss({ lr: x['lr'] as number, l2: x['l2'] as number, epochs: x['epochs'] as number, batch: x['batch'] as number, decay: x['decay'] as number }),
    fStar: NaN,
  },
];
