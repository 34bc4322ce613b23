/**
 * The QEMU command line for a resolved machine: the same machine the firmware
 * files describe, with every PCI function pinned to the address machc
 * resolved (`bus=`, `addr=`), so QEMU, SeaBIOS and the ACPI tables agree.
 *
 * Written one option per line (`-device e1000e,id=nic0,...`), with a comment
 * line first naming the oldest QEMU release that has every device and
 * feature used. Image paths stay as the machine file gives them: relative
 * paths are relative to the machine file's folder.
 */
import { deviceModel } from '../../../runtime/devices/catalog.js';
import type { DeviceDesc, NamespaceDesc } from '../../model/description.js';
import type { AttachedDevice, PciFunction, ResolvedMachine, SataDrive } from '../../model/topology.js';
import { argsCommentText, qemuImagePath, qemuOptionValue } from './encode.js';
import { BASELINE_QEMU, compareVersions, formatVersion, parseVersion, type QemuVersion } from './version.js';

export interface QemuOption {
  /** '-device' */
  readonly option: string;
  /** 'e1000e,id=nic0,...'; absent for flags. */
  readonly value: string | undefined;
}

export interface QemuImage {
  /** The drive id on the command line. */
  readonly drive: string;
  /** As the machine file gives it. */
  readonly path: string;
  readonly format: 'raw' | 'qcow2';
}

export interface QemuCommand {
  readonly options: readonly QemuOption[];
  /** Oldest QEMU release with every device and feature the machine uses. */
  readonly minVersion: QemuVersion;
  /** Why minVersion is above the baseline: 'igb (uplink0, uplink1)'. */
  readonly versionReasons: readonly string[];
  /** Disk images the command line opens. */
  readonly images: readonly QemuImage[];
  /** Ids of the -device options in command-line order (QEMU's creation order). */
  readonly deviceOrder: readonly string[];
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const KiB = 2 ** 10;

/** A size for -m and size properties: the largest unit that divides it. */
export function qemuSize(bytes: number): string {
  if (bytes % GiB === 0) return `${bytes / GiB}G`;
  if (bytes % MiB === 0) return `${bytes / MiB}M`;
  if (bytes % KiB === 0) return `${bytes / KiB}K`;
  return `${bytes}B`;
}


/** `addr=` as QEMU reads it: slot in hex, `.fn` when not function 0. */
export function qemuAddr(device: number, fn: number): string {
  return fn === 0 ? `0x${device.toString(16)}` : `0x${device.toString(16)}.${fn}`;
}

type Props = readonly (readonly [string, string | number | undefined])[];

function props(head: string, list: Props): string {
  const parts = [head];
  for (const [k, v] of list) if (v !== undefined) parts.push(`${k}=${typeof v === 'number' ? String(v) : qemuOptionValue(v)}`);
  return parts.join(',');
}

/** CPU index list as QEMU's -numa cpus= ranges: [0,1,2,5] -> ['0-2', '5']. */
export function cpuRanges(cpus: readonly number[]): string[] {
  const sorted = [...cpus].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out;
}

/** QEMU q35's RAM split default (hw/i386/pc_q35.c), to know when max-ram-below-4g changes it. */
function defaultBelow4g(ram: number): number {
  const lowmem = ram >= 0xb000_0000 ? 0x8000_0000 : 0xb000_0000;
  return ram >= lowmem ? lowmem : ram;
}

const DEFAULT_HOLE64 = 32 * GiB;

/**
 * (chassis, slot) for every PCIe slot-bearing port. QEMU refuses two ports
 * with the same pair, and both default to 0, so ports the file leaves
 * unnumbered get the lowest free slot in their chassis (chassis 0 by default).
 */
export function portSlots(devices: readonly DeviceDesc[]): Map<string, { chassis: number; slot: number }> {
  const used = new Set<string>();
  const out = new Map<string, { chassis: number; slot: number }>();
  for (const d of devices) if (d.port?.chassis !== undefined && d.port.slot !== undefined) used.add(`${d.port.chassis}/${d.port.slot}`);
  for (const d of devices) {
    if (!d.port) continue;
    const chassis = d.port.chassis ?? 0;
    let slot = d.port.slot;
    if (slot === undefined || d.port.chassis === undefined) {
      if (slot === undefined || used.has(`${chassis}/${slot}`)) {
        slot = 0;
        while (used.has(`${chassis}/${slot}`)) slot++;
      }
      used.add(`${chassis}/${slot}`);
    }
    out.set(d.id, { chassis, slot });
  }
  return out;
}

class Builder {
  readonly options: QemuOption[] = [];
  readonly images: QemuImage[] = [];
  private version: QemuVersion = BASELINE_QEMU;
  private readonly reasons = new Map<string, { version: QemuVersion; ids: string[] }>();

