/* Training data given as an (async) iterator of minibatches: one batch per step, shared by every query of the
 * step. Arrays are turned into tensors (and disposed after the step); the caller's tensors are never disposed. */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInput } from '../../errors.js';
import type { Dataset } from './data.js';
import type { BatchSource } from './modelBatches.js';

/** One minibatch from an iterator: tensors or arrays, like a {@link Dataset}. */
export type Batch = Dataset;

/** A batch source fed one batch per step from an iterator. */
export interface BatchStream extends BatchSource {
  /** Pulls the next batch; false when the iterator is done. */
  next(): Promise<boolean>;
  /** Disposes the tensors of the current batch this module made. */
  dispose(): void;
}

/** True for iterables and async iterables (and not a `{ x, y }` dataset). */
export function isBatchIterable(data: unknown): data is AsyncIterable<Batch> | Iterable<Batch> {
  if (data === null || typeof data !== 'object') return false;
  return Symbol.asyncIterator in data || (Symbol.iterator in data && !Array.isArray(data));
}

/** A stream over `data`; `classes`, when set, is the number of classes labels must fall below. */
export function batchStream(data: AsyncIterable<Batch> | Iterable<Batch>, check: (x: tf.Tensor, y: tf.Tensor) => void): BatchStream {
  const it: AsyncIterator<Batch> | Iterator<Batch> =
    Symbol.asyncIterator in data ? (data as AsyncIterable<Batch>)[Symbol.asyncIterator]() : (data as Iterable<Batch>)[Symbol.iterator]();
  let current: { x: tf.Tensor; y: tf.Tensor } | undefined;
  let made: tf.Tensor[] = [];
  let count = 0;
  const release = (): void => {
    made.forEach((t) => t.dispose());
    made = [];
  };
  const tensor = (v: unknown, what: string): tf.Tensor => {
    if (v instanceof tf.Tensor) return v;
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') {
      const rows = v as ArrayLike<number>[];
      const width = rows[0]!.length;
      const flat = new Float32Array(rows.length * width);
      rows.forEach((r, i) => flat.set(Array.from(r), i * width));
      const t = tf.tensor2d(flat, [rows.length, width]);
      made.push(t);
      return t;
    }
    if (v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number') {
      const t = tf.tensor1d(Array.from(v as ArrayLike<number>), 'float32');
      made.push(t);
      return t;
    }
    throw new InvalidInput(what, 'it is neither a tensor nor an array', 'Yield minibatches { x, y } of tensors or arrays.');
  };
  return {
    async next() {
      release();
      const r = await it.next();
      if (r.done === true) {
        current = undefined;
        return false;
      }
      const b = r.value;
      const what = `batch ${count++}`;
      if (b === null || typeof b !== 'object' || b.x === undefined || b.y === undefined) {
        throw new InvalidInput(what, 'it is not { x, y }', 'Yield minibatches { x, y } of tensors or arrays.');
      }
      const x = tensor(b.x, `${what}.x`);
      const y = tensor(b.y, `${what}.y`);
      if (y.shape[0] !== x.shape[0]) throw new InvalidInput(`${what}.y`, `it has ${y.shape[0]} targets for ${x.shape[0]} samples`, 'Give one target per sample.');
      check(x, y);
      current = { x, y };
      return true;
    },
    batch() {
      if (current === undefined) throw new InvalidInput('data', 'no batch was pulled from the iterator', 'Call next() before querying.');
      return { x: tf.clone(current.x), y: tf.clone(current.y) };
    },
    dispose: release,
  };
}
