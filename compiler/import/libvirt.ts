/**
 * `machc import libvirt`: a libvirt domain read back into a machine file.
 *
 * The domain is turned into the QEMU options libvirt would give QEMU for it
 * (`-device pcie-root-port,id=ua-rp1,bus=pcie.0,addr=0x2,...`, each device
 * with the address its `<address type='pci'>` gives, `bus=` naming the
 * controller of that index), followed by what `<qemu:commandline>` adds and
 * with what `<qemu:override>` sets, and those options go through the QEMU
 * importer (compiler/import/qemu.ts). Each synthesized option remembers the
 * element it came from, so diagnostics point at the XML (line and column)
 * and name the element. Device ids are the user aliases without `ua-`.
 *
 * Elements only the host needs (emulator, graphics, serial consoles, clock,
 * lifecycle actions, input devices of q35's own PS/2) are warning MD1702;
 * elements with guest-visible hardware machc does not model are MD1701; a
 * device without an `<address>` is MD1701 too, since libvirt would choose its
 * place (the XML `virsh dumpxml` prints has every address).
 */
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { MACHC_NS } from '../emit/libvirt/domain.js';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import type { Arg, ArgList } from './args.js';
import type { DocObject, MachineDoc } from './document.js';
import { importQemu } from './qemu.js';

const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** libvirt's controller models and the QEMU device each is by default. */
const CONTROLLER_DEVICES: Readonly<Record<string, string>> = {
  'pcie-root-port': 'pcie-root-port',
  'pcie-switch-upstream-port': 'x3130-upstream',
  'pcie-switch-downstream-port': 'xio3130-downstream',
  'pcie-to-pci-bridge': 'pcie-pci-bridge',
  'pcie-expander-bus': 'pxb-pcie',
};
const NIC_DEVICES: Readonly<Record<string, string>> = { virtio: 'virtio-net-pci', e1000e: 'e1000e', igb: 'igb', e1000: 'e1000' };

/** Elements only the host needs. */
const HOST_ELEMENTS = new Set(['uuid', 'title', 'description', 'metadata', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'resource', 'seclabel', 'memoryBacking', 'iothreads', 'cputune', 'numatune', 'blkiotune', 'memtune', 'currentMemory', 'emulator', 'graphics', 'serial', 'parallel', 'input', 'audio', 'sysinfo', 'keywrap', 'launchSecurity', 'genid', 'idmap', 'throttlegroups', 'perf', 'maxMemory']);

function kids(e: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n: Node | null = e.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (name === undefined || local(n as Element) === name)) out.push(n as Element);
  return out;
}
/** An element's name without its namespace prefix. */
const local = (e: Element): string => e.localName ?? e.tagName;
const kid = (e: Element, name: string): Element | undefined => kids(e, name).find((k) => k.namespaceURI === e.namespaceURI || k.namespaceURI === null);

/** libvirt scaled integers: a value with a unit (b, KiB default, MiB, GiB, KB, MB, ...) in bytes. */
function scaled(value: string, unit: string | null): number | undefined {
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  const u = (unit ?? 'KiB').toLowerCase();
  const units: Record<string, number> = { b: 1, bytes: 1, k: 1024, kib: 1024, kb: 1000, m: 2 ** 20, mib: 2 ** 20, mb: 1e6, g: 2 ** 30, gib: 2 ** 30, gb: 1e9, t: 2 ** 40, tib: 2 ** 40, tb: 1e12 };
  return units[u] !== undefined ? n * units[u]! : undefined;
}

class LibvirtImporter {
  private readonly args: Arg[] = [];
  /** PCI controller index to the QEMU id libvirt gives it. */
  private readonly buses = new Map<number, string>([[0, 'pcie.0']]);
  private readonly serialControllers = new Map<number, string>();
  /** The -device option made for each alias, to which <qemu:override> adds properties. */
  private readonly byAlias = new Map<string, Arg>();
  private readonly lineStarts: number[] = [0];
  private vga = false;
  /** How many devices without an alias each kind has had, for their ids: net0, net1, disk0... */
  private readonly unnamed = new Map<string, number>();

