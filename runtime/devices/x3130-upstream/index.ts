/**
 * The TI XIO3130 switch upstream port, x3130-upstream (104c:8232, rev 2):
 * MSI (64-bit, one vector) at 0x70, Subsystem ID 0000:0000 at 0x80, the PCIe
 * capability (Upstream Port, FLR) at 0x90, AER at 0x100. No BARs, no
 * interrupt pin, windows zero at reset.
 */
import { PciBridge } from '../../pci/bridge.js';
import { MsiCapability, SsvidCapability } from '../../pci/caps.js';
import { AerCapability } from '../../pci/ext-caps.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import { catalogIdentity } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

export interface X3130UpstreamParams {
  readonly busName: string;
  /** Port number in LinkCap (QEMU `port`, default 0). */
  readonly port?: number;
  readonly multifunction?: boolean;
  /** What the target QEMU's machine type changes in the registers (default: QEMU 7.2's). */
  readonly compat?: DeviceCompat;
}

export class X3130Upstream extends PciBridge {
  readonly pcie: PcieCapability;

  constructor(params: X3130UpstreamParams) {
    const id = catalogIdentity('x3130-upstream', 'pcie-link');
    super('x3130-upstream', id, { configSize: 4096, multifunction: params.multifunction, secondaryKind: 'pcie-switch', busName: params.busName });
    this.initExpressPort();
    this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), 0x70);
    this.addCapability(new SsvidCapability(0, 0), 0x80);
    const compat = params.compat ?? DEFAULT_COMPAT;
    this.pcie = this.addCapability(new PcieCapability({ version: 2, type: R.EXP_TYPE_UPSTREAM, port: params.port ?? 0, flr: true, deverr: true, extTag: compat.pcieExtTag }), 0x90);
    this.addExtCapability(new AerCapability({ multiHeader: true, port: true, uncMask: compat.aerUncMask }), 0x100);
  }
}
