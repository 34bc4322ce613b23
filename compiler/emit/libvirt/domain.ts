/**
 * A resolved machine as a libvirt domain (`machc export libvirt`), for
 * libvirt 9.0 (Debian bookworm) driving the target QEMU.
 *
 * Every PCI function keeps the address machc resolved: each bridge is a
 * `<controller type='pci'>` whose index is its place in BDF order (parents
 * first, as libvirt requires), every device an `<address type='pci'>` on its
 * controller, so libvirt places nothing itself. Ids are libvirt user aliases
 * (`ua-<id>`), which libvirt hands QEMU as the device ids.
 *
 * What libvirt's own elements cannot say is given the way libvirt lets a
 * domain say it, and nothing is left out:
 * - properties libvirt has no attribute for (a port's PCIe slot number,
 *   bus-reserve and window reserves) go in `<qemu:override>` on the device;
 * - devices libvirt 9.0 has no element for (nvme with its namespaces and
 *   SR-IOV budget, virtio-net SR-IOV PFs with their VFs, pvpanic-pci, a
 *   virtio-gpu that would otherwise become the primary virtio-vga; for now
 *   also virtio-scsi, qemu-xhci and HD Audio with the devices on them) and the
 *   q35 properties it does not set (sata=off, smbus=off, max-ram-below-4g)
 *   are the options machc's qemu.args has for them, in `<qemu:commandline>`,
 *   with `bus=` naming the controllers' aliases;
 * - how many VFs the guest enables (guest state), the NUMA nodes' ids and
 *   machc's own choices for its ACPI tables (acpi:, device ASL, SSDTs) are
 *   kept in `<metadata>`, which only machc reads.
 * Emulated SR-IOV VFs are functions the guest creates on an emulated PF, not
 * host devices, so they are not `<hostdev>` elements.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { deviceModel } from '../../../runtime/devices/catalog.js';
import type { DeviceDesc, SsdtDesc } from '../../model/description.js';
import type { PciFunction, ResolvedMachine } from '../../model/topology.js';
import { cpuRanges, portSlots, qemuCommand, type QemuOption } from '../qemu/args.js';
import { argsCommentText } from '../qemu/encode.js';
import { el, renderXml, type XmlElement } from './xml.js';

export const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';
export const MACHC_NS = 'https://machc.dev/schemas/libvirt-metadata/1';
/** The prefix libvirt requires of user-chosen aliases. */
export const ALIAS_PREFIX = 'ua-';

const alias = (id: string) => el('alias', [['name', `${ALIAS_PREFIX}${id}`]]);
const hex = (n: number, w = 2) => `0x${n.toString(16).padStart(w, '0')}`;

/** Controller models by machc model: libvirt's controller model and its `<model name>`. */
const CONTROLLERS: Readonly<Record<string, readonly [string, string]>> = {
  'pcie-root-port': ['pcie-root-port', 'pcie-root-port'],
  ioh3420: ['pcie-root-port', 'ioh3420'],
  'x3130-upstream': ['pcie-switch-upstream-port', 'x3130-upstream'],
  'xio3130-downstream': ['pcie-switch-downstream-port', 'xio3130-downstream'],
  'pcie-pci-bridge': ['pcie-to-pci-bridge', 'pcie-pci-bridge'],
  'pxb-pcie': ['pcie-expander-bus', 'pxb-pcie'],
};

/** libvirt's `<interface><model type>` for machc's NIC models. */
export const NIC_MODELS: Readonly<Record<string, string>> = { e1000e: 'e1000e', igb: 'igb', e1000: 'e1000', 'virtio-net': 'virtio' };

