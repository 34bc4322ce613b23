/**
 * QEMU's qemu-xhci (1b36:000d, rev 1, class USB xHCI 0x0c0330,
 * hw/usb/hcd-xhci-pci.c): the USB 3 host controller's PCI function and
 * register file. BAR0 is 16 KiB of 64-bit memory: capability registers at
 * 0x0000 (with the two Supported Protocol capabilities: USB 3 on ports 1-4,
 * USB 2 on ports 5-8), operational registers at 0x0040 (eight port register
 * sets from 0x0440), runtime registers at 0x1000, doorbells at 0x2000, the
 * MSI-X table (16 vectors) at 0x3000 and its PBA at 0x3800. MSI-X at 0x90
 * and, on a PCI Express bus, a PCIe capability at 0xa0 (a root-complex
 * integrated endpoint on pcie.0); SBRN 0x30 (USB 3.0) at 0x60.
 *
 * What runs: the registers as a driver reads and writes them (Run/Stop and
 * HCHalted, Host Controller Reset, Controller Not Ready clear, the command
 * ring, context and event ring pointers held), and every port powered with
 * nothing connected. The USB devices of the machine file (usb-tablet,
 * usb-kbd, usb-storage) are placed by the compiler and given to QEMU; the
 * runtime does not model USB transfers, so its controller finds no device,
 * as SeaBIOS reports for an empty controller ("XHCI no devices found").
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import { MsixCapability } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import type { BusKind } from '../catalog.js';
import { barOf, catalogIdentity, endpointType } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

const MSIX_OFFSET = 0x90;
const EXP_OFFSET = 0xa0;
const SBRN = 0x60;

/** QEMU's qemu-xhci defaults (XHCI_MAXPORTS_2/3, XHCI_MAXINTRS, XHCI_MAXSLOTS). */
export const XHCI_PORTS_USB2 = 4;
export const XHCI_PORTS_USB3 = 4;
export const XHCI_INTERRUPTERS = 16;
export const XHCI_SLOTS = 64;

/** Register block offsets in BAR0 (QEMU's LEN_CAP, OFF_OPER, OFF_RUNTIME, OFF_DOORBELL, OFF_MSIX_TABLE, OFF_MSIX_PBA). */
export const XHCI = { CAP_LENGTH: 0x40, OPER: 0x40, PORTS: 0x440, RUNTIME: 0x1000, DOORBELL: 0x2000, MSIX_TABLE: 0x3000, MSIX_PBA: 0x3800 } as const;
/** Operational register offsets (xHCI 1.2 §5.4). */
export const OP = { USBCMD: 0x00, USBSTS: 0x04, PAGESIZE: 0x08, DNCTRL: 0x14, CRCR: 0x18, DCBAAP: 0x30, CONFIG: 0x38 } as const;
export const USBCMD_RS = 1 << 0;
export const USBCMD_HCRST = 1 << 1;
export const USBSTS_HCH = 1 << 0;
/** Write-1-to-clear status bits: HSE, EINT, PCD, SRE. */
const USBSTS_W1C = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 10);
export const PORTSC_PP = 1 << 9;
/** Write-1-to-clear change bits of PORTSC (CSC, PEC, WRC, OCC, PRC, PLC, CEC). */
const PORTSC_CHANGES = 0x00fe_0000;
const CRCR_CRR = 1 << 3;

/** The capability registers as QEMU 7.2 answers them (xhci_cap_read), by dword. */
function capabilityDword(reg: number): number {
  switch (reg) {
    case 0x00: return 0x0100_0000 | XHCI.CAP_LENGTH; // HCIVERSION 1.0, CAPLENGTH
    case 0x04: return ((XHCI_PORTS_USB2 + XHCI_PORTS_USB3) << 24) | (XHCI_INTERRUPTERS << 8) | XHCI_SLOTS; // HCSPARAMS1
    case 0x08: return 0x0000_000f; // HCSPARAMS2: IST
    case 0x10: return 0x0008_0001 | (7 << 12); // HCCPARAMS1: AC64, MaxPSASize 7, xECP at 0x20
    case 0x14: return XHCI.DOORBELL;
    case 0x18: return XHCI.RUNTIME;
    case 0x20: return 0x0200_0402; // Supported Protocol: USB 2.0, next capability 4 dwords on
    case 0x24: return 0x2042_5355; // "USB "
    case 0x28: return (XHCI_PORTS_USB2 << 8) | (XHCI_PORTS_USB3 + 1); // ports 5-8
    case 0x30: return 0x0300_0002; // Supported Protocol: USB 3.0, last
    case 0x34: return 0x2042_5355;
    case 0x38: return (XHCI_PORTS_USB3 << 8) | 1; // ports 1-4
    default: return 0;
  }
}

/** Bytes `width` of a little-endian dword read at byte `off`. */
function slice(dword: number, off: number, width: Width): number {
  const v = dword >>> (8 * (off & 3));
  return width === 4 ? v >>> 0 : width === 2 ? v & 0xffff : v & 0xff;
}

export interface XhciParams {
  readonly bus: BusKind;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

export class QemuXhci extends PciFunction {
  readonly msix: MsixCapability;
  usbcmd = 0;
  usbsts = USBSTS_HCH;
  private dnctrl = 0;
  private crcr = [0, 0];
  private dcbaap = [0, 0];
  private configReg = 0;
  readonly portsc = new Uint32Array(XHCI_PORTS_USB2 + XHCI_PORTS_USB3);
  /** Interrupter registers (IMAN, IMOD, ERSTSZ, -, ERSTBA lo/hi, ERDP lo/hi) per interrupter. */
  private readonly interrupters = new Uint32Array(XHCI_INTERRUPTERS * 8);

