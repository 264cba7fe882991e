/**
 * The resolved options of an estimator or a transform as plain JSON, for `Estimator.options` and
 * `Transform.options`: numbers, strings, booleans and nested plain objects and arrays as they are; `undefined`
 * as null (the key stays, so the set of keys is the set of options); a function — a schedule, a mask — as its
 * `toJSON()` if it has one, else `"function <name>"`; a typed array as an array of its numbers.
 */
export function recordOptions(options: Record<string, unknown>): Readonly<Record<string, unknown>> {
  return plain(options) as Readonly<Record<string, unknown>>;
}

function plain(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'function') {
    const fn = value as { toJSON?: () => unknown; name?: string };
    return typeof fn.toJSON === 'function' ? fn.toJSON() : `function ${fn.name !== undefined && fn.name !== '' ? fn.name : '(anonymous)'}`;
  }
  if (typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}
