/**
 * A Q35 machine without a CPU yet: guest RAM, the physical memory and port
 * IO spaces, the PCI host with its configuration mechanisms, and the
 * chipset's built-in functions (MCH 00:00.0, std VGA 00:01.0, ICH9 LPC
 * 00:1f.0, AHCI 00:1f.2, SMBus 00:1f.3). Generated machine modules create
 * one, attach their devices bus by bus, install the compiled dispatch
 * table and reset it; a CPU translator will drive `memory` and `io`.
 */
import { PortIoSpace } from '../bus/io.js';
import { PhysicalMemory } from '../bus/memory.js';
import { GuestRam } from '../bus/ram.js';
import { hasDrives, type Drive, type OpenOptions } from '../backends/drive.js';
import { EthernetSwitch, type NetPort } from '../backends/net.js';
import { Ich9Ahci, type SataDriveParams } from '../devices/ich9-ahci/index.js';
import { Ich9Lpc } from '../devices/ich9-lpc/index.js';
import { Ich9Smbus } from '../devices/ich9-smbus/index.js';
import { Q35Mch } from '../devices/q35-mch/index.js';
import { StdVga } from '../devices/std-vga/index.js';
import { PciBridge } from '../pci/bridge.js';
import type { PciBus } from '../pci/bus.js';
import type { PciFunction } from '../pci/function.js';
import { PciHost } from '../pci/host.js';
import { VirtualClock } from '../time/clock.js';
import { GsiRouter } from './gsi.js';

export const CONFIG_ADDRESS_PORT = 0xcf8;
export const CONFIG_DATA_PORT = 0xcfc;

export interface Q35MachineOptions {
  /** RAM below 4 GiB and above it (at `above4gBase`, 4 GiB unless moved past the HyperTransport hole). */
  readonly ram: { readonly below4g: number; readonly above4g?: number; readonly above4gBase?: number };
  readonly cpus?: number;
  readonly display?: 'std-vga' | 'none';
  readonly sata?: boolean;
  readonly smbus?: boolean;
  /** Drives on the AHCI ports; undefined: QEMU's default empty CD-ROM drive on port 2. */
  readonly sataDrives?: readonly SataDriveParams[];
  /** Legacy COM1 and LPT1 present (the LPC decode bits). */
  readonly serial?: boolean;
  readonly parallel?: boolean;
  /** Guest time: every device reads time and arms timers here (default: a virtual clock). */
  readonly clock?: VirtualClock;
}

export interface MachineSummary {
  readonly functions: number;
  readonly buses: number;
  readonly ramBytes: number;
  readonly cpus: number;
}

export class Q35Machine {
  readonly ram: GuestRam;
  readonly memory: PhysicalMemory;
  readonly io = new PortIoSpace();
  readonly pci: PciHost;
  readonly clock: VirtualClock;
  /** GSI 0-23: ISA IRQs and PIRQs to the 8259 pair and the I/O APIC. */
  readonly gsi = new GsiRouter();
  readonly cpus: number;
  readonly mch: Q35Mch;
  readonly lpc: Ich9Lpc;
  readonly vga: StdVga | undefined;
  readonly ahci: Ich9Ahci | undefined;
  readonly smbus: Ich9Smbus | undefined;
  /** Set when the guest asks for a system reset (RST_CNT); the owner decides when to reset. */
  resetRequested = false;

  constructor(opts: Q35MachineOptions) {
    const below4g = opts.ram.below4g;
    const above4g = opts.ram.above4g ?? 0;
    this.cpus = opts.cpus ?? 1;
    this.clock = opts.clock ?? new VirtualClock();
    this.ram = new GuestRam(below4g + above4g);
    this.memory = new PhysicalMemory(this.ram, { below4g, above4g, above4gBase: opts.ram.above4gBase ?? 2 ** 32 });
    this.pci = new PciHost(this.memory, this.io);
    this.io.map('pci-conf-idx', CONFIG_ADDRESS_PORT, 4, this.pci.configAddressPort);
    this.io.map('pci-conf-data', CONFIG_DATA_PORT, 4, this.pci.configDataPort);
    const root = this.pci.root;
    this.mch = root.attach(0x00, 0, new Q35Mch({ host: this.pci, memory: this.memory }));
    this.vga = (opts.display ?? 'std-vga') === 'std-vga' ? root.attach(0x01, 0, new StdVga()) : undefined;
    this.lpc = root.attach(
      0x1f,
      0,
      new Ich9Lpc(
        {
          io: this.io,
          memory: this.memory,
          clock: this.clock,
          setGsi: (gsi, level) => this.gsi.setGsi(gsi, level),
          onReset: () => void (this.resetRequested = true),
        },
        { com1: opts.serial ?? true, lpt1: opts.parallel ?? true },
      ),
    );
    root.intxRouter = this.lpc;
    this.ahci = opts.sata ?? true ? root.attach(0x1f, 2, new Ich9Ahci(opts.sataDrives)) : undefined;
    this.smbus = opts.smbus ?? true ? root.attach(0x1f, 3, new Ich9Smbus()) : undefined;
  }