  constructor(
    private readonly source: SourceFile,
    private readonly diags: DiagnosticBag,
  ) {
    for (let i = 0; i < source.text.length; i++) if (source.text[i] === '\n') this.lineStarts.push(i + 1);
  }

  private offset(e: Element): number {
    const line = (e as unknown as { lineNumber?: number }).lineNumber ?? 1;
    const column = (e as unknown as { columnNumber?: number }).columnNumber ?? 1;
    return (this.lineStarts[line - 1] ?? 0) + column - 1;
  }

  private span(e: Element) {
    return this.source.span(this.offset(e), e.tagName.length + 1);
  }

  private label(e: Element): string {
    const attrs = ['type', 'model', 'index', 'device', 'name', 'value'].map((a) => (e.hasAttribute(a) ? ` ${a}='${e.getAttribute(a)}'` : '')).join('');
    const line = this.source.position(this.offset(e)).line;
    return `<${e.tagName}${attrs}> (line ${line})`;
  }

  private unsupported(e: Element, why: string): void {
    this.diags.report(Diag.importUnsupported, this.span(e), { what: this.label(e), why });
  }

  private ignored(e: Element, why: string): void {
    this.diags.report(Diag.importIgnored, this.span(e), { what: this.label(e), why });
  }

  private bad(e: Element, detail: string): void {
    this.diags.report(Diag.importBadValue, this.span(e), { what: this.label(e), detail });
  }

  /** An option and its value, both located at `e`. */
  private push(e: Element, option: string, value?: string): Arg | undefined {
    const at = this.offset(e);
    const label = this.label(e);
    this.args.push({ text: option, index: this.args.length, offset: at, length: e.tagName.length + 1, verbatim: false, label });
    if (value === undefined) return undefined;
    const arg: Arg = { text: value, index: this.args.length, offset: at, length: e.tagName.length + 1, verbatim: false, label };
    this.args.push(arg);
    return arg;
  }

  private aliasOf(e: Element): string | undefined {
    return kid(e, 'alias')?.getAttribute('name') ?? undefined;
  }

  /** `bus=...,addr=...` from `<address type='pci'>`; undefined (reported) when there is none or it is not PCI. */
  private pciPlace(e: Element): string | undefined {
    const a = kid(e, 'address');
    if (!a) {
      this.unsupported(e, "no <address>: libvirt would choose where it goes; import the XML virsh dumpxml prints, which has every address");
      return undefined;
    }
    if (a.getAttribute('type') !== 'pci') {
      this.unsupported(a, `a ${a.getAttribute('type')} address: machc places these devices on PCI`);
      return undefined;
    }
    const num = (name: string) => {
      const v = a.getAttribute(name) ?? '0';
      const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? Number(v) : NaN;
      if (Number.isNaN(n)) this.bad(a, `${name}='${v}' is not a number`);
      return n;
    };
    if (num('domain') !== 0) this.unsupported(a, 'machc machines have one PCI segment (domain 0)');
    const bus = num('bus');
    const busId = this.buses.get(bus);
    if (busId === undefined) {
      this.bad(a, `no PCI controller with index ${bus} before it`);
      return undefined;
    }
    const fn = num('function');
    const parts = [`bus=${busId}`, `addr=0x${num('slot').toString(16)}${fn ? `.${fn}` : ''}`];
    if (a.getAttribute('multifunction') === 'on') parts.push('multifunction=on');
    return parts.join(',');
  }

  /** acpi-index and bootindex, from `<acpi index>` and `<boot order>`. */
  private common(e: Element): string[] {
    const out: string[] = [];
    const acpi = kid(e, 'acpi')?.getAttribute('index');
    if (acpi) out.push(`acpi-index=${acpi}`);
    const boot = kid(e, 'boot')?.getAttribute('order');
    if (boot) out.push(`bootindex=${boot}`);
    return out;
  }

  /** The QEMU id of a device: its user alias (ua-...), or a name of its own. */
  private qemuId(e: Element, fallback: string): string {
    const alias = this.aliasOf(e);
    if (alias !== undefined) return alias;
    const n = this.unnamed.get(fallback) ?? 0;
    this.unnamed.set(fallback, n + 1);
    return `${fallback}${n}`;
  }

