/**
 * A PCI bus: 256 device/function slots. The root bus (pcie.0) is bus 0; any
 * other bus takes its number from the secondary bus register of the bridge
 * that creates it, so numbers change as firmware programs them.
 */
import type { BusKind } from '../devices/catalog.js';
import type { PciBridge } from './bridge.js';
import type { PciFunction } from './function.js';
import type { PciHost } from './host.js';
import type { IntxRoute, IntxRouter } from './intx.js';
import { SriovCapability } from './sriov.js';

export class PciBus {
  readonly name: string;
  readonly kind: BusKind;
  /** The bridge whose secondary bus this is (undefined for the root bus). */
  readonly bridge: PciBridge | undefined;
  /** Functions by device * 8 + function. */
  readonly slots: (PciFunction | undefined)[] = new Array<PciFunction | undefined>(256).fill(undefined);
  host: PciHost | undefined;
  /** The bridges on this bus, in device.function order (what a configuration cycle can cross). */
  readonly bridges: PciBridge[] = [];
  /** The SR-IOV physical functions on this bus (their VFs answer at routing IDs of their own). */
  readonly physicalFunctions: { readonly fn: PciFunction; readonly sriov: SriovCapability }[] = [];

  /**
   * An extra root bus (an expander bridge's): its fixed number, and where its
   * INTx wires go instead of a router of its own (the expander's mapping onto
   * pcie.0's router, whose wired-OR counts they share).
   */
  rootNumber = 0;
  intxUpstream: ((devfn: number, pin: number) => IntxRoute | undefined) | undefined;

  private router: IntxRouter | undefined;
  /** Asserted INTx wires per router input (root bus only). */
  private counts = new Int32Array(0);

  constructor(name: string, kind: BusKind, bridge: PciBridge | undefined) {
    this.name = name;
    this.kind = kind;
    this.bridge = bridge;
  }

  /** The bus number firmware gave this bus (0 for pcie.0, an expander's bus_nr for its root bus). */
  get number(): number {
    return this.bridge ? this.bridge.secondaryBusNumber : this.rootNumber;
  }

  /** Conventional PCI buses limit configuration space to 256 bytes, even for PCIe functions. */
  get extendedConfig(): boolean {
    return this.kind !== 'pci';
  }

  /** What this bus's INTx wires connect to: set on the root bus by the machine (the ICH9 LPC's PIRQ router). */
  get intxRouter(): IntxRouter | undefined {
    return this.router;
  }

  set intxRouter(r: IntxRouter | undefined) {
    this.router = r;
    this.counts = new Int32Array(r?.inputs ?? 0);
  }

  /** Asserted INTx wires into router input `input`. */
  intxCount(input: number): number {
    return this.counts[input] ?? 0;
  }

  setIntxCount(input: number, n: number): void {
    if (input >= 0 && input < this.counts.length) this.counts[input] = n;
  }

  /** Whether any INTx wire into router input `input` is asserted (QEMU pci_bus_get_irq_level). */
  intxLevel(input: number): boolean {
    return this.intxCount(input) > 0;
  }

  /** Functions in device.function order. */
  functions(): PciFunction[] {
    return this.slots.filter((f): f is PciFunction => f !== undefined);
  }

  /** Places a function at device.function; returns it. */
  attach<F extends PciFunction>(device: number, fn: number, f: F): F {
    if (!Number.isInteger(device) || device < 0 || device > 31 || !Number.isInteger(fn) || fn < 0 || fn > 7) {
      throw new RangeError(`no slot ${device}.${fn} on a PCI bus`);
    }
    const devfn = device * 8 + fn;
    const taken = this.slots[devfn];
    if (taken) throw new Error(`${this.name} ${device.toString(16)}.${fn} is taken by ${taken.model}`);
    if (f.bus) throw new Error(`${f.model} is already attached`);
    this.slots[devfn] = f;
    f.bus = this;
    f.devfn = devfn;
    const sriov = f.capability(SriovCapability);
    if (sriov) this.physicalFunctions.push({ fn: f, sriov });
    if (f.isBridge) {
      this.bridges.push(f as unknown as PciBridge);
      this.bridges.sort((a, b) => a.devfn - b.devfn);
    }
    this.bridge?.childAttached?.(f);
    this.host?.adopt(f);
    return f;
  }
}
