/**
 * The PCI host: routes configuration cycles to functions and maps the BARs
 * they decode into the memory and IO spaces.
 *
 * Configuration cycles arrive through CONFIG_ADDRESS/CONFIG_DATA (0xcf8 /
 * 0xcfc, PCI 3.0 §3.2.2.3.2, offsets 0x00-0xff) or through ECAM (PCIe 4.0
 * §7.2.2, all 4 KiB), which the MCH maps where PCIEXBAR says. A cycle for
 * bus 0 goes to the root bus; any other bus number is routed through the
 * bridges whose secondary..subordinate range holds it, device by device, as
 * a hardware hierarchy does. A machine compiled by machc also installs a
 * flat dispatch table (function by routing ID, for the bus numbers firmware
 * assigns): while every bridge holds exactly those numbers, a cycle is one
 * array lookup instead of a walk. The table lists the VFs of the PFs whose
 * `sriov:` the machine file declares; a PF with an SR-IOV capability of its
 * own (igb always has one) can have VFs enabled that it does not list, so
 * while any VF is enabled a routing ID the table misses is walked.
 *
 * Cycles to absent functions read all ones; so do ECAM reads past 0xff of a
 * conventional function, or of any function on a conventional bus.
 */
import type { PhysicalMemory } from '../bus/memory.js';
import type { PortIoSpace } from '../bus/io.js';
import type { IoRange } from '../bus/io.js';
import type { MmioRegion } from '../bus/mmio.js';
import { allOnes, type RegionHandler, type Width } from '../bus/types.js';
import { PciBridge } from './bridge.js';
import { PciBus } from './bus.js';
import { RootComplexDma } from './dma.js';
import type { PciFunction } from './function.js';
import { SriovCapability } from './sriov.js';
import type { VirtualClock } from '../time/clock.js';
import { startAsDoubles } from '../number-fields.js';

interface Mapping {
  readonly space: 'io' | 'mem';
  readonly address: number;
  readonly size: number;
  readonly handle: MmioRegion | IoRange;
}

export class PciHost {
  readonly root: PciBus;
  readonly memory: PhysicalMemory;
  readonly io: PortIoSpace;
  /** Where bus-master reads and writes and MSI messages go (PciFunction.dmaRead/dmaWrite). */
  readonly dma: RootComplexDma;
  /** CONFIG_ADDRESS (0xcf8). */
  configAddress = 0;
  /** Guest time, for devices with timers (the machine sets it). */
  clock: VirtualClock | undefined;
  private readonly functions: PciFunction[] = [];
  /** The root buses expander bridges open, in attach order. */
  private readonly extraRoots: PciBus[] = [];
  private readonly mappings = new Map<PciFunction, (Mapping | undefined)[]>();
  private table: (PciFunction | undefined)[] | undefined;
  private tableBridges: readonly (readonly [PciBridge, number, number])[] = [];
  private tableValid = false;
  /** Every SR-IOV capability under this host, and whether one of them has VFs enabled. */
  private readonly sriovs: SriovCapability[] = [];
  private vfsEnabled = false;
  private ecam: MmioRegion | undefined;
  private ecamBuses = 0;
  private remapping = false;
  private remapAgain = false;

  constructor(memory: PhysicalMemory, io: PortIoSpace) {
    this.memory = memory;
    this.io = io;
    this.dma = new RootComplexDma(memory);
    this.root = new PciBus('pcie.0', 'pcie-root', undefined);
    this.root.host = this;
    startAsDoubles(this, 'configAddress', 'ecamBuses');
  }

  // ---- the function tree ----------------------------------------------------------------------

  /** Takes a newly attached function (and what hangs below it) under this host. */
  adopt(f: PciFunction): void {
    this.functions.push(f);
    const sriov = f.capability(SriovCapability);
    if (sriov) {
      this.sriovs.push(sriov);
      for (const vf of sriov.vfs) {
        vf.bus = f.bus;
        this.functions.push(vf);
      }
    }
    const below = f instanceof PciBridge ? f.secondary : f.rootBus;
    if (below) {
      below.host = this;
      if (f.rootBus) this.extraRoots.push(f.rootBus);
      for (const c of below.functions()) this.adopt(c);
    }
    this.busesChanged();
    this.remap();
  }

