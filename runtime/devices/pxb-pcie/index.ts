/**
 * QEMU's PCI Express expander bridge, pxb-pcie (1b36:000b,
 * hw/pci-bridge/pci_expander_bridge.c): a plain function on pcie.0 (class
 * host bridge, no BARs, no capabilities; status 66 MHz and fast
 * back-to-back) that opens a PCI Express root bus of its own, numbered by
 * its bus_nr. Configuration cycles reach that bus through pcie.0's
 * mechanisms (the host treats it as one more root bus), and its BARs and
 * windows decode in the machine's own memory and IO spaces.
 *
 * INTx from the bus goes to pcie.0's router as QEMU wires it: swizzled by
 * the device on the root bus, minus the expander's own slot (pxb_map_irq_fn
 * meant that for the i440fx router, which adds the slot back), then looked
 * up in the ICH9 (slot, pin) table at the expander's slot, a negative pin
 * reaching into the rows of the slots before it (ich9_lpc_map_irq indexes
 * irr[slot][pin]).
 */
import { PciBus } from '../../pci/bus.js';
import { PciFunction } from '../../pci/function.js';
import { swizzle, type IntxRoute } from '../../pci/intx.js';
import * as R from '../../pci/registers.js';
import { catalogIdentity } from '../common.js';

export interface PxbPcieParams {
  /** The root bus's name (the device id) and number (QEMU bus_nr). */
  readonly busName: string;
  readonly busNr: number;
  readonly multifunction?: boolean;
}

export class PxbPcie extends PciFunction {
  override readonly rootBus: PciBus;

  constructor(params: PxbPcieParams) {
    const id = catalogIdentity('pxb-pcie', 'pcie-root');
    super('pxb-pcie', id, { configSize: 256, multifunction: params.multifunction });
    if (!Number.isInteger(params.busNr) || params.busNr < 1 || params.busNr > 255) throw new RangeError(`pxb-pcie bus_nr ${params.busNr} is not 1-255`);
    this.config.set16(R.STATUS, this.config.get16(R.STATUS) | R.STATUS_66MHZ | R.STATUS_FAST_BACK);
    const bus = new PciBus(params.busName, 'pcie-root', undefined);
    bus.rootNumber = params.busNr;
    bus.intxUpstream = (devfn, pin) => this.routeRootIntx(devfn, pin);
    this.rootBus = bus;
  }

  /** Where a wire of the expander's root bus is counted: pcie.0's router input, as QEMU maps it. */
  private routeRootIntx(devfn: number, pin: number): IntxRoute | undefined {
    const root = this.bus;
    const router = root?.intxRouter;
    if (!root || !router) return undefined;
    const slot = this.devfn >> 3;
    const entry = slot * 4 + swizzle(devfn, pin) - slot;
    return { bus: root, input: router.map((entry >> 2) << 3, entry & 3) };
  }
}
