/**
 * Byte sinks for table and AML encoding: a growable little-endian byte buffer
 * and the 8-bit checksum ACPI uses everywhere (ACPI 6.4 §5.2.5.3 RSDP,
 * §5.2.6 table header: all bytes of the covered range sum to zero mod 256).
 */

export class ByteSink {
  private buf: Uint8Array;
  private len = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.reserve(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    return this;
  }

  u32(v: number): this {
    this.reserve(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = (v >>> (8 * i)) & 0xff;
    return this;
  }

  /** A 64-bit little-endian value from a JS number (exact below 2^53). */
  u64(v: number): this {
    const lo = v % 0x1_0000_0000;
    const hi = Math.floor(v / 0x1_0000_0000);
    return this.u32(lo).u32(hi);
  }

  bytes(data: ArrayLike<number>): this {
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  /** ASCII text, NUL-padded (or cut) to `size` bytes when given. */
  ascii(text: string, size?: number): this {
    const n = size ?? text.length;
    this.reserve(n);
    for (let i = 0; i < n; i++) this.buf[this.len++] = i < text.length ? text.charCodeAt(i) & 0x7f : 0;
    return this;
  }

  /** Overwrites bytes already written (for lengths known only at the end). */
  patchU32(offset: number, v: number): void {
    for (let i = 0; i < 4; i++) this.buf[offset + i] = (v >>> (8 * i)) & 0xff;
  }

  patchU8(offset: number, v: number): void {
    this.buf[offset] = v & 0xff;
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Sum of the bytes in [start, start + length), mod 256. */
export function byteSum(data: Uint8Array, start = 0, length = data.length - start): number {
  let sum = 0;
  const end = start + length;
  for (let i = start; i < end; i++) sum += data[i]!;
  return sum & 0xff;
}

/** Sets data[offset] so that the range sums to zero (the byte itself is part of the range). */
export function fixChecksum(data: Uint8Array, offset: number, start = 0, length = data.length - start): void {
  data[offset] = 0;
  data[offset] = (0x100 - byteSum(data, start, length)) & 0xff;
}
