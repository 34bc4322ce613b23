/**
 * `machc import qemu`: a QEMU q35 command line read back into a machine file,
 * the inverse of compiler/emit/qemu/args.ts. Device names and property names
 * come from the model catalog (`qemuDevice`), so what `machc build` writes
 * into qemu.args imports to the machine it came from.
 *
 * Every argument is accounted for. An option or property that changes the
 * machine and has no place in a machine file is error MD1701, at the argument
 * (and the property inside it); one that only concerns how the host runs the
 * machine (display, acceleration, firmware image, host-side backends) is
 * warning MD1702; a value QEMU would refuse, or a reference to a bus, drive,
 * netdev or backend that is not defined, is MD1703.
 *
 * What QEMU decides by itself is decided here the same way: a device without
 * `addr=` gets the slot QEMU would give it (the lowest free slot of its bus, in
 * command-line order); `-machine q35` is the q35 of the target QEMU
 * (`--qemu`, default 7.2). What the command line does not say at all, how many
 * VFs the guest enables, is written as all of them.
 */
import { allDeviceModels, type DeviceModel } from '../../runtime/devices/catalog.js';
import { Diag, type CatalogEntry } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { DEFAULT_TARGET, TARGETS, TARGET_VERSIONS, type TargetVersion } from '../model/target.js';
import type { Span } from '../source/source-file.js';
import { argSpan, subSpan, type Arg, type ArgList } from './args.js';
import { machineId, sizeText, slotFnText, type DocObject, type MachineDoc } from './document.js';

export interface QemuImportOptions {
  /** The QEMU whose `-machine q35` this is (default 7.2). */
  readonly qemu?: TargetVersion;
  /** The machine id for a QEMU device id (libvirt's user aliases drop their `ua-`); default the id itself. */
  readonly idOf?: (qemuId: string) => string;
}

/** One `key=value` of an option, with where it is in its argument. */
interface Prop {
  readonly key: string;
  readonly value: string;
  /** Offset of the key (or of the value, for an implied key) in the argument's text. */
  readonly at: number;
  readonly length: number;
}

/**
 * An option value split as QEMU's QemuOpts reads it: `a,b=c,d=e` with `,,`
 * for a comma; the first part may have no `=` (the implied key: the device
 * driver, the machine type, the CPU count...).
 */
function splitOpts(text: string, implied: string | undefined): Prop[] {
  const out: Prop[] = [];
  let i = 0;
  while (i <= text.length) {
    const start = i;
    let part = '';
    while (i < text.length) {
      if (text[i] === ',') {
        if (text[i + 1] === ',') {
          part += ',';
          i += 2;
          continue;
        }
        break;
      }
      part += text[i];
      i++;
    }
    const eq = part.indexOf('=');
    if (eq < 0 && out.length === 0 && implied !== undefined) out.push({ key: implied, value: part, at: start, length: i - start });
    else if (eq < 0) out.push({ key: part, value: 'on', at: start, length: i - start });
    else out.push({ key: part.slice(0, eq), value: part.slice(eq + 1), at: start, length: i - start });
    i++;
    if (i > text.length) break;
  }
  return out.filter((p) => p.key !== '' || p.value !== '');
}

/** QEMU sizes: a number with an optional K/M/G/T/P/E suffix (binary) or B; a bare number is `bareUnit` bytes. */
export function parseQemuSize(text: string, bareUnit = 1): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgtpe]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const units: Record<string, number> = { '': bareUnit, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };
  const v = Number(m[1]) * units[m[2]!.toLowerCase()]!;
  return Number.isSafeInteger(v) ? v : undefined;
}

/** A QEMU integer property: decimal, or hex with 0x. */
function parseInt0(text: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text, 16);
  if (/^\d+$/.test(text)) return parseInt(text, 10);
  return undefined;
}

/** `addr=`: slot[.function], the slot in hex (0x optional). */
function parseAddr(text: string): { device: number; fn: number } | undefined {
  const m = /^(?:0x)?([0-9a-f]{1,2})(?:\.([0-7]))?$/i.exec(text);
  if (!m) return undefined;
  const device = parseInt(m[1]!, 16);
  return device < 32 ? { device, fn: m[2] ? Number(m[2]) : 0 } : undefined;
}

function parseBool(text: string): boolean | undefined {
  if (/^(on|yes|true|y)$/i.test(text)) return true;
  if (/^(off|no|false|n)$/i.test(text)) return false;
  return undefined;
}

/** Options that only concern how the host runs the guest: why each is left out. */
const HOST_OPTIONS: Readonly<Record<string, string>> = {
  '-accel': 'the accelerator is chosen when the machine boots',
  '-enable-kvm': 'the accelerator is chosen when the machine boots',
  '-display': 'the display backend is the host\'s',
  '-nographic': 'the display backend is the host\'s',
  '-vnc': 'the display backend is the host\'s',
  '-spice': 'the display backend is the host\'s',
  '-monitor': 'the monitor is the host\'s',
  '-qmp': 'the monitor is the host\'s',
  '-mon': 'the monitor is the host\'s',
  '-serial': 'COM1 is always there; where its output goes is the host\'s choice',
  '-no-reboot': 'how QEMU reacts to a reset is chosen when the machine boots',
  '-no-shutdown': 'how QEMU reacts to a power-off is chosen when the machine boots',
  '-name': 'the name of the QEMU process (the machine file\'s name is the file\'s)',
  '-daemonize': 'how QEMU runs on the host',
  '-pidfile': 'how QEMU runs on the host',
  '-S': 'how QEMU runs on the host',
  '-s': 'the debugger stub is the host\'s',
  '-gdb': 'the debugger stub is the host\'s',
  '-d': 'QEMU\'s own logging',
  '-D': 'QEMU\'s own logging',
  '-trace': 'QEMU\'s own tracing',
  '-msg': 'QEMU\'s own messages',
  '-L': 'where QEMU finds its firmware',
  '-bios': 'the firmware image is given when the machine boots (machc run --bios, or QEMU options after machc qemu --)',
  '-kernel': 'a kernel to boot directly is given when the machine boots (machc run --kernel)',
  '-initrd': 'a kernel to boot directly is given when the machine boots (machc run --initrd)',
  '-append': 'a kernel to boot directly is given when the machine boots (machc run --append)',
  '-snapshot': 'how QEMU writes the disk images',
  '-sandbox': 'how QEMU runs on the host',
  '-k': 'the host keyboard layout',
  '-fw_cfg': 'machc writes the fw_cfg files itself (run-qemu.sh gives them to QEMU)',
};