/** The options of machc's qemu.args that make each device, grouped by the device's id. */
function optionGroups(options: readonly QemuOption[]): { machine: QemuOption | undefined; groups: Map<string, QemuOption[]> } {
  const groups = new Map<string, QemuOption[]>();
  let pending: QemuOption[] = [];
  let machine: QemuOption | undefined;
  const owner = new Map<string, string>();
  for (const o of options) {
    if (o.option === '-machine') machine = o;
    if (o.option === '-netdev' || o.option === '-drive' || o.option === '-chardev' || o.option === '-audiodev' || (o.option === '-device' && o.value?.startsWith('nvme-subsys,'))) {
      pending.push(o);
      continue;
    }
    if (o.option !== '-device' || o.value === undefined) continue;
    const id = /(?:^|,)id=([^,]+)/.exec(o.value)?.[1] ?? '';
    const bus = /(?:^|,)bus=([^,]+?)(?:\.0)?(?:,|$)/.exec(o.value)?.[1];
    const pf = /(?:^|,)sriov-pf=([^,]+)/.exec(o.value)?.[1];
    // Parts of another device (nvme-ns, virtio-serial ports, devices on a SCSI, USB or HDA controller) and VFs go with it;
    // the rest starts its own group.
    const part = /^(nvme-ns|virtconsole|virtserialport|scsi-hd|scsi-cd|usb-tablet|usb-kbd|usb-storage|hda-duplex|hda-output|hda-micro),/.test(o.value);
    const head = part && bus ? (owner.get(bus) ?? bus) : (pf ?? id);
    owner.set(id, head);
    groups.set(head, [...(groups.get(head) ?? []), ...pending, o]);
    pending = [];
  }
  return { machine, groups };
}

class DomainWriter {
  private readonly index = new Map<string, number>();
  private readonly overrides: XmlElement[] = [];
  private readonly commandline: string[] = [];
  private readonly groups: Map<string, QemuOption[]>;
  private readonly slots: ReadonlyMap<string, { chassis: number; slot: number }>;
  private readonly baseDir: string;
  private vd = 0;
  private sd = 0;

  constructor(
    private readonly m: ResolvedMachine,
    private readonly ssdts: readonly SsdtDesc[],
  ) {
    const cmd = qemuCommand(m);
    const { machine, groups } = optionGroups(cmd.options);
    this.groups = groups;
    this.slots = portSlots(m.devices);
    this.baseDir = m.file.startsWith('<') ? process.cwd() : dirname(resolve(m.file));
    // q35 properties libvirt does not set: the machine's own -machine, less the type libvirt gives.
    const extra = machine?.value?.split(',').slice(1) ?? [];
    if (extra.length > 0) this.commandline.push('-machine', extra.join(','));
    let n = 1;
    for (const f of m.pci.functions) if (f.bridge || f.role === 'expander') this.index.set(f.key, n++);
  }

  private image(path: string): string {
    return isAbsolute(path) ? path : resolve(this.baseDir, path);
  }

  /** `<address type='pci'>` of a function, on the controller of its bus. */
  private address(f: PciFunction): XmlElement {
    const bus = f.busName === 'pcie.0' ? 0 : this.index.get(f.busName)!;
    return el('address', [
      ['type', 'pci'],
      ['domain', '0x0000'],
      ['bus', hex(bus)],
      ['slot', hex(f.device)],
      ['function', hex(f.fn, 1)],
      ['multifunction', f.multifunction && f.fn === 0 ? 'on' : undefined],
    ]);
  }

  private acpi(f: PciFunction): XmlElement | undefined {
    return f.acpiIndex !== undefined ? el('acpi', [['index', f.acpiIndex]]) : undefined;
  }

  private override(id: string, props: readonly (readonly [string, string, number | string | undefined])[]): void {
    const list = props.filter(([, , v]) => v !== undefined).map(([name, type, value]) => el('qemu:property', [['name', name], ['type', type], ['value', value]]));
    if (list.length > 0) this.overrides.push(el('qemu:device', [['alias', `${ALIAS_PREFIX}${id}`]], [el('qemu:frontend', [], list)]));
  }

