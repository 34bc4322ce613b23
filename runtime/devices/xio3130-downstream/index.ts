/**
 * The TI XIO3130 switch downstream port, xio3130-downstream (104c:8233,
 * rev 1): MSI at 0x70, Subsystem ID 0000:0000 at 0x80, the PCIe capability
 * at 0x90 (Downstream Port with a slot, FLR, ARI forwarding), AER at 0x100.
 * QEMU 7.2 advertises no link speed or width in LinkCap for this port (no
 * x-speed/x-width defaults); Link Status still reports x1 at 2.5 GT/s.
 */
import { PciBridge } from '../../pci/bridge.js';
import { MsiCapability, SsvidCapability } from '../../pci/caps.js';
import { AerCapability } from '../../pci/ext-caps.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import * as R from '../../pci/registers.js';
import { nativeSlotPlug, slotHostFor, type SlotPortParams } from '../../pci/slot.js';
import { catalogIdentity } from '../common.js';
import { DEFAULT_COMPAT } from '../compat.js';

export type Xio3130DownstreamParams = SlotPortParams;

export class Xio3130Downstream extends PciBridge {
  readonly params: Xio3130DownstreamParams;
  readonly pcie: PcieCapability;

  constructor(params: Xio3130DownstreamParams) {
    const id = catalogIdentity('xio3130-downstream', 'pcie-switch');
    super('xio3130-downstream', id, { configSize: 4096, multifunction: params.multifunction, secondaryKind: 'pcie-link', busName: params.busName });
    this.params = params;
    const compat = params.compat ?? DEFAULT_COMPAT;
    this.initExpressPort();
    this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), 0x70);
    this.addCapability(new SsvidCapability(0, 0), 0x80);
    this.pcie = this.addCapability(
      new PcieCapability({
        version: 2,
        type: R.EXP_TYPE_DOWNSTREAM,
        port: params.port ?? 0,
        link: { speed: 0, width: 0 },
        slot: { number: params.slot ?? 0, hotplug: params.hotplug ?? true, powerController: true },
        flr: true,
        deverr: true,
        ariForwarding: true,
        extTag: compat.pcieExtTag,
        indicatorsOffAtReset: compat.slotIndicatorsOffAtReset,
      }),
      0x90,
    );
    this.pcie.slotHost = slotHostFor(this);
    nativeSlotPlug(this, this.pcie, params);
    this.addExtCapability(new AerCapability({ multiHeader: true, port: true, uncMask: compat.aerUncMask }), 0x100);
  }
}
