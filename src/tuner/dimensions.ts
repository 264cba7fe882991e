import { InvalidHyperparameter } from '../errors.js';

/**
 * One searched number of a {@link space}: a `float` in [low, high], a `logFloat` in [low, high] searched on a
 * log scale, or an `int` in {low, …, high}. `init` is the starting value (default: the middle of the range).
 * The same object is the JSON form of a dimension (`{ "type": "float", "low": 0, "high": 1 }`).
 */
export interface Dimension {
  readonly type: 'float' | 'logFloat' | 'int';
  readonly low: number;
  readonly high: number;
  readonly init?: number;
}

/** Options of {@link float}, {@link logFloat} and {@link int}. */
export interface DimensionOptions {
  /** The starting value, in [low, high]. @defaultValue the middle of the range (the geometric middle for logFloat) */
  readonly init?: number;
}

/**
 * A real number in [low, high], searched on a linear scale: standardised coordinate u ∈ [−1, 1] ↦
 * low + (u + 1)/2 · (high − low).
 *
 * @example
 * ```ts
 * const momentum = float(0, 0.99);
 * ```
 */
export function float(low: number, high: number, options: DimensionOptions = {}): Dimension {
  return checkDimension({ type: 'float', low, high, ...initOf(options) }, 'float');
}

/**
 * A positive real number in [low, high], searched on a log scale: u ∈ [−1, 1] ↦
 * exp(ln low + (u + 1)/2 · (ln high − ln low)). Use it for learning rates, regularisation strengths, scales.
 *
 * @example
 * ```ts
 * const learningRate = logFloat(1e-5, 1e-1);
 * ```
 */
export function logFloat(low: number, high: number, options: DimensionOptions = {}): Dimension {
  return checkDimension({ type: 'logFloat', low, high, ...initOf(options) }, 'logFloat');
}

/**
 * An integer in {low, …, high}: [−1, 1] is cut into high − low + 1 cells of equal width, and u maps to the
 * integer of its cell. The objective is then piecewise constant in u: choose a perturbation radius (`sigma`)
 * of at least about one cell width, 2/(high − low + 1), or the estimator sees no difference.
 *
 * @example
 * ```ts
 * const layers = int(1, 8);
 * ```
 */
export function int(low: number, high: number, options: DimensionOptions = {}): Dimension {
  return checkDimension({ type: 'int', low, high, ...initOf(options) }, 'int');
}

function initOf(options: DimensionOptions): { init?: number } {
  return options.init === undefined ? {} : { init: options.init };
}

/** Validates a dimension (from code or JSON), naming `where` in errors; returns a normalised copy. */
export function checkDimension(d: unknown, where: string): Dimension {
  if (d === null || typeof d !== 'object') throw new InvalidHyperparameter(where, d, 'must be a dimension { type, low, high }');
  const o = d as Record<string, unknown>;
  const type = o['type'];
  if (type !== 'float' && type !== 'logFloat' && type !== 'int') {
    throw new InvalidHyperparameter(`${where}.type`, type, "must be 'float', 'logFloat' or 'int'");
  }
  const low = o['low'];
  const high = o['high'];
  if (typeof low !== 'number' || !Number.isFinite(low)) throw new InvalidHyperparameter(`${where}.low`, low, 'must be a finite number');
  if (typeof high !== 'number' || !Number.isFinite(high)) throw new InvalidHyperparameter(`${where}.high`, high, 'must be a finite number');
  if (type === 'int') {
    if (!Number.isSafeInteger(low)) throw new InvalidHyperparameter(`${where}.low`, low, 'must be an integer for an int dimension');
    if (!Number.isSafeInteger(high)) throw new InvalidHyperparameter(`${where}.high`, high, 'must be an integer for an int dimension');
    if (high < low) throw new InvalidHyperparameter(`${where}.high`, high, `must be ≥ low (${low})`);
  } else if (!(high > low)) {
    throw new InvalidHyperparameter(`${where}.high`, high, `must be > low (${low})`);
  }
  if (type === 'logFloat' && !(low > 0)) throw new InvalidHyperparameter(`${where}.low`, low, 'must be > 0 for a logFloat dimension (a log scale)');
  for (const key of Object.keys(o)) {
    if (key !== 'type' && key !== 'low' && key !== 'high' && key !== 'init') {
      throw new InvalidHyperparameter(`${where}.${key}`, o[key], 'is not a dimension field (type, low, high, init)');
    }
  }
  const init = o['init'];
  if (init !== undefined) {
    if (typeof init !== 'number' || !Number.isFinite(init) || init < low || init > high) {
      throw new InvalidHyperparameter(`${where}.init`, init, `must be a number in [${low}, ${high}]`);
    }
    if (type === 'int' && !Number.isInteger(init)) throw new InvalidHyperparameter(`${where}.init`, init, 'must be an integer for an int dimension');
  }
  return init === undefined ? { type, low, high } : { type, low, high, init };
}

/** The standardised coordinate u ∈ [−1, 1] of a value of `d` (the centre of its cell for an int). */
export function encodeValue(d: Dimension, value: number): number {
  let t: number;
  if (d.type === 'float') {
    const width = d.high - d.low;
    // A range wider than the largest double (e.g. ±Number.MAX_VALUE) is measured in halves.
    t = Number.isFinite(width) ? (value - d.low) / width : (value / 2 - d.low / 2) / (d.high / 2 - d.low / 2);
  } else if (d.type === 'logFloat') t = logOffset(d, value) / logWidth(d);
  else t = (Math.round(value) - d.low + 0.5) / (d.high - d.low + 1);
  return Math.min(1, Math.max(-1, Math.fround(2 * t - 1)));
}

/**
 * The value of `d` at the standardised coordinate u (clamped to [−1, 1]); always within [low, high], and never
 * NaN, also for ranges whose width (float) or ratio (logFloat) overflows a double.
 */
export function decodeValue(d: Dimension, u: number): number {
  const t = (Math.min(1, Math.max(-1, Number.isNaN(u) ? 0 : u)) + 1) / 2;
  let v: number;
  if (d.type === 'float') {
    const width = d.high - d.low;
    if (Number.isFinite(width)) v = d.low + t * width;
    else {
      const half = t * (d.high / 2 - d.low / 2); // (t·width)/2, which cannot overflow
      v = d.low + half + half;
    }
  } else if (d.type === 'logFloat') {
    const scaled = d.low * Math.exp(t * logWidth(d));
    v = Number.isFinite(scaled) ? scaled : Math.exp(Math.log(d.low) + t * logWidth(d));
  } else v = d.low + Math.floor(t * (d.high - d.low + 1));
  return Math.min(d.high, Math.max(d.low, v));
}

/** ln(high / low), also when high / low overflows a double. */
function logWidth(d: Dimension): number {
  const ratio = d.high / d.low;
  return Number.isFinite(ratio) ? Math.log(ratio) : Math.log(d.high) - Math.log(d.low);
}

/** ln(value / low), also when value / low overflows a double. */
function logOffset(d: Dimension, value: number): number {
  const ratio = value / d.low;
  return Number.isFinite(ratio) ? Math.log(ratio) : Math.log(value) - Math.log(d.low);
}