  /** A device libvirt has no element for: machc's own options for it, buses named by their aliases, images by absolute paths. */
  private passthrough(id: string): void {
    for (const o of this.groups.get(id) ?? []) {
      let v = o.value ?? '';
      // Controllers are known to QEMU by their aliases; other buses (an nvme controller's namespaces) keep machc's ids.
      v = v.replace(/(^|,)bus=([^,]+)/, (all, lead: string, bus: string) => (this.index.has(bus) ? `${lead}bus=${ALIAS_PREFIX}${bus}` : all));
      if (o.option === '-drive') v = v.replace(/(^|,)file=((?:[^,]|,,)+)/, (_a, lead: string, file: string) => `${lead}file=${this.image(file.replace(/,,/g, ',')).replace(/,/g, ',,')}`);
      this.commandline.push(o.option, v);
    }
  }

  private controller(f: PciFunction, d: DeviceDesc): XmlElement {
    const [model, name] = CONTROLLERS[d.model]!;
    const slot = this.slots.get(d.id);
    const hw = deviceModel(d.model)!;
    // QEMU's slot is 0 unless set: set it where the file does, or where machc numbered an unnumbered port otherwise.
    if (hw.bridge?.slot && (d.port?.slot !== undefined || slot?.slot !== 0)) this.override(d.id, [['slot', 'unsigned', slot?.slot]]);
    if (hw.bridge?.busReserve) {
      this.override(d.id, [
        ['bus-reserve', 'unsigned', f.bridge && f.bridge.busReserve > 0 ? f.bridge.busReserve : undefined],
        ['io-reserve', 'unsigned', d.port?.ioReserve],
        ['mem-reserve', 'unsigned', d.port?.memReserve],
        ['pref32-reserve', 'unsigned', d.port?.pref32Reserve],
        ['pref64-reserve', 'unsigned', d.port?.pref64Reserve],
      ]);
    }
    // libvirt numbers root ports' PCIe Port Numbers itself unless told; machc's (and QEMU's default) is 0.
    // An expander's root bus number and NUMA node (libvirt's <target busNr><node>).
    const node = d.expander?.numaNode !== undefined ? this.m.numa.find((x) => x.id === d.expander!.numaNode)?.index : undefined;
    const target = hw.bridge?.slot
      ? el('target', [['chassis', slot?.chassis], ['port', '0x0'], ['hotplug', d.port && !d.port.hotplug ? 'off' : undefined]])
      : d.expander
        ? el('target', [['busNr', d.expander.busNr]], [node !== undefined ? el('node', [], [], String(node)) : undefined])
        : undefined;
    return el('controller', [['type', 'pci'], ['index', this.index.get(f.key)], ['model', model]], [el('model', [['name', name]]), target, alias(d.id), this.acpi(f), this.address(f)]);
  }

