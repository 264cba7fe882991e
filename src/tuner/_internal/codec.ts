import { CheckpointError } from '../checkpointError.js';

/**
 * Plain data (numbers, strings, booleans, null, undefined, arrays, plain objects, typed arrays) ⇄ JSON-safe
 * values, exactly: non-finite numbers and −0 are tagged, typed arrays are stored as base64 of their bytes
 * (little-endian), so a decoded state is bit for bit the encoded one.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TYPED = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes plain data to JSON-safe values; `path` names the place in errors. */
export function encodeData(value: unknown, path = 'state'): Json {
  if (value === null) return null;
  switch (typeof value) {
    case 'number':
      if (Number.isNaN(value)) return { $num: 'NaN' };
      if (value === Infinity) return { $num: 'Infinity' };
      if (value === -Infinity) return { $num: '-Infinity' };
      if (Object.is(value, -0)) return { $num: '-0' };
      return value;
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return { $undef: 1 };
    case 'object':
      break;
    default:
      throw unserializable(path, typeof value);
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeData(v, `${path}[${i}]`));
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!(name in TYPED)) throw unserializable(path, name);
    return { $typed: name, b64: toBase64(bytesLE(value as Typed)) };
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw unserializable(path, (value as object).constructor?.name ?? 'object');
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) out[k] = encodeData(v, `${path}.${k}`);
  return Object.keys(out).some((k) => k.startsWith('$')) ? { $obj: out } : out;
}

/** Inverse of {@link encodeData}. */
export function decodeData(json: Json): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(decodeData);
  const num = json['$num'];
  if (typeof num === 'string') return num === 'NaN' ? NaN : num === 'Infinity' ? Infinity : num === '-Infinity' ? -Infinity : -0;
  if (json['$undef'] === 1) return undefined;
  const typed = json['$typed'];
  if (typeof typed === 'string' && typeof json['b64'] === 'string') {
    const Ctor = TYPED[typed as TypedName];
    if (Ctor === undefined) throw new CheckpointError('corrupted', `unknown typed array ${typed}`, 'Use a checkpoint written by zeroth.');
    return fromBytesLE(Ctor, fromBase64(json['b64']));
  }
  const inner = json['$obj'];
  const src = inner !== undefined && inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : json;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) out[k] = decodeData(v);
  return out;
}

function unserializable(path: string, what: string): CheckpointError {
  return new CheckpointError('unserializable', `${path} is a ${what}`, 'Estimator and transform states must be plain data (numbers, arrays, plain objects, typed arrays)');
}

function bytesLE(a: Typed): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  if (!LITTLE) swap(bytes, a.BYTES_PER_ELEMENT);
  return bytes;
}

function fromBytesLE<C extends (typeof TYPED)[TypedName]>(Ctor: C, bytes: Uint8Array): InstanceType<C> {
  if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new CheckpointError('corrupted', `a ${Ctor.name} of ${bytes.length} bytes`, 'Use a checkpoint written by zeroth.');
  if (!LITTLE) swap(bytes, Ctor.BYTES_PER_ELEMENT);
  return new Ctor(bytes.buffer as ArrayBuffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT) as InstanceType<C>;
}

function swap(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (with padding) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!;
    out += c === undefined ? '=' : ALPHABET[n & 63]!;
  }
  return out;
}

/** Inverse of {@link toBase64}; throws CheckpointError('corrupted') on bad input. */
export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new CheckpointError('corrupted', 'a base64 field has a length that is not a multiple of 4', 'Use a checkpoint written by zeroth.');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = text.charCodeAt(i + j);
      const v = ch === 61 && i + j >= text.length - pad ? 0 : ch < 128 ? INDEX[ch]! : -1;
      if (v < 0) throw new CheckpointError('corrupted', 'a base64 field holds an invalid character', 'Use a checkpoint written by zeroth.');
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3) of the UTF-8 bytes of `text`, as 8 hex digits. */
export function crc32(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255]! ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