  add(option: string, value?: string): void {
    this.options.push({ option, value });
  }

  get deviceOrder(): string[] {
    const ids: string[] = [];
    for (const o of this.options) {
      const id = o.option === '-device' ? /(?:^|,)id=([^,]+)/.exec(o.value ?? '')?.[1] : undefined;
      if (id) ids.push(id);
    }
    return ids;
  }

  needs(since: string, what: string, id?: string): void {
    const v = parseVersion(since);
    if (compareVersions(v, BASELINE_QEMU) <= 0) return;
    if (compareVersions(v, this.version) > 0) this.version = v;
    const r = this.reasons.get(what) ?? { version: v, ids: [] };
    if (id !== undefined) r.ids.push(id);
    this.reasons.set(what, r);
  }

  private readonly subsystems = new Map<string, string>();

  /** The nvme-subsys for an NQN (shared by every controller that names it), or one of `owner`'s own; added on first use. */
  subsystem(nqn: string | undefined, owner: string): string {
    const key = nqn === undefined ? `own:${owner}` : `nqn:${nqn}`;
    let id = this.subsystems.get(key);
    if (id === undefined) {
      id = `subsys-${owner}`;
      this.subsystems.set(key, id);
      this.add('-device', props('nvme-subsys', [['id', id], ['nqn', nqn]]));
    }
    return id;
  }

  drive(id: string, image: string, format: 'raw' | 'qcow2', readonly: boolean): string {
    const drive = `drive-${id}`;
    this.add('-drive', props('if=none', [['id', drive], ['file', qemuImagePath(image)], ['format', format], ['readonly', readonly ? 'on' : undefined]]));
    this.images.push({ drive, path: image, format });
    return drive;
  }