  /** The devices section, in BDF order, then the SATA drives. */
  devices(): XmlElement[] {
    const m = this.m;
    const out: XmlElement[] = [el('controller', [['type', 'pci'], ['index', 0], ['model', 'pcie-root']], [m.memory.pciHole64.size !== 32 * 2 ** 30 ? el('pcihole64', [['unit', 'KiB']], [], String(m.memory.pciHole64.size / 1024)) : undefined])];
    const videos: XmlElement[] = [];
    const byId = new Map(m.devices.map((d) => [d.id, d]));
    const boot = new Map(m.boot.map((b, i) => [b.id, i + 1]));
    const bootEl = (id: string) => (boot.has(id) ? el('boot', [['order', boot.get(id)]]) : undefined);
    let balloon = false;
    let serials = 0;
    for (const f of m.pci.functions) {
      if (f.role === 'display') videos.push(el('video', [], [el('model', [['type', f.model === 'virtio-vga' ? 'virtio' : 'vga'], ['primary', 'yes']]), this.address(f)]));
      const d = byId.get(f.key);
      if (!d || f.role === 'vf') continue;
      if (f.bridge || f.role === 'expander') {
        out.push(this.controller(f, d));
        continue;
      }
      const nic = NIC_MODELS[d.model];
      if (nic && !(d.model === 'virtio-net' && f.sriov)) {
        out.push(
          el('interface', [['type', d.netdev?.type === 'none' ? 'null' : 'user']], [d.mac ? el('mac', [['address', d.mac]]) : undefined, el('model', [['type', nic]]), alias(d.id), this.acpi(f), bootEl(d.id), this.address(f)]),
        );
      } else if (d.model === 'virtio-blk' && d.drive) {
        out.push(
          el('disk', [['type', 'file'], ['device', 'disk']], [
            el('driver', [['name', 'qemu'], ['type', d.drive.format]]),
            el('source', [['file', this.image(d.drive.image)]]),
            el('target', [['dev', `vd${driveLetters(this.vd++)}`], ['bus', 'virtio']]),
            d.drive.readonly ? el('readonly') : undefined,
            d.serial !== undefined ? el('serial', [], [], d.serial) : undefined,
            alias(d.id),
            this.acpi(f),
            bootEl(d.id),
            this.address(f),
          ]),
        );
      } else if (d.model === 'virtio-serial') {
        const controller = serials++;
        out.push(el('controller', [['type', 'virtio-serial'], ['index', controller]], [alias(d.id), this.acpi(f), this.address(f)]));
        d.ports.forEach((p, i) => {
          const at = el('address', [['type', 'virtio-serial'], ['controller', controller], ['bus', 0], ['port', i + 1]]);
          out.push(el(p.kind === 'console' ? 'console' : 'channel', [['type', 'null']], [el('target', [['type', 'virtio'], ['name', p.name]]), alias(p.id), at]));
        });
      } else if (d.model === 'virtio-balloon' && !balloon) {
        balloon = true;
        out.push(el('memballoon', [['model', 'virtio']], [alias(d.id), this.acpi(f), this.address(f)]));
      } else if (d.model === 'virtio-rng') {
        out.push(el('rng', [['model', 'virtio']], [el('backend', [['model', 'random']], [], '/dev/urandom'), alias(d.id), this.acpi(f), this.address(f)]));
      } else if (d.model === 'bochs-display' || (d.model === 'virtio-gpu' && videos.length > 0)) {
        // The first <video> is the primary one; a primary virtio video would be virtio-vga, not virtio-gpu-pci.
        videos.push(el('video', [], [el('model', [['type', d.model === 'bochs-display' ? 'bochs' : 'virtio'], ['primary', videos.length === 0 ? 'yes' : undefined]]), alias(d.id), this.acpi(f), this.address(f)]));
      } else this.passthrough(d.id);
    }
    if (!balloon) out.push(el('memballoon', [['model', 'none']]));
    if (videos.length === 0) videos.push(el('video', [], [el('model', [['type', 'none']])]));
    out.push(...videos);
    out.push(el('controller', [['type', 'usb'], ['model', 'none']]));
    if (m.pci.functions.some((f) => f.key === 'ahci')) {
      const ahci = m.pci.functions.find((f) => f.key === 'ahci')!;
      out.push(el('controller', [['type', 'sata'], ['index', 0]], [this.address(ahci)]));
    }
    for (const s of m.storage.sata) {
      out.push(
        el('disk', [['type', 'file'], ['device', s.kind]], [
          el('driver', [['name', 'qemu'], ['type', s.format === 'qcow2' ? 'qcow2' : 'raw']]),
          s.image !== undefined ? el('source', [['file', this.image(s.image)]]) : undefined,
          el('target', [['dev', `sd${driveLetters(this.sd++)}`], ['bus', 'sata']]),
          s.readonly || s.kind === 'cdrom' ? el('readonly') : undefined,
          alias(s.id),
          bootEl(s.id),
          el('address', [['type', 'drive'], ['controller', 0], ['bus', 0], ['target', 0], ['unit', s.port]]),
        ]),
      );
    }
    return out;
  }

