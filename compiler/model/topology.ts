/**
 * The resolved machine: the description after firmware-style resolution.
 * Every later pass (ACPI and firmware emitters, the TypeScript machine
 * emitter, diff, graph) reads this and nothing earlier. Data only: plain
 * objects and arrays, JSON-serialisable, in a stable order.
 *
 * Numbers are JavaScript numbers; every address and size here is below 2^53.
 * Ranges are { base, size } with an exclusive end at base + size.
 */
import type { BarSpec, NvmeBudget } from '../../runtime/devices/catalog.js';
import type { Span } from '../source/source-file.js';
import type { AcpiChoices, CpuModel, DeviceDesc, DisplayModel, Spans } from './description.js';
import type { QemuTarget } from './target.js';

export interface Range {
  readonly base: number;
  readonly size: number;
}

/** Where a resolved item came from in the YAML: its declaration and its properties. */
export interface Origin {
  readonly decl: Span;
  readonly props: Spans;
}

export interface ResolvedMachine {
  readonly name: string;
  readonly file: string;
  readonly description: string | undefined;
  readonly chipset: 'q35';
  /** The QEMU release the machine is built for: machine type, devices, and the bytes of every firmware file. */
  readonly qemu: QemuTarget;
  /** Departures from that QEMU's ACPI tables the file chose. */
  readonly acpi: AcpiChoices;
  readonly cpus: CpuTopology;
  readonly memory: MemoryLayout;
  readonly numa: readonly NumaNode[];
  readonly platform: Platform;
  readonly pci: PciTopology;
  readonly interrupts: InterruptRouting;
  readonly storage: StorageLayout;
  readonly boot: readonly BootEntry[];
  /** Where SeaBIOS 1.16.2 places every BAR and bridge window. */
  readonly firmware: FirmwarePlan;
  /** The validated description's devices, by id, for emitters that need user-level properties. */
  readonly devices: readonly DeviceDesc[];
  readonly origin: Origin;
}

// ---- CPUs -----------------------------------------------------------------------

export interface CpuTopology {
  readonly count: number;
  readonly max: number;
  readonly sockets: number;
  readonly dies: number;
  readonly cores: number;
  readonly threads: number;
  readonly model: CpuModel;
  readonly vendor: 'AuthenticAMD' | 'GenuineIntel';
  readonly physBits: number;
  /** One entry per possible CPU (count present, max - count hot-pluggable), by index. */
  readonly cpus: readonly Cpu[];
}

export interface Cpu {
  readonly index: number;
  readonly apicId: number;
  readonly socket: number;
  readonly die: number;
  readonly core: number;
  readonly thread: number;
  readonly present: boolean;
  readonly node: number;
}

// ---- memory -----------------------------------------------------------------------

export type E820Type = 'ram' | 'reserved' | 'acpi' | 'nvs' | 'unusable';

export interface E820Entry {
  readonly base: number;
  readonly size: number;
  readonly type: E820Type;
  /** Why the range is there (for listings and diffs). */
  readonly what: string;
}

export interface MemoryLayout {
  readonly ramSize: number;
  readonly below4g: number;
  readonly above4g: number;
  /** Where RAM above 4 GiB starts: 4 GiB, or 1 TiB when moved past the AMD HyperTransport hole. */
  readonly above4gBase: number;
  readonly ecam: Range & { readonly buses: number };
  /** The window for 32-bit PCI BARs that firmware uses (below the IOAPIC). */
  readonly pciHole32: Range;
  /** Where firmware places 64-bit BARs (QEMU's pci-hole64). */
  readonly pciHole64: Range;
  /** The e820 table QEMU hands firmware in fw_cfg etc/e820. */
  readonly e820Qemu: readonly E820Entry[];
  /** The e820 map firmware reports to the OS (what SeaBIOS logs). */
  readonly e820: readonly E820Entry[];
}

