/**
 * The validated machine description: what the file says, typed, with every
 * value already read by the value language and every property's span kept.
 * Produced by compiler/check/describe.ts; consumed by the semantic checks and
 * the resolver. Data only.
 */
import type { Span } from '../source/source-file.js';
import type { QemuTarget } from './target.js';

/** Spans of an object's properties by property name. `$` is the whole object, `$key` its key or list dash. */
export type Spans = Readonly<Record<string, Span>>;

/** A device.function address on a bus (what QEMU calls addr=). */
export interface SlotFn {
  readonly device: number;
  readonly fn: number;
}

export type DisplayModel = 'std-vga' | 'virtio-vga' | 'none';
export type CpuModel = 'qemu64' | 'max' | 'Skylake-Server' | 'EPYC';
export type DiskFormat = 'raw' | 'qcow2';
export type NetdevType = 'user' | 'none';

export interface MachineDescription {
  readonly file: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly chipset: 'q35';
  /** The QEMU the machine is built for (the file's `qemu:`, or --qemu, or the default). */
  readonly qemu: QemuTarget;
  readonly acpi: AcpiChoices;
  readonly cpus: CpuDesc;
  readonly memory: MemoryDesc;
  readonly numa: readonly NumaNodeDesc[];
  readonly builtins: BuiltinsDesc;
  readonly devices: readonly DeviceDesc[];
  readonly boot: readonly BootEntryDesc[];
  /** Extra definition blocks (SSDTs), in file order. */
  readonly ssdts: readonly SsdtDesc[];
  readonly spans: Spans;
}

/**
 * ASL written in the machine file (a block scalar), with where each of its
 * lines starts in the file, so ASL diagnostics point inside the block.
 */
export interface AslText {
  readonly text: string;
  /** File offset of the first character of each line of `text`. */
  readonly lines: readonly number[];
  readonly span: Span;
}

/** An SSDT: inline ASL, or an .asl file beside the machine (path relative to the machine file). */
export type SsdtDesc = { readonly asl: AslText; readonly span: Span } | { readonly file: string; readonly span: Span };

/**
 * Departures from the target QEMU's own tables, each chosen in the file
 * (`acpi:`); none by default.
 */
export interface AcpiChoices {
  /** CPUs as Processor () objects (QEMU) or Device (ACPI0007) objects. */
  readonly processors: 'processor' | 'device';
  /** The MADT revision when the file sets one; else the target's. */
  readonly madtRevision: number | undefined;
  /** An XSDT beside the RSDT, with a revision-2 RSDP. */
  readonly xsdt: boolean;
  readonly spans: Spans;
}

export interface CpuDesc {
  readonly count: number;
  readonly sockets: number;
  readonly dies: number;
  readonly cores: number;
  readonly threads: number;
  /** Possible CPUs (hotplug): QEMU's maxcpus. */
  readonly max: number;
  readonly model: CpuModel;
  readonly spans: Spans;
}

export interface MemoryDesc {
  readonly size: number;
  /** QEMU's max-ram-below-4g: caps the RAM placed below 4 GiB. */
  readonly below4gMax: number | undefined;
  /** Size of the 64-bit PCI hole (QEMU pci-hole64-size). */
  readonly hole64Size: number | undefined;
  readonly spans: Spans;
}

export interface NumaNodeDesc {
  readonly id: string;
  readonly cpus: readonly number[];
  readonly memory: number;
  readonly spans: Spans;
}

export interface BuiltinsDesc {
  readonly display: DisplayModel;
  readonly sata: boolean;
  readonly smbus: boolean;
  readonly spans: Spans;
}

export interface DriveDesc {
  readonly image: string;
  readonly format: DiskFormat;
  readonly readonly: boolean;
}

export interface NetdevDesc {
  readonly type: NetdevType;
}

export interface NamespaceDesc {
  readonly id: string;
  readonly nsid: number;
  readonly drive: DriveDesc;
  readonly spans: Spans;
}

/** A port of a virtio-serial device: QEMU's virtconsole or virtserialport. */
export interface SerialPortDesc {
  readonly id: string;
  readonly kind: 'console' | 'channel';
  /** The channel's name the guest sees (virtserialport `name`). */
  readonly name: string | undefined;
  readonly spans: Spans;
}