/** Options that take no value. */
const FLAGS = new Set(['-enable-kvm', '-nographic', '-no-reboot', '-no-shutdown', '-daemonize', '-S', '-s', '-snapshot', '-nodefaults', '-no-user-config', '-no-hpet', '-no-acpi', '-usb']);

/** -drive properties that only say how the host opens the image. */
const HOST_DRIVE_PROPS = new Set(['cache', 'aio', 'discard', 'detect-zeroes', 'werror', 'rerror', 'cache.direct', 'cache.no-flush', 'copy-on-read', 'throttling.iops-total', 'throttling.bps-total', 'auto-read-only', 'locking', 'file.locking']);

interface Drive {
  readonly image: string | undefined;
  readonly format: string | undefined;
  readonly readonly: boolean;
  readonly arg: Arg;
  used: boolean;
}

interface PendingDevice {
  readonly arg: Arg;
  readonly driver: string;
  readonly props: Map<string, Prop>;
  /** The machine file's device (for machc models), or a sub-device (nvme-ns, virtconsole...). */
  readonly model: DeviceModel | undefined;
  id: string;
}

class QemuImporter {
  private readonly doc: MachineDoc = { devices: [] };
  private readonly taken = new Set<string>();
  private target: TargetVersion;
  private readonly drives = new Map<string, Drive>();
  private readonly netdevs = new Map<string, { type: string; arg: Arg; used: boolean }>();
  private readonly backends = new Map<string, { size: number; arg: Arg; used: boolean }>();
  private readonly chardevs = new Map<string, { backend: string; arg: Arg; used: boolean }>();
  private readonly subsystems = new Map<string, { nqn: string | undefined; arg: Arg }>();
  private readonly devices: PendingDevice[] = [];
  private readonly boot: { id: string; index: number }[] = [];
  private builtins: DocObject = {};
  private display: 'std' | 'virtio' | 'none' = 'std';
  private memory: { size: number | undefined; below4g: number | undefined; hole64: number | undefined } = { size: undefined, below4g: undefined, hole64: undefined };
  private readonly numa: { nodeid: number; cpus: string[]; memdev: string | undefined; mem: number | undefined; arg: Arg; prop?: Prop }[] = [];

  private readonly idOf: (qemuId: string) => string;

  constructor(
    private readonly list: ArgList,
    private readonly diags: DiagnosticBag,
    options: QemuImportOptions,
  ) {
    this.target = options.qemu ?? DEFAULT_TARGET.version;
    this.idOf = options.idOf ?? ((id) => id);
  }

  private where(arg: Arg, p?: Prop): Span {
    return p ? subSpan(this.list, arg, p.at, p.length) : argSpan(this.list, arg);
  }

  /** 'argument 7 (-device nvme,...)' or, for one property, 'argument 8 (port=0x10)'. */
  private label(arg: Arg, p?: Prop, option?: Arg): string {
    const text = p ? arg.text.slice(p.at, p.at + p.length) : arg.text;
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    if (arg.label !== undefined) return p ? `${arg.label}: ${shown}` : arg.label;
    return `argument ${arg.index + 1} (${!p && option ? `${option.text} ` : ''}${shown})`;
  }

  private report<A>(entry: CatalogEntry<A>, arg: Arg, p: Prop | undefined, args: A): void {
    this.diags.report(entry, this.where(arg, p), args);
  }

  unsupported(arg: Arg, p: Prop | undefined, why: string, option?: Arg): void {
    this.report(Diag.importUnsupported, arg, p, { what: this.label(arg, p, option), why });
  }

  ignored(arg: Arg, p: Prop | undefined, why: string, option?: Arg): void {
    this.report(Diag.importIgnored, arg, p, { what: this.label(arg, p, option), why });
  }

  bad(arg: Arg, p: Prop | undefined, detail: string, option?: Arg): void {
    this.report(Diag.importBadValue, arg, p, { what: this.label(arg, p, option), detail });
  }

  run(): MachineDoc {
    const args = this.list.args;
    for (let i = 0; i < args.length; i++) {
      const opt = args[i]!;
      const name = opt.text.startsWith('--') ? opt.text.slice(1) : opt.text;
      if (!name.startsWith('-')) {
        this.unsupported(opt, undefined, 'QEMU takes a disk image as a bare argument only as -hda; machine files name images on their devices');
        continue;
      }
      if (FLAGS.has(name)) {
        this.flag(opt, name);
        continue;
      }
      const value = args[i + 1];
      if (value === undefined) {
        this.bad(opt, undefined, `${name} needs a value`);
        continue;
      }
      i++;
      this.option(opt, name, value);
    }
    this.finish();
    return this.doc;
  }