export interface NumaNode {
  readonly id: string;
  readonly index: number;
  readonly cpus: readonly number[];
  readonly memory: Range[];
  readonly origin: Origin;
}

// ---- fixed platform devices ----------------------------------------------------------

export interface Platform {
  readonly ioapic: { readonly id: number; readonly address: number; readonly gsiBase: number; readonly pins: number };
  readonly lapicAddress: number;
  readonly hpet: { readonly address: number };
  readonly rcba: number;
  readonly biosFlash: Range;
  /** ICH9 ACPI PM block as firmware programs it (PMBASE). */
  readonly pm: { readonly base: number; readonly sciIrq: number; readonly gpe0: Range; readonly timer: number };
  readonly fwCfgPort: number;
  readonly debugconPort: number;
  readonly pciHotplugPorts: Range;
  readonly cpuHotplugPorts: Range;
  readonly display: DisplayModel;
  /** The ISA devices in the order QEMU lists them on its ISA bus (the most recently created first). */
  readonly isa: readonly IsaDevice[];
}

/** A device on the LPC's ISA bus, as QEMU creates it for q35. */
export type IsaDevice =
  | { readonly kind: 'i8042'; readonly kbdIrq: number; readonly mouseIrq: number }
  | { readonly kind: 'parallel' | 'serial'; readonly index: number; readonly iobase: number; readonly irq: number }
  | { readonly kind: 'rtc'; readonly iobase: number; readonly irq: number };

// ---- PCI ------------------------------------------------------------------------------

export type BusKind =
  /** pcie.0: integrated endpoints, root ports, bridges. */
  | 'pcie-root'
  /** The link below a root port or switch downstream port: one device (device 0). */
  | 'pcie-link'
  /** The internal bus of a switch (upstream port's secondary): downstream ports only. */
  | 'pcie-switch'
  /** A conventional PCI bus (behind pcie-pci-bridge). */
  | 'pci';

export interface PciBus {
  /** Bus number as firmware assigns it (depth first). */
  readonly number: number;
  /** The name QEMU gives the bus: 'pcie.0' or the id of the bridge that creates it. */
  readonly name: string;
  readonly kind: BusKind;
  /** Key of the bridge function whose secondary bus this is; absent for root buses. */
  readonly bridge: string | undefined;
  /** Key of the expander bridge (pxb-pcie) whose root bus this is; absent for every other bus. */
  readonly expander: string | undefined;
  /** An expander's root bus: the id of its NUMA node, when it has one. */
  readonly numaNode: string | undefined;
  readonly hotplug: boolean;
  /**
   * Whether QEMU's ACPI PCI hot-plug serves the bus (ICH9-LPC
   * acpi-pci-hotplug-with-bridge-support): the bus behind every cold-plugged
   * bridge except PCIe slots with hotplug=off; never pcie.0.
   */
  readonly acpiHotplug: boolean;
  /** Highest bus number reachable through this bus (the bridge's subordinate). */
  readonly subordinate: number;
}

export type FunctionRole =
  | 'host-bridge'
  | 'chipset'
  | 'display'
  | 'endpoint'
  | 'integrated-endpoint'
  | 'root-port'
  | 'upstream-port'
  | 'downstream-port'
  | 'pcie-pci-bridge'
  /** An expander bridge (pxb-pcie): a function on pcie.0 whose root bus is a root complex of its own. */
  | 'expander'
  | 'vf';

/**
 * A BAR as the hardware catalog describes it: index 0-5 (a 64-bit BAR takes
 * index and index + 1), io/mem32/mem64, prefetchable, size.
 */
export type { BarKind } from '../../runtime/devices/catalog.js';
export type Bar = BarSpec;

export type WindowKind = 'io' | 'mem' | 'prefmem';