export interface SriovDesc {
  readonly totalVfs: number | undefined;
  readonly vfs: number;
  readonly vfOffset: number | undefined;
  readonly vfStride: number | undefined;
  /** nvme: QEMU sriov_vq_flexible and sriov_vi_flexible (queues and vectors for the VFs). */
  readonly vqFlexible: number | undefined;
  readonly viFlexible: number | undefined;
  readonly spans: Spans;
}

/** An nvme controller's queue and vector budget and subsystem, as the file gives them. */
export interface NvmeDesc {
  /** QEMU max_ioqpairs. */
  readonly maxIoqpairs: number | undefined;
  /** QEMU msix_qsize. */
  readonly msixQsize: number | undefined;
  /** The NVMe subsystem's NQN suffix (QEMU nvme-subsys nqn=). */
  readonly nqn: string | undefined;
}

/** Properties of PCIe ports (root ports and switch downstream ports). */
export interface PortDesc {
  readonly chassis: number | undefined;
  readonly slot: number | undefined;
  readonly hotplug: boolean;
  /** Extra bus numbers firmware reserves behind the port (QEMU bus-reserve). */
  readonly busReserve: number | undefined;
  /** Window sizes firmware reserves behind the port for hot-plug (QEMU io/mem/pref32/pref64-reserve). */
  readonly ioReserve: number | undefined;
  readonly memReserve: number | undefined;
  readonly pref32Reserve: number | undefined;
  readonly pref64Reserve: number | undefined;
}

/** A PCI Express expander bridge's own root bus. */
export interface ExpanderDesc {
  /** The root bus's number (QEMU bus_nr); undefined when the file does not say (an error). */
  readonly busNr: number | undefined;
  /** Id of the NUMA node the bus belongs to (the ACPI _PXM of its root complex). */
  readonly numaNode: string | undefined;
}

export interface DeviceDesc {
  readonly id: string;
  readonly model: string;
  /** Id of the bus the device sits on: 'pcie.0', a bridge's id, or 'ahci' for SATA drives. */
  readonly bus: string;
  readonly addr: SlotFn | undefined;
  readonly multifunction: boolean | undefined;
  readonly port: PortDesc | undefined;
  readonly mac: string | undefined;
  readonly netdev: NetdevDesc | undefined;
  readonly drive: DriveDesc | undefined;
  readonly serial: string | undefined;
  readonly namespaces: readonly NamespaceDesc[];
  /** virtio-serial ports. */
  readonly ports: readonly SerialPortDesc[];
  readonly sriov: SriovDesc | undefined;
  /** nvme only. */
  readonly nvme: NvmeDesc | undefined;
  /** QEMU acpi-index (1-16383). */
  readonly acpiIndex: number | undefined;
  /** pxb-pcie: the root bus it opens (QEMU bus_nr) and the NUMA node's id it belongs to (QEMU numa_node, by index). */
  readonly expander: ExpanderDesc | undefined;
  /** The guest may hot-unplug the device: its slot must support hot-plug. */
  readonly removable: boolean;
  /** AHCI port of a SATA drive. */
  readonly sataPort: number | undefined;
  /**
   * Where a device attached to a controller sits on its bus, as the file
   * gives it: the SCSI target (scsi-id) of scsi-hd/scsi-cd, the USB port of
   * a USB device, the codec address (cad) of an HD Audio codec.
   */
  readonly place: number | undefined;
  /** SCSI LUN of scsi-hd/scsi-cd (default 0). */
  readonly lun: number | undefined;
  /** vfio-pci only. */
  readonly vfio: VfioDesc | undefined;
  /** ASL terms for the device's scope in the DSDT. */
  readonly asl: AslText | undefined;
  readonly spans: Spans;
}

/** A passed-through host function (vfio-pci): the host address QEMU opens and what the guest will see, for planning. */
export interface VfioDesc {
  /** The host's PCI address, 0000:65:00.0. */
  readonly host: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly revision: number;
  readonly classCode: number;
  readonly pin: number;
  readonly bars: readonly { readonly index: number; readonly kind: 'io' | 'mem32' | 'mem64'; readonly prefetchable: boolean; readonly size: number; readonly spans: Spans }[];
  readonly romSize: number;
  readonly spans: Spans;
}

export interface BootEntryDesc {
  readonly id: string;
  readonly span: Span;
}