  /** Every function (VFs included, enabled or not), in attach order. */
  allFunctions(): readonly PciFunction[] {
    return this.functions;
  }

  // ---- configuration cycles ---------------------------------------------------------------------

  /**
   * Installs the compiled dispatch table: functions by routing ID for the
   * bus numbers firmware assigns, and the bridges with those numbers. The
   * table is used while every listed bridge holds its numbers.
   */
  useDispatchTable(entries: readonly (readonly [number, PciFunction])[], bridges: readonly (readonly [PciBridge, number, number])[]): void {
    const table = new Array<PciFunction | undefined>(0x1_0000).fill(undefined);
    for (const [rid, f] of entries) table[rid & 0xffff] = f;
    this.table = table;
    this.tableBridges = bridges;
    this.busesChanged();
  }

  /** Adds a hot-plugged function to the compiled table, at its routing ID for the bus numbers the table assumes. */
  addDispatchEntry(rid: number, f: PciFunction): void {
    if (this.table) this.table[rid & 0xffff] = f;
  }

  /** Drops the compiled table: every cycle walks the hierarchy (for comparisons and debugging). */
  clearDispatchTable(): void {
    this.table = undefined;
    this.tableBridges = [];
    this.tableValid = false;
  }

  /** Whether config cycles currently go through the compiled table. */
  get dispatchTableActive(): boolean {
    return this.tableValid;
  }

  /** Bus numbers, bus resets or the set of VFs changed. */
  busesChanged(): void {
    this.vfsEnabled = this.sriovs.some((s) => s.enabledVfs > 0);
    if (!this.table) return;
    this.tableValid = this.tableBridges.every(([b, sec, sub]) => b.secondaryBusNumber === sec && b.subordinateBusNumber === sub && !b.busResetAsserted);
  }

  /** The function answering a configuration cycle, if any. */
  lookup(bus: number, devfn: number): PciFunction | undefined {
    let f: PciFunction | undefined;
    if (this.tableValid) {
      f = this.table![(bus << 8) | devfn];
      // A VF the machine file did not declare (the table has none of its PF's VFs) answers where the hierarchy routes it.
      if (!f && this.vfsEnabled) f = this.walk(bus, devfn);
    } else f = this.walk(bus, devfn);
    return f && f.present ? f : undefined;
  }

  /** The hierarchy walk: bridge by bridge, as the cycle travels (PCI-to-PCI Bridge 1.2 §3.1.2.1). */
  walk(bus: number, devfn: number): PciFunction | undefined {
    let cur = this.root;
    if (bus === 0) return this.onBus(cur, 0, devfn);
    // An expander's root bus, or a bus behind one of its bridges (QEMU pci_find_bus_nr: expander buses are children of pcie.0).
    for (const r of this.extraRoots) {
      if (r.number === bus) return this.onBus(r, bus, devfn);
      if (r.bridges.some((b) => b.routes(bus))) {
        cur = r;
        break;
      }
    }
    for (let depth = 0; depth < 256; depth++) {
      let next: PciBus | undefined;
      for (const b of cur.bridges) {
        if (b.routes(bus)) {
          next = b.secondary;
          break;
        }
      }
      if (!next) return this.vfOnBus(cur, bus, devfn);
      if (next.number === bus) return this.onBus(next, bus, devfn);
      cur = next;
    }
    return undefined;
  }

  private onBus(b: PciBus, bus: number, devfn: number): PciFunction | undefined {
    return b.slots[devfn] ?? this.vfOnBus(b, bus, devfn);
  }

  /** VFs of the PFs on a bus answer at routing IDs past the PF's, possibly on later bus numbers. */
  private vfOnBus(b: PciBus, bus: number, devfn: number): PciFunction | undefined {
    const pfs = b.physicalFunctions;
    if (pfs.length === 0) return undefined;
    const rid = (bus << 8) | devfn;
    for (const { sriov } of pfs) {
      const vf = sriov.vfAt(rid);
      if (vf) return vf;
    }
    return undefined;
  }

