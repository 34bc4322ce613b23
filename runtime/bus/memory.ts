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
 * `mmio` is the PCI side of the machine (QEMU's PCI address space): BARs,
 * chipset blocks, the BIOS flash at the top of 4 GiB, and below 1 MiB the
 * VGA window and the BIOS alias. RAM wins over MMIO except where the
 * chipset overlays it (the TSEG blackhole, the RCRB): those are MMIO regions
 * with priority > 0, consulted before RAM while any is mapped. The legacy
 * window 0xa0000-0xfffff is decoded by the MCH (`legacy`), which sends each
 * access to RAM or to the PCI side.
 *
 * For the CPU's TLB, `directPage` tells which pages are plain memory (RAM,
 * ROM, read-only shadows) and `onMapChange` listeners hear of every change
 * that may alter an answer (BARs and ROM BARs mapped or moved, PAM and SMRAM
 * writes, overlays, the A20 gate).
 */
import type { DirectPage } from '../cpu/platform.js';
import { MmioSpace } from './mmio.js';
import type { GuestRam } from './ram.js';
import { allOnes, split, type RegionHandler, type Width } from './types.js';

export const LEGACY_START = 0xa_0000;
export const LEGACY_END = 0x10_0000;
export const PAGE_SIZE = 4096;

export interface MemoryLayout {
  readonly below4g: number;
  readonly above4gBase: number;
  readonly above4g: number;
}

/** What answers 0xa0000-0xfffff: the chipset's decoding of RAM and the PCI side. */
export interface LegacyDecoder extends RegionHandler {
  /** The plain memory behind the legacy page at guest-physical `page`, as for PhysicalMemory.directPage. */
  directPage(page: number): DirectPage | undefined;
}

export class PhysicalMemory {
  readonly ram: GuestRam;
  readonly mmio = new MmioSpace();
  readonly layout: MemoryLayout;
  /** What answers 0xa0000-0xfffff (set by the MCH: SMRAM and PAM decoding). */
  legacy: LegacyDecoder;
  private overlays = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(ram: GuestRam, layout: MemoryLayout) {
    this.ram = ram;
    this.layout = layout;
    this.mmio.onChange = () => this.mapChanged();
    // Until a chipset says otherwise the legacy window is plain RAM.
    const inRam = (off: number, width: number) => LEGACY_START + off + width <= layout.below4g;
    this.legacy = {
      read: (off, width) => (inRam(off, width) ? ram.read(LEGACY_START + off, width) : allOnes(width)),
      write: (off, width, value) => {
        if (inRam(off, width)) ram.write(LEGACY_START + off, width, value);
      },
      directPage: (page) => (page + PAGE_SIZE <= layout.below4g ? this.ramPage(page) : undefined),
    };
  }

  /** Maps an MMIO region that shadows RAM (priority above the RAM's 0). */
  mapOverlay(name: string, base: number, size: number, handler: RegionHandler): { unmap(): void } {
    this.overlays++;
    const r = this.mmio.map(name, base, size, handler, 1);
    return {
      unmap: () => {
        this.overlays--;
        this.mmio.unmap(r);
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

  // ---- bus-master access --------------------------------------------------------------

  /** Whether anything answers at `addr` (RAM, the legacy window, a mapped region). */
  claimed(addr: number): boolean {
    if (this.ramOffset(addr) >= 0) return true;
    if (addr >= LEGACY_START && addr < LEGACY_END) return addr < this.layout.below4g || this.mmio.find(addr) !== undefined;
    return this.mmio.find(addr) !== undefined;
  }

  /**
   * Reads `into.length` bytes at `addr` as a bus master does (DMA, fw_cfg):
   * RAM in bulk, anything else through the decoders byte by byte. False when
   * some byte has nothing behind it (QEMU's decode error); the bytes before
   * it are read.
   */
  busRead(addr: number, into: Uint8Array): boolean {
    const off = this.ramOffset(addr);
    if (off >= 0 && this.ramOffset(addr + into.length - 1) === off + into.length - 1) {
      this.ram.copyOut(off, into);
      return true;
    }
    for (let i = 0; i < into.length; i++) {
      if (!this.claimed(addr + i)) return false;
      into[i] = this.read(addr + i, 1);
    }
    return true;
  }

  /** Writes `data` at `addr` as a bus master does (see busRead); RAM writes report code pages. */
  busWrite(addr: number, data: Uint8Array): boolean {
    const off = this.ramOffset(addr);
    if (off >= 0 && this.ramOffset(addr + data.length - 1) === off + data.length - 1) {
      this.ram.copyIn(off, data);
      return true;
    }
    for (let i = 0; i < data.length; i++) {
      if (!this.claimed(addr + i)) return false;
      this.write(addr + i, 1, data[i]!);
    }
    return true;
  }

  // ---- the CPU's view: direct pages and map changes ------------------------------------

  /**
   * The plain memory behind the 4 KiB page at `page` (page-aligned), or
   * undefined when the CPU must use read/write for it (see CpuMemoryBus).
   */
  directPage(page: number): DirectPage | undefined {
    const end = page + PAGE_SIZE;
    if (this.overlays > 0) {
      const c = this.mmio.claims(page, end);
      if (c.overlay) return c.whole && c.whole.priority > 0 ? this.mmioPage(c.whole.base, c.whole.handler, page) : undefined;
    }
    if (page >= LEGACY_START && page < LEGACY_END) return this.legacy.directPage(page);
    if (this.ramOffset(page) >= 0) return this.ramPage(page);
    return this.pciPage(page);
  }

  /** A page of RAM at guest-physical `page`, writable (undefined unless the whole page is RAM; below 1 MiB whatever the chipset decodes). */
  ramPage(page: number): DirectPage | undefined {
    if (page >= LEGACY_START && page < LEGACY_END) {
      if (page + PAGE_SIZE > this.layout.below4g) return undefined;
      const bank0 = this.ram.bank(0);
      return { bytes: bank0.u8, offset: page, writable: true, bank: 0, codePages: bank0.codePages };
    }
    const off = this.ramOffset(page);
    if (off < 0 || this.ramOffset(page + PAGE_SIZE - 1) !== off + PAGE_SIZE - 1) return undefined;
    const index = Math.floor(off / this.ram.bankSize);
    const bank = this.ram.bank(index);
    return { bytes: bank.u8, offset: off - index * this.ram.bankSize, writable: true, bank: index, codePages: bank.codePages };
  }

  /** The same RAM page for reads only (a PAM segment that sends writes elsewhere). */
  readOnlyRamPage(page: number): DirectPage | undefined {
    const p = this.ramPage(page);
    return p && { ...p, writable: false };
  }

  /** What the PCI side has at `page` when it is plain memory (a ROM or ROM BAR covering the whole page). */
  pciPage(page: number): DirectPage | undefined {
    const c = this.mmio.claims(page, page + PAGE_SIZE);
    return c.whole ? this.mmioPage(c.whole.base, c.whole.handler, page) : undefined;
  }

  private mmioPage(base: number, handler: RegionHandler, page: number): DirectPage | undefined {
    const d = handler.direct;
    if (!d || page - base + PAGE_SIZE > d.bytes.length) return undefined;
    return { bytes: d.bytes, offset: page - base, writable: d.writable, bank: -1 };
  }

  /** Registers a listener for map changes (CpuMemoryBus.onMapChange). */
  onMapChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners that `directPage` answers may have changed. */
  mapChanged(): void {
    for (const l of this.listeners) l();
  }
}