  domain(): XmlElement {
    const m = this.m;
    const kib = (n: number) => String(n / 1024);
    const c = m.cpus;
    const devices = this.devices();
    const cpuModel = c.model === 'max' ? [] : [el('model', [['fallback', 'forbid']], [], c.model)];
    const numa = m.numa.length > 0 ? el('numa', [], m.numa.map((n) => el('cell', [['id', n.index], ['cpus', cpuRanges(n.cpus).join(',')], ['memory', kib(n.memory.reduce((s, r) => s + r.size, 0))], ['unit', 'KiB']]))) : undefined;
    // What libvirt has no place for: how many VFs the guest enables, the NUMA nodes' ids, and machc's
    // own departures from QEMU's ACPI tables (acpi: choices, device ASL, SSDTs).
    const a = m.acpi;
    const meta = [
      ...m.pci.functions.filter((f) => f.sriov && f.role !== 'vf').map((f) => el('machc:sriov', [['device', f.key], ['vfs', f.sriov!.numVfs]])),
      ...m.numa.map((n) => el('machc:numa', [['cell', n.index], ['id', n.id]])),
      a.processors !== 'processor' || a.madtRevision !== undefined || a.xsdt
        ? el('machc:acpi', [['processors', a.processors !== 'processor' ? a.processors : undefined], ['madt-revision', a.madtRevision], ['xsdt', a.xsdt ? 'true' : undefined]])
        : undefined,
      ...m.devices.filter((d) => d.asl).map((d) => el('machc:asl', [['device', d.id]], [], d.asl!.text)),
      ...this.ssdts.map((t) => ('file' in t ? el('machc:ssdt', [['file', this.image(t.file)]]) : el('machc:ssdt', [], [], t.asl.text))),
    ].filter((e): e is XmlElement => e !== undefined);
    return el('domain', [['type', 'kvm'], ['xmlns:qemu', QEMU_NS]], [
      el('name', [], [], m.name),
      m.description !== undefined ? el('description', [], [], m.description) : undefined,
      meta.length > 0 ? el('metadata', [], [el('machc:machine', [['xmlns:machc', MACHC_NS]], meta)]) : undefined,
      el('memory', [['unit', 'KiB']], [], kib(m.memory.ramSize)),
      el('vcpu', [['placement', 'static'], ['current', c.count !== c.max ? c.count : undefined]], [], String(c.max)),
      el('os', [], [el('type', [['arch', 'x86_64'], ['machine', m.qemu.machineType]], [], 'hvm')]),
      el('features', [], [el('acpi'), el('apic')]),
      el('cpu', [['mode', c.model === 'max' ? 'maximum' : 'custom'], ['match', c.model === 'max' ? undefined : 'exact'], ['check', 'none']], [
        ...cpuModel,
        el('topology', [['sockets', c.sockets], ['dies', c.dies], ['cores', c.cores], ['threads', c.threads]]),
        numa,
      ]),
      el('devices', [], devices),
      this.overrides.length > 0 ? el('qemu:override', [], this.overrides) : undefined,
      this.commandline.length > 0 ? el('qemu:commandline', [], this.commandline.map((a) => el('qemu:arg', [['value', a]]))) : undefined,
    ]);
  }
}

/** vda, vdb, ... vdz, vdaa: the letters libvirt's target dev names use. */
function driveLetters(n: number): string {
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(97 + ((i - 1) % 26)) + s;
  return s;
}

/** The libvirt domain XML of a resolved machine (with the SSDTs of its description, which only machc reads). */
export function libvirtDomain(machine: ResolvedMachine, ssdts: readonly SsdtDesc[], sourceName: string): string {
  return renderXml(new DomainWriter(machine, ssdts).domain(), `machine ${machine.name} (${argsCommentText(sourceName)}) for QEMU ${machine.qemu.version}, written by machc export libvirt`);
}
