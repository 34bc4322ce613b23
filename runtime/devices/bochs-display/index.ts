/**
 * QEMU's bochs-display (1234:1111, class "other display" 0x0380, rev 2,
 * hw/display/bochs-display.c): a display without VGA compatibility. BAR0 is
 * 16 MiB of prefetchable VRAM (the frame buffer), BAR2 4 KiB of MMIO, and a
 * 32 KiB expansion ROM for the VGA BIOS QEMU gives it
 * (vgabios-bochs-display.bin). On a PCI Express bus it has a version 2
 * PCIe capability at 0x80 (a root-complex integrated endpoint on pcie.0)
 * and 4 KiB of config space; on conventional PCI none and 256 bytes.
 *
 * BAR2 (QEMU PCI_VGA_*):
 *   0x000-0x3ff  EDID blob (not generated here: reads 0)
 *   0x500-0x515  the Bochs VBE "DISPI" registers, 16 bits each at index * 2:
 *                plain storage (no VGA behind them), ID reads 0xB0C5 after
 *                reset, index 0xa the VRAM size in 64 KiB units
 *   0x600-0x607  QEMU extended registers: size (8), byte order (little endian)
 */
import { CompositeRegion, ZERO_REGION, type RegionHandler, type Width } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import type { BusKind } from '../catalog.js';
import { barOf, catalogIdentity, endpointType, LazyMemory, romOf } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';
import { VBE_DISPI_ID5, VBE_INDEX_ID, VBE_INDEX_NB } from '../std-vga/vga.js';

const MMIO_EDID = 0x000;
const MMIO_EDID_SIZE = 0x400;
const MMIO_VBE = 0x500;
const MMIO_VBE_SIZE = (VBE_INDEX_NB + 1) * 2;
const MMIO_QEXT = 0x600;
const QEXT_SIZE = 8;
const QEXT_LITTLE_ENDIAN = 0x1e1e_1e1e;
const EXP_OFFSET = 0x80;

export interface BochsDisplayParams {
  readonly bus: BusKind;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

export class BochsDisplay extends PciFunction {
  /** The frame buffer behind BAR0 (allocated on the first write). */
  readonly vram: LazyMemory;
  /** The VBE DISPI registers (index 0-9). */
  readonly vbe = new Uint16Array(VBE_INDEX_NB);

  constructor(params: BochsDisplayParams) {
    const id = catalogIdentity('bochs-display', params.bus);
    super('bochs-display', id, { configSize: id.pcie ? 4096 : 256, multifunction: params.multifunction });
    const compat = params.compat ?? DEFAULT_COMPAT;
    if (id.pcie) this.addCapability(new PcieCapability({ version: 2, type: endpointType(params.bus), extTag: compat.pcieExtTag }), EXP_OFFSET);
    const bar0 = barOf(id, 0);
    this.vram = new LazyMemory(bar0.size);
    this.registerBar(bar0, this.vram);
    this.registerBar(barOf(id, 2), this.mmio());
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
    this.resetDevice();
  }

  protected override resetDevice(): void {
    this.vbe?.fill(0);
    if (this.vbe) this.vbe[VBE_INDEX_ID] = VBE_DISPI_ID5;
  }

  private mmio(): RegionHandler {
    const vbe: RegionHandler = {
      read: (off: number, width: Width) => {
        const i = off >> 1;
        // The region ends after index 0xa (VIDEO_MEMORY_64K), as QEMU's does.
        const v = i < VBE_INDEX_NB ? this.vbe[i]! : this.vram.size >>> 16;
        return v & (width === 1 ? 0xff : 0xffff);
      },
      write: (off: number, _w: Width, value: number) => {
        const i = off >> 1;
        if (i < VBE_INDEX_NB) this.vbe[i] = value & 0xffff;
      },
    };
    const qext: RegionHandler = {
      read: (off: number, width: Width) => (off === 0 ? QEXT_SIZE : off === 4 ? QEXT_LITTLE_ENDIAN & (width === 4 ? 0xffff_ffff : width === 2 ? 0xffff : 0xff) : 0),
      write: () => undefined,
    };
    return new CompositeRegion()
      .add(MMIO_EDID, MMIO_EDID_SIZE, { read: () => 0, write: () => undefined })
      .add(MMIO_VBE, MMIO_VBE_SIZE, vbe)
      .add(MMIO_QEXT, QEXT_SIZE, qext);
  }
}
