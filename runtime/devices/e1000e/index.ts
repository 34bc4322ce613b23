/**
 * Intel 82574L, e1000e (8086:10d3, subsystem 8086:0000): BAR0 128 KiB
 * registers, BAR1 128 KiB flash, BAR2 32-byte IO (IOADDR/IODATA), BAR3
 * 16 KiB MSI-X (5 vectors: table at 0, PBA at 0x2000), 256 KiB option ROM.
 * Capabilities as QEMU 7.2 adds them (chain: PM 0xc8, MSI 0xd0, PCIe v1
 * 0xe0, MSI-X 0xa0); AER at 0x100 and the Device Serial Number at 0x140,
 * made from the MAC address. The MAC's registers and data path are in
 * core.ts; BAR2 reaches them indirectly (IOADDR at 0, IODATA at 4,
 * §10.2.1); the flash BAR reads zeros, as QEMU's dummy region does (the
 * BARs and the wiring to the MAC: ../intel-nic/function.ts).
 */
import { ZERO_REGION } from '../../bus/types.js';
import { MsiCapability, type MsixCapability } from '../../pci/caps.js';
import { AerCapability, DsnCapability } from '../../pci/ext-caps.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import type { BusKind } from '../catalog.js';
import { catalogIdentity, endpointType, macBytes, romOf } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';
import { IntelNicFunction, nicPmCapability } from '../intel-nic/function.js';
import { E1000eCore } from './core.js';

export interface E1000eParams {
  /** The kind of bus it sits on (an endpoint on pcie.0 is root-complex integrated). */
  readonly bus: BusKind;
  readonly mac?: string;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

const MSIX_VECTORS = 5;

export class E1000e extends IntelNicFunction {
  readonly msix: MsixCapability;
  readonly msi: MsiCapability;
  readonly core: E1000eCore;

  constructor(params: E1000eParams) {
    const id = catalogIdentity('e1000e', params.bus);
    super('e1000e', id, { configSize: 4096, multifunction: params.multifunction });
    const compat = params.compat ?? DEFAULT_COMPAT;
    const mac = macBytes(params.mac ?? '52:54:00:12:34:56');
    this.core = new E1000eCore(this.macHost(), mac, id.deviceId);
    this.registerMacBars(id, this.core);
    this.msix = this.addMsixTable(id, MSIX_VECTORS, 0xa0);
    this.addCapability(new PcieCapability({ version: 1, type: endpointType(params.bus), extTag: compat.pcieExtTag }), 0xe0);
    this.msi = this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), 0xd0);
    this.addCapability(nicPmCapability(), 0xc8);
    this.addExtCapability(new AerCapability({ multiHeader: false, uncMask: compat.aerUncMask }), 0x100);
    this.addExtCapability(new DsnCapability(e1000eSerial(mac)), 0x140);
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
  }
}

/** QEMU's e1000e serial number: the MAC with ff:ff in the middle (EUI-48 to EUI-64). */
export function e1000eSerial(mac: readonly number[]): bigint {
  const b = mac.map(BigInt);
  return (b[0]! << 56n) | (b[1]! << 48n) | (b[2]! << 40n) | (0xffn << 32n) | (0xffn << 24n) | (b[3]! << 16n) | (b[4]! << 8n) | b[5]!;
}