  result(): QemuCommand {
    const reasons = [...this.reasons.entries()]
      .sort((a, b) => compareVersions(b[1].version, a[1].version) || a[0].localeCompare(b[0]))
      .map(([what, r]) => `${what} needs QEMU >= ${formatVersion(r.version)}${r.ids.length ? ` (${r.ids.join(', ')})` : ''}`);
    return { options: this.options, minVersion: this.version, versionReasons: reasons, images: this.images, deviceOrder: this.deviceOrder };
  }
}

export function qemuCommand(machine: ResolvedMachine): QemuCommand {
  const b = new Builder();
  const fnByKey = new Map(machine.pci.functions.map((f) => [f.key, f]));
  const descById = new Map(machine.devices.map((d) => [d.id, d]));
  const bootIndex = new Map(machine.boot.map((e, i) => [e.id, i + 1]));

  // -machine, memory, CPUs
  const machineProps: [string, string | undefined][] = [
    ['sata', fnByKey.has('ahci') ? undefined : 'off'],
    ['smbus', fnByKey.has('smbus') ? undefined : 'off'],
    ['max-ram-below-4g', machine.memory.below4g !== defaultBelow4g(machine.memory.ramSize) ? qemuSize(machine.memory.below4g) : undefined],
  ];
  // The target release's versioned machine type (what `-machine q35` means there), so a newer QEMU still
  // emulates the machine the tables describe.
  b.add('-machine', props(machine.qemu.machineType, machineProps));
  // The target's machine type exists from its own release on.
  b.needs(machine.qemu.version, `machine type ${machine.qemu.machineType}`);
  const cpu = machine.cpus;
  if (cpu.model !== 'qemu64') b.add('-cpu', cpu.model);
  b.add('-m', qemuSize(machine.memory.ramSize));
  b.add('-smp', props(String(cpu.count), [['sockets', cpu.sockets], ['dies', cpu.dies > 1 ? cpu.dies : undefined], ['cores', cpu.cores], ['threads', cpu.threads], ['maxcpus', cpu.max]]));
  if (machine.memory.pciHole64.size !== DEFAULT_HOLE64) b.add('-global', `q35-pcihost.pci-hole64-size=${qemuSize(machine.memory.pciHole64.size)}`);
  for (const node of machine.numa) {
    const size = node.memory.reduce((s, r) => s + r.size, 0);
    const memdev = size > 0 ? `mem-${node.id}` : undefined;
    if (memdev) b.add('-object', props('memory-backend-ram', [['id', memdev], ['size', qemuSize(size)]]));
    const parts = [`node,nodeid=${node.index}`, ...cpuRanges(node.cpus).map((r) => `cpus=${r}`)];
    if (memdev) parts.push(`memdev=${memdev}`);
    b.add('-numa', parts.join(','));
  }
  b.add('-vga', machine.platform.display === 'std-vga' ? 'std' : machine.platform.display === 'virtio-vga' ? 'virtio' : 'none');
  const hasNic = machine.devices.some((d) => deviceModel(d.model)?.nic);
  if (!hasNic) b.add('-net', 'none');

  // PCI devices, parents first (bus numbers grow down the tree, so BDF order is enough).
  const slots = portSlots(machine.devices);
  const numaIndex = new Map(machine.numa.map((n) => [n.id, n.index]));
  for (const f of machine.pci.functions) {
    if (f.role === 'vf' || f.role === 'host-bridge' || f.role === 'chipset' || f.role === 'display') continue;
    const d = descById.get(f.key);
    if (!d) continue;
    pciDevice(b, f, d, slots, bootIndex, machine.storage.attached, numaIndex);
  }

  // SATA drives on the ICH9 AHCI ports.
  for (const s of machine.storage.sata) {
    const d = descById.get(s.id);
    if (d) sataDevice(b, s, d, bootIndex);
  }
  return b.result();
}

function location(f: PciFunction): Props {
  return [
    ['bus', f.busName],
    ['addr', qemuAddr(f.device, f.fn)],
    ['multifunction', f.multifunction && f.fn === 0 ? 'on' : undefined],
    ['acpi-index', f.acpiIndex],
  ];
}

function pciDevice(
  b: Builder,
  f: PciFunction,
  d: DeviceDesc,
  slots: ReadonlyMap<string, { chassis: number; slot: number }>,
  bootIndex: ReadonlyMap<string, number>,
  attached: readonly AttachedDevice[],
  numaIndex: ReadonlyMap<string, number>,
): void {
  const model = deviceModel(d.model);
  if (!model) throw new Error(`no catalog entry for model ${d.model}`);
  b.needs(model.qemuSince, model.qemuDevice, d.id);
  const boot = bootIndex.get(d.id);
  const head = model.qemuDevice;

  if (model.bridge) {
    const slot = slots.get(d.id);
    b.add('-device', props(head, [
      ['id', d.id],
      ...location(f),
      ['chassis', slot?.chassis],
      ['slot', slot?.slot],
      ['hotplug', d.port && !d.port.hotplug ? 'off' : undefined],
      ['bus-reserve', model.bridge.busReserve && f.bridge && f.bridge.busReserve > 0 ? f.bridge.busReserve : undefined],
      ['io-reserve', d.port?.ioReserve],
      ['mem-reserve', d.port?.memReserve],
      ['pref32-reserve', d.port?.pref32Reserve],
      ['pref64-reserve', d.port?.pref64Reserve],
    ]));
    return;
  }

  if (model.role === 'expander') {
    const node = d.expander?.numaNode;
    b.add('-device', props(head, [['id', d.id], ...location(f), ['bus_nr', d.expander?.busNr], ['numa_node', node !== undefined ? numaIndex.get(node) : undefined]]));
    return;
  }

  if (model.nic) {
    if (f.sriov && model.sriov && compareVersions(parseVersion(model.sriov.qemuSince), parseVersion(model.qemuSince)) > 0) {
      b.needs(model.sriov.qemuSince, `${head} SR-IOV`, d.id);
    }
    if (d.model === 'virtio-net' && f.sriov) virtioNetVfs(b, f, d);
    const netdev = netdevFor(b, d.id, d);
    b.add('-device', props(head, [['id', d.id], ...location(f), ['netdev', netdev], ['mac', d.mac], ['bootindex', boot]]));
    return;
  }

  if (d.model === 'virtio-blk') {
    const drive = d.drive ? b.drive(d.id, d.drive.image, d.drive.format, d.drive.readonly) : undefined;
    b.add('-device', props(head, [['id', d.id], ...location(f), ['drive', drive], ['serial', d.serial], ['bootindex', boot]]));
    return;
  }

  if (d.model === 'nvme') {
    nvmeDevice(b, f, d, boot);
    return;
  }
  if (d.model === 'virtio-serial') {
    b.add('-device', props(head, [['id', d.id], ...location(f)]));
    // Each port's host side is a null character device: output is dropped, nothing comes in (machc run gives ports its own sinks).
    for (const p of d.ports) {
      b.add('-chardev', props('null', [['id', `chr-${p.id}`]]));
      b.add('-device', props(p.kind === 'console' ? 'virtconsole' : 'virtserialport', [['id', p.id], ['bus', `${d.id}.0`], ['chardev', `chr-${p.id}`], ['name', p.name]]));
    }
    return;
  }
  if (d.model === 'virtio-balloon' || d.model === 'virtio-rng' || d.model === 'virtio-gpu' || d.model === 'bochs-display' || d.model === 'pvpanic-pci') {
    b.add('-device', props(head, [['id', d.id], ...location(f)]));
    return;
  }
  if (d.model === 'vfio-pci') {
    // The host function QEMU opens; what the guest sees of it is the host's own, which the file describes for planning.
    b.add('-device', props(head, [['host', d.vfio?.host], ['id', d.id], ...location(f), ['bootindex', boot]]));
    return;
  }
  if (model.controls) {
    b.add('-device', props(head, [['id', d.id], ...location(f)]));
    for (const a of attached.filter((x) => x.controller === d.id)) attachedDevice(b, a, bootIndex);
    return;
  }
  throw new Error(`no QEMU command-line mapping for model ${d.model}`);
}

/**
 * A device on a controller's bus (`<controller>.0`), right after its
 * controller, at the place machc resolved: scsi-hd/scsi-cd at channel 0,
 * scsi-id, lun (a CD-ROM without an image is an empty drive); USB devices
 * at their port; HDA codecs at their codec address (cad), with a silent
 * audio backend.
 */
function attachedDevice(b: Builder, a: AttachedDevice, bootIndex: ReadonlyMap<string, number>): void {
  const model = deviceModel(a.model)!;
  b.needs(model.qemuSince, model.qemuDevice, a.id);
  const bus = `${a.controller}.0`;
  const drive = a.image !== undefined ? b.drive(a.id, a.image, a.format === 'qcow2' ? 'qcow2' : 'raw', a.readonly) : undefined;
  if (a.bus === 'scsi') {
    b.add('-device', props(model.qemuDevice, [['id', a.id], ['bus', bus], ['channel', 0], ['scsi-id', a.place], ['lun', a.lun], ['drive', drive], ['bootindex', bootIndex.get(a.id)]]));
  } else if (a.bus === 'usb') {
    b.add('-device', props(model.qemuDevice, [['id', a.id], ['bus', bus], ['port', String(a.place)], ['drive', drive], ['bootindex', bootIndex.get(a.id)]]));
  } else {
    const audiodev = `audio-${a.id}`;
    b.add('-audiodev', props('none', [['id', audiodev]]));
    b.add('-device', props(model.qemuDevice, [['id', a.id], ['bus', bus], ['cad', a.place], ['audiodev', audiodev]]));
  }
}

function netdevFor(b: Builder, id: string, d: DeviceDesc): string | undefined {
  if (d.netdev?.type === 'none') return undefined;
  const netdev = `net-${id}`;
  b.add('-netdev', `user,id=${netdev}`);
  return netdev;
}

/**
 * virtio-net SR-IOV is composed from user-created functions (QEMU >= 10.1,
 * docs/system/sriov.rst; QEMU 10.0 has no `sriov-pf` property): one
 * virtio-net-pci per VF with `sriov-pf=` naming
 * the PF, all VFs (TotalVFs of them) before the PF, at the PF's routing ID +
 * First VF Offset + n * VF Stride.
 */
function virtioNetVfs(b: Builder, pf: PciFunction, d: DeviceDesc): void {
  const s = pf.sriov!;
  const pfRid = pf.bus * 256 + pf.device * 8 + pf.fn;
  for (let i = s.totalVfs - 1; i >= 0; i--) {
    const rid = pfRid + s.offset + i * s.stride;
    if (rid >> 8 !== pf.bus) throw new Error(`${d.id}: VF ${i} would sit on bus ${rid >> 8}, not the PF's bus`);
    const dfn = rid & 0xff;
    const id = `${d.id}-vf${i}`;
    const netdev = netdevFor(b, id, d);
    b.add('-device', props('virtio-net-pci', [['id', id], ['bus', pf.busName], ['addr', qemuAddr(dfn >> 3, dfn & 7)], ['netdev', netdev], ['sriov-pf', d.id]]));
  }
}

/**
 * nvme (hw/nvme/ctrl.c): a plain controller takes its image as drive=.
 * In an NVMe subsystem (the file's nqn, or one of its own for SR-IOV, which
 * needs one) it takes no drive: its namespaces are nvme-ns devices.
 * Controllers with the same nqn share one nvme-subsys. The queue and
 * interrupt budget is the one machc sized the BARs from: written out with
 * SR-IOV, or when the file sets it.
 */
function nvmeDevice(b: Builder, f: PciFunction, d: DeviceDesc, boot: number | undefined): void {
  const total = f.sriov?.totalVfs ?? 0;
  const { budget, serial } = f.nvme!;
  const namespaces: NamespaceDesc[] = [...d.namespaces];
  const list: (readonly [string, string | number | undefined])[] = [['id', d.id], ...location(f), ['serial', serial]];
  const sub = d.nvme?.nqn !== undefined ? b.subsystem(d.nvme.nqn, d.id) : total > 0 ? b.subsystem(undefined, d.id) : undefined;
  if (sub) {
    if (d.drive) namespaces.unshift({ id: `${d.id}-ns1`, nsid: 1, drive: d.drive, spans: {} });
    list.push(['subsys', sub]);
  }
  if (total > 0) {
    list.push(['sriov_max_vfs', total], ['sriov_vq_flexible', budget.vqFlexible], ['sriov_vi_flexible', budget.viFlexible]);
    b.needs(deviceModel('nvme')!.sriov!.qemuSince, 'nvme SR-IOV', d.id);
  }
  if (total > 0 || d.nvme?.maxIoqpairs !== undefined) list.push(['max_ioqpairs', budget.maxIoqpairs]);
  if (total > 0 || d.nvme?.msixQsize !== undefined) list.push(['msix_qsize', budget.msixQsize]);
  // In a subsystem the image is namespace 1 (nvme-ns above); a plain controller takes it as drive=.
  if (!sub && d.drive) list.push(['drive', b.drive(d.id, d.drive.image, d.drive.format, d.drive.readonly)]);
  // The boot path names namespace 1 (`.../namespace@1,0`): the controller's own, or that nvme-ns.
  const bootNs = namespaces.length > 0 ? (namespaces.find((n) => n.nsid === 1) ?? namespaces[0]) : undefined;
  if (!bootNs) list.push(['bootindex', boot]);
  b.add('-device', props('nvme', list));
  for (const ns of namespaces) {
    const drive = b.drive(ns.id, ns.drive.image, ns.drive.format, ns.drive.readonly);
    b.add('-device', props('nvme-ns', [['id', ns.id], ['drive', drive], ['bus', d.id], ['nsid', ns.nsid], ['bootindex', ns === bootNs ? boot : undefined]]));
  }
}

function sataDevice(b: Builder, s: SataDrive, d: DeviceDesc, bootIndex: ReadonlyMap<string, number>): void {
  // A CD-ROM's medium is read-only whatever the file allows.
  const drive = s.image !== undefined ? b.drive(s.id, s.image, s.format === 'qcow2' ? 'qcow2' : 'raw', s.readonly || s.kind === 'cdrom') : undefined;
  b.needs(deviceModel(d.model)!.qemuSince, s.kind === 'disk' ? 'ide-hd' : 'ide-cd', d.id);
  b.add('-device', props(s.kind === 'disk' ? 'ide-hd' : 'ide-cd', [['id', s.id], ['bus', `ide.${s.port}`], ['drive', drive], ['bootindex', bootIndex.get(s.id)]]));
}

/** The fw_cfg files that replace QEMU's own ACPI tables. */
const FW_CFG_FILES = ['etc/table-loader', 'etc/acpi/tables', 'etc/acpi/rsdp'] as const;

/** The qemu.args file: a comment header, then one option per line. */
export function renderQemuArgs(cmd: QemuCommand, machine: ResolvedMachine, sourceName: string): string {
  const lines = [
    `# QEMU ${machine.qemu.version} (${machine.qemu.machineType}) for machine ${machine.name} (${argsCommentText(sourceName)}); one option per line`,
    ...cmd.versionReasons.map((r) => `# ${r}`),
    ...(cmd.images.length > 0 ? ['# image paths are relative to the folder of the machine file'] : []),
    '# run-qemu.sh in this folder boots it with machc\'s firmware files: ./run-qemu.sh [more QEMU options]',
    "# (it adds acpi=off to -machine, QEMU's own ACPI tables being replaced, and from the build folder:",
    `#   ${FW_CFG_FILES.map((f) => `-fw_cfg name=${f},file=fw_cfg/${f}`).join(' ')})`,
    ...cmd.options.map((o) => (o.value === undefined ? o.option : `${o.option} ${o.value}`)),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * argv from a qemu.args file: comment and blank lines dropped, each line split
 * at its first space. Values are taken as written (no trimming: a path may
 * end in a space); only a CR before the LF is dropped.
 */
export function parseQemuArgs(text: string): string[] {
  const argv: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const sp = line.indexOf(' ');
    if (sp < 0) argv.push(line);
    else argv.push(line.slice(0, sp), line.slice(sp + 1));
  }
  return argv;
}
