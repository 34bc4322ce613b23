/**
 * Hardware facts for every device model machc knows: PCI identity, BAR
 * layout, bridge behaviour and SR-IOV parameters, as QEMU 7.2 presents them
 * on a q35 machine (igb as QEMU 8.0+ does); where a later machine type
 * changes an identity (virtio-balloon's MSI-X from 10.0), the identity takes
 * the target's DeviceCompat (compat.ts). Pure data plus small functions of
 * placement; no behaviour. The compiler resolves topologies from it and the
 * runtime device models take their identities from it, so the two cannot
 * disagree.
 */
import { DEFAULT_COMPAT, type DeviceCompat } from './compat.js';

export type BarKind = 'io' | 'mem32' | 'mem64';

export interface BarSpec {
  readonly index: number;
  readonly kind: BarKind;
  readonly prefetchable: boolean;
  readonly size: number;
}

export interface Identity {
  readonly vendorId: number;
  readonly deviceId: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly revision: number;
  readonly classCode: number;
  /** 0 = type-0 (endpoint) header, 1 = type-1 (bridge) header; without the multifunction bit. */
  readonly headerLayout: 0 | 1;
  /** Interrupt pin: 0 none, 1 = INTA. */
  readonly pin: number;
  readonly bars: readonly BarSpec[];
  readonly romSize: number;
  /** Whether the function has a PCI Express capability where it sits. */
  readonly pcie: boolean;
}

/** The kind of bus a function sits on, which changes some devices (virtio, PCIe endpoint type). */
export type BusKind = 'pcie-root' | 'pcie-link' | 'pcie-switch' | 'pci';

export type ModelRole = 'endpoint' | 'root-port' | 'upstream-port' | 'downstream-port' | 'pcie-pci-bridge' | 'expander' | 'sata-drive' | 'attached';

/**
 * The bus a controller gives the devices attached to it (QEMU's `<id>.0`):
 * SCSI targets on virtio-scsi, USB devices on qemu-xhci, codecs on an HD
 * Audio controller. Attached devices are not PCI functions.
 */
export type AttachedBus = 'scsi' | 'usb' | 'hda';

/** How SeaBIOS treats a bridge's hot-plug (decides empty-window reservations). */
export type HotplugKind = 'pcie' | 'shpc' | 'none';

export interface BridgeSpec {
  readonly hotplug: HotplugKind;
  /** The bus kind behind the bridge. */
  readonly secondary: BusKind;
  /** Whether the bridge has an IO window. */
  readonly ioWindow: boolean;
  /** Whether the prefetchable window is 64-bit capable. */
  readonly prefmem64: boolean;
  /** DevCap2 ARI Forwarding Supported. */
  readonly ariForwarding: boolean;
  /** Accepts QEMU's bus-reserve (resource reserve capability). */
  readonly busReserve: boolean;
  /** Has chassis/slot (a PCIe slot). */
  readonly slot: boolean;
}

export interface SriovSpec {
  /** TotalVFs when the file does not say; undefined when the file must say. */
  readonly defaultTotalVfs: number | undefined;
  readonly maxTotalVfs: number;
  /** TotalVFs is fixed by the hardware (igb: 8). */
  readonly fixedTotalVfs: boolean;
  readonly offset: number;
  readonly stride: number;
  /** First VF Offset / VF Stride can be chosen (composable VFs). */
  readonly configurableRouting: boolean;
  readonly vfDeviceId: number;
  readonly vfBars: readonly BarSpec[];
  /** QEMU version that first models SR-IOV for this device. */
  readonly qemuSince: string;
}