  constructor(params: XhciParams) {
    const id = catalogIdentity('qemu-xhci', params.bus);
    super('qemu-xhci', id, { configSize: id.pcie ? 4096 : 256, multifunction: params.multifunction });
    const compat = params.compat ?? DEFAULT_COMPAT;
    if (id.pcie) this.addCapability(new PcieCapability({ version: 2, type: endpointType(params.bus), extTag: compat.pcieExtTag }), EXP_OFFSET);
    this.msix = this.addCapability(
      new MsixCapability({ vectors: XHCI_INTERRUPTERS, tableBar: 0, tableOffset: XHCI.MSIX_TABLE, pbaBar: 0, pbaOffset: XHCI.MSIX_PBA }),
      MSIX_OFFSET,
    );
    this.config.set8(SBRN, 0x30);
    const msix = this.msix.barRegion();
    const registers = this.registers();
    this.registerBar(barOf(id, 0), {
      read: (off, w) => (off >= XHCI.MSIX_TABLE ? msix.read(off, w) : registers.read(off, w)),
      write: (off, w, v) => (off >= XHCI.MSIX_TABLE ? msix.write(off, w, v) : registers.write(off, w, v)),
    });
    this.resetDevice();
  }

  protected override resetDevice(): void {
    // xhci_reset: halted, every pointer cleared, ports powered with nothing attached.
    this.usbcmd = 0;
    this.usbsts = USBSTS_HCH;
    this.dnctrl = 0;
    this.crcr = [0, 0];
    this.dcbaap = [0, 0];
    this.configReg = 0;
    this.portsc?.fill(PORTSC_PP);
    this.interrupters?.fill(0);
  }

  private registers(): RegionHandler {
    return {
      read: (off: number, width: Width) => slice(this.readDword(off & ~3), off, width),
      write: (off: number, width: Width, value: number) => {
        // Narrower writes merge into the dword (drivers write these registers as dwords).
        const at = off & ~3;
        const shift = 8 * (off & 3);
        const mask = (width === 4 ? 0xffff_ffff : width === 2 ? 0xffff : 0xff) << shift;
        const old = this.readDword(at);
        this.writeDword(at, ((old & ~mask) | ((value << shift) & mask)) >>> 0, mask >>> 0);
      },
    };
  }

  private readDword(off: number): number {
    if (off < XHCI.CAP_LENGTH) return capabilityDword(off);
    if (off >= XHCI.PORTS && off < XHCI.PORTS + 0x10 * this.portsc.length) return (off - XHCI.PORTS) % 0x10 === 0 ? this.portsc[(off - XHCI.PORTS) >> 4]! : 0;
    if (off >= XHCI.RUNTIME + 0x20 && off < XHCI.RUNTIME + 0x20 + this.interrupters.length * 4) return this.interrupters[(off - XHCI.RUNTIME - 0x20) >> 2]!;
    switch (off - XHCI.OPER) {
      case OP.USBCMD: return this.usbcmd;
      case OP.USBSTS: return this.usbsts;
      case OP.PAGESIZE: return 1; // 4 KiB pages
      case OP.DNCTRL: return this.dnctrl;
      // CRCR reads as zero but for Command Ring Running (xHCI 1.2 §5.4.5).
      case OP.CRCR: return this.crcr[0]! & CRCR_CRR;
      case OP.CRCR + 4: return 0;
      case OP.DCBAAP: return this.dcbaap[0]!;
      case OP.DCBAAP + 4: return this.dcbaap[1]!;
      case OP.CONFIG: return this.configReg;
      default: return 0;
    }
  }

  private writeDword(off: number, value: number, mask: number): void {
    if (off < XHCI.CAP_LENGTH || off >= XHCI.DOORBELL) return;
    if (off >= XHCI.PORTS && off < XHCI.PORTS + 0x10 * this.portsc.length) {
      // PORTSC: the change bits are write-1-to-clear; with nothing connected nothing else changes.
      const i = (off - XHCI.PORTS) >> 4;
      if ((off - XHCI.PORTS) % 0x10 === 0) this.portsc[i] = this.portsc[i]! & ~(value & mask & PORTSC_CHANGES);
      return;
    }
    if (off >= XHCI.RUNTIME + 0x20 && off < XHCI.RUNTIME + 0x20 + this.interrupters.length * 4) {
      this.interrupters[(off - XHCI.RUNTIME - 0x20) >> 2] = value;
      return;
    }
    switch (off - XHCI.OPER) {
      case OP.USBCMD:
        if (value & USBCMD_HCRST) {
          this.resetDevice();
          return;
        }
        this.usbcmd = value & 0x0000_3f0f;
        // Run/Stop decides HCHalted at once.
        this.usbsts = value & USBCMD_RS ? this.usbsts & ~USBSTS_HCH : this.usbsts | USBSTS_HCH;
        return;
      case OP.USBSTS:
        this.usbsts &= ~(value & mask & USBSTS_W1C);
        return;
      case OP.DNCTRL:
        this.dnctrl = value & 0xffff;
        return;
      case OP.CRCR:
        this.crcr[0] = value & ~CRCR_CRR;
        return;
      case OP.CRCR + 4:
        this.crcr[1] = value;
        return;
      case OP.DCBAAP:
        this.dcbaap[0] = value & ~0x3f;
        return;
      case OP.DCBAAP + 4:
        this.dcbaap[1] = value;
        return;
      case OP.CONFIG:
        this.configReg = value & 0xff;
        return;
    }
  }
}