  private flag(opt: Arg, name: string): void {
    if (HOST_OPTIONS[name]) return this.ignored(opt, undefined, HOST_OPTIONS[name]!);
    if (name === '-nodefaults') {
      // On q35 the defaults are the std VGA, a NIC, a CD-ROM drive and a floppy controller; machine files add none of the others.
      this.display = 'none';
      return;
    }
    if (name === '-no-user-config') return;
    this.unsupported(opt, undefined, name === '-no-hpet' || name === '-no-acpi' ? 'machc machines always have the HPET and ACPI QEMU gives q35' : 'USB is not modelled');
  }

  private option(opt: Arg, name: string, value: Arg): void {
    if (HOST_OPTIONS[name]) return this.ignored(value, undefined, HOST_OPTIONS[name]!, opt);
    switch (name) {
      case '-machine':
      case '-M':
        return this.machine(opt, value);
      case '-m':
        return this.mem(opt, value);
      case '-smp':
        return this.smp(opt, value);
      case '-cpu':
        return this.cpu(opt, value);
      case '-vga':
        if (value.text === 'std' || value.text === 'none' || value.text === 'virtio') this.display = value.text;
        else this.unsupported(value, undefined, `only -vga std, -vga virtio and -vga none are modelled (the std VGA or virtio-vga at 00:01.0, or none)`, opt);
        return;
      case '-audiodev':
        // HD Audio codecs play to a silent backend in machine files (machc's qemu.args gives each a none audiodev).
        if (!/^none(,|$)/.test(value.text)) this.ignored(value, undefined, "the host's audio backend: machc's qemu.args gives codecs a silent one (none)", opt);
        return;
      case '-net':
        if (value.text !== 'none') this.unsupported(value, undefined, 'the legacy -net option is not imported; use -netdev with -device', opt);
        return;
      case '-global':
        return this.global(opt, value);
      case '-object':
        return this.object(opt, value);
      case '-numa':
        return this.numaOption(opt, value);
      case '-netdev':
        return this.netdev(opt, value);
      case '-drive':
        return this.drive(opt, value);
      case '-chardev':
        return this.chardev(opt, value);
      case '-device':
        return this.device(opt, value);
      case '-boot':
        return this.ignored(value, undefined, 'the boot order of a machine file is its boot: list (from bootindex=)', opt);
      default:
        return this.unsupported(value, undefined, `machine files have no equivalent of ${name}`, opt);
    }
  }

  private opts(value: Arg, implied: string | undefined): Prop[] {
    return splitOpts(value.text, implied);
  }

  private machine(opt: Arg, value: Arg): void {
    for (const p of this.opts(value, 'type')) {
      switch (p.key) {
        case 'type': {
          if (p.value === 'q35') break;
          const m = /^pc-q35-(\d+\.\d+)$/.exec(p.value);
          const version = m ? TARGET_VERSIONS.find((v) => v === m[1]) : undefined;
          if (version) this.target = version;
          else this.unsupported(value, p, m ? `machc builds for the q35 of QEMU ${TARGET_VERSIONS.join(', ')} (${TARGET_VERSIONS.map((v) => TARGETS[v].machineType).join(', ')})` : 'machc describes q35 machines only', opt);
          break;
        }
        case 'sata':
        case 'smbus': {
          const b = parseBool(p.value);
          if (b === undefined) this.bad(value, p, 'on or off', opt);
          else if (!b) this.builtins[p.key] = false;
          break;
        }
        case 'max-ram-below-4g': {
          const size = parseQemuSize(p.value);
          if (size === undefined) this.bad(value, p, 'not a size', opt);
          else this.memory.below4g = size;
          break;
        }
        case 'accel':
        case 'kernel-irqchip':
        case 'dump-guest-core':
        case 'mem-merge':
        case 'memory-backend':
          this.ignored(value, p, 'it concerns how the host runs the machine', opt);
          break;
        case 'usb':
        case 'vmport':
          if (parseBool(p.value) !== false) this.unsupported(value, p, p.key === 'usb' ? 'USB is not modelled' : 'the VMware IO port is not modelled', opt);
          break;
        case 'acpi':
          if (parseBool(p.value) !== true) this.unsupported(value, p, 'machc machines have ACPI: machc writes the tables (run-qemu.sh turns off QEMU\'s own)', opt);
          break;
        default:
          this.unsupported(value, p, `no machine property ${p.key} in machine files`, opt);
      }
    }
  }

  private mem(opt: Arg, value: Arg): void {
    for (const p of this.opts(value, 'size')) {
      if (p.key === 'size') {
        const size = parseQemuSize(p.value, 2 ** 20);
        if (size === undefined || size === 0) this.bad(value, p, 'not a memory size', opt);
        else this.memory.size = size;
      } else this.unsupported(value, p, 'memory hot-plug (slots, maxmem) is not modelled', opt);
    }
  }

  private smp(opt: Arg, value: Arg): void {
    const cpus: DocObject = {};
    for (const p of this.opts(value, 'cpus')) {
      const key = p.key === 'maxcpus' ? 'max' : p.key === 'cpus' ? 'count' : p.key;
      if (!['count', 'sockets', 'dies', 'cores', 'threads', 'max'].includes(key)) {
        this.unsupported(value, p, `no CPU topology property ${p.key} in machine files`, opt);
        continue;
      }
      const n = parseInt0(p.value);
      if (n === undefined || n === 0) this.bad(value, p, 'a positive whole number', opt);
      else cpus[key] = n;
    }
    // One socket of `count` single-threaded cores, all present, is what a plain count means.
    const count = cpus['count'];
    const plain = Object.entries(cpus).every(([k, v]) => k === 'count' || ((k === 'sockets' || k === 'dies' || k === 'threads') && v === 1) || ((k === 'cores' || k === 'max') && v === count));
    this.doc.cpus = count !== undefined && plain ? count : cpus;
  }