  /** A configuration read; `extended` for ECAM (4 KiB), else 256 bytes. */
  configRead(bus: number, devfn: number, offset: number, width: Width, extended: boolean): number {
    const f = this.lookup(bus, devfn);
    if (!f || !f.powered) return allOnes(width);
    const limit = extended && f.configSize > 256 && (f.bus?.extendedConfig ?? true) ? f.configSize : 256;
    if (offset >= limit) return allOnes(width);
    const w = Math.min(width, limit - offset);
    if (w === width && (w === 1 || w === 2 || w === 4)) return f.configRead(offset, w);
    let v = 0;
    for (let i = 0; i < w; i++) v |= f.configRead(offset + i, 1) << (8 * i);
    return v >>> 0;
  }

  configWrite(bus: number, devfn: number, offset: number, width: Width, value: number, extended: boolean): void {
    const f = this.lookup(bus, devfn);
    if (!f || !f.powered) return;
    const limit = extended && f.configSize > 256 && (f.bus?.extendedConfig ?? true) ? f.configSize : 256;
    if (offset >= limit) return;
    const w = Math.min(width, limit - offset);
    if (w === width) return f.configWrite(offset, w, value);
    for (let i = 0; i < w; i++) f.configWrite(offset + i, 1, (value >>> (8 * i)) & 0xff);
  }

  /** CONFIG_ADDRESS at 0xcf8: only dword writes latch it (as QEMU's host bridge). */
  readonly configAddressPort: RegionHandler = {
    read: (_off: number, width: Width) => this.configAddress & allOnes(width),
    write: (off: number, width: Width, value: number) => {
      if (off === 0 && width === 4) this.configAddress = value >>> 0;
    },
  };

  /**
   * CONFIG_DATA at 0xcfc-0xcff: with the enable bit (31) set, the cycle goes to
   * bus 23:16, device/function 15:8, register 7:0 plus the byte lane of the port.
   */
  readonly configDataPort: RegionHandler = {
    read: (off: number, width: Width) => {
      const a = this.configAddress;
      if (!(a & 0x8000_0000)) return allOnes(width);
      return this.configRead((a >>> 16) & 0xff, (a >>> 8) & 0xff, (a | (off & 3)) & 0xff, width, false);
    },
    write: (off: number, width: Width, value: number) => {
      const a = this.configAddress;
      if (!(a & 0x8000_0000)) return;
      this.configWrite((a >>> 16) & 0xff, (a >>> 8) & 0xff, (a | (off & 3)) & 0xff, width, value, false);
    },
  };

  /** ECAM: bus 27:20, device/function 19:12, register 11:0 (PCIe 4.0 §7.2.2). */
  readonly ecamRegion: RegionHandler = {
    read: (off: number, width: Width) => {
      const bus = Math.floor(off / 0x10_0000);
      if (bus >= this.ecamBuses) return allOnes(width);
      const reg = off & 0xfff;
      if (reg + width > 0x1000) return this.splitRead(off, width);
      return this.configRead(bus, (off >>> 12) & 0xff, reg, width, true);
    },
    write: (off: number, width: Width, value: number) => {
      const bus = Math.floor(off / 0x10_0000);
      if (bus >= this.ecamBuses) return;
      const reg = off & 0xfff;
      if (reg + width > 0x1000) return this.splitWrite(off, width, value);
      this.configWrite(bus, (off >>> 12) & 0xff, reg, width, value, true);
    },
  };

  private splitRead(off: number, width: Width): number {
    let v = 0;
    for (let i = 0; i < width; i++) v |= this.ecamRegion.read(off + i, 1) << (8 * i);
    return v >>> 0;
  }

  private splitWrite(off: number, width: Width, value: number): void {
    for (let i = 0; i < width; i++) this.ecamRegion.write(off + i, 1, (value >>> (8 * i)) & 0xff);
  }

