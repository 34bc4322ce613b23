/**
 * INTx: the four level-sensitive interrupt wires of conventional PCI
 * (PCI 3.0 §2.2.6) and their PCI Express virtual-wire form (Assert_INTx /
 * Deassert_INTx messages, PCIe 4.0 §2.2.8.1), which bridges and switch
 * ports collapse the same way.
 *
 * A function drives the pin its Interrupt Pin register names. On the way to
 * the root each bridge "swizzles" the pin by the device number of the
 * function it came from (PCI-to-PCI Bridge 1.2 §9.1: pin' = (pin + device)
 * mod 4) and presents it as one of its own primary-side pins. On the root
 * bus a router (the ICH9 LPC on q35) maps (slot, pin) to one of its inputs
 * (PIRQ A-H); the wires into an input are wired-OR, so the bus counts
 * asserted wires per input and tells the router when an input's level
 * changes (QEMU pci_change_irq_level). Like QEMU, bridges forward INTx
 * whatever their own command register says.
 */
import type { PciBus } from './bus.js';

/** What a root bus's INTx wires connect to. */
export interface IntxRouter {
  /** How many inputs the router has (the range of `map`). */
  readonly inputs: number;
  /** The input a root-bus function's pin (0 = INTA) is wired to. */
  map(devfn: number, pin: number): number;
  /** An input's level changed (some wire into it is asserted, or none is any more). */
  inputChanged(input: number, level: boolean): void;
}

/** PCI-to-PCI Bridge 1.2 §9.1: the primary-side pin for `pin` of device `devfn >> 3` on the secondary bus. */
export function swizzle(devfn: number, pin: number): number {
  return (pin + (devfn >> 3)) & 3;
}

/** Where an asserted wire was counted: the root bus and router input. */
export interface IntxRoute {
  readonly bus: PciBus;
  readonly input: number;
}

/** Counts one more (or one less) asserted wire into a router input and reports level changes. */
export function countIntx(route: IntxRoute, delta: 1 | -1): void {
  const { bus, input } = route;
  const router = bus.intxRouter;
  if (!router) return;
  const before = bus.intxCount(input);
  const after = Math.max(0, before + delta);
  bus.setIntxCount(input, after);
  if ((before === 0) !== (after === 0)) router.inputChanged(input, after !== 0);
}
