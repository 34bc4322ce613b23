/**
 * The standard VGA, 00:01.0 (1234:1111, QEMU's "std" display): BAR0 is
 * 16 MiB of prefetchable VRAM, BAR2 the 4 KiB MMIO block (EDID, VGA
 * ioports, Bochs DISPI, QEMU extended registers), plus a 64 KiB expansion
 * ROM. No capabilities. VRAM behaves as memory; the MMIO block and the ROM
 * read zeros (their contents are not modelled).
 */
import { ZERO_REGION } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import { CHIPSET } from '../catalog.js';
import { barOf, LazyMemory, romOf } from '../common.js';

export class StdVga extends PciFunction {
  readonly vram: LazyMemory;

  constructor() {
    const id = CHIPSET.vga;
    super('std-vga', id, { configSize: 256 });
    const bar0 = barOf(id, 0);
    this.vram = new LazyMemory(bar0.size);
    this.registerBar(bar0, this.vram);
    this.registerBar(barOf(id, 2), ZERO_REGION);
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
  }
}
