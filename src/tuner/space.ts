import { InvalidHyperparameter, InvalidInput } from '../errors.js';
import { checkDimension, decodeValue, encodeValue, type Dimension } from './dimensions.js';

/** A nested object whose leaves are {@link Dimension}s: the shape of the searched parameters. */
export interface SpaceSpec {
  readonly [key: string]: Dimension | SpaceSpec;
}

/** The plain value a spec describes: every dimension becomes a number, nested objects stay nested. */
export type ValueOf<S> = S extends Dimension ? number : { -readonly [K in keyof S]: ValueOf<S[K]> };

/**
 * A search space: the map between the user's parameter objects and the standardised vector u ∈ [−1, 1]^dim the
 * estimators see. Coordinate i of u is dimension `paths[i]` (object keys in order, depth first).
 */
export interface Space<X = Record<string, unknown>> {
  /** Number of searched numbers. */
  readonly dim: number;
  /** Dotted path of each coordinate, e.g. `['lr', 'net.layers']`. */
  readonly paths: readonly string[];
  /** The dimension of each coordinate. */
  readonly dimensions: readonly Dimension[];
  /** The standardised point of `x` (every coordinate in [−1, 1]). */
  encode(x: X): Float32Array;
  /** The parameter object at a standardised point (coordinates outside [−1, 1] are clamped first). */
  decode(u: ArrayLike<number>): X;
  /** The starting point: each dimension's `init`, else the middle of its range (u = 0). */
  initial(): Float32Array;
  /** The spec as plain JSON (what `spaceFromJSON` reads back); checkpoints compare it on resume. */
  toJSON(): SpaceSpec;
}

/**
 * Builds a search space from a nested object of dimensions.
 *
 * The optimizer works on the standardised vector u ∈ [−1, 1]^dim: u = −1 is each dimension's `low`, u = 1 its
 * `high`, u = 0 the middle (linear for `float`, geometric for `logFloat`, the middle cell for `int`). So a
 * perturbation radius `sigma` and a learning rate are in units of half a range, the same for every
 * dimension: `sigma` of 0.05–0.2 and a step of about 0.01–0.1 are reasonable starting points.
 *
 * @example
 * ```ts
 * const s = space({ lr: logFloat(1e-5, 1e-1), net: { layers: int(1, 8), dropout: float(0, 0.5) } });
 * s.decode([0, 1, -1]); // { lr: ≈3.2e-3, net: { layers: 8, dropout: 0 } }
 * ```
 */
export function space<const S extends SpaceSpec>(spec: S): Space<ValueOf<S>> {
  return buildSpace(spec, 'space') as Space<ValueOf<S>>;
}

/**
 * Reads a space from JSON (a parsed object or a string): a nested object whose leaves are
 * `{ "type": "float" | "logFloat" | "int", "low": number, "high": number, "init"?: number }`.
 *
 * @throws InvalidHyperparameter naming the offending path, e.g. `space.net.layers.high`
 */
export function spaceFromJSON(json: unknown): Space<Record<string, unknown>> {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new InvalidInput('space', `it is not valid JSON (${(e as Error).message})`, 'Write the space as a JSON object of { "type", "low", "high" } leaves.');
    }
  }
  return buildSpace(value, 'space') as Space<Record<string, unknown>>;
}

function isLeaf(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>)['type'] === 'string';
}

function buildSpace(spec: unknown, where: string): Space<unknown> {
  const paths: string[] = [];
  const dimensions: Dimension[] = [];
  const normalised = walk(spec, where, [], paths, dimensions);
  if (dimensions.length === 0) throw new InvalidHyperparameter(where, spec, 'must hold at least one dimension, e.g. { x: float(0, 1) }');
  const keys = paths.map((p) => p.split('.'));
  const dim = dimensions.length;
  return {
    dim,
    paths,
    dimensions,
    encode(x: unknown): Float32Array {
      const u = new Float32Array(dim);
      keys.forEach((path, i) => {
        let v: unknown = x;
        for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
        const d = dimensions[i]!;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < d.low || v > d.high) {
          throw new InvalidInput(`x.${paths[i]}`, `got ${String(v)}`, `Give a number in [${d.low}, ${d.high}].`);
        }
        u[i] = encodeValue(d, v);
      });
      return u;
    },
    decode(u: ArrayLike<number>): unknown {
      if (u.length !== dim) throw new InvalidInput('u', `it has length ${u.length}, not ${dim}`, 'Pass a standardised point of the space.');
      const out: Record<string, unknown> = {};
      keys.forEach((path, i) => {
        let o = out;
        for (let j = 0; j < path.length - 1; j++) o = (o[path[j]!] ??= {}) as Record<string, unknown>;
        o[path[path.length - 1]!] = decodeValue(dimensions[i]!, u[i]!);
      });
      return out;
    },
    initial(): Float32Array {
      return Float32Array.from(dimensions, (d) => (d.init === undefined ? 0 : encodeValue(d, d.init)));
    },
    toJSON: () => normalised,
  };
}

function walk(spec: unknown, where: string, prefix: string[], paths: string[], dims: Dimension[]): SpaceSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new InvalidHyperparameter(where, spec, 'must be an object of dimensions (float, logFloat, int) or nested objects of them');
  }
  const out: Record<string, Dimension | SpaceSpec> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key === '' || key.includes('.')) throw new InvalidHyperparameter(`${where}["${key}"]`, key, 'must be a non-empty name without dots');
    const at = `${where}.${key}`;
    if (isLeaf(value)) {
      const d = checkDimension(value, at);
      paths.push([...prefix, key].join('.'));
      dims.push(d);
      out[key] = d;
    } else {
      out[key] = walk(value, at, [...prefix, key], paths, dims);
    }
  }
  return out;
}
