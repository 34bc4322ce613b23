/**
 * A function's configuration space: the registers, a writable-bits mask and
 * a write-1-to-clear mask, one byte each. Guest writes go through the masks
 * (PCI 3.0 §6.1: read-only bits ignore writes; RW1C bits clear on 1); the
 * device changes its own registers with the set* methods, which ignore the
 * masks. Capabilities are laid out here too: `used` records which bytes
 * belong to a capability so that an offset of 0 finds the first free gap, as
 * QEMU's allocator does (a capability's bytes become read-only, the rest of
 * 0x40-0xff stays plain read/write storage).
 */
import * as R from './registers.js';

export class ConfigSpace {
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly wmask: Uint8Array;
  readonly w1cmask: Uint8Array;
  /** Bytes owned by a capability (for the first-free-gap allocator). */
  private readonly used: Uint8Array;

  constructor(size: 256 | 4096) {
    this.size = size;
    this.bytes = new Uint8Array(size);
    this.wmask = new Uint8Array(size);
    this.w1cmask = new Uint8Array(size);
    this.used = new Uint8Array(R.CONFIG_SPACE_SIZE);
  }

  // ---- raw access (device side) -------------------------------------------------------

  get8(off: number): number {
    return this.bytes[off]!;
  }

  get16(off: number): number {
    return this.bytes[off]! | (this.bytes[off + 1]! << 8);
  }

  get32(off: number): number {
    const b = this.bytes;
    return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
  }

  set8(off: number, v: number): void {
    this.bytes[off] = v;
  }

  set16(off: number, v: number): void {
    this.bytes[off] = v;
    this.bytes[off + 1] = v >>> 8;
  }

  set32(off: number, v: number): void {
    const b = this.bytes;
    b[off] = v;
    b[off + 1] = v >>> 8;
    b[off + 2] = v >>> 16;
    b[off + 3] = v >>> 24;
  }

  /** Sets or clears bits of a 16-bit register. */
  update16(off: number, clear: number, set: number): void {
    this.set16(off, (this.get16(off) & ~clear) | set);
  }

  update32(off: number, clear: number, set: number): void {
    this.set32(off, ((this.get32(off) & ~clear) | set) >>> 0);
  }

  setWmask8(off: number, v: number): void {
    this.wmask[off] = v;
  }

  setWmask16(off: number, v: number): void {
    this.wmask[off] = v;
    this.wmask[off + 1] = v >>> 8;
  }

  setWmask32(off: number, v: number): void {
    for (let i = 0; i < 4; i++) this.wmask[off + i] = v >>> (8 * i);
  }

  getWmask16(off: number): number {
    return this.wmask[off]! | (this.wmask[off + 1]! << 8);
  }

  setW1c16(off: number, v: number): void {
    this.w1cmask[off] = v;
    this.w1cmask[off + 1] = v >>> 8;
  }

  setW1c32(off: number, v: number): void {
    for (let i = 0; i < 4; i++) this.w1cmask[off + i] = v >>> (8 * i);
  }

  // ---- guest access --------------------------------------------------------------------

  /** A guest read of 1, 2 or 4 bytes (little endian); the caller keeps it inside the space. */
  read(off: number, width: number): number {
    const b = this.bytes;
    if (width === 4) return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
    if (width === 2) return b[off]! | (b[off + 1]! << 8);
    return b[off]!;
  }

  /** A guest write: writable bits take the value, write-1-to-clear bits clear where the value has ones. */
  write(off: number, width: number, value: number): void {
    for (let i = 0; i < width; i++) {
      const v = (value >>> (8 * i)) & 0xff;
      const wm = this.wmask[off + i]!;
      const w1c = this.w1cmask[off + i]!;
      const cur = this.bytes[off + i]!;
      this.bytes[off + i] = ((cur & ~wm) | (v & wm)) & ~(v & w1c);
    }
  }

  // ---- capability layout -------------------------------------------------------------

  /**
   * The first gap of `size` bytes at or after 0x40 that no capability uses
   * (QEMU pci_find_space); 0 when there is none.
   */
  findSpace(size: number): number {
    let offset = R.HEADER_SIZE;
    for (let i = R.HEADER_SIZE; i < R.CONFIG_SPACE_SIZE; i++) {
      if (this.used[i]) offset = i + 1;
      else if (i - offset + 1 === size) return offset;
    }
    return 0;
  }

  /** Marks a capability's bytes used (rounded to dwords) and makes them read-only. */
  claim(offset: number, size: number): void {
    const end = Math.min(R.CONFIG_SPACE_SIZE, offset + Math.ceil(size / 4) * 4);
    for (let i = offset; i < end; i++) this.used[i] = 1;
    this.wmask.fill(0, offset, offset + size);
  }
}
