/**
 * QEMU's ich9-intel-hda (8086:293e, rev 3, class HD Audio 0x0403,
 * hw/audio/intel-hda.c): the Intel HD Audio controller as a conventional PCI
 * function. BAR0 is 16 KiB of memory; config space has HDCTL 0x01 at 0x40
 * and an MSI capability (one vector, 64-bit) at 0x60.
 *
 * What runs: the global registers a driver starts with (HD Audio 1.0a
 * §3.3): GCAP (4 output, 4 input streams, 64-bit), the version, GCTL with
 * its controller reset (CRST): leaving reset reports the machine file's
 * codecs in STATESTS (write 1 to clear), and the interrupt, CORB/RIRB and
 * stream registers held as written. Codec verbs and audio streams are not
 * modelled: QEMU plays to a silent backend in the machines machc describes.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import { MsiCapability } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import type { BusKind } from '../catalog.js';
import { barOf, catalogIdentity } from '../common.js';

const MSI_OFFSET = 0x60;
const HDCTL = 0x40;

/** Global register offsets in BAR0 (HD Audio 1.0a §3.3). */
export const HDA = { GCAP: 0x00, VMIN: 0x02, VMAJ: 0x03, OUTPAY: 0x04, INPAY: 0x06, GCTL: 0x08, WAKEEN: 0x0c, STATESTS: 0x0e } as const;
export const GCTL_CRST = 1 << 0;
/** QEMU's GCAP: 4 output streams, 4 input streams, no bidirectional ones, 64-bit addressing. */
export const HDA_GCAP = 0x4401;
const REGISTERS = 0x200;

export interface IntelHdaParams {
  readonly bus: BusKind;
  readonly multifunction?: boolean;
  /** Codec addresses (cad) on the link. */
  readonly codecs?: readonly number[];
}

export class IntelHda extends PciFunction {
  private readonly regs = new Uint8Array(REGISTERS);
  private readonly view = new DataView(this.regs.buffer);
  private readonly codecMask: number;

  constructor(params: IntelHdaParams) {
    const id = catalogIdentity('ich9-intel-hda', params.bus);
    super('ich9-intel-hda', id, { configSize: 256, multifunction: params.multifunction });
    this.codecMask = (params.codecs ?? []).reduce((m, c) => m | (1 << c), 0);
    this.config.set8(HDCTL, 0x01);
    this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), MSI_OFFSET);
    this.registerBar(barOf(id, 0), this.registers());
    this.resetDevice();
  }

  protected override resetDevice(): void {
    if (!this.regs) return;
    this.regs.fill(0);
    this.view.setUint16(HDA.GCAP, HDA_GCAP, true);
    this.regs[HDA.VMAJ] = 1;
    this.view.setUint16(HDA.OUTPAY, 0x3c, true);
    this.view.setUint16(HDA.INPAY, 0x1d, true);
  }

  private registers(): RegionHandler {
    const read = (off: number, width: Width): number => {
      if (off + width > REGISTERS) return 0;
      return width === 4 ? this.view.getUint32(off, true) : width === 2 ? this.view.getUint16(off, true) : this.regs[off]!;
    };
    return {
      read,
      write: (off: number, width: Width, value: number) => {
        if (off + width > REGISTERS || off < HDA.GCTL) return; // GCAP, the version and the payloads are read-only
        for (let i = 0; i < width; i++) this.writeByte(off + i, (value >>> (8 * i)) & 0xff);
      },
    };
  }

  private writeByte(at: number, v: number): void {
    if (at === HDA.STATESTS || at === HDA.STATESTS + 1) {
      this.regs[at] = this.regs[at]! & ~v; // write 1 to clear
      return;
    }
    if (at === HDA.GCTL) {
      const wasReset = (this.regs[at]! & GCTL_CRST) === 0;
      if (!(v & GCTL_CRST)) {
        // Entering reset clears the controller's registers (the global ones but GCTL keep their values).
        this.resetDevice();
        return;
      }
      this.regs[at] = v & 0x03;
      // Leaving reset: every codec on the link asks for an address (STATESTS SDIWAKE bits).
      if (wasReset) this.view.setUint16(HDA.STATESTS, this.codecMask, true);
      return;
    }
    this.regs[at] = v;
  }
}
