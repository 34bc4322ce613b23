/**
 * The guest-physical memory space of a Q35 machine as the CPU sees it:
 *
 *   [0, below4g)                       RAM (offset 0 of GuestRam)
 *     [0xa0000, 0xc0000)               legacy VGA window / SMRAM (MCH SMRAM register)
 *     [0xc0000, 0x100000)              expansion and BIOS areas (MCH PAM registers)
 *   [below4g, 4 GiB)                   PCI hole: ECAM, BARs, IOAPIC, HPET, LAPIC, flash
 *   [above4gBase, +above4g)            RAM (offset below4g of GuestRam)
 *   everything else                    MMIO (64-bit BARs)
 *
 * RAM wins over MMIO except where the chipset overlays it (the legacy
 * window below 1 MiB, the TSEG blackhole at the top of low RAM): those are
 * MMIO regions with priority > 0, consulted before RAM only while any is
 * mapped. The legacy window is delegated to a handler the MCH installs.
 */
import { MmioSpace } from './mmio.js';
import type { GuestRam } from './ram.js';
import { allOnes, split, type RegionHandler, type Width } from './types.js';

export const LEGACY_START = 0xa_0000;
export const LEGACY_END = 0x10_0000;

export interface MemoryLayout {
  readonly below4g: number;
  readonly above4gBase: number;
  readonly above4g: number;
}

export class PhysicalMemory {
  readonly ram: GuestRam;
  readonly mmio = new MmioSpace();
  readonly layout: MemoryLayout;
  /** What answers 0xa0000-0xfffff (set by the MCH: SMRAM and PAM decoding). */
  legacy: RegionHandler;
  private overlays = 0;

  constructor(ram: GuestRam, layout: MemoryLayout) {
    this.ram = ram;
    this.layout = layout;
    // Until a chipset says otherwise the legacy window is plain RAM.
    this.legacy = {
      read: (off, width) => (LEGACY_START + off + width <= layout.below4g ? ram.read(LEGACY_START + off, width) : allOnes(width)),
      write: (off, width, value) => {
        if (LEGACY_START + off + width <= layout.below4g) ram.write(LEGACY_START + off, width, value);
      },
    };
  }

  /** Maps an MMIO region that shadows RAM (priority above the RAM's 0). */
  mapOverlay(name: string, base: number, size: number, handler: RegionHandler): { unmap(): void } {
    const r = this.mmio.map(name, base, size, handler, 1);
    this.overlays++;
    return {
      unmap: () => {
        this.mmio.unmap(r);
        this.overlays--;
      },
    };
  }

  /** The RAM offset of a guest-physical address, or -1 when the address is not RAM. */
  ramOffset(addr: number): number {
    const l = this.layout;
    if (addr < l.below4g) return addr >= LEGACY_START && addr < LEGACY_END ? -1 : addr;
    if (addr >= l.above4gBase && addr < l.above4gBase + l.above4g) return l.below4g + (addr - l.above4gBase);
    return -1;
  }

  read(addr: number, width: Width): number {
    if (this.overlays > 0 && this.mmio.find(addr)?.priority) return this.mmio.read(addr, width);
    const off = this.ramOffset(addr);
    if (off >= 0 && this.ramOffset(addr + width - 1) === off + width - 1) return this.ram.read(off, width);
    if (addr >= LEGACY_START && addr + width <= LEGACY_END) return this.legacy.read(addr - LEGACY_START, width) >>> 0;
    if (off >= 0 || this.ramOffset(addr + width - 1) >= 0 || (addr < LEGACY_END && addr + width > LEGACY_START)) return split.readBytes(this, addr, width);
    return this.mmio.read(addr, width);
  }

  write(addr: number, width: Width, value: number): void {
    if (this.overlays > 0 && this.mmio.find(addr)?.priority) return this.mmio.write(addr, width, value);
    const off = this.ramOffset(addr);
    if (off >= 0 && this.ramOffset(addr + width - 1) === off + width - 1) return this.ram.write(off, width, value);
    if (addr >= LEGACY_START && addr + width <= LEGACY_END) return this.legacy.write(addr - LEGACY_START, width, value >>> 0);
    if (off >= 0 || this.ramOffset(addr + width - 1) >= 0 || (addr < LEGACY_END && addr + width > LEGACY_START)) return split.writeBytes(this, addr, width, value);
    this.mmio.write(addr, width, value);
  }

  /** An 8-byte read, as two 4-byte reads (low dword first). */
  read64(addr: number): bigint {
    return split.read64(this, addr);
  }

  write64(addr: number, value: bigint): void {
    split.write64(this, addr, value);
  }
}