  private device(e: Element, driver: string, idFallback: string, extra: readonly (string | undefined)[]): void {
    const place = this.pciPlace(e);
    if (place === undefined) return;
    const id = this.qemuId(e, idFallback);
    const value = [driver, `id=${id}`, place, ...extra.filter((x): x is string => x !== undefined), ...this.common(e)].join(',');
    const arg = this.push(e, '-device', value);
    if (arg) this.byAlias.set(id, arg);
  }

  run(): { doc: MachineDoc | undefined } {
    const errors: { line: number; column: number; message: string }[] = [];
    let dom;
    try {
      dom = new DOMParser({
        onError: (level, message, context) => {
          if (level === 'warning') return;
          const loc = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
          errors.push({ line: loc?.lineNumber ?? 1, column: loc?.columnNumber ?? 1, message: String(message).split('\n')[0]! });
        },
      }).parseFromString(this.source.text, 'text/xml');
    } catch (err) {
      const loc = (err as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
      errors.push({ line: loc?.lineNumber ?? 1, column: loc?.columnNumber ?? 1, message: String((err as Error).message).split('\n')[0]! });
    }
    if (errors.length > 0 || !dom) {
      const e = errors[0]!;
      this.diags.report(Diag.importXml, this.source.span((this.lineStarts[e.line - 1] ?? 0) + e.column - 1, 1), { detail: `not well-formed XML: ${e.message}` });
      return { doc: undefined };
    }
    const root = dom.documentElement;
    if (!root || local(root) !== 'domain') {
      this.diags.report(Diag.importXml, root ? this.span(root) : this.source.span(0, 1), { detail: `the root element is <${root?.tagName ?? ''}>, not a libvirt <domain>` });
      return { doc: undefined };
    }
    const vfs = new Map<string, number>();
    const numaIds = new Map<string, string>();
    const acpi: DocObject = {};
    const asl = new Map<string, string>();
    const ssdts: DocObject[] = [];
    let name: string | undefined;
    let description: string | undefined;
    let vcpu: Element | undefined;
    let cpu: Element | undefined;
    let devices: Element | undefined;
    const commandline: Element[] = [];
    const overrides: Element[] = [];
    for (const c of kids(root)) {
      const n = local(c);
      if (c.namespaceURI === QEMU_NS) {
        if (n === 'commandline') commandline.push(c);
        else if (n === 'override') overrides.push(c);
        else this.unsupported(c, `no equivalent of qemu:${n} in machine files`);
        continue;
      }
      if (n === 'name') name = c.textContent ?? undefined;
      else if (n === 'description') description = c.textContent ?? undefined;
      else if (n === 'metadata') {
        for (const s of root.getElementsByTagNameNS(MACHC_NS, 'sriov')) vfs.set(s.getAttribute('device') ?? '', Number(s.getAttribute('vfs')));
        for (const s of root.getElementsByTagNameNS(MACHC_NS, 'numa')) numaIds.set(`node${s.getAttribute('cell') ?? ''}`, s.getAttribute('id') ?? '');
        for (const s of root.getElementsByTagNameNS(MACHC_NS, 'acpi')) {
          for (const k of ['processors', 'madt-revision', 'xsdt']) {
            const v = s.getAttribute(k);
            if (v !== null) acpi[k] = k === 'xsdt' ? v === 'true' : k === 'madt-revision' ? Number(v) : v;
          }
        }
        for (const s of root.getElementsByTagNameNS(MACHC_NS, 'asl')) asl.set(s.getAttribute('device') ?? '', s.textContent ?? '');
        for (const s of root.getElementsByTagNameNS(MACHC_NS, 'ssdt')) ssdts.push(s.hasAttribute('file') ? { file: s.getAttribute('file') ?? '' } : { asl: s.textContent ?? '' });
      } else if (n === 'memory') {
        const size = scaled(c.textContent ?? '', c.getAttribute('unit'));
        if (size === undefined) this.bad(c, 'not a memory size');
        else this.push(c, '-m', `${size}B`);
      } else if (n === 'vcpu') vcpu = c;
      else if (n === 'cpu') cpu = c;
      else if (n === 'os') this.os(c);
      else if (n === 'features') this.features(c);
      else if (n === 'devices') devices = c;
      else if (HOST_ELEMENTS.has(n)) {
        if (!['uuid', 'title', 'on_poweroff', 'on_reboot', 'on_crash'].includes(n)) this.ignored(c, 'it concerns how the host runs the machine');
      } else this.unsupported(c, `no equivalent of <${n}> in machine files`);
    }
    this.cpus(vcpu, cpu);
    if (devices) this.devices(devices);
    if (!this.vga) this.push(devices ?? root, '-vga', 'none');
    for (const o of overrides) this.override(o);
    for (const c of commandline) {
      for (const a of kids(c)) {
        if (local(a) === 'arg') {
          const v = a.getAttribute('value') ?? '';
          this.args.push({ text: v, index: this.args.length, offset: this.offset(a), length: a.tagName.length + 1, verbatim: false, label: `<qemu:arg value='${v.length > 60 ? `${v.slice(0, 57)}...` : v}'> (line ${this.source.position(this.offset(a)).line})` });
        } else this.ignored(a, 'an environment variable of the QEMU process');
      }
    }
    const list: ArgList = { source: this.source, args: this.args };
    const doc = importQemu(list, this.diags, { idOf: (id) => id.replace(/^ua-/, '').replace(/^pci\.(\d+)$/, 'pci-$1') });
    if (name !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) doc.name = name;
    if (description !== undefined && description.trim() !== '') doc.description = description;
    for (const node of doc.numa ?? []) {
      const id = numaIds.get(String(node['id']));
      if (id !== undefined && /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(id)) node['id'] = id;
    }
    if (Object.keys(acpi).length > 0) doc.acpi = acpi;
    if (ssdts.length > 0) doc.ssdts = ssdts;
    for (const d of doc.devices) {
      const text = asl.get(String(d['id']));
      if (text !== undefined) d['asl'] = text;
      const n = vfs.get(String(d['id']));
      const sriov = d['sriov'] as DocObject | undefined;
      if (n !== undefined && sriov) sriov['vfs'] = n;
    }
    return { doc };
  }

  private os(e: Element): void {
    for (const c of kids(e)) {
      if (local(c) === 'type') {
        if ((c.getAttribute('arch') ?? 'x86_64') !== 'x86_64') this.unsupported(c, 'machc describes x86_64 q35 machines');
        else this.push(c, '-machine', c.getAttribute('machine') ?? 'q35');
      } else this.ignored(c, 'firmware and boot settings are given when the machine boots');
    }
  }

  private features(e: Element): void {
    for (const c of kids(e)) {
      const n = local(c);
      if (n === 'acpi' || n === 'apic' || n === 'pae') continue;
      if (n === 'vmport' && c.getAttribute('state') === 'off') continue;
      this.unsupported(c, `the feature ${n} is not modelled`);
    }
  }

  private cpus(vcpu: Element | undefined, cpu: Element | undefined): void {
    const parts: string[] = [];
    const at = vcpu ?? cpu;
    if (vcpu) {
      const max = vcpu.textContent?.trim() ?? '1';
      parts.push(vcpu.getAttribute('current') ?? max, `maxcpus=${max}`);
    }
    if (cpu) {
      const mode = cpu.getAttribute('mode') ?? 'custom';
      const model = kid(cpu, 'model')?.textContent?.trim();
      if (mode === 'maximum') this.push(cpu, '-cpu', 'max');
      else if (mode === 'custom' && model) this.push(cpu, '-cpu', model);
      else if (mode !== 'custom') this.unsupported(cpu, `CPU mode ${mode} depends on the host; machine files name a CPU model`);
      const t = kid(cpu, 'topology');
      if (t) for (const k of ['sockets', 'dies', 'cores', 'threads']) if (t.hasAttribute(k)) parts.push(`${k}=${t.getAttribute(k)}`);
      const numa = kid(cpu, 'numa');
      for (const cell of numa ? kids(numa, 'cell') : []) {
        const size = scaled(cell.getAttribute('memory') ?? '', cell.getAttribute('unit'));
        const id = cell.getAttribute('id') ?? '0';
        if (size === undefined) {
          this.bad(cell, 'memory is not a size');
          continue;
        }
        this.push(cell, '-object', `memory-backend-ram,id=ram-node${id},size=${size}B`);
        const cpus = (cell.getAttribute('cpus') ?? '').split(',').filter(Boolean).map((r) => `cpus=${r}`);
        this.push(cell, '-numa', ['node', `nodeid=${id}`, ...cpus, `memdev=ram-node${id}`].join(','));
      }
      for (const c of kids(cpu)) if (!['model', 'topology', 'numa', 'vendor', 'feature', 'cache'].includes(local(c))) this.unsupported(c, `no equivalent of <cpu><${local(c)}> in machine files`);
      for (const c of kids(cpu, 'feature')) this.unsupported(c, 'CPU feature flags are not part of machine files');
    }
    if (at && parts.length > 0) this.push(at, '-smp', parts.join(','));
  }

  private devices(devices: Element): void {
    const all = kids(devices);
    // Controllers first, in index order, so every address names a known bus.
    const pci = all.filter((c) => c.localName === 'controller' && c.getAttribute('type') === 'pci').sort((a, b) => Number(a.getAttribute('index')) - Number(b.getAttribute('index')));
    for (const c of pci) this.pciController(c);
    for (const c of all) {
      switch (local(c)) {
        case 'controller':
          if (c.getAttribute('type') !== 'pci') this.controller(c);
          break;
        case 'interface':
          this.nic(c);
          break;
        case 'disk':
          this.disk(c);
          break;
        case 'memballoon':
          if (c.getAttribute('model') === 'virtio') this.device(c, 'virtio-balloon-pci', 'balloon', []);
          else if (c.getAttribute('model') !== 'none') this.unsupported(c, `no ${c.getAttribute('model')} balloon model`);
          break;
        case 'rng':
          if (c.getAttribute('model') === 'virtio') this.device(c, 'virtio-rng-pci', 'rng', []);
          else this.unsupported(c, `no ${c.getAttribute('model')} RNG model`);
          break;
        case 'video':
          this.video(c);
          break;
        case 'console':
        case 'channel':
          this.port(c);
          break;
        default:
          if (HOST_ELEMENTS.has(local(c))) this.ignored(c, 'the host side of the machine');
          else this.unsupported(c, `no equivalent of <${local(c)}> in machine files${local(c) === 'hostdev' ? ' (host devices passed through are not part of a machine description)' : ''}`);
      }
    }
  }

  private pciController(c: Element): void {
    const model = c.getAttribute('model') ?? '';
    const index = Number(c.getAttribute('index'));
    if (model === 'pcie-root') {
      const hole = kid(c, 'pcihole64');
      if (hole) {
        const size = scaled(hole.textContent ?? '', hole.getAttribute('unit'));
        if (size === undefined) this.bad(hole, 'not a size');
        else this.push(hole, '-global', `q35-pcihost.pci-hole64-size=${size}B`);
      }
      return;
    }
    const driver = kid(c, 'model')?.getAttribute('name') ?? CONTROLLER_DEVICES[model];
    if (!driver || !CONTROLLER_DEVICES[model]) {
      this.unsupported(c, `machc models the q35 PCIe controllers (${Object.keys(CONTROLLER_DEVICES).join(', ')}), not ${model}`);
      return;
    }
    const id = this.aliasOf(c) ?? `pci.${index}`;
    this.buses.set(index, id);
    const t = kid(c, 'target');
    const extra: (string | undefined)[] = [];
    if (t?.hasAttribute('chassis')) extra.push(`chassis=${t.getAttribute('chassis')}`);
    if (t?.hasAttribute('port')) extra.push(`port=${t.getAttribute('port')}`);
    if (t?.getAttribute('hotplug') === 'off') extra.push('hotplug=off');
    if (t?.hasAttribute('busNr')) extra.push(`bus_nr=${t.getAttribute('busNr')}`);
    const node = t ? kid(t, 'node') : undefined;
    if (node) extra.push(`numa_node=${(node.textContent ?? '').trim()}`);
    const place = this.pciPlace(c);
    if (place === undefined) return;
    const arg = this.push(c, '-device', [driver, `id=${id}`, place, ...extra, ...this.common(c)].join(','));
    if (arg) this.byAlias.set(id, arg);
  }

  private controller(c: Element): void {
    const type = c.getAttribute('type');
    if (type === 'sata' && (c.getAttribute('index') ?? '0') === '0') return;
    if (type === 'usb' && c.getAttribute('model') === 'none') return;
    if (type === 'virtio-serial') {
      const id = this.aliasOf(c) ?? `virtio-serial${c.getAttribute('index') ?? '0'}`;
      this.serialControllers.set(Number(c.getAttribute('index') ?? '0'), id);
      const place = this.pciPlace(c);
      if (place === undefined) return;
      const arg = this.push(c, '-device', ['virtio-serial-pci', `id=${id}`, place, ...this.common(c)].join(','));
      if (arg) this.byAlias.set(id, arg);
      return;
    }
    this.unsupported(c, `no ${type} controller in machine files${type === 'sata' ? ' beyond the built-in AHCI (index 0)' : ''}`);
  }

  private nic(c: Element): void {
    const type = c.getAttribute('type') ?? '';
    const model = kid(c, 'model')?.getAttribute('type') ?? 'virtio';
    const driver = NIC_DEVICES[model];
    if (!driver) return this.unsupported(c, `no NIC model ${model} (machc has ${Object.keys(NIC_DEVICES).join(', ')})`);
    const place = this.pciPlace(c);
    if (place === undefined) return;
    const id = this.qemuId(c, 'net');
    let netdev: string | undefined;
    if (type !== 'null') {
      if (type !== 'user') this.ignored(c, `the host side of the NIC (type='${type}'); machine files give NICs user networking`);
      netdev = `net-${id}`;
      this.push(c, '-netdev', `user,id=${netdev}`);
    }
    const mac = kid(c, 'mac')?.getAttribute('address');
    const arg = this.push(c, '-device', [driver, `id=${id}`, place, netdev ? `netdev=${netdev}` : undefined, mac ? `mac=${mac}` : undefined, ...this.common(c)].filter(Boolean).join(','));
    if (arg) this.byAlias.set(id, arg);
  }

  private disk(c: Element): void {
    const device = c.getAttribute('device') ?? 'disk';
    const target = kid(c, 'target');
    const bus = target?.getAttribute('bus') ?? '';
    const src = kid(c, 'source');
    const file = src?.getAttribute('file') ?? src?.getAttribute('dev') ?? undefined;
    const format = kid(c, 'driver')?.getAttribute('type') ?? undefined;
    const readonly = kid(c, 'readonly') !== undefined;
    const id = this.qemuId(c, 'disk');
    const drive = `drive-${id}`;
    const driveOpts = ['if=none', `id=${drive}`, file !== undefined ? `file=${file.replace(/,/g, ',,')}` : undefined, format ? `format=${format}` : undefined, readonly ? 'readonly=on' : undefined].filter(Boolean).join(',');
    const serial = kid(c, 'serial')?.textContent ?? undefined;
    if (bus === 'virtio' && device === 'disk') {
      const place = this.pciPlace(c);
      if (place === undefined) return;
      this.push(c, '-drive', driveOpts);
      const arg = this.push(c, '-device', ['virtio-blk-pci', `id=${id}`, place, `drive=${drive}`, serial !== undefined ? `serial=${serial.replace(/,/g, ',,')}` : undefined, ...this.common(c)].filter(Boolean).join(','));
      if (arg) this.byAlias.set(id, arg);
    } else if (bus === 'sata' && (device === 'disk' || device === 'cdrom')) {
      const a = kid(c, 'address');
      if (!a || a.getAttribute('type') !== 'drive' || (a.getAttribute('controller') ?? '0') !== '0') return this.unsupported(c, "a SATA drive needs <address type='drive' controller='0' unit='N'>: its port on the built-in AHCI");
      this.push(c, '-drive', driveOpts);
      const arg = this.push(c, '-device', [device === 'cdrom' ? 'ide-cd' : 'ide-hd', `id=${id}`, `bus=ide.${a.getAttribute('unit') ?? '0'}`, `drive=${drive}`, ...this.common(c)].join(','));
      if (arg) this.byAlias.set(id, arg);
    } else this.unsupported(c, `a ${device} on bus ${bus || '(none)'}: machc has virtio disks and SATA disks and CD-ROMs`);
  }

  private video(c: Element): void {
    const m = kid(c, 'model');
    const type = m?.getAttribute('type') ?? '';
    if (type === 'none') return;
    const a = kid(c, 'address');
    const atSlot1 = a?.getAttribute('bus') !== undefined && Number(a?.getAttribute('bus')) === 0 && Number(a?.getAttribute('slot')) === 1;
    if (type === 'vga' && (atSlot1 || !a)) {
      this.vga = true;
      return;
    }
    // A primary virtio video at 00:01.0 is virtio-vga, QEMU's -vga virtio.
    if (type === 'virtio' && m?.getAttribute('primary') === 'yes' && (atSlot1 || !a) && !this.vga) {
      this.vga = true;
      this.push(c, '-vga', 'virtio');
      return;
    }
    if (type === 'bochs') return this.device(c, 'bochs-display', 'video', []);
    if (type === 'virtio' && m?.getAttribute('primary') !== 'yes' && this.vga) return this.device(c, 'virtio-gpu-pci', 'video', []);
    this.unsupported(c, `a ${type} display: machc has the std VGA or virtio-vga at 00:01.0, bochs-display and a secondary virtio-gpu`);
  }

  private port(c: Element): void {
    const t = kid(c, 'target');
    if (t?.getAttribute('type') !== 'virtio') {
      if (local(c) === 'console') this.ignored(c, 'a console on the serial port: COM1 is always there; where it goes is the host\'s');
      else this.unsupported(c, `a ${t?.getAttribute('type') ?? ''} channel: machc has virtio-serial channels`);
      return;
    }
    const a = kid(c, 'address');
    const controller = Number(a?.getAttribute('controller') ?? '0');
    const bus = this.serialControllers.get(controller);
    if (!bus) return this.bad(c, `no virtio-serial controller with index ${controller}`);
    const id = this.qemuId(c, local(c));
    this.push(c, '-chardev', `null,id=chr-${id}`);
    const name = t.getAttribute('name');
    this.push(c, '-device', [local(c) === 'console' ? 'virtconsole' : 'virtserialport', `id=${id}`, `bus=${bus}.0`, `chardev=chr-${id}`, name ? `name=${name.replace(/,/g, ',,')}` : undefined].filter(Boolean).join(','));
  }

  private override(o: Element): void {
    for (const d of kids(o)) {
      const target = this.byAlias.get(d.getAttribute('alias') ?? '');
      if (!target) {
        this.bad(d, `no device with alias ${d.getAttribute('alias')}`);
        continue;
      }
      const props: string[] = [];
      for (const f of kids(d, 'frontend')) {
        for (const p of kids(f, 'property')) {
          const type = p.getAttribute('type');
          if (type === 'remove') this.unsupported(p, 'removing a property libvirt sets');
          else if (type === 'bool') props.push(`${p.getAttribute('name')}=${p.getAttribute('value') === 'true' ? 'on' : 'off'}`);
          else props.push(`${p.getAttribute('name')}=${(p.getAttribute('value') ?? '').replace(/,/g, ',,')}`);
        }
      }
      // The device's option, with the properties after its own (located at the device element still).
      const i = this.args.indexOf(target);
      this.args[i] = { ...target, text: [target.text, ...props].join(',') };
      this.byAlias.set(d.getAttribute('alias') ?? '', this.args[i]!);
    }
  }
}

/** Reads a libvirt domain into a machine document; problems go to `diags` (undefined when the XML is not a domain). */
export function importLibvirt(source: SourceFile, diags: DiagnosticBag): MachineDoc | undefined {
  return new LibvirtImporter(source, diags).run().doc;
}