  private cpu(opt: Arg, value: Arg): void {
    const [model, ...features] = this.opts(value, 'model');
    const known = ['qemu64', 'max', 'Skylake-Server', 'EPYC'];
    if (model && known.includes(model.value)) {
      if (model.value !== 'qemu64') this.setCpuModel(model.value);
    } else if (model) this.unsupported(value, model, `the CPU models machc knows are ${known.join(', ')}`, opt);
    for (const f of features) this.unsupported(value, f, 'CPU feature flags are not part of machine files', opt);
  }

  private setCpuModel(model: string): void {
    const cpus = this.doc.cpus;
    this.doc.cpus = typeof cpus === 'object' && !Array.isArray(cpus) ? { ...cpus, model } : cpus !== undefined ? { count: cpus, model } : { model };
  }

  private global(opt: Arg, value: Arg): void {
    const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(value.text);
    if (m && m[1] === 'q35-pcihost' && m[2] === 'pci-hole64-size') {
      const size = parseQemuSize(m[3]!);
      if (size === undefined) this.bad(value, undefined, 'not a size', opt);
      else this.memory.hole64 = size;
      return;
    }
    this.unsupported(value, undefined, 'the only -global machine files express is q35-pcihost.pci-hole64-size (memory: { hole64-size })', opt);
  }

  private object(opt: Arg, value: Arg): void {
    const props = this.opts(value, 'qom-type');
    const type = props[0]?.value ?? '';
    if (!/^memory-backend-(ram|file|memfd)$/.test(type)) {
      this.unsupported(value, props[0], 'the only objects machine files express are memory backends of NUMA nodes', opt);
      return;
    }
    let id: string | undefined;
    let size: number | undefined;
    for (const p of props.slice(1)) {
      if (p.key === 'id') id = p.value;
      else if (p.key === 'size') {
        size = parseQemuSize(p.value);
        if (size === undefined) this.bad(value, p, 'not a size', opt);
      } else this.ignored(value, p, 'how the host backs guest RAM', opt);
    }
    if (id === undefined || size === undefined) {
      if (id === undefined || !props.some((p) => p.key === 'size')) this.bad(value, undefined, `a memory backend needs id= and size=`, opt);
      return;
    }
    this.backends.set(id, { size, arg: value, used: false });
  }

  private numaOption(opt: Arg, value: Arg): void {
    const props = this.opts(value, 'type');
    if (props[0]?.value !== 'node') {
      this.unsupported(value, props[0], 'of -numa, machine files express nodes (-numa node) only: no distances, CPU lists by socket or HMAT', opt);
      return;
    }
    const node = { nodeid: this.numa.length, cpus: [] as string[], memdev: undefined as string | undefined, mem: undefined as number | undefined, arg: value };
    for (const p of props.slice(1)) {
      if (p.key === 'nodeid') {
        const n = parseInt0(p.value);
        if (n === undefined) this.bad(value, p, 'a whole number', opt);
        else node.nodeid = n;
      } else if (p.key === 'cpus') {
        const m = /^(\d+)(?:-(\d+))?$/.exec(p.value);
        if (!m) this.bad(value, p, 'a CPU index or range (0-3)', opt);
        else node.cpus.push(m[2] ? `${m[1]}..${m[2]}` : m[1]!);
      } else if (p.key === 'memdev') {
        const b = this.backends.get(p.value);
        if (!b) this.bad(value, p, `no memory backend ${p.value} (define it with -object memory-backend-ram,id=${p.value},size=... before it)`, opt);
        else {
          b.used = true;
          node.mem = b.size;
        }
      } else if (p.key === 'mem') {
        const size = parseQemuSize(p.value, 2 ** 20);
        if (size === undefined) this.bad(value, p, 'not a size', opt);
        else node.mem = size;
      } else this.unsupported(value, p, `no NUMA node property ${p.key} in machine files`, opt);
    }
    this.numa.push(node);
  }

  private netdev(opt: Arg, value: Arg): void {
    const props = this.opts(value, 'type');
    const id = props.find((p) => p.key === 'id')?.value;
    if (id === undefined) return this.bad(value, undefined, 'a netdev needs id=', opt);
    const type = props[0]?.value ?? '';
    if (type !== 'user') this.ignored(value, props[0], `the host side of a NIC; machine files give NICs user networking (netdev ${type} is the host's choice)`, opt);
    for (const p of props.slice(1)) if (p.key !== 'id' && type === 'user' && p.key !== 'restrict') this.ignored(value, p, 'the host side of user networking', opt);
    this.netdevs.set(id, { type, arg: value, used: false });
  }

  private drive(opt: Arg, value: Arg): void {
    const props = this.opts(value, undefined);
    let id: string | undefined;
    let image: string | undefined;
    let format: string | undefined;
    let readonly = false;
    for (const p of props) {
      switch (p.key) {
        case 'if':
          if (p.value !== 'none') this.unsupported(value, p, 'a drive that creates its own device; write if=none and a -device for it', opt);
          break;
        case 'id':
          id = p.value;
          break;
        case 'file':
          image = p.value;
          break;
        case 'format':
          if (p.value === 'raw' || p.value === 'qcow2') format = p.value;
          else this.unsupported(value, p, 'machine files take raw and qcow2 images', opt);
          break;
        case 'readonly': {
          const b = parseBool(p.value);
          if (b === undefined) this.bad(value, p, 'on or off', opt);
          else readonly = b;
          break;
        }
        case 'media':
          if (p.value !== 'cdrom' && p.value !== 'disk') this.bad(value, p, 'disk or cdrom', opt);
          break;
        default:
          if (HOST_DRIVE_PROPS.has(p.key)) this.ignored(value, p, 'how the host opens the image', opt);
          else this.unsupported(value, p, `no drive property ${p.key} in machine files`, opt);
      }
    }
    if (id === undefined) return this.bad(value, undefined, 'a drive for a -device needs id=', opt);
    this.drives.set(id, { image, format, readonly, arg: value, used: false });
  }

