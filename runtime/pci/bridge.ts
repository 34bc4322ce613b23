/**
 * PCI-to-PCI bridges (PCI-to-PCI Bridge Architecture 1.2): the type-1
 * header with primary/secondary/subordinate bus numbers, the IO, memory and
 * prefetchable-memory windows (64-bit capable prefetchable window), and
 * bridge control. The host routes a configuration cycle for bus N to the
 * bridge whose secondary..subordinate range holds N (a type-1 cycle below
 * it, turned into a type-0 cycle on its secondary bus when N is the
 * secondary bus), and forwards a BAR's accesses only through windows that
 * contain it.
 */
import type { BusKind } from '../devices/catalog.js';
import { PciBus } from './bus.js';
import { PciFunction, type FunctionIdentity, type FunctionOptions } from './function.js';
import * as R from './registers.js';

export interface BridgeOptions extends FunctionOptions {
  /** Kind of the secondary bus (decides virtio mode, endpoint type, extended config). */
  readonly secondaryKind: BusKind;
  /** Name of the secondary bus (QEMU names it after the bridge's id). */
  readonly busName: string;
}

/** The VGA ranges a bridge forwards with VGA Enable set (PCI-to-PCI Bridge 1.2 §3.2.5.18). */
const VGA_MEM = { base: 0xa_0000, end: 0xc_0000 };
const VGA_IO = [
  { base: 0x3b0, end: 0x3bc },
  { base: 0x3c0, end: 0x3e0 },
];

/**
 * What the host needs from a bridge beyond the function interface: the bus
 * behind it, the bus numbers it claims, and whether it forwards a range.
 */
export interface PciBridgeDevice {
  readonly secondary: PciBus;
  readonly secondaryBusNumber: number;
  readonly subordinateBusNumber: number;
  routes(bus: number): boolean;
  forwards(space: 'io' | 'mem', base: number, size: number): boolean;
}

export class PciBridge extends PciFunction implements PciBridgeDevice {
  override readonly isBridge: boolean = true;
  readonly secondary: PciBus;
  /** Called when a function is attached to the secondary bus (a native hot-plug slot's cold plug). */
  childAttached: ((f: PciFunction) => void) | undefined;

  constructor(model: string, id: FunctionIdentity, opts: BridgeOptions) {
    super(model, id, opts, 1);
    this.secondary = new PciBus(opts.busName, opts.secondaryKind, this);
    const cs = this.config;
    // pci_bridge_initfn / pci_init_mask_bridge.
    cs.update16(R.STATUS, 0, R.STATUS_66MHZ | R.STATUS_FAST_BACK);
    cs.set16(R.SEC_STATUS, R.STATUS_66MHZ | R.STATUS_FAST_BACK);
    cs.wmask.fill(0xff, R.PRIMARY_BUS, R.PRIMARY_BUS + 4);
    cs.setWmask8(R.IO_BASE, R.IO_RANGE_MASK);
    cs.setWmask8(R.IO_LIMIT, R.IO_RANGE_MASK);
    cs.setWmask16(R.MEMORY_BASE, R.MEMORY_RANGE_MASK);
    cs.setWmask16(R.MEMORY_LIMIT, R.MEMORY_RANGE_MASK);
    cs.setWmask16(R.PREF_MEMORY_BASE, R.PREF_RANGE_MASK);
    cs.setWmask16(R.PREF_MEMORY_LIMIT, R.PREF_RANGE_MASK);
    cs.wmask.fill(0xff, R.PREF_BASE_UPPER32, R.PREF_BASE_UPPER32 + 8);
    cs.update16(R.PREF_MEMORY_BASE, 0, R.PREF_RANGE_TYPE_64);
    cs.update16(R.PREF_MEMORY_LIMIT, 0, R.PREF_RANGE_TYPE_64);
    cs.setWmask16(
      R.BRIDGE_CONTROL,
      R.BRCTL_PARITY | R.BRCTL_SERR | R.BRCTL_ISA | R.BRCTL_VGA | R.BRCTL_VGA_16BIT | R.BRCTL_MASTER_ABORT | R.BRCTL_BUS_RESET |
        R.BRCTL_FAST_BACK | R.BRCTL_DISCARD | R.BRCTL_SEC_DISCARD | R.BRCTL_DISCARD_SERR,
    );
    cs.setW1c16(R.BRIDGE_CONTROL, R.BRCTL_DISCARD_STATUS);
  }

