/**
 * QEMU's PCIe-to-PCI bridge, pcie-pci-bridge (1b36:000e): a conventional
 * PCI bus behind a PCIe function. BAR0 (64-bit, 256 bytes) holds the SHPC
 * registers. The chain as QEMU 7.2 builds it: SHPC at 0x40, the PCIe
 * capability (PCI Express to PCI bridge, ARI forwarding) at 0x48, PM at
 * 0x84, MSI (64-bit, per-vector mask) at 0x8c; AER at 0x100. Status keeps
 * the conventional 66 MHz and fast back-to-back bits; windows are zero at
 * reset.
 */
import { PciBridge } from '../../pci/bridge.js';
import { MsiCapability, PmCapability } from '../../pci/caps.js';
import { AerCapability } from '../../pci/ext-caps.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import { ShpcCapability, ShpcRegisters } from '../../pci/shpc.js';
import { barOf, catalogIdentity } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

export interface PciePciBridgeParams {
  readonly busName: string;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

export class PciePciBridge extends PciBridge {
  readonly shpc: ShpcRegisters;

  constructor(params: PciePciBridgeParams) {
    const id = catalogIdentity('pcie-pci-bridge', 'pcie-link');
    super('pcie-pci-bridge', id, { configSize: 4096, multifunction: params.multifunction, secondaryKind: 'pci', busName: params.busName });
    this.shpc = new ShpcRegisters(this.secondary);
    this.addCapability(new ShpcCapability(this.shpc));
    const compat = params.compat ?? DEFAULT_COMPAT;
    this.addCapability(new PcieCapability({ version: 2, type: R.EXP_TYPE_PCI_BRIDGE, ariForwarding: true, deverr: true, extTag: compat.pcieExtTag }));
    this.addCapability(new PmCapability({ pmc: R.PM_CAP_VER_1_2 }));
    this.addExtCapability(new AerCapability({ multiHeader: false, uncMask: compat.aerUncMask }), 0x100);
    this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: true }));
    this.registerBar(barOf(id, 0), this.shpc);
  }
}