  private chardev(opt: Arg, value: Arg): void {
    const props = this.opts(value, 'backend');
    const id = props.find((p) => p.key === 'id')?.value;
    if (id === undefined) return this.bad(value, undefined, 'a chardev needs id=', opt);
    this.chardevs.set(id, { backend: props[0]?.value ?? '', arg: value, used: false });
  }

  private device(opt: Arg, value: Arg): void {
    const list = this.opts(value, 'driver');
    const driverProp = list[0];
    const driver = driverProp?.value ?? '';
    const props = new Map<string, Prop>();
    for (const p of list.slice(1)) props.set(p.key, p);
    const model = allDeviceModels().find((m) => m.qemuDevice === driver);
    const sub = ['nvme-ns', 'nvme-subsys', 'virtconsole', 'virtserialport'].includes(driver);
    if (driver === 'vfio-pci') {
      this.unsupported(value, driverProp, "a passed-through host function: what the guest sees of it is the host's (lspci -vv -s <host>); write it as a vfio-pci device with its vendor-id, device-id, class and bars", opt);
      return;
    }
    if (!model && !sub) {
      this.unsupported(value, driverProp, `machc has no model for QEMU's ${driver} (machc models lists the devices it has)`, opt);
      return;
    }
    if (driver === 'nvme-subsys') {
      const id = props.get('id')?.value;
      if (id === undefined) return this.bad(value, undefined, 'an nvme-subsys needs id=', opt);
      this.subsystems.set(id, { nqn: props.get('nqn')?.value, arg: value });
      for (const p of props.values()) if (p.key !== 'id' && p.key !== 'nqn') this.unsupported(value, p, `no nvme-subsys property ${p.key} in machine files`, opt);
      return;
    }
    const given = props.get('id')?.value;
    const fallback = model ? model.name : driver;
    const pending: PendingDevice = { arg: value, driver, props, model, id: given ?? '' };
    pending.id = given !== undefined && !sub ? machineId(this.idOf(given), fallback, this.taken) : given !== undefined ? this.idOf(given) : '';
    if (given !== undefined && !sub && pending.id !== this.idOf(given)) this.ignored(value, props.get('id'), `machine ids are letters, digits, - and _: the device is ${pending.id}`, opt);
    this.devices.push(pending);
  }

  /** Everything that refers to something else, once every option is read. */
  private finish(): void {
    const doc = this.doc;
    if (this.target !== DEFAULT_TARGET.version) doc.qemu = this.target;
    const m = this.memory;
    if (m.below4g !== undefined || m.hole64 !== undefined) doc.memory = { size: sizeText(m.size ?? 128 * 2 ** 20), 'below-4g-max': m.below4g !== undefined ? sizeText(m.below4g) : undefined, 'hole64-size': m.hole64 !== undefined ? sizeText(m.hole64) : undefined };
    else doc.memory = sizeText(m.size ?? 128 * 2 ** 20);
    if (this.numa.length > 0) doc.numa = this.numa.map((n) => ({ id: `node${n.nodeid}`, cpus: n.cpus, memory: sizeText(n.mem ?? 0) }));
    for (const [id, b] of this.backends) if (!b.used) this.ignored(b.arg, undefined, `memory backend ${id} backs no NUMA node (guest RAM is memory:)`);
    if (this.display === 'none') this.builtins['display'] = 'none';
    else if (this.display === 'virtio') this.builtins['display'] = 'virtio-vga';
    if (Object.keys(this.builtins).length > 0) doc.builtins = this.builtins;

    // Ids for devices QEMU named itself, then each device in command-line order.
    for (const d of this.devices) if (d.model && d.id === '') d.id = machineId(d.model.name, d.model.name, this.taken);
    const byQemuId = new Map<string, PendingDevice>();
    for (const d of this.devices) {
      const qid = d.props.get('id')?.value;
      if (qid !== undefined) byQemuId.set(qid, d);
    }
    const out = new Map<PendingDevice, DocObject>();
    const slots = new SlotAllocator(this.display !== 'none');
    for (const d of this.devices) {
      if (!d.model) continue;
      const dev = this.machineDevice(d, byQemuId, slots);
      if (dev) out.set(d, dev);
    }
    for (const d of this.devices) if (!d.model) this.subDevice(d, byQemuId, out);
    this.virtioVfs(out, byQemuId);
    doc.devices = [...out.values()];

    for (const [id, n] of this.netdevs) if (!n.used) this.ignored(n.arg, undefined, `netdev ${id} is used by no NIC`);
    for (const [id, dr] of this.drives) if (!dr.used) this.ignored(dr.arg, undefined, `drive ${id} is used by no device`);
    for (const [id, c] of this.chardevs) {
      if (!c.used) this.ignored(c.arg, undefined, `chardev ${id} is used by no virtio-serial port`);
      else if (c.backend !== 'null') this.ignored(c.arg, undefined, `the host end of a virtio-serial port (${c.backend}); machc's qemu.args connects ports to null chardevs`);
    }
    if (this.boot.length > 0) doc.boot = [...this.boot].sort((a, b) => a.index - b.index).map((b) => b.id).filter((id, i, all) => all.indexOf(id) === i);
  }