export interface DeviceModel {
  /** The model name in machine files. */
  readonly name: string;
  /** QEMU's -device name. */
  readonly qemuDevice: string;
  readonly role: ModelRole;
  /** 'express': PCIe only; 'conventional': PCI only; 'hybrid': PCIe behind ports, conventional elsewhere (virtio). */
  readonly bus: 'express' | 'conventional' | 'hybrid' | 'sata' | AttachedBus;
  readonly nic: boolean;
  readonly storage: boolean;
  readonly bootable: boolean;
  readonly bridge: BridgeSpec | undefined;
  readonly sriov: SriovSpec | undefined;
  /** The function has an ARI extended capability (always, or only with SR-IOV). */
  readonly ari: 'always' | 'with-sriov' | 'never';
  /** false for devices QEMU refuses to hot-plug (displays): no ACPI eject slot, `removable` refused. Default true. */
  readonly hotpluggable?: false;
  /** A controller: the kind of bus its attached devices sit on, and how many places it has (targets, ports, codec addresses). */
  readonly controls?: { readonly bus: AttachedBus; readonly places: number };
  readonly qemuSince: string;
  /** The identity on a bus of that kind under a target's machine type (default QEMU 7.2's). */
  identity(bus: BusKind, compat?: DeviceCompat): Identity;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** QEMU's default subsystem for type-0 functions. */
const QEMU_SUBSYSTEM = { subsystemVendorId: 0x1af4, subsystemId: 0x1100 } as const;

const bar = (index: number, kind: BarKind, size: number, prefetchable = false): BarSpec => ({ index, kind, prefetchable, size });

function fixed(id: Identity): (bus: BusKind) => Identity {
  return () => id;
}

/** The chipset's own functions (not placeable in machine files). */
export const CHIPSET = {
  mch: {
    vendorId: 0x8086, deviceId: 0x29c0, ...QEMU_SUBSYSTEM, revision: 0x00, classCode: 0x060000,
    headerLayout: 0, pin: 0, bars: [], romSize: 0, pcie: false,
  },
  vga: {
    vendorId: 0x1234, deviceId: 0x1111, ...QEMU_SUBSYSTEM, revision: 0x02, classCode: 0x030000,
    headerLayout: 0, pin: 0, bars: [bar(0, 'mem32', 16 * MiB, true), bar(2, 'mem32', 4 * KiB)], romSize: 64 * KiB, pcie: false,
  },
  /**
   * virtio-vga (-vga virtio, hw/display/virtio-vga.c): the virtio GPU with VGA compatibility, modern-only;
   * BAR0 the VGA's 8 MiB VRAM (vgamem_mb), BAR2 the virtio registers (with the std VGA's MMIO block at its start), BAR4 MSI-X.
   */
  virtioVga: {
    vendorId: 0x1af4, deviceId: 0x1050, ...QEMU_SUBSYSTEM, revision: 0x01, classCode: 0x030000,
    headerLayout: 0, pin: 1, bars: [bar(0, 'mem32', 8 * MiB, true), bar(2, 'mem64', 16 * KiB, true), bar(4, 'mem32', 4 * KiB)], romSize: 64 * KiB, pcie: false,
  },
  lpc: {
    vendorId: 0x8086, deviceId: 0x2918, ...QEMU_SUBSYSTEM, revision: 0x02, classCode: 0x060100,
    headerLayout: 0, pin: 0, bars: [], romSize: 0, pcie: false,
  },
  ahci: {
    vendorId: 0x8086, deviceId: 0x2922, ...QEMU_SUBSYSTEM, revision: 0x02, classCode: 0x010601,
    headerLayout: 0, pin: 1, bars: [bar(4, 'io', 32), bar(5, 'mem32', 4 * KiB)], romSize: 0, pcie: false,
  },
  smbus: {
    vendorId: 0x8086, deviceId: 0x2930, ...QEMU_SUBSYSTEM, revision: 0x02, classCode: 0x0c0500,
    headerLayout: 0, pin: 1, bars: [bar(4, 'io', 64)], romSize: 0, pcie: false,
  },
} as const satisfies Record<string, Identity>;

/**
 * An nvme memory BAR as QEMU lays it out (hw/nvme/ctrl.c nvme_mbar_size):
 * 4 KiB of registers, a doorbell pair per queue, then the MSI-X table and the
 * PBA, each 4 KiB aligned; the BAR is the next power of two.
 */
export function nvmeMbarLayout(totalQueues: number, vectors: number): { tableOffset: number; pbaOffset: number; size: number } {
  const align = (n: number, a: number) => Math.ceil(n / a) * a;
  const tableOffset = align(0x1000 + 2 * totalQueues * 4, 4 * KiB);
  const pbaOffset = align(tableOffset + 16 * vectors, 4 * KiB);
  const end = pbaOffset + align(vectors, 64) / 8;
  let size = 1;
  while (size < end) size *= 2;
  return { tableOffset, pbaOffset, size };
}

/** An nvme controller's queue and interrupt budget (QEMU max_ioqpairs, msix_qsize, sriov_max_vfs, sriov_vq_flexible, sriov_vi_flexible). */
export interface NvmeBudget {
  readonly maxIoqpairs: number;
  readonly msixQsize: number;
  readonly totalVfs: number;
  readonly vqFlexible: number;
  readonly viFlexible: number;
}

/**
 * The budget of a controller with `totalVfs` VFs: what the file gives, else
 * QEMU's defaults (64 queue pairs, 65 vectors) and, with SR-IOV, the least
 * QEMU accepts: 2 flexible queues and 1 flexible vector per VF, and at
 * least 2 queue pairs and 1 vector left to the PF.
 */
export function nvmeBudget(totalVfs: number, given: Partial<Omit<NvmeBudget, 'totalVfs'>> = {}): NvmeBudget {
  const vqFlexible = totalVfs > 0 ? (given.vqFlexible ?? 2 * totalVfs) : 0;
  const viFlexible = totalVfs > 0 ? (given.viFlexible ?? totalVfs) : 0;
  return {
    totalVfs,
    vqFlexible,
    viFlexible,
    maxIoqpairs: given.maxIoqpairs ?? (totalVfs > 0 ? Math.max(64, vqFlexible + 2) : 64),
    msixQsize: given.msixQsize ?? (totalVfs > 0 ? Math.max(65, viFlexible + 1) : 65),
  };
}

/** The PF's BAR0: the admin queue pair plus max_ioqpairs, msix_qsize vectors. */
export function nvmePfBar0(b: NvmeBudget): { tableOffset: number; pbaOffset: number; size: number } {
  return nvmeMbarLayout(b.maxIoqpairs + 1, b.msixQsize);
}

/** A VF's BAR0 (hw/nvme/ctrl.c nvme_init_sriov): the flexible queues and vectors one VF may get (VQFRSM, VIFRSM). */
export function nvmeVfBar0(b: NvmeBudget): BarSpec {
  const per = (n: number) => Math.floor(n / Math.max(b.totalVfs, 1));
  return bar(0, 'mem64', nvmeMbarLayout(per(b.vqFlexible), per(b.viFlexible)).size);
}

/** The virtio device types machc models behind virtio-pci. */
export type VirtioKind = 'net' | 'blk' | 'serial' | 'balloon' | 'rng' | 'gpu' | 'scsi';

/**
 * Per virtio device type, as QEMU 7.2 builds its virtio-pci function: the
 * virtio device ID (modern PCI device ID 0x1040 + it; virtio 1.1 §5), the
 * transitional PCI device ID (also the legacy subsystem ID), the class, the
 * legacy IO BAR size (the legacy header with MSI-X plus the device's config,
 * to a power of two) and whether the function is modern-only everywhere
 * (virtio-gpu-pci forces virtio 1).
 */
export const VIRTIO_KINDS: Record<VirtioKind, { readonly virtioId: number; readonly legacyId: number; readonly classCode: number; readonly legacyIo: number; readonly modernOnly: boolean }> = {
  net: { virtioId: 1, legacyId: 0x1000, classCode: 0x020000, legacyIo: 32, modernOnly: false },
  blk: { virtioId: 2, legacyId: 0x1001, classCode: 0x010000, legacyIo: 128, modernOnly: false },
  serial: { virtioId: 3, legacyId: 0x1003, classCode: 0x078000, legacyIo: 64, modernOnly: false },
  balloon: { virtioId: 5, legacyId: 0x1002, classCode: 0x00ff00, legacyIo: 64, modernOnly: false },
  rng: { virtioId: 4, legacyId: 0x1005, classCode: 0x00ff00, legacyIo: 32, modernOnly: false },
  gpu: { virtioId: 16, legacyId: 0, classCode: 0x038000, legacyIo: 0, modernOnly: true },
  scsi: { virtioId: 8, legacyId: 0x1004, classCode: 0x010000, legacyIo: 64, modernOnly: false },
};

/**
 * MSI-X vectors QEMU gives a virtio-pci function when `vectors` is not
 * set: virtio-net 2 per queue pair + 2 (one queue pair: 4); virtio-blk one
 * per queue + 1, with one queue per vCPU (num-queues auto, at most 1024);
 * virtio-serial 2, virtio-rng 2 (the class defaults), virtio-gpu 3
 * (control, cursor, configuration); virtio-balloon what the target's machine
 * type says (`compat.balloonVectors`: none on 7.2, no MSI-X at all; 2 from
 * 10.0); virtio-scsi one per request queue (one per vCPU, num_queues auto)
 * + 3 (control, event, configuration).
 */
export function virtioMsixVectors(kind: VirtioKind, cpus: number, compat: DeviceCompat = DEFAULT_COMPAT): number {
  switch (kind) {
    case 'net': return 4;
    case 'blk': return Math.min(Math.max(cpus, 1), 1024) + 1;
    case 'serial': case 'rng': return 2;
    case 'gpu': return 3;
    case 'balloon': return compat.balloonVectors;
    case 'scsi': return Math.min(Math.max(cpus, 1), 1024) + 3;
  }
}

function virtio(kind: VirtioKind): (bus: BusKind, compat?: DeviceCompat) => Identity {
  const k = VIRTIO_KINDS[kind];
  return (bus, compat = DEFAULT_COMPAT) => {
    const modern = k.modernOnly || bus === 'pcie-link';
    // Without MSI-X (virtio-balloon before 10.0's machine type) there is no BAR1.
    const msix = virtioMsixVectors(kind, 1, compat) > 0;
    return {
      vendorId: 0x1af4,
      deviceId: modern ? 0x1040 + k.virtioId : k.legacyId,
      subsystemVendorId: 0x1af4,
      subsystemId: modern ? 0x1100 : k.virtioId,
      revision: modern ? 0x01 : 0x00,
      classCode: k.classCode,
      headerLayout: 0,
      pin: 1,
      bars: [...(modern ? [] : [bar(0, 'io', k.legacyIo)]), ...(msix ? [bar(1, 'mem32', 4 * KiB)] : []), bar(4, 'mem64', 16 * KiB, true)],
      romSize: kind === 'net' ? 256 * KiB : 0,
      pcie: bus === 'pcie-link',
    };
  };
}

function notPci(what: string): () => Identity {
  return () => {
    throw new Error(`${what} are not PCI functions`);
  };
}

const MODELS: readonly DeviceModel[] = [
  {
    name: 'pcie-root-port', qemuDevice: 'pcie-root-port',
    role: 'root-port', bus: 'express', nic: false, storage: false, bootable: false, sriov: undefined, ari: 'never', qemuSince: '2.9',
    bridge: { hotplug: 'pcie', secondary: 'pcie-link', ioWindow: true, prefmem64: true, ariForwarding: true, busReserve: true, slot: true },
    identity: fixed({ vendorId: 0x1b36, deviceId: 0x000c, subsystemVendorId: 0, subsystemId: 0, revision: 0, classCode: 0x060400, headerLayout: 1, pin: 1, bars: [bar(0, 'mem32', 4 * KiB)], romSize: 0, pcie: true }),
  },
  {
    name: 'ioh3420', qemuDevice: 'ioh3420',
    role: 'root-port', bus: 'express', nic: false, storage: false, bootable: false, sriov: undefined, ari: 'never', qemuSince: '1.0',
    bridge: { hotplug: 'pcie', secondary: 'pcie-link', ioWindow: true, prefmem64: true, ariForwarding: true, busReserve: false, slot: true },
    identity: fixed({ vendorId: 0x8086, deviceId: 0x3420, subsystemVendorId: 0, subsystemId: 0, revision: 0x02, classCode: 0x060400, headerLayout: 1, pin: 1, bars: [], romSize: 0, pcie: true }),
  },
  {
    name: 'x3130-upstream', qemuDevice: 'x3130-upstream',
    role: 'upstream-port', bus: 'express', nic: false, storage: false, bootable: false, sriov: undefined, ari: 'never', qemuSince: '1.0',
    bridge: { hotplug: 'none', secondary: 'pcie-switch', ioWindow: true, prefmem64: true, ariForwarding: false, busReserve: false, slot: false },
    identity: fixed({ vendorId: 0x104c, deviceId: 0x8232, subsystemVendorId: 0, subsystemId: 0, revision: 0x02, classCode: 0x060400, headerLayout: 1, pin: 0, bars: [], romSize: 0, pcie: true }),
  },
  {
    name: 'xio3130-downstream', qemuDevice: 'xio3130-downstream',
    role: 'downstream-port', bus: 'express', nic: false, storage: false, bootable: false, sriov: undefined, ari: 'never', qemuSince: '1.0',
    bridge: { hotplug: 'pcie', secondary: 'pcie-link', ioWindow: true, prefmem64: true, ariForwarding: true, busReserve: false, slot: true },
    identity: fixed({ vendorId: 0x104c, deviceId: 0x8233, subsystemVendorId: 0, subsystemId: 0, revision: 0x01, classCode: 0x060400, headerLayout: 1, pin: 0, bars: [], romSize: 0, pcie: true }),
  },
  {
    name: 'pcie-pci-bridge', qemuDevice: 'pcie-pci-bridge',
    role: 'pcie-pci-bridge', bus: 'express', nic: false, storage: false, bootable: false, sriov: undefined, ari: 'never', qemuSince: '2.12',
    bridge: { hotplug: 'shpc', secondary: 'pci', ioWindow: true, prefmem64: true, ariForwarding: true, busReserve: false, slot: false },
    identity: fixed({ vendorId: 0x1b36, deviceId: 0x000e, subsystemVendorId: 0, subsystemId: 0, revision: 0, classCode: 0x060400, headerLayout: 1, pin: 1, bars: [bar(0, 'mem64', 256)], romSize: 0, pcie: true }),
  },
  {
    name: 'pxb-pcie', qemuDevice: 'pxb-pcie',
    role: 'expander', bus: 'express', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '2.6',
    hotpluggable: false,
    // A conventional function on pcie.0 (class host bridge, no BARs, no capabilities) that opens a PCI Express root bus of
    // its own (hw/pci-bridge/pci_expander_bridge.c): status 66 MHz and fast back-to-back.
    identity: fixed({ vendorId: 0x1b36, deviceId: 0x000b, ...QEMU_SUBSYSTEM, revision: 0, classCode: 0x060000, headerLayout: 0, pin: 0, bars: [], romSize: 0, pcie: false }),
  },
  {
    name: 'e1000e', qemuDevice: 'e1000e',
    role: 'endpoint', bus: 'express', nic: true, storage: false, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '2.7',
    identity: fixed({ vendorId: 0x8086, deviceId: 0x10d3, subsystemVendorId: 0x8086, subsystemId: 0x0000, revision: 0, classCode: 0x020000, headerLayout: 0, pin: 1, bars: [bar(0, 'mem32', 128 * KiB), bar(1, 'mem32', 128 * KiB), bar(2, 'io', 32), bar(3, 'mem32', 16 * KiB)], romSize: 256 * KiB, pcie: true }),
  },
  {
    name: 'igb', qemuDevice: 'igb',
    role: 'endpoint', bus: 'express', nic: true, storage: false, bootable: true, bridge: undefined, ari: 'always', qemuSince: '8.0',
    sriov: { defaultTotalVfs: 8, maxTotalVfs: 8, fixedTotalVfs: true, offset: 0x80, stride: 2, configurableRouting: false, vfDeviceId: 0x10ca, vfBars: [bar(0, 'mem64', 16 * KiB, true), bar(3, 'mem64', 16 * KiB, true)], qemuSince: '8.0' },
    identity: fixed({ vendorId: 0x8086, deviceId: 0x10c9, ...QEMU_SUBSYSTEM, revision: 0x01, classCode: 0x020000, headerLayout: 0, pin: 1, bars: [bar(0, 'mem32', 128 * KiB), bar(1, 'mem32', 128 * KiB), bar(2, 'io', 32), bar(3, 'mem64', 16 * KiB)], romSize: 0, pcie: true }),
  },
  {
    name: 'virtio-net', qemuDevice: 'virtio-net-pci',
    role: 'endpoint', bus: 'hybrid', nic: true, storage: false, bootable: true, bridge: undefined, ari: 'with-sriov', qemuSince: '1.0',
    sriov: { defaultTotalVfs: undefined, maxTotalVfs: 255, fixedTotalVfs: false, offset: 1, stride: 1, configurableRouting: true, vfDeviceId: 0x1041, vfBars: [bar(1, 'mem32', 4 * KiB), bar(4, 'mem64', 16 * KiB, true)], qemuSince: '10.1' },
    identity: virtio('net'),
  },
  {
    name: 'e1000', qemuDevice: 'e1000',
    role: 'endpoint', bus: 'conventional', nic: true, storage: false, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '0.10',
    identity: fixed({ vendorId: 0x8086, deviceId: 0x100e, ...QEMU_SUBSYSTEM, revision: 0x03, classCode: 0x020000, headerLayout: 0, pin: 1, bars: [bar(0, 'mem32', 128 * KiB), bar(1, 'io', 64)], romSize: 256 * KiB, pcie: false }),
  },
  {
    name: 'virtio-blk', qemuDevice: 'virtio-blk-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: true, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: virtio('blk'),
  },
  {
    name: 'virtio-serial', qemuDevice: 'virtio-serial-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: virtio('serial'),
  },
  {
    name: 'virtio-balloon', qemuDevice: 'virtio-balloon-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: virtio('balloon'),
  },
  {
    name: 'virtio-rng', qemuDevice: 'virtio-rng-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.3',
    identity: virtio('rng'),
  },
  {
    name: 'virtio-gpu', qemuDevice: 'virtio-gpu-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '2.4',
    hotpluggable: false,
    identity: virtio('gpu'),
  },
  {
    name: 'bochs-display', qemuDevice: 'bochs-display',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '3.0',
    // PCIe (an integrated endpoint on pcie.0) on any PCI Express bus, conventional behind a PCIe-to-PCI bridge.
    identity: (bus) => ({
      vendorId: 0x1234, deviceId: 0x1111, ...QEMU_SUBSYSTEM, revision: 0x02, classCode: 0x038000, headerLayout: 0, pin: 0,
      bars: [bar(0, 'mem32', 16 * MiB, true), bar(2, 'mem32', 4 * KiB)], romSize: 32 * KiB, pcie: bus !== 'pci',
    }),
  },
  {
    name: 'pvpanic-pci', qemuDevice: 'pvpanic-pci',
    role: 'endpoint', bus: 'conventional', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '6.0',
    // A conventional PCI function (on pcie.0 or behind a pcie-pci-bridge), without a PCIe capability.
    identity: fixed({ vendorId: 0x1b36, deviceId: 0x0011, ...QEMU_SUBSYSTEM, revision: 0x01, classCode: 0x088000, headerLayout: 0, pin: 0, bars: [bar(0, 'mem32', 16)], romSize: 0, pcie: false }),
  },
  {
    name: 'virtio-scsi', qemuDevice: 'virtio-scsi-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    // QEMU's virtio-scsi bus: channel 0, targets 0-255 (max_target), LUNs 0-16383.
    controls: { bus: 'scsi', places: 256 },
    identity: virtio('scsi'),
  },
  {
    name: 'scsi-hd', qemuDevice: 'scsi-hd',
    role: 'attached', bus: 'scsi', nic: false, storage: true, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('SCSI disks'),
  },
  {
    name: 'scsi-cd', qemuDevice: 'scsi-cd',
    role: 'attached', bus: 'scsi', nic: false, storage: true, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('SCSI CD-ROMs'),
  },
  {
    name: 'qemu-xhci', qemuDevice: 'qemu-xhci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '2.12',
    // USB ports 1-4 (each a USB 2 and a USB 3 port of the controller); no hubs.
    controls: { bus: 'usb', places: 4 },
    // A PCIe capability on any PCI Express bus (an integrated endpoint on pcie.0), none behind a PCIe-to-PCI bridge.
    identity: (bus) => ({
      vendorId: 0x1b36, deviceId: 0x000d, ...QEMU_SUBSYSTEM, revision: 0x01, classCode: 0x0c0330, headerLayout: 0, pin: 1,
      bars: [bar(0, 'mem64', 16 * KiB)], romSize: 0, pcie: bus !== 'pci',
    }),
  },
  {
    name: 'usb-tablet', qemuDevice: 'usb-tablet',
    role: 'attached', bus: 'usb', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('USB devices'),
  },
  {
    name: 'usb-kbd', qemuDevice: 'usb-kbd',
    role: 'attached', bus: 'usb', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('USB devices'),
  },
  {
    name: 'usb-storage', qemuDevice: 'usb-storage',
    role: 'attached', bus: 'usb', nic: false, storage: true, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('USB devices'),
  },
  {
    name: 'ich9-intel-hda', qemuDevice: 'ich9-intel-hda',
    role: 'endpoint', bus: 'conventional', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    // Codec addresses 0-14 on the HD Audio link.
    controls: { bus: 'hda', places: 15 },
    // A conventional PCI function (an ICH9 chipset function in QEMU: no PCIe capability), with MSI.
    identity: fixed({ vendorId: 0x8086, deviceId: 0x293e, ...QEMU_SUBSYSTEM, revision: 0x03, classCode: 0x040300, headerLayout: 0, pin: 1, bars: [bar(0, 'mem32', 16 * KiB)], romSize: 0, pcie: false }),
  },
  {
    name: 'hda-duplex', qemuDevice: 'hda-duplex',
    role: 'attached', bus: 'hda', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('HD Audio codecs'),
  },
  {
    name: 'hda-output', qemuDevice: 'hda-output',
    role: 'attached', bus: 'hda', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('HD Audio codecs'),
  },
  {
    name: 'hda-micro', qemuDevice: 'hda-micro',
    role: 'attached', bus: 'hda', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('HD Audio codecs'),
  },
  {
    name: 'vfio-pci', qemuDevice: 'vfio-pci',
    role: 'endpoint', bus: 'hybrid', nic: false, storage: false, bootable: false, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '2.0',
    // A host function passed through: its IDs, class and BARs are the machine file's (vfioIdentity); this is only the frame.
    identity: (bus) => ({ vendorId: 0xffff, deviceId: 0xffff, subsystemVendorId: 0, subsystemId: 0, revision: 0, classCode: 0xff0000, headerLayout: 0, pin: 1, bars: [], romSize: 0, pcie: bus !== 'pci' }),
  },
  {
    name: 'nvme', qemuDevice: 'nvme',
    role: 'endpoint', bus: 'express', nic: false, storage: true, bootable: true, bridge: undefined, ari: 'with-sriov', qemuSince: '1.6',
    // The BARs of the default budget; a controller's own budget sizes them (nvmePfBar0, nvmeVfBar0).
    sriov: { defaultTotalVfs: undefined, maxTotalVfs: 127, fixedTotalVfs: false, offset: 1, stride: 1, configurableRouting: false, vfDeviceId: 0x0010, vfBars: [nvmeVfBar0(nvmeBudget(1))], qemuSince: '7.0' },
    identity: fixed({ vendorId: 0x1b36, deviceId: 0x0010, ...QEMU_SUBSYSTEM, revision: 0x02, classCode: 0x010802, headerLayout: 0, pin: 1, bars: [bar(0, 'mem64', nvmePfBar0(nvmeBudget(0)).size)], romSize: 0, pcie: true }),
  },
  {
    name: 'sata-disk', qemuDevice: 'ide-hd',
    role: 'sata-drive', bus: 'sata', nic: false, storage: true, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('SATA drives'),
  },
  {
    name: 'sata-cdrom', qemuDevice: 'ide-cd',
    role: 'sata-drive', bus: 'sata', nic: false, storage: true, bootable: true, bridge: undefined, sriov: undefined, ari: 'never', qemuSince: '1.0',
    identity: notPci('SATA drives'),
  },
];

const BY_NAME = new Map(MODELS.map((m) => [m.name, m]));

export function deviceModel(name: string): DeviceModel | undefined {
  return BY_NAME.get(name);
}

export function allDeviceModels(): readonly DeviceModel[] {
  return MODELS;
}

/** What the machine file says of a passed-through host function (vfio-pci). */
export interface VfioSpec {
  readonly vendorId: number;
  readonly deviceId: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly revision: number;
  readonly classCode: number;
  /** Interrupt pin (0 none, 1 INTA ...). */
  readonly pin: number;
  readonly bars: readonly BarSpec[];
  readonly romSize: number;
}

/** The identity a vfio-pci function plans with: the host function's, as the file describes it, on a bus of this kind. */
export function vfioIdentity(spec: VfioSpec, bus: BusKind): Identity {
  return { ...spec, headerLayout: 0, pcie: bus !== 'pci' };
}
