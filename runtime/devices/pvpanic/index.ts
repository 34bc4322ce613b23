/**
 * QEMU's pvpanic-pci (1b36:0011, rev 1, class "other system peripheral"
 * 0x0880, hw/misc/pvpanic-pci.c): the paravirtual panic notifier as a PCI
 * function. BAR0 is a 16-byte memory BAR whose first byte is the register
 * (docs/specs/pvpanic.rst): a read returns the events the device supports
 * (bit 0 PANICKED, bit 1 CRASH_LOADED), a write reports those events. No
 * capabilities, no interrupt.
 */
import type { RegionHandler, Width } from '../../bus/types.js';
import { PciFunction } from '../../pci/function.js';
import type { BusKind } from '../catalog.js';
import { barOf, catalogIdentity } from '../common.js';

export const PVPANIC_PANICKED = 1 << 0;
export const PVPANIC_CRASH_LOADED = 1 << 1;
/** What QEMU 7.2's pvpanic offers by default (the `events` property). */
const EVENTS = PVPANIC_PANICKED | PVPANIC_CRASH_LOADED;

export interface PvpanicParams {
  readonly bus: BusKind;
  readonly multifunction?: boolean;
}

export class PvpanicPci extends PciFunction {
  /** Called with the events the guest reports (only supported bits). */
  onEvent: (events: number) => void = () => undefined;
  /** Every report the guest made, in order (supported bits only). */
  readonly events: number[] = [];

  constructor(params: PvpanicParams) {
    const id = catalogIdentity('pvpanic-pci', params.bus);
    super('pvpanic-pci', id, { configSize: 256, multifunction: params.multifunction });
    const region: RegionHandler = {
      read: (off: number, _w: Width) => (off === 0 ? EVENTS : 0),
      write: (off: number, _w: Width, value: number) => {
        if (off !== 0) return;
        const ev = value & EVENTS;
        if (!ev) return;
        this.events.push(ev);
        this.onEvent(ev);
      },
    };
    this.registerBar(barOf(id, 0), region);
  }
}
