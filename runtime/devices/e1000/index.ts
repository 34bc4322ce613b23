/**
 * Intel 82540EM, e1000 (8086:100e, rev 3): a conventional PCI NIC with a
 * 128 KiB register BAR, a 64-byte IO BAR and a 256 KiB option ROM, and no
 * capabilities at all. The NIC's registers are not modelled.
 */
import { ZERO_REGION } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import type { BusKind } from '../catalog.js';
import { barOf, catalogIdentity, romOf } from '../common.js';

export interface E1000Params {
  readonly bus: BusKind;
  readonly mac?: string;
  readonly multifunction?: boolean;
}

export class E1000 extends PciFunction {
  constructor(params: E1000Params) {
    const id = catalogIdentity('e1000', params.bus);
    super('e1000', id, { configSize: 256, multifunction: params.multifunction });
    this.registerBar(barOf(id, 0), ZERO_REGION);
    this.registerBar(barOf(id, 1), ZERO_REGION);
    const rom = romOf(id);
    if (rom) this.registerBar(rom, ZERO_REGION);
  }
}