  private prop(d: PendingDevice, key: string): Prop | undefined {
    const p = d.props.get(key);
    if (p) d.props.delete(key);
    return p;
  }

  /** A device property read with `parse`; a value it refuses is MD1703 (`expected` says what it wants). */
  private parsed<T>(d: PendingDevice, key: string, parse: (text: string) => T | undefined, expected: string): T | undefined {
    const p = this.prop(d, key);
    if (!p) return undefined;
    const v = parse(p.value);
    if (v === undefined) this.bad(d.arg, p, expected);
    return v;
  }

  private int(d: PendingDevice, key: string): number | undefined {
    return this.parsed(d, key, parseInt0, 'a whole number');
  }

  private bool(d: PendingDevice, key: string): boolean | undefined {
    return this.parsed(d, key, parseBool, 'on or off');
  }

  private size(d: PendingDevice, key: string): string | undefined {
    const n = this.parsed(d, key, (t) => parseQemuSize(t), 'not a size');
    return n === undefined ? undefined : sizeText(n);
  }

  private bootIndex(d: PendingDevice, id: string): void {
    const n = this.int(d, 'bootindex');
    if (n !== undefined) this.boot.push({ id, index: n });
  }

  /** A -drive named by drive=: its image, format and readonly as a machine file writes them. */
  private useDrive(d: PendingDevice, key = 'drive', mayBeEmpty = false): DocObject | undefined {
    const p = this.prop(d, key);
    if (!p) return undefined;
    const dr = this.drives.get(p.value);
    if (!dr) {
      this.bad(d.arg, p, `no -drive with id=${p.value}`);
      return undefined;
    }
    dr.used = true;
    if (dr.image === undefined) {
      if (mayBeEmpty) return { readonly: dr.readonly ? true : undefined };
      this.unsupported(dr.arg, undefined, 'a drive without file= (an empty drive) is only modelled for SATA CD-ROMs');
      return undefined;
    }
    return { image: dr.image, format: dr.format, readonly: dr.readonly ? true : undefined };
  }

  private machineDevice(d: PendingDevice, byQemuId: ReadonlyMap<string, PendingDevice>, slots: SlotAllocator): DocObject | undefined {
    const model = d.model!;
    const dev: DocObject = { id: d.id, model: model.name };
    if (model.role === 'sata-drive') return this.sataDevice(d, dev);
    if (model.role === 'attached') return this.attachedDevice(d, dev, byQemuId);
    // Where it sits: bus= names a bridge's id (or pcie.0); addr= the slot, else the one QEMU would pick.
    const busProp = this.prop(d, 'bus');
    let busId = 'pcie.0';
    if (busProp && busProp.value !== 'pcie.0') {
      const parent = byQemuId.get(busProp.value);
      if (!parent?.model?.bridge && parent?.model?.role !== 'expander') {
        this.bad(d.arg, busProp, parent ? `${busProp.value} is not a bus (a root port, switch port, bridge or expander)` : `no bus ${busProp.value} (buses are pcie.0 and the ids of root ports, switch ports, bridges and expanders defined before the device)`);
        return undefined;
      }
      busId = parent.id;
      dev['bus'] = busId;
    }
    const addrProp = this.prop(d, 'addr');
    let addr = addrProp ? parseAddr(addrProp.value) : undefined;
    if (addrProp && !addr) this.bad(d.arg, addrProp, 'a slot[.function] in hex, such as 0x10 or 0x1c.2');
    if (!addr && d.props.get('sriov-pf') === undefined) addr = slots.next(busId);
    if (addr) {
      slots.take(busId, addr.device);
      dev['addr'] = slotFnText(addr.device, addr.fn);
    }
    if (this.bool(d, 'multifunction')) dev['multifunction'] = true;
    const acpiIndex = this.int(d, 'acpi-index');
    if (acpiIndex !== undefined) dev['acpi-index'] = acpiIndex;

    if (model.bridge) {
      if (model.bridge.slot) {
        dev['chassis'] = this.int(d, 'chassis');
        dev['slot'] = this.int(d, 'slot');
        if (this.bool(d, 'hotplug') === false) dev['hotplug'] = false;
        const port = this.prop(d, 'port');
        if (port && parseInt0(port.value) !== 0) this.unsupported(d.arg, port, 'machine files do not set the PCIe Port Number (Link Capabilities); the guest sees 0');
      }
      if (model.bridge.busReserve) {
        dev['bus-reserve'] = this.int(d, 'bus-reserve');
        for (const k of ['io-reserve', 'mem-reserve', 'pref32-reserve', 'pref64-reserve']) dev[k] = this.size(d, k);
      }
      if (model.name === 'pcie-pci-bridge') {
        const shpc = this.bool(d, 'shpc');
        if (shpc === false) this.unsupported(d.arg, d.props.get('shpc'), 'the PCIe-to-PCI bridge is modelled with its SHPC hot-plug controller');
      }
    } else if (model.nic) {
      const netdev = this.prop(d, 'netdev');
      if (netdev) {
        const n = this.netdevs.get(netdev.value);
        if (!n) this.bad(d.arg, netdev, `no -netdev with id=${netdev.value}`);
        else n.used = true;
      } else dev['netdev'] = 'none';
      const mac = this.prop(d, 'mac');
      if (mac) dev['mac'] = mac.value.toLowerCase();
      this.bootIndex(d, d.id);
      if (model.name === 'igb') dev['sriov'] = { vfs: model.sriov!.defaultTotalVfs! };
    } else if (model.role === 'expander') {
      dev['bus-nr'] = this.int(d, 'bus_nr');
      const node = this.int(d, 'numa_node');
      if (node !== undefined) dev['numa-node'] = `node${node}`;
    } else if (model.name === 'virtio-blk') {
      Object.assign(dev, this.useDrive(d) ?? {});
      const serial = this.prop(d, 'serial');
      if (serial) dev['serial'] = serial.value;
      this.bootIndex(d, d.id);
    } else if (model.name === 'nvme') {
      this.nvme(d, dev);
    }
    // Whatever is left has no place in the file.
    for (const p of d.props.values()) {
      if (p.key === 'id' || p.key === 'sriov-pf') continue;
      this.unsupported(d.arg, p, `no ${model.name} property ${p.key} in machine files`);
    }
    return dev;
  }