  /**
   * PCI Express ports (pcie_port_init_reg): no 66 MHz / fast back-to-back
   * status, and the bridge-control bits that do not apply to PCIe are
   * hardwired to 0.
   */
  protected initExpressPort(): void {
    const cs = this.config;
    cs.set16(R.STATUS, 0);
    cs.set16(R.SEC_STATUS, 0);
    cs.setWmask16(
      R.BRIDGE_CONTROL,
      cs.getWmask16(R.BRIDGE_CONTROL) &
        ~(R.BRCTL_MASTER_ABORT | R.BRCTL_FAST_BACK | R.BRCTL_DISCARD | R.BRCTL_SEC_DISCARD | R.BRCTL_DISCARD_STATUS | R.BRCTL_DISCARD_SERR),
    );
  }

  /** Windows closed at reset with base above limit (QEMU pci_bridge_disable_base_limit). */
  protected disableBaseLimit(): void {
    const cs = this.config;
    cs.set8(R.IO_BASE, cs.get8(R.IO_BASE) | R.IO_RANGE_MASK);
    cs.set8(R.IO_LIMIT, cs.get8(R.IO_LIMIT) & ~R.IO_RANGE_MASK);
    cs.update16(R.MEMORY_BASE, 0, R.MEMORY_RANGE_MASK);
    cs.update16(R.MEMORY_LIMIT, R.MEMORY_RANGE_MASK, 0);
    cs.update16(R.PREF_MEMORY_BASE, 0, R.PREF_RANGE_MASK);
    cs.update16(R.PREF_MEMORY_LIMIT, R.PREF_RANGE_MASK, 0);
    cs.set32(R.PREF_BASE_UPPER32, 0);
    cs.set32(R.PREF_LIMIT_UPPER32, 0);
  }

  /** QEMU pci_bridge_reset: bus numbers and windows cleared, bridge control 0. */
  protected override resetDevice(): void {
    const cs = this.config;
    cs.set32(R.PRIMARY_BUS, 0);
    cs.set8(R.IO_BASE, cs.get8(R.IO_BASE) & ~R.IO_RANGE_MASK);
    cs.set8(R.IO_LIMIT, cs.get8(R.IO_LIMIT) & ~R.IO_RANGE_MASK);
    cs.update16(R.MEMORY_BASE, R.MEMORY_RANGE_MASK, 0);
    cs.update16(R.MEMORY_LIMIT, R.MEMORY_RANGE_MASK, 0);
    cs.update16(R.PREF_MEMORY_BASE, R.PREF_RANGE_MASK, 0);
    cs.update16(R.PREF_MEMORY_LIMIT, R.PREF_RANGE_MASK, 0);
    cs.set32(R.PREF_BASE_UPPER32, 0);
    cs.set32(R.PREF_LIMIT_UPPER32, 0);
    cs.set16(R.BRIDGE_CONTROL, 0);
  }

  override reset(): void {
    super.reset();
    this.bus?.host?.busesChanged();
  }

  // ---- bus numbers -----------------------------------------------------------------------

  get primaryBusNumber(): number {
    return this.config.get8(R.PRIMARY_BUS);
  }

  get secondaryBusNumber(): number {
    return this.config.get8(R.SECONDARY_BUS);
  }

  get subordinateBusNumber(): number {
    return this.config.get8(R.SUBORDINATE_BUS);
  }

  /** Secondary Bus Reset holds the buses below in reset: no cycles cross. */
  get busResetAsserted(): boolean {
    return (this.config.get16(R.BRIDGE_CONTROL) & R.BRCTL_BUS_RESET) !== 0;
  }

  /** Whether a configuration cycle for `bus` goes through this bridge. */
  routes(bus: number): boolean {
    return !this.busResetAsserted && this.secondaryBusNumber <= bus && bus <= this.subordinateBusNumber;
  }

  // ---- windows ----------------------------------------------------------------------------

  /** The IO window [base, limit] (inclusive), or undefined when IO forwarding is off. */
  ioWindow(): { base: number; limit: number } | undefined {
    const cs = this.config;
    if (!(cs.get16(R.COMMAND) & R.CMD_IO)) return undefined;
    const at = (reg: number, upper: number) => ((cs.get8(reg) & R.IO_RANGE_MASK) << 8) | (cs.get8(reg) & R.IO_RANGE_TYPE_32 ? cs.get16(upper) << 16 : 0);
    const base = at(R.IO_BASE, R.IO_BASE_UPPER16) >>> 0;
    const limit = (at(R.IO_LIMIT, R.IO_LIMIT_UPPER16) | 0xfff) >>> 0;
    return limit >= base ? { base, limit } : undefined;
  }

