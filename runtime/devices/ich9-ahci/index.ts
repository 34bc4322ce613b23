/**
 * The ICH9 AHCI controller, 00:1f.2 (8086:2922, class 01 06 01; ICH9
 * datasheet §14): BAR4 is the 32-byte index/data pair, BAR5 the 4 KiB ABAR.
 * Capabilities as QEMU 7.2 lays them out: MSI (64-bit, one vector) at 0x80,
 * then the SATA capability at 0xa8 naming BAR4 + 0x10 as the index/data
 * pair. The MAP register (0x90) selects AHCI mode. The AHCI registers
 * themselves are not modelled (the BARs read zeros).
 */
import { ZERO_REGION } from '../../bus/types.js';
import { MsiCapability, SataCapability } from '../../pci/caps.js';
import { PciFunction } from '../../pci/function.js';
import { CHIPSET } from '../catalog.js';
import { barOf } from '../common.js';

export const MAP = 0x90;
const MSI_OFFSET = 0x80;
const SATA_CAP_OFFSET = 0xa8;
const IDP_BAR = 4;
const IDP_INDEX_LOG2 = 4;

export class Ich9Ahci extends PciFunction {
  constructor() {
    const id = CHIPSET.ahci;
    super('ich9-ahci', id, { configSize: 256, multifunction: true });
    this.config.set8(MAP, 1 << 6);
    this.registerBar(barOf(id, 4), ZERO_REGION);
    this.registerBar(barOf(id, 5), ZERO_REGION);
    this.addCapability(new SataCapability(IDP_BAR + 4, IDP_INDEX_LOG2), SATA_CAP_OFFSET);
    this.addCapability(new MsiCapability({ vectors: 1, is64: true, perVectorMask: false }), MSI_OFFSET);
  }
}