export interface BridgeInfo {
  readonly secondary: number;
  readonly subordinate: number;
  /** Bus numbers reserved past what the subtree needs (QEMU bus-reserve). */
  readonly busReserve: number;
  /**
   * Window sizes reserved for hot-plug through QEMU's resource reserve
   * capability (io/mem/pref32/pref64-reserve); undefined when the port has no
   * such capability. An io reserve of 0 removes the IO window.
   */
  readonly reserve: { readonly io?: number; readonly mem?: number; readonly pref?: number; readonly pref64: boolean } | undefined;
  /** Window sizes firmware opens for the subtree (0: window closed), with SeaBIOS's rules. */
  readonly windows: { readonly io: number; readonly mem: number; readonly prefmem: number };
  /** Whether prefetchable window is 64-bit (placed above 4 GiB when the 32-bit hole is full). */
  readonly prefmem64: boolean;
  readonly hotplug: boolean;
  readonly chassis: number | undefined;
  readonly slot: number | undefined;
  readonly ariForwarding: boolean;
}

export interface SriovInfo {
  readonly totalVfs: number;
  readonly initialVfs: number;
  /** VFs the guest enables (the file's sriov.vfs: NumVFs, which firmware leaves at 0). */
  readonly numVfs: number;
  readonly offset: number;
  readonly stride: number;
  readonly vfDeviceId: number;
  readonly vfBars: readonly Bar[];
  /** Keys of the enabled VFs, in VF order. */
  readonly vfs: readonly string[];
}

export interface IntxRoute {
  /** The function's pin: 1 = INTA ... 4 = INTD. */
  readonly pin: number;
  /** Root-bus slot and pin after swizzling through bridges. */
  readonly rootSlot: number;
  readonly rootPin: number;
  /** The ICH9 PIRQ link (A-H) and its APIC-mode GSI. */
  readonly link: string;
  readonly gsi: number;
}

export interface PciFunction {
  /** Stable key: the device id; for VFs `pf-id/vfN` (N from 0). */
  readonly key: string;
  readonly model: string;
  readonly role: FunctionRole;
  readonly bus: number;
  readonly device: number;
  readonly fn: number;
  /** 'BB:DD.F' in lower-case hex. */
  readonly bdf: string;
  /** Name of the bus the function sits on. */
  readonly busName: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly revision: number;
  readonly classCode: number;
  /** Header type as read (bit 7: multifunction). */
  readonly headerType: number;
  readonly multifunction: boolean;
  readonly pcie: boolean;
  readonly bars: readonly Bar[];
  readonly romSize: number;
  readonly intx: IntxRoute | undefined;
  readonly bridge: BridgeInfo | undefined;
  readonly sriov: SriovInfo | undefined;
  readonly ari: boolean;
  /** nvme controllers (VFs have the PF's). */
  readonly nvme: NvmeController | undefined;
  /** QEMU acpi-index, when the file sets one. */
  readonly acpiIndex: number | undefined;
  /** For VFs: the PF's key and the VF number. */
  readonly physfn: string | undefined;
  readonly vfIndex: number | undefined;
  /** Whether the address was pinned by the file (or the lockfile) rather than chosen. */
  readonly addrSource: 'file' | 'lock' | 'auto' | 'fixed';
  readonly origin: Origin | undefined;
}

/** An nvme controller as QEMU is given it. */
export interface NvmeController {
  /** The queue and interrupt budget: BAR sizes and MSI-X follow from it. */
  readonly budget: NvmeBudget;
  /** The serial (controllers of one NVMe subsystem share the first one's). */
  readonly serial: string;
  /** The subsystem's NQN suffix, when the controller is in a shared subsystem. */
  readonly nqn: string | undefined;
}

export interface PciTopology {
  readonly segment: number;
  /** Buses in number order. Numbers can have gaps (bus-reserve keeps numbers unused): look buses up by number, not by index. */
  readonly buses: readonly PciBus[];
  /** Every function firmware and the OS see, VFs included, ordered by (bus, device, function). */
  readonly functions: readonly PciFunction[];
  /** Total IO / 32-bit MMIO / 64-bit MMIO firmware needs at the root (SeaBIOS sizing). */
  readonly rootNeeds: { readonly io: number; readonly mem: number; readonly prefmem: number; readonly prefmemAbove4g: boolean };
}

