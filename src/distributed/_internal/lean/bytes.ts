import { InvalidInput } from '../../../errors.js';

/**
 * Little-endian binary writing for the lean transport's messages: bytes, unsigned LEB128 varints (integers
 * up to 2⁵³), uint32 and float64 (exact, all bit patterns kept).
 */
export class ByteWriter {
  private buf = Buffer.allocUnsafe(64);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.at++] = v;
    return this;
  }

  varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`a varint must be a safe integer ≥ 0, not ${v}`);
    while (v >= 128) {
      this.u8((v % 128) + 128);
      v = Math.floor(v / 128);
    }
    return this.u8(v);
  }

  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32LE(v, this.at);
    this.at += 4;
    return this;
  }

  f64(v: number): this {
    this.room(8);
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
    return this;
  }

  /** A varint length, then the UTF-8 bytes of `s`. */
  text(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.varint(b.length).bytes(b);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Reads what {@link ByteWriter} wrote; a message that ends early or runs on fails as a malformed message. */
export class ByteReader {
  private readonly buf: Buffer;
  at: number;

  constructor(buf: Buffer, at = 0) {
    this.buf = buf;
    this.at = at;
  }

  private need(n: number): void {
    if (this.at + n > this.buf.length) throw malformed('it ends early');
  }

  get remaining(): number {
    return this.buf.length - this.at;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }

  varint(): number {
    let v = 0;
    let m = 1;
    for (;;) {
      const b = this.u8();
      v += (b % 128) * m;
      if (b < 128) return v;
      m *= 128;
      if (m > 2 ** 56) throw malformed('a varint is too long');
    }
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }

  text(): string {
    return this.bytes(this.varint()).toString('utf8');
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  end(): void {
    if (this.remaining !== 0) throw malformed(`${this.remaining} bytes are left over`);
  }
}

/** A message of the lean transport that does not parse. */
export function malformed(problem: string): InvalidInput {
  return new InvalidInput('message', `a message of the lean transport is malformed (${problem})`, 'Run coordinator and workers with the same version of zeroth.');
}
