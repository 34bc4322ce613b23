/**
 * The ICH9 SMBus controller, 00:1f.3 (8086:2930, class 0c 05 00; ICH9
 * datasheet §17): BAR4 is the 64-byte SMBus I/O block, decoded only while
 * HOSTC.HST_EN (0x40 bit 0) is set. SSRESET (bit 3) clears itself. The
 * SMBus registers are not modelled (reads give zeros).
 */
import { ZERO_REGION } from '../../bus/types.js';
import { PciFunction, type DecodedBar } from '../../pci/function.js';
import { CHIPSET } from '../catalog.js';
import { barOf } from '../common.js';

export const HOSTC = 0x40;
export const HOSTC_HST_EN = 0x01;
export const HOSTC_I2C_EN = 0x04;
export const HOSTC_SSRESET = 0x08;

export class Ich9Smbus extends PciFunction {
  constructor() {
    const id = CHIPSET.smbus;
    super('ich9-smbus', id, { configSize: 256, multifunction: true });
    this.registerBar(barOf(id, 4), ZERO_REGION);
  }

  override decodedBars(): DecodedBar[] {
    const bars = super.decodedBars();
    return this.config.get8(HOSTC) & HOSTC_HST_EN ? bars : bars.filter((b) => b.index !== 4);
  }

  protected override onConfigWrite(offset: number, width: number): void {
    if (offset <= HOSTC && HOSTC < offset + width) {
      if (this.config.get8(HOSTC) & HOSTC_SSRESET) this.config.set8(HOSTC, this.config.get8(HOSTC) & ~HOSTC_SSRESET);
      this.mappingsChanged();
    }
  }
}