  /** Maps (or, with size 0, unmaps) the ECAM window. */
  setEcam(base: number, size: number): void {
    if (this.ecam) this.memory.mmio.unmap(this.ecam);
    this.ecam = undefined;
    this.ecamBuses = 0;
    if (size > 0) {
      this.ecam = this.memory.mmio.map('pcie-mmcfg', base, size, this.ecamRegion);
      this.ecamBuses = size / 0x10_0000;
    }
  }

  get ecamWindow(): { base: number; size: number } | undefined {
    return this.ecam ? { base: this.ecam.base, size: this.ecam.size } : undefined;
  }

  // ---- BAR mappings ----------------------------------------------------------------------------

  /**
   * Re-evaluates BARs: decoded by their function and forwarded by every
   * bridge above. With `scope`, only that function, its VFs and (for a
   * bridge) everything below it; otherwise every function. Mappings that
   * changed are moved in the memory or IO space.
   */
  remap(scope?: PciFunction): void {
    if (this.remapping) {
      this.remapAgain = true;
      return;
    }
    this.remapping = true;
    try {
      do {
        this.remapAgain = false;
        if (scope) for (const f of this.subtree(scope)) this.remapFunction(f);
        else for (const f of this.functions) this.remapFunction(f);
        scope = undefined;
      } while (this.remapAgain);
    } finally {
      this.remapping = false;
    }
  }

  /** A function, its VFs, and through a bridge everything behind it. */
  private subtree(f: PciFunction): PciFunction[] {
    const out: PciFunction[] = [];
    const visit = (x: PciFunction) => {
      out.push(x);
      const sriov = x.capability(SriovCapability);
      if (sriov) out.push(...sriov.vfs);
      const below = x instanceof PciBridge ? x.secondary : x.rootBus;
      if (below) for (const c of below.functions()) visit(c);
    };
    visit(f);
    return out;
  }

  private remapFunction(f: PciFunction): void {
    let current = this.mappings.get(f);
    if (!current) {
      current = [];
      this.mappings.set(f, current);
    }
    const wanted: (Mapping | undefined)[] = [];
    for (const bar of f.decodedBars()) {
      if (!this.forwarded(f, bar.space, bar.address, bar.size)) continue;
      wanted[bar.index] = { space: bar.space, address: bar.address, size: bar.size, handle: undefined as never };
    }
    for (let i = 0; i < 7; i++) {
      const have = current[i];
      const want = wanted[i];
      if (have && want && have.address === want.address && have.size === want.size && have.space === want.space) continue;
      if (have) {
        if (have.space === 'io') this.io.unmap(have.handle as IoRange);
        else this.memory.mmio.unmap(have.handle as MmioRegion);
        current[i] = undefined;
      }
      if (want) {
        const r = f.barRegion(i)!;
        const name = `${f.label} ${i === 6 ? 'ROM' : `BAR${i}`}`;
        const handle = want.space === 'io' ? this.io.map(name, want.address, want.size, r.handler) : this.memory.mmio.map(name, want.address, want.size, r.handler);
        current[i] = { ...want, handle };
      }
      f.barMapped(i, want?.address);
    }
  }

  /** Whether every bridge between the root and the function forwards the range (and is powered). */
  private forwarded(f: PciFunction, space: 'io' | 'mem', address: number, size: number): boolean {
    if (space === 'io' && address + size > 0x1_0000) return false;
    let bus = f.bus;
    for (let depth = 0; bus && bus.bridge && depth < 256; depth++) {
      const b = bus.bridge;
      if (!b.powered || !b.forwards(space, address, size)) return false;
      bus = b.bus;
    }
    return bus !== undefined;
  }

  /** The BARs currently mapped (for listings and tests). */
  mappedBars(): { fn: PciFunction; index: number; space: 'io' | 'mem'; address: number; size: number }[] {
    const out: { fn: PciFunction; index: number; space: 'io' | 'mem'; address: number; size: number }[] = [];
    for (const [fn, list] of this.mappings) {
      list.forEach((m, index) => {
        if (m) out.push({ fn, index, space: m.space, address: m.address, size: m.size });
      });
    }
    return out.sort((a, b) => (a.space === b.space ? a.address - b.address : a.space === 'io' ? -1 : 1));
  }
}