  private nvme(d: PendingDevice, dev: DocObject): void {
    const serial = this.prop(d, 'serial');
    if (serial) dev['serial'] = serial.value;
    const sub = this.prop(d, 'subsys');
    if (sub) {
      const s = this.subsystems.get(sub.value);
      // A subsystem of one controller without an NQN is what machc gives an SR-IOV controller by itself; a shared one is named by its NQN (or its id).
      const shared = this.devices.filter((x) => x.driver === 'nvme' && x.props.get('subsys')?.value === sub.value).length > 1;
      if (!s) this.bad(d.arg, sub, `no -device nvme-subsys with id=${sub.value}`);
      else if (s.nqn !== undefined || shared) dev['nqn'] = s.nqn ?? sub.value;
    }
    Object.assign(dev, this.useDrive(d) ?? {});
    const total = this.int(d, 'sriov_max_vfs');
    const vq = this.int(d, 'sriov_vq_flexible');
    const vi = this.int(d, 'sriov_vi_flexible');
    const maxIoqpairs = this.int(d, 'max_ioqpairs');
    const msixQsize = this.int(d, 'msix_qsize');
    if (maxIoqpairs !== undefined) dev['max-ioqpairs'] = maxIoqpairs;
    if (msixQsize !== undefined) dev['msix-qsize'] = msixQsize;
    if (total !== undefined && total > 0) dev['sriov'] = { 'total-vfs': total, vfs: total, 'vq-flexible': vq, 'vi-flexible': vi };
    this.bootIndex(d, d.id);
  }

  private sataDevice(d: PendingDevice, dev: DocObject): DocObject | undefined {
    const model = d.model!;
    const bus = this.prop(d, 'bus');
    const m = bus ? /^ide\.([0-5])$/.exec(bus.value) : undefined;
    if (!bus || !m) {
      this.unsupported(d.arg, bus, 'SATA drives sit on the ICH9 AHCI ports, bus=ide.0 to ide.5');
      return undefined;
    }
    dev['bus'] = 'ahci';
    dev['port'] = Number(m[1]);
    Object.assign(dev, this.useDrive(d, 'drive', model.name === 'sata-cdrom') ?? {});
    // A CD-ROM's medium is read-only whatever the drive says.
    if (model.name === 'sata-cdrom') delete dev['readonly'];
    this.bootIndex(d, d.id);
    for (const p of d.props.values()) if (p.key !== 'id') this.unsupported(d.arg, p, `no ${d.model!.name} property ${p.key} in machine files`);
    return dev;
  }

  /** A device on a controller's bus (bus=<controller>.0): SCSI disks and CD-ROMs, USB devices, HDA codecs, at their place. */
  private attachedDevice(d: PendingDevice, dev: DocObject, byQemuId: ReadonlyMap<string, PendingDevice>): DocObject | undefined {
    const model = d.model!;
    const kind = model.bus;
    const bus = this.prop(d, 'bus');
    const parent = bus ? byQemuId.get(bus.value.replace(/\.0$/, '')) : undefined;
    if (!bus || !parent?.model?.controls || parent.model.controls.bus !== kind || !bus.value.endsWith('.0')) {
      const controllers = allDeviceModels().filter((m) => m.controls?.bus === kind).map((m) => m.qemuDevice).join(' or ');
      this.bad(d.arg, bus, `${model.qemuDevice} goes on a ${controllers}: bus=<its id>.0`);
      return undefined;
    }
    dev['bus'] = parent.id;
    if (kind === 'scsi') {
      const channel = this.int(d, 'channel');
      if (channel !== undefined && channel !== 0) this.unsupported(d.arg, undefined, 'virtio-scsi has only channel 0');
      const target = this.int(d, 'scsi-id');
      const lun = this.int(d, 'lun');
      if (target !== undefined) dev['target'] = target;
      if (lun !== undefined && lun !== 0) dev['lun'] = lun;
    } else if (kind === 'usb') {
      const port = this.prop(d, 'port');
      if (port) dev['port'] = parseInt0(port.value);
    } else {
      const cad = this.int(d, 'cad');
      if (cad !== undefined) dev['address'] = cad;
      this.prop(d, 'audiodev');
    }
    if (model.storage) {
      Object.assign(dev, this.useDrive(d, 'drive', model.name === 'scsi-cd') ?? {});
      if (model.name === 'scsi-cd') delete dev['readonly'];
    }
    this.bootIndex(d, d.id);
    for (const p of d.props.values()) if (p.key !== 'id') this.unsupported(d.arg, p, `no ${model.name} property ${p.key} in machine files`);
    return dev;
  }

