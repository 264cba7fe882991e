/**
 * A deep copy of plain state data, bit for bit: numbers, strings, booleans, null, undefined, arrays, plain
 * objects and typed arrays (copied with `slice`). Anything else is copied with `structuredClone`, or shared if it
 * cannot be cloned. Used so that an estimator or transform updating its buffers in place never touches the state
 * a skipped step must leave as it was.
 */
export function copyState<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return value instanceof DataView ? new DataView(value.buffer.slice(0)) : (value as unknown as Float32Array).slice();
  if (Array.isArray(value)) return value.map(copy);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
    return out;
  }
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
