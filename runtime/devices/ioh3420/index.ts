/**
 * The Intel X58 IOH root port, ioh3420 (8086:3420, rev 2), as QEMU 7.2 builds
 * it: Subsystem ID 8086:0000 at 0x40, MSI (two vectors, 32-bit, per-vector
 * masking) at 0x60, the PCIe capability at 0x90 (Root Port with a slot:
 * hot-plug and power controller, an x1 2.5 GT/s link, ARI forwarding), then
 * AER at 0x100. No BAR, no ACS and no resource-reserve capability (those
 * belong to the generic pcie-root-port). Windows are closed at reset.
 */
import { PciBridge } from '../../pci/bridge.js';
import { MsiCapability, SsvidCapability } from '../../pci/caps.js';
import { AerCapability } from '../../pci/ext-caps.js';
import type { PcieCapability } from '../../pci/pcie-cap.js';
import type { SlotPortParams } from '../../pci/slot.js';
import { catalogIdentity } from '../common.js';
import { DEFAULT_COMPAT } from '../compat.js';
import { rootPortCapability } from '../pcie-root-port/index.js';

export type Ioh3420Params = SlotPortParams;

const SSVID_OFFSET = 0x40;
const MSI_OFFSET = 0x60;
const EXP_OFFSET = 0x90;
const AER_OFFSET = 0x100;

export class Ioh3420 extends PciBridge {
  readonly params: Ioh3420Params;
  readonly pcie: PcieCapability;

  constructor(params: Ioh3420Params) {
    const id = catalogIdentity('ioh3420', 'pcie-root');
    super('ioh3420', id, { configSize: 4096, multifunction: params.multifunction, secondaryKind: 'pcie-link', busName: params.busName });
    this.params = params;
    const compat = params.compat ?? DEFAULT_COMPAT;
    this.initExpressPort();
    this.addCapability(new SsvidCapability(id.vendorId, 0), SSVID_OFFSET);
    this.addCapability(new MsiCapability({ vectors: 2, is64: false, perVectorMask: true }), MSI_OFFSET);
    this.pcie = this.addCapability(rootPortCapability(this, params, compat), EXP_OFFSET);
    this.addExtCapability(new AerCapability({ multiHeader: true, root: true, port: true, uncMask: compat.aerUncMask }), AER_OFFSET);
    this.resetDevice();
  }

  protected override resetDevice(): void {
    super.resetDevice();
    this.disableBaseLimit();
  }
}