  /** The root bus, pcie.0. */
  get root(): PciBus {
    return this.pci.root;
  }

  /** Places a function on a bus at device.function. */
  attach<F extends PciFunction>(bus: PciBus, device: number, fn: number, f: F): F {
    return bus.attach(device, fn, f);
  }

  /**
   * Installs the compiled configuration dispatch table: the machine file's
   * functions by routing ID (the chipset's own are added here) and every
   * bridge with the bus numbers firmware gives it.
   */
  useDispatchTable(entries: readonly (readonly [number, PciFunction])[], bridges: readonly (readonly [PciBridge, number, number])[]): void {
    const chipset: [number, PciFunction | undefined][] = [
      [0x00, this.mch],
      [0x08, this.vga],
      [0xf8, this.lpc],
      [0xfa, this.ahci],
      [0xfb, this.smbus],
    ];
    const own = chipset.filter((e): e is [number, PciFunction] => e[1] !== undefined);
    this.pci.useDispatchTable([...own, ...entries], bridges);
  }

  /** System reset: every function in tree order (a port before what sits behind it), as after power-on. */
  reset(): void {
    this.pci.configAddress = 0;
    this.resetRequested = false;
    const visit = (bus: PciBus) => {
      for (const f of bus.functions()) {
        f.reset();
        if (f instanceof PciBridge) visit(f.secondary);
      }
    };
    visit(this.pci.root);
    this.pci.busesChanged();
    this.pci.remap();
  }

  /** Buses reachable through bridges (the root bus included). */
  buses(): PciBus[] {
    const out: PciBus[] = [];
    const visit = (bus: PciBus) => {
      out.push(bus);
      for (const f of bus.functions()) if (f instanceof PciBridge) visit(f.secondary);
    };
    visit(this.pci.root);
    return out;
  }

  /** Every drive of the machine's storage devices (AHCI ports, virtio-blk, NVMe namespaces), in tree order. */
  drives(): Drive[] {
    return this.driveOwners().flatMap(([, d]) => d);
  }

  private driveOwners(): [PciFunction, readonly Drive[]][] {
    return this.pci.allFunctions().flatMap((f): [PciFunction, readonly Drive[]][] => (hasDrives(f) ? [[f, f.drives]] : []));
  }

  /**
   * Opens every drive's image before the guest runs (read-only, behind an
   * in-memory overlay, or written through with `persist`). Returns one
   * message per drive that could not be opened; an empty list when all are.
   */
  openDrives(opts: OpenOptions): string[] {
    const errors: string[] = [];
    for (const [f, drives] of this.driveOwners()) {
      for (const d of drives) {
        try {
          d.open(opts);
        } catch (e) {
          errors.push(`${f.label} ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    return errors;
  }

  /**
   * Attaches every NIC with a data path (virtio-net) to `network` (by
   * default a new in-process switch of this machine's own, so its NICs talk
   * to each other; pass one switch to several machines to join them).
   * Returns the switch.
   */
  connectNetwork(network = new EthernetSwitch()): EthernetSwitch {
    for (const f of this.pci.allFunctions()) {
      const nic = f as PciFunction & { connect?: (port: NetPort) => void };
      if (typeof nic.connect === 'function') nic.connect(network.attach(f.label));
    }
    return network;
  }

  summary(): MachineSummary {
    return { functions: this.pci.allFunctions().length, buses: this.buses().length, ramBytes: this.ram.size, cpus: this.cpus };
  }
}