// ---- interrupts ---------------------------------------------------------------------

export interface PirqLink {
  /** 'LNKA'..'LNKH'. */
  readonly name: string;
  /** ICH9 LPC config register routing this PIRQ (0x60-0x63, 0x68-0x6b). */
  readonly register: number;
  /** GSI in APIC mode (16-23). */
  readonly gsi: number;
  /** ISA IRQ firmware programs for PIC mode. */
  readonly picIrq: number;
}

export interface InterruptRouting {
  readonly links: readonly PirqLink[];
  /** Root-bus (slot, pin) to link for all 32 slots: what the DSDT _PRT says. */
  readonly rootTable: readonly { readonly slot: number; readonly pin: number; readonly link: string }[];
  /** ISA interrupt source overrides (IRQ to GSI) for the MADT. */
  readonly overrides: readonly { readonly irq: number; readonly gsi: number; readonly flags: number }[];
}

// ---- storage and boot ----------------------------------------------------------------

export interface SataDrive {
  readonly id: string;
  readonly kind: 'disk' | 'cdrom';
  readonly port: number;
  readonly image: string | undefined;
  readonly format: string;
  readonly readonly: boolean;
  readonly origin: Origin;
}

/**
 * A device attached to a controller rather than to PCI: a SCSI disk or
 * CD-ROM on virtio-scsi, a USB device on qemu-xhci, a codec on an HD Audio
 * controller. `place` is its SCSI target, USB port or codec address.
 */
export interface AttachedDevice {
  readonly id: string;
  readonly model: string;
  readonly bus: 'scsi' | 'usb' | 'hda';
  /** The controller's id. */
  readonly controller: string;
  readonly place: number;
  /** SCSI LUN (0 elsewhere). */
  readonly lun: number;
  readonly image: string | undefined;
  readonly format: string;
  readonly readonly: boolean;
  readonly origin: Origin;
}

export interface StorageLayout {
  readonly sata: readonly SataDrive[];
  /** Devices on controllers (SCSI, USB, HD Audio), by their controller's address, then by place. */
  readonly attached: readonly AttachedDevice[];
}

export interface BootEntry {
  readonly id: string;
  /** OpenFirmware device path as SeaBIOS matches it in fw_cfg bootorder. */
  readonly path: string;
  readonly span: Span;
}

// ---- firmware placement --------------------------------------------------------------

export type RegionKind = 'io' | 'mem' | 'prefmem';

/** One BAR as SeaBIOS maps it (a `PCI: map device` line). */
export interface BarPlacement {
  readonly key: string;
  readonly bdf: string;
  readonly bar: number;
  readonly region: RegionKind;
  readonly address: number;
  readonly size: number;
  readonly is64: boolean;
}

export interface WindowPlacement {
  /** Key of the bridge. */
  readonly key: string;
  readonly secondary: number;
  readonly region: RegionKind;
  /** Closed windows have size 0. */
  readonly base: number;
  readonly size: number;
  readonly is64: boolean;
}

/**
 * SeaBIOS 1.16.2's PCI resource allocation (src/fw/pciinit.c), replayed:
 * root regions, every BAR in log order, and every bridge window.
 */
export interface FirmwarePlan {
  readonly io: Range;
  readonly mem: Range;
  readonly prefmem: Range;
  /** Present only when the 32-bit hole overflowed and 64-bit entries moved above 4 GiB. */
  readonly mem64: Range | undefined;
  readonly bars: readonly BarPlacement[];
  readonly windows: readonly WindowPlacement[];
  /** What went wrong, if firmware would stop ("PCI: out of I/O address space"). */
  readonly failure: 'io' | 'mem32' | undefined;
}
