/**
 * True when every number in plain state data is finite: numbers, the elements of float typed arrays, and
 * everything nested in arrays and plain objects (strings, booleans, null, undefined and integer arrays pass).
 */
export function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  if (value instanceof Float32Array || value instanceof Float64Array) {
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i]!)) return false;
    return true;
  }
  if (ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.every(allFinite);
  return Object.values(value).every(allFinite);
}
