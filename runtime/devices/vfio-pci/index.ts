/**
 * A passed-through host function (QEMU vfio-pci host=...) as the runtime
 * can have it: a placeholder with the identity the machine file gives (IDs,
 * class, interrupt pin, BAR sizes and kinds, expansion ROM), so firmware
 * sizes and places its BARs and a guest enumerates it as the planned
 * function. There is no host device behind it: BARs read zero and ignore
 * writes. On a PCI Express bus it has a PCIe endpoint capability, as a
 * passed-through PCIe function shows one.
 */
import { ZERO_REGION } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import { PcieCapability } from '../../pci/pcie-cap.js';
import { vfioIdentity, type BusKind, type VfioSpec } from '../catalog.js';
import { endpointType, romOf } from '../common.js';
import { DEFAULT_COMPAT, type DeviceCompat } from '../compat.js';

export interface VfioParams {
  readonly bus: BusKind;
  /** The host function as the machine file describes it. */
  readonly host: VfioSpec;
  readonly multifunction?: boolean;
  readonly compat?: DeviceCompat;
}

export class VfioPci extends PciFunction {
  constructor(params: VfioParams) {
    const id = vfioIdentity(params.host, params.bus);
    super('vfio-pci', id, { configSize: id.pcie ? 4096 : 256, multifunction: params.multifunction });
    if (id.pcie) this.addCapability(new PcieCapability({ version: 2, type: endpointType(params.bus), extTag: (params.compat ?? DEFAULT_COMPAT).pcieExtTag }));
    for (const b of id.bars) this.registerBar(b, ZERO_REGION);
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
  }
}