  /** nvme-ns and virtio-serial ports: parts of the device their bus= names. */
  private subDevice(d: PendingDevice, byQemuId: ReadonlyMap<string, PendingDevice>, out: ReadonlyMap<PendingDevice, DocObject>): void {
    const bus = this.prop(d, 'bus');
    const parentId = d.driver === 'nvme-ns' ? bus?.value : bus?.value.replace(/\.0$/, '');
    const parent = parentId !== undefined ? byQemuId.get(parentId) : undefined;
    const want = d.driver === 'nvme-ns' ? 'nvme' : 'virtio-serial';
    const owner = parent ? out.get(parent) : undefined;
    if (!parent || parent.model?.name !== want || !owner) {
      this.bad(d.arg, bus, `${d.driver} goes on ${d.driver === 'nvme-ns' ? 'an nvme controller: bus=<its id>' : 'a virtio-serial-pci: bus=<its id>.0'}`);
      return;
    }
    if (d.driver === 'nvme-ns') {
      const drive = this.useDrive(d);
      const nsid = this.int(d, 'nsid');
      const list = (owner['namespaces'] as DocObject[] | undefined) ?? [];
      const nsidNow = nsid ?? list.length + 1;
      const ns: DocObject = { id: d.id !== '' ? machineId(d.id, `${owner['id']}-ns${nsidNow}`, this.taken) : machineId(`${owner['id']}-ns${nsidNow}`, 'ns', this.taken), nsid, ...(drive ?? {}) };
      owner['namespaces'] = [...list, ns];
      this.bootIndex(d, String(owner['id']));
    } else {
      const chardev = this.prop(d, 'chardev');
      if (chardev) {
        const c = this.chardevs.get(chardev.value);
        if (!c) this.bad(d.arg, chardev, `no -chardev with id=${chardev.value}`);
        else c.used = true;
      }
      const name = this.prop(d, 'name');
      const port: DocObject = {
        id: machineId(d.id !== '' ? d.id : `${owner['id']}-port`, 'port', this.taken),
        kind: d.driver === 'virtconsole' ? 'console' : undefined,
        name: name?.value,
      };
      owner['ports'] = [...((owner['ports'] as DocObject[] | undefined) ?? []), port];
    }
    for (const p of d.props.values()) if (p.key !== 'id') this.unsupported(d.arg, p, `no ${d.driver} property ${p.key} in machine files`);
  }

  /**
   * virtio-net SR-IOV: QEMU's VFs are virtio-net-pci devices with sriov-pf=
   * naming their PF; in a machine file they are the PF's sriov: settings.
   */
  private virtioVfs(out: Map<PendingDevice, DocObject>, byQemuId: ReadonlyMap<string, PendingDevice>): void {
    const vfsOf = new Map<PendingDevice, { d: PendingDevice; rid: number }[]>();
    for (const d of this.devices) {
      const pfProp = d.props.get('sriov-pf');
      if (!pfProp) continue;
      const pf = byQemuId.get(pfProp.value);
      const vf = out.get(d);
      out.delete(d);
      if (!pf || !out.has(pf) || pf.driver !== d.driver) {
        this.bad(d.arg, pfProp, `no ${d.driver} with id=${pfProp.value} to be this VF's PF`);
        continue;
      }
      const addr = typeof vf?.['addr'] === 'string' ? vf['addr'] : undefined;
      if (addr === undefined) {
        this.bad(d.arg, pfProp, 'a VF needs addr= (its routing ID from the PF\'s First VF Offset and VF Stride)');
        continue;
      }
      const [dev, fn] = addr.split('.').map((x) => parseInt(x, 16));
      vfsOf.set(pf, [...(vfsOf.get(pf) ?? []), { d, rid: dev! * 8 + fn! }]);
    }
    for (const [pf, vfs] of vfsOf) {
      const doc = out.get(pf)!;
      const [dev, fn] = String(doc['addr']).split('.').map((x) => parseInt(x, 16));
      const pfRid = dev! * 8 + fn!;
      const rids = vfs.map((v) => v.rid).sort((a, b) => a - b);
      const offset = rids[0]! - pfRid;
      const stride = rids.length > 1 ? rids[1]! - rids[0]! : 1;
      const even = rids.every((r, i) => r === rids[0]! + i * stride);
      if (offset <= 0 || stride <= 0 || !even) {
        this.unsupported(vfs[0]!.d.arg, undefined, `the VFs of ${pf.id} are not at PF + offset + n * stride`);
        continue;
      }
      const sriov: DocObject = { 'total-vfs': rids.length, vfs: rids.length };
      if (offset !== 1) sriov['vf-offset'] = offset;
      if (stride !== 1) sriov['vf-stride'] = stride;
      doc['sriov'] = sriov;
    }
  }
}

/**
 * The slots QEMU gives devices without addr=: the lowest free slot of the bus
 * (function 0), after the chipset's own on pcie.0 (MCH 00.0, the VGA 01.0,
 * LPC/AHCI/SMBus 1f) and whatever earlier devices took.
 */
class SlotAllocator {
  private readonly used = new Map<string, Set<number>>();

  constructor(vga: boolean) {
    const root = new Set<number>([0, 0x1f]);
    if (vga) root.add(1);
    this.used.set('pcie.0', root);
  }

  take(bus: string, slot: number): void {
    let s = this.used.get(bus);
    if (!s) this.used.set(bus, (s = new Set()));
    s.add(slot);
  }

  next(bus: string): { device: number; fn: number } | undefined {
    const s = this.used.get(bus) ?? new Set<number>();
    for (let slot = 0; slot < 32; slot++) if (!s.has(slot)) return { device: slot, fn: 0 };
    return undefined;
  }
}

/** Reads a QEMU command line into a machine document; problems go to `diags`. */
export function importQemu(list: ArgList, diags: DiagnosticBag, options: QemuImportOptions = {}): MachineDoc {
  return new QemuImporter(list, diags, options).run();
}
