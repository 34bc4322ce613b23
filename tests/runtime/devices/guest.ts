/**
 * What the in-test drivers share: a guest's view of one machine without a
 * CPU. Memory is read and written through the machine's physical memory
 * space (as the CPU would), devices are programmed through their config
 * space and BARs, and a bump allocator hands out guest RAM the way
 * firmware's malloc does.
 */
import type { PciFunction, Q35Machine } from '../../../runtime/index.js';
import * as R from '../../../runtime/pci/registers.js';

export class GuestView {
  private next: number;

  constructor(
    readonly m: Q35Machine,
    /** Where allocations start (below the 512 MiB of the test machines). */
    heap = 0x0100_0000,
  ) {
    this.next = heap;
  }

  /** Allocates `size` bytes aligned to `align`, zeroed. */
  alloc(size: number, align = 16): number {
    const at = Math.ceil(this.next / align) * align;
    this.next = at + size;
    this.write(at, new Uint8Array(size));
    return at;
  }

  read(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const off = this.m.memory.ramOffset(addr);
    if (off >= 0 && length > 0 && this.m.memory.ramOffset(addr + length - 1) === off + length - 1) this.m.ram.copyOut(off, out);
    else for (let i = 0; i < length; i++) out[i] = this.m.memory.read(addr + i, 1);
    return out;
  }

  write(addr: number, data: Uint8Array): void {
    const off = this.m.memory.ramOffset(addr);
    if (off >= 0 && data.length > 0 && this.m.memory.ramOffset(addr + data.length - 1) === off + data.length - 1) this.m.ram.copyIn(off, data);
    else for (let i = 0; i < data.length; i++) this.m.memory.write(addr + i, 1, data[i]!);
  }

  r8(addr: number): number {
    return this.m.memory.read(addr, 1);
  }
  r16(addr: number): number {
    return this.m.memory.read(addr, 2);
  }
  r32(addr: number): number {
    return this.m.memory.read(addr, 4) >>> 0;
  }
  w8(addr: number, v: number): void {
    this.m.memory.write(addr, 1, v);
  }
  w16(addr: number, v: number): void {
    this.m.memory.write(addr, 2, v);
  }
  w32(addr: number, v: number): void {
    this.m.memory.write(addr, 4, v >>> 0);
  }
  w64(addr: number, v: number): void {
    this.w32(addr, v % 2 ** 32);
    this.w32(addr + 4, Math.floor(v / 2 ** 32));
  }
}

/** Programs BAR `index` of `f` (a 64-bit BAR takes two registers) and turns on decoding and bus mastering. */
export function mapBar(f: PciFunction, index: number, address: number, opts: { io?: boolean; mem64?: boolean; master?: boolean } = {}): void {
  const off = R.BAR0 + 4 * index;
  f.configWrite(off, 4, address % 2 ** 32);
  if (opts.mem64) f.configWrite(off + 4, 4, Math.floor(address / 2 ** 32));
  const cmd = f.configRead(R.COMMAND, 2);
  f.configWrite(R.COMMAND, 2, cmd | (opts.io ? R.CMD_IO : R.CMD_MEMORY) | (opts.master === false ? 0 : R.CMD_MASTER));
}

/** Collects interrupt messages the machine's root complex delivers. */
export function captureMsi(m: Q35Machine): { address: number; data: number; rid: number }[] {
  const out: { address: number; data: number; rid: number }[] = [];
  m.pci.dma.msi = (address, data, rid) => out.push({ address, data, rid });
  return out;
}

/** Where two byte arrays first differ (-1 when equal; the shorter length when one is a prefix): cheap to assert on large buffers. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
