/**
 * Guest RAM: ArrayBuffers with typed-array views, one per 4 GiB bank (V8
 * byte arrays stop at 4 GiB, and machines go up to terabytes). A machine
 * with up to 4 GiB of RAM has exactly one buffer. Banks are allocated on
 * the first write, so a 64 GiB machine that touches little costs little;
 * reading an untouched bank gives zeros, as fresh RAM does.
 *
 * The fast path a CPU translator inlines: bank 0's `u32[off >>> 2]` for an
 * aligned dword below 4 GiB of RAM; the other banks through the CPU's TLB
 * entries too, one call away. Offsets are into RAM (below-4G RAM first, then above-4G
 * RAM); PhysicalMemory maps guest-physical addresses to them.
 *
 * Pages are also named by bank: bank index x BANK_PAGES + page in the bank
 * (the CPU's code keys and `onCodeWrite` use this). With 4 GiB banks that is
 * the RAM page number; a smaller bank size (for tests of the multi-bank
 * paths without gigabytes of memory) leaves gaps between banks.
 */
import type { Width } from './types.js';

export const BANK_SHIFT = 32;
export const BANK_SIZE = 2 ** BANK_SHIFT;
export const BANK_MASK = BANK_SIZE - 1;
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** 4 KiB pages in a full bank: the stride of bank indexes in bank page numbers. */
export const BANK_PAGES = BANK_SIZE / PAGE_SIZE;

export class RamBank {
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly view: DataView;
  /** One byte per 4 KiB page: nonzero while a CPU holds code translated from the page. */
  readonly codePages: Uint8Array;

  constructor(size: number) {
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer, 0, Math.floor(size / 2));
    this.u32 = new Uint32Array(this.buffer, 0, Math.floor(size / 4));
    this.view = new DataView(this.buffer);
    this.codePages = new Uint8Array(Math.ceil(size / PAGE_SIZE));
  }
}

export class GuestRam {
  readonly size: number;
  /** Bytes per bank: BANK_SIZE, or a smaller power of two given for tests. */
  readonly bankSize: number;
  /** Banks by index; undefined until first written. */
  readonly banks: (RamBank | undefined)[];
  /** Called with the bank page number (see above) of every write to a page marked in its bank's `codePages`. */
  onCodeWrite: ((page: number) => void) | undefined;

  constructor(size: number, bankSize = BANK_SIZE) {
    if (!Number.isSafeInteger(size) || size < 0 || size % 4096 !== 0) throw new RangeError(`RAM size must be a whole number of 4 KiB pages, not ${size}`);
    if (!(bankSize >= PAGE_SIZE && bankSize <= BANK_SIZE && Number.isInteger(Math.log2(bankSize)))) throw new RangeError(`RAM bank size must be a power of two from 4 KiB to 4 GiB, not ${bankSize}`);
    this.size = size;
    this.bankSize = bankSize;
    this.banks = new Array<RamBank | undefined>(Math.ceil(size / bankSize)).fill(undefined);
  }

  /** The bank of index `index`, allocated if needed. */
  bank(index: number): RamBank {
    let b = this.banks[index];
    if (!b) {
      b = new RamBank(Math.min(this.bankSize, this.size - index * this.bankSize));
      this.banks[index] = b;
    }
    return b;
  }

  /** Reads `width` bytes at RAM offset `off` (little endian); the access must lie inside RAM. */
  read(off: number, width: Width): number {
    const index = Math.floor(off / this.bankSize);
    const b = this.banks[index];
    const o = off - index * this.bankSize;
    if (o + width > this.bankSize) return this.readSplit(off, width);
    if (!b) return 0;
    if (width === 4) return (o & 3) === 0 ? b.u32[o >>> 2]! : b.view.getUint32(o, true);
    if (width === 2) return (o & 1) === 0 ? b.u16[o >>> 1]! : b.view.getUint16(o, true);
    return b.u8[o]!;
  }

  write(off: number, width: Width, value: number): void {
    const index = Math.floor(off / this.bankSize);
    const o = off - index * this.bankSize;
    if (o + width > this.bankSize) return this.writeSplit(off, width, value);
    const b = this.bank(index);
    if (b.codePages[o >>> PAGE_SHIFT]! !== 0 || b.codePages[(o + width - 1) >>> PAGE_SHIFT]! !== 0) this.codeWritten(off, width);
    if (width === 4) {
      if ((o & 3) === 0) b.u32[o >>> 2] = value;
      else b.view.setUint32(o, value >>> 0, true);
    } else if (width === 2) {
      if ((o & 1) === 0) b.u16[o >>> 1] = value;
      else b.view.setUint16(o, value & 0xffff, true);
    } else b.u8[o] = value;
  }

  /** Copies bytes out of RAM (for loaders and tests). */
  readBytes(off: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.copyOut(off, out);
    return out;
  }

  writeBytes(off: number, data: Uint8Array): void {
    this.copyIn(off, data);
  }

  /** Fills `into` from RAM at `off` (bank by bank); the range must lie inside RAM. */
  copyOut(off: number, into: Uint8Array): void {
    this.checkRange(off, into.length);
    let done = 0;
    while (done < into.length) {
      const at = off + done;
      const index = Math.floor(at / this.bankSize);
      const o = at - index * this.bankSize;
      const n = Math.min(into.length - done, this.bankSize - o);
      const b = this.banks[index];
      if (b) into.set(b.u8.subarray(o, o + n), done);
      else into.fill(0, done, done + n);
      done += n;
    }
  }

  /** Copies `data` into RAM at `off` (bank by bank), reporting writes to code pages; the range must lie inside RAM. */
  copyIn(off: number, data: Uint8Array): void {
    this.checkRange(off, data.length);
    let done = 0;
    while (done < data.length) {
      const at = off + done;
      const index = Math.floor(at / this.bankSize);
      const o = at - index * this.bankSize;
      const n = Math.min(data.length - done, this.bankSize - o);
      const b = this.bank(index);
      for (let p = o >>> PAGE_SHIFT, last = (o + n - 1) >>> PAGE_SHIFT; p <= last; p++) {
        if (b.codePages[p]! !== 0) this.onCodeWrite?.(index * BANK_PAGES + p);
      }
      b.u8.set(data.subarray(done, done + n), o);
      done += n;
    }
  }

  private checkRange(off: number, length: number): void {
    if (!(off >= 0 && off + length <= this.size)) throw new RangeError(`RAM access [0x${off.toString(16)}, +0x${length.toString(16)}) outside ${this.size} bytes of RAM`);
  }

  /** Reports the marked pages an access of `width` bytes at `off` touches. */
  private codeWritten(off: number, width: number): void {
    const first = Math.floor(off / PAGE_SIZE);
    const last = Math.floor((off + width - 1) / PAGE_SIZE);
    const pages = this.bankSize / PAGE_SIZE;
    for (let p = first; p <= last; p++) {
      const index = Math.floor(p / pages);
      const b = this.banks[index];
      if (b && b.codePages[p % pages]! !== 0) this.onCodeWrite?.(index * BANK_PAGES + (p % pages));
    }
  }

  private readSplit(off: number, width: Width): number {
    let v = 0;
    for (let i = 0; i < width; i++) v |= this.read(off + i, 1) << (8 * i);
    return v >>> 0;
  }

  private writeSplit(off: number, width: Width, value: number): void {
    for (let i = 0; i < width; i++) this.write(off + i, 1, (value >>> (8 * i)) & 0xff);
  }
}