  memWindow(): { base: number; limit: number } | undefined {
    const cs = this.config;
    if (!(cs.get16(R.COMMAND) & R.CMD_MEMORY)) return undefined;
    const base = (cs.get16(R.MEMORY_BASE) & R.MEMORY_RANGE_MASK) * 0x1_0000;
    const limit = (cs.get16(R.MEMORY_LIMIT) & R.MEMORY_RANGE_MASK) * 0x1_0000 + 0xf_ffff;
    return limit >= base ? { base, limit } : undefined;
  }

  prefWindow(): { base: number; limit: number } | undefined {
    const cs = this.config;
    if (!(cs.get16(R.COMMAND) & R.CMD_MEMORY)) return undefined;
    const at = (reg: number, upper: number) => {
      const w = cs.get16(reg);
      const hi = w & R.PREF_RANGE_TYPE_64 ? cs.get32(upper) : 0;
      return (w & R.PREF_RANGE_MASK) * 0x1_0000 + Math.min(hi, 0xf_ffff) * 2 ** 32;
    };
    const base = at(R.PREF_MEMORY_BASE, R.PREF_BASE_UPPER32);
    const limit = at(R.PREF_MEMORY_LIMIT, R.PREF_LIMIT_UPPER32) + 0xf_ffff;
    return limit >= base ? { base, limit } : undefined;
  }

  /** Whether the bridge forwards [base, base + size) from its primary to its secondary side. */
  forwards(space: 'io' | 'mem', base: number, size: number): boolean {
    const last = base + size - 1;
    const inside = (w: { base: number; limit: number } | undefined) => w !== undefined && base >= w.base && last <= w.limit;
    const brctl = this.config.get16(R.BRIDGE_CONTROL);
    const cmd = this.config.get16(R.COMMAND);
    if (space === 'io') {
      if (brctl & R.BRCTL_VGA && cmd & R.CMD_IO && VGA_IO.some((r) => base >= r.base && last < r.end)) return true;
      if (!inside(this.ioWindow())) return false;
      // ISA Enable: the top 768 bytes of each 1 KiB block of the first 64 KiB stay on the primary side.
      if (brctl & R.BRCTL_ISA && base < 0x1_0000) {
        for (let a = base; a <= Math.min(last, 0xffff); a++) if (a & 0x300) return false;
      }
      return true;
    }
    if (brctl & R.BRCTL_VGA && cmd & R.CMD_MEMORY && base >= VGA_MEM.base && last < VGA_MEM.end) return true;
    return inside(this.memWindow()) || inside(this.prefWindow());
  }

  // ---- writes -------------------------------------------------------------------------------

  protected override onConfigWrite(offset: number, width: number, value: number): void {
    super.onConfigWrite(offset, width, value);
    const end = offset + width;
    const hits = (start: number, len: number) => offset < start + len && start < end;
    if (hits(R.PRIMARY_BUS, 3) || hits(R.BRIDGE_CONTROL, 2)) this.bus?.host?.busesChanged();
    if (hits(R.COMMAND, 2) || hits(R.IO_BASE, 2) || hits(R.MEMORY_BASE, 20) || hits(R.BRIDGE_CONTROL, 2)) this.mappingsChanged();
  }

  /** Bridge control written: a 0-to-1 Secondary Bus Reset resets everything below. */
  protected bridgeControlWritten(before: number): void {
    const now = this.config.get16(R.BRIDGE_CONTROL);
    if (~before & now & R.BRCTL_BUS_RESET) resetBus(this.secondary);
  }

  override configWrite(offset: number, width: 1 | 2 | 4, value: number): void {
    const before = this.config.get16(R.BRIDGE_CONTROL);
    super.configWrite(offset, width, value);
    if (offset < R.BRIDGE_CONTROL + 2 && R.BRIDGE_CONTROL < offset + width) this.bridgeControlWritten(before);
  }
}

/** Resets every function on a bus and, through bridges, below it. */
export function resetBus(bus: PciBus): void {
  for (const f of bus.functions()) {
    f.reset();
    if (f instanceof PciBridge) resetBus(f.secondary);
  }
}
