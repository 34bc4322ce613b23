/**
 * The standard VGA, 00:01.0 (1234:1111, QEMU's "std" display, hw/display/
 * vga-pci.c): BAR0 is 16 MiB of prefetchable VRAM (the linear frame buffer),
 * BAR2 the 4 KiB MMIO block, plus a 64 KiB expansion ROM holding the VGA
 * BIOS (SeaVGABIOS's vgabios-stdvga.bin on QEMU). No capabilities. The VGA
 * core (vga.ts) also answers the legacy ports and the 0xa0000 window, which
 * the machine maps.
 *
 * BAR2 (QEMU PCI_VGA_*):
 *   0x000-0x0ff  EDID blob (not generated here: reads 0)
 *   0x400-0x41f  the VGA ports 0x3c0-0x3df
 *   0x500-0x515  the Bochs VBE registers, 16 bits each at index * 2
 *   0x600-0x607  QEMU extended registers: size (8), byte order (0x1e1e1e1e: little endian)
 */
import { byteRegisters, CompositeRegion, RomRegion, type RegionHandler, type Width } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import { CHIPSET } from '../catalog.js';
import { barOf, romOf } from '../common.js';
import { VBE_INDEX_NB, Vram, VgaCore } from './vga.js';

const MMIO_EDID = 0x000;
const MMIO_IOPORT = 0x400;
const MMIO_IOPORT_SIZE = 0x20;
const MMIO_BOCHS = 0x500;
const MMIO_BOCHS_SIZE = (VBE_INDEX_NB + 1) * 2;
const MMIO_QEXT = 0x600;
const QEXT_SIZE = 8;
const QEXT_LITTLE_ENDIAN = 0x1e1e_1e1e;

export interface StdVgaOptions {
  /** The VGA BIOS image served through the ROM BAR (QEMU's romfile). */
  readonly rom?: Uint8Array;
}

/** VRAM through BAR0: plain bytes the CPU may map directly once allocated (like QEMU's RAM-backed VRAM). */
export class VramRegion implements RegionHandler {
  private view: DataView | undefined;
  constructor(readonly vram: Vram) {}
  get direct(): { readonly bytes: Uint8Array; readonly writable: boolean } | undefined {
    const b = this.vram.allocated;
    return b ? { bytes: b, writable: true } : undefined;
  }
  read(off: number, width: Width): number {
    const b = this.vram.allocated;
    if (!b || off + width > b.length) return 0;
    this.view ??= new DataView(b.buffer);
    return width === 4 ? this.view.getUint32(off, true) : width === 2 ? this.view.getUint16(off, true) : b[off]!;
  }
  write(off: number, width: Width, value: number): void {
    if (off + width > this.vram.size) return;
    const b = this.vram.bytes();
    this.view ??= new DataView(b.buffer);
    if (width === 4) this.view.setUint32(off, value >>> 0, true);
    else if (width === 2) this.view.setUint16(off, value & 0xffff, true);
    else b[off] = value;
  }
}

export class StdVga extends PciFunction {
  readonly vga: VgaCore;
  readonly vram: VramRegion;
  readonly rom: RomRegion | undefined;

  constructor(opts: StdVgaOptions = {}) {
    const id = CHIPSET.vga;
    super('std-vga', id, { configSize: 256 });
    const bar0 = barOf(id, 0);
    this.vram = new VramRegion(new Vram(bar0.size));
    this.vga = new VgaCore(this.vram.vram);
    // Once VRAM exists the CPU may map the frame buffer directly.
    this.vram.vram.onAllocate = () => this.bus?.host?.memory.mapChanged();
    this.registerBar(bar0, this.vram);
    this.registerBar(barOf(id, 2), stdVgaMmio(this.vga));
    const romSpec = romOf(id);
    if (romSpec) {
      if (opts.rom && opts.rom.length > romSpec.size) throw new RangeError(`VGA BIOS of ${opts.rom.length} bytes does not fit the ${romSpec.size}-byte ROM BAR`);
      this.rom = new RomRegion(opts.rom ?? new Uint8Array(0), romSpec.size);
      this.registerBar(romSpec, this.rom);
    } else this.rom = undefined;
  }

  protected override resetDevice(): void {
    this.vga?.reset();
  }
}

/**
 * The std VGA's MMIO block (BAR2 of the std VGA, the first 4 KiB of
 * virtio-vga's BAR2): EDID (reads 0), the VGA ports 0x3c0-0x3df, the Bochs
 * VBE registers and QEMU's extended registers.
 */
export function stdVgaMmio(vga: VgaCore): CompositeRegion {
  const ioports = byteRegisters(
    (off) => vga.ports.read(0x3c0 - 0x3b0 + off, 1),
    (off, v) => vga.ports.write(0x3c0 - 0x3b0 + off, 1, v),
  );
  // 16-bit registers; a narrower access reaches the register at offset >> 1 and keeps its low bits (QEMU impl 2).
  const bochs: RegionHandler = {
    read: (off: number, width: Width) => {
      vga.vbeIndex = off >> 1;
      return vga.vbeReadData() & (width === 1 ? 0xff : 0xffff);
    },
    write: (off: number, _w: Width, value: number) => {
      vga.vbeIndex = off >> 1;
      vga.vbeWriteData(value & 0xffff);
    },
  };
  const qext: RegionHandler = {
    read: (off: number, width: Width) => (off === 0 ? QEXT_SIZE : off === 4 ? QEXT_LITTLE_ENDIAN & (width === 4 ? 0xffff_ffff : width === 2 ? 0xffff : 0xff) : 0),
    write: () => undefined,
  };
  return new CompositeRegion()
    .add(MMIO_EDID, 0x100, { read: () => 0, write: () => undefined })
    .add(MMIO_IOPORT, MMIO_IOPORT_SIZE, ioports)
    .add(MMIO_BOCHS, MMIO_BOCHS_SIZE, bochs)
    .add(MMIO_QEXT, QEXT_SIZE, qext);
}
