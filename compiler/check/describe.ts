/**
 * The describe pass: the YAML tree (already schema-checked) becomes the typed
 * MachineDescription. Every value goes through the value language here, so a
 * bad value is reported at its exact column. Defaults are applied here, the
 * way QEMU applies them, so later passes never guess.
 */
import { deviceModel } from '../../runtime/devices/catalog.js';
import { basename, extname } from 'node:path';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type {
  AcpiChoices, AslText, SsdtDesc,
  BootEntryDesc, BuiltinsDesc, CpuDesc, CpuModel, DeviceDesc, DiskFormat, DisplayModel, DriveDesc, MachineDescription,
  ExpanderDesc, MemoryDesc, NamespaceDesc, NetdevDesc, NumaNodeDesc, NvmeDesc, PortDesc, SerialPortDesc, SlotFn, SriovDesc, VfioDesc,
} from '../model/description.js';
import { DEFAULT_TARGET, isTargetVersion, TARGET_VERSIONS, TARGETS, type QemuTarget, type TargetVersion } from '../model/target.js';
import type { SourceFile, Span } from '../source/source-file.js';
import { mapGet, type YEntry, type YMap, type YNode, type YScalar } from '../source/yaml-tree.js';
import { formatHex, formatMac, formatSize, parseValue, type Value, type ValueKind } from '../values/index.js';
import { STDIN_PATH } from '../source/load.js';

const MIB = 1024 * 1024;
/** QEMU's default RAM when -m is not given. */
export const DEFAULT_MEMORY = 128 * MIB;

class Reader {
  constructor(
    readonly source: SourceFile,
    readonly diags: DiagnosticBag,
  ) {}

  /** The span of a slice of a scalar's text. */
  inner(node: YScalar, offset: number, length: number): Span {
    return this.source.span(node.textOffset + offset, length);
  }

  value(node: YNode, kind: ValueKind): Value | undefined {
    if (node.kind !== 'scalar') return undefined; // the schema pass reported the shape
    if (node.value === null || typeof node.value === 'boolean') return undefined;
    const text = node.text;
    const r = parseValue(text, kind);
    if (r.ok) return r.value;
    const e = r.error;
    const span = this.inner(node, e.offset, Math.max(1, e.length));
    switch (e.code) {
      case 'syntax':
        this.diags.report(Diag.valueSyntax, span, { detail: e.message });
        break;
      case 'too-large':
        this.diags.report(Diag.valueTooLarge, span, { value: text.trim().slice(0, 40), limit: '2^53 - 1' });
        break;
      case 'negative':
        this.diags.report(Diag.valueNegative, span, { value: text.trim().slice(0, 40) });
        break;
      case 'kind':
        this.diags.report(Diag.valueKind, span, { expected: e.expected ?? kind, found: e.found ?? 'something else' });
        break;
      case 'arithmetic':
        this.diags.report(Diag.valueArithmetic, span, { detail: e.message });
        break;
      case 'out-of-range':
        this.diags.report(Diag.valueOutOfRange, span, { detail: e.message });
        break;
    }
    return undefined;
  }

  int(node: YNode, kind: 'int' | 'size' | 'address', min: number, max: number, what?: (n: number) => string): number | undefined {
    const v = this.value(node, kind);
    if (!v || v.kind !== 'int') return undefined;
    if (v.value < min || v.value > max) {
      const show = what ?? ((n: number) => (kind === 'int' ? String(n) : formatHex(n)));
      if (v.value > max && kind !== 'int') {
        this.diags.report(Diag.valueTooLarge, node.span, { value: show(v.value), limit: show(max) });
      } else {
        this.diags.report(Diag.valueOutOfRange, node.span, { detail: `${show(v.value)} is out of range (${show(min)} to ${show(max)})` });
      }
      return undefined;
    }
    return v.value;
  }

  text(node: YNode | undefined): string | undefined {
    return node && node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
  }

  bool(node: YNode | undefined): boolean | undefined {
    return node && node.kind === 'scalar' && typeof node.value === 'boolean' ? node.value : undefined;
  }
}

/**
 * An ASL block scalar with the file offset of each of its lines: a literal
 * block (`|`) keeps one value line per file line, after the indentation.
 */
function aslText(node: YNode | undefined, source: SourceFile): AslText | undefined {
  if (!node || node.kind !== 'scalar' || typeof node.value !== 'string') return undefined;
  const text = node.value;
  const file = source.text;
  const head = file[node.span.offset];
  if (head !== '|' && head !== '>') return { text, lines: [node.textOffset], span: node.span };
  const lines: number[] = [];
  let p = file.indexOf('\n', node.span.offset);
  let indent = -1;
  const count = text.split('\n').length;
  while (lines.length < count && p >= 0 && p < file.length) {
    const start = p + 1;
    const m = /^[ ]*/.exec(file.slice(start, start + 200))!;
    const blank = file[start + m[0].length] === '\n' || start + m[0].length >= file.length;
    if (indent < 0 && !blank) indent = m[0].length;
    lines.push(blank ? start + m[0].length : start + Math.max(0, indent));
    p = file.indexOf('\n', start);
    if (p < 0) break;
  }
  while (lines.length < count) lines.push(node.span.offset + node.span.length);
  return { text, lines, span: node.span };
}

function spansOf(map: YMap, declSpan?: Span): Record<string, Span> {
  const spans: Record<string, Span> = { $: declSpan ?? map.span };
  for (const e of map.entries) {
    spans[e.key] = e.value.span;
    spans[`${e.key}$key`] = e.keySpan;
  }
  return spans;
}

function get(map: YMap, key: string): YNode | undefined {
  return mapGet(map, key)?.value;
}

export interface DescribeOptions {
  /** The QEMU target from the command line; it overrides the file's `qemu:`. */
  readonly qemu?: TargetVersion | undefined;
}

export function describeMachine(root: YMap, source: SourceFile, diags: DiagnosticBag, options: DescribeOptions = {}): MachineDescription {
  const r = new Reader(source, diags);
  const rootSpans = spansOf(root);
  // Standard input (`-`) has no file name to take the machine's name from.
  const fileName = source.path === STDIN_PATH ? 'stdin' : basename(source.path, extname(source.path));
  const name = r.text(get(root, 'name')) ?? fileName;
  const devicesNode = get(root, 'devices');
  const deviceNodes = devicesNode && devicesNode.kind === 'seq' ? devicesNode.items : [];
  const devices: DeviceDesc[] = [];
  let nicIndex = 0;
  for (const node of deviceNodes) {
    if (node.kind !== 'map') continue;
    const d = describeDevice(r, node, () => nicIndex++);
    if (d) devices.push(d);
  }
  const bootNode = get(root, 'boot');
  const boot: BootEntryDesc[] = [];
  if (bootNode && bootNode.kind === 'seq') {
    for (const item of bootNode.items) {
      const id = r.text(item);
      if (id !== undefined) boot.push({ id, span: item.span });
    }
  }
  const ssdtNode = get(root, 'ssdts');
  const ssdts: SsdtDesc[] = [];
  if (ssdtNode && ssdtNode.kind === 'seq') {
    for (const item of ssdtNode.items) {
      if (item.kind !== 'map') continue;
      const file = r.text(get(item, 'file'));
      const asl = aslText(get(item, 'asl'), source);
      if (file !== undefined) ssdts.push({ file, span: get(item, 'file')!.span });
      else if (asl) ssdts.push({ asl, span: item.span });
    }
  }
  const numaNode = get(root, 'numa');
  const numa: NumaNodeDesc[] = [];
  if (numaNode && numaNode.kind === 'seq') {
    for (const item of numaNode.items) {
      if (item.kind !== 'map') continue;
      const n = describeNuma(r, item);
      if (n) numa.push(n);
    }
  }
  return {
    file: source.path,
    name,
    description: r.text(get(root, 'description')),
    chipset: 'q35',
    qemu: describeTarget(r, get(root, 'qemu'), options.qemu),
    acpi: describeAcpi(r, get(root, 'acpi'), root),
    cpus: describeCpus(r, get(root, 'cpus'), root),
    memory: describeMemory(r, get(root, 'memory'), root),
    numa,
    builtins: describeBuiltins(r, get(root, 'builtins'), root),
    devices,
    boot,
    ssdts,
    spans: rootSpans,
  };
}

/**
 * `qemu: "10.0"` (quoted or not: YAML reads 10.0 as the number 10, so the
 * scalar's own text is what counts).
 */
function describeTarget(r: Reader, node: YNode | undefined, override: TargetVersion | undefined): QemuTarget {
  let fromFile: QemuTarget | undefined;
  if (node && node.kind === 'scalar' && typeof node.value !== 'boolean' && node.value !== null) {
    const text = typeof node.value === 'string' ? node.value.trim() : node.text.trim();
    if (isTargetVersion(text)) fromFile = TARGETS[text];
    else r.diags.report(Diag.invalidChoice, node.span, { value: text, allowed: TARGET_VERSIONS.map((v) => `"${v}"`).join(', ') });
  }
  return override !== undefined ? TARGETS[override] : (fromFile ?? DEFAULT_TARGET);
}

function describeAcpi(r: Reader, node: YNode | undefined, root: YMap): AcpiChoices {
  if (!node || node.kind !== 'map') return { processors: 'processor', madtRevision: undefined, xsdt: false, spans: { $: node?.span ?? root.span } };
  const rev = get(node, 'madt-revision');
  return {
    processors: r.text(get(node, 'processors')) === 'device' ? 'device' : 'processor',
    madtRevision: rev ? r.int(rev, 'int', 1, 5) : undefined,
    xsdt: r.bool(get(node, 'xsdt')) ?? false,
    spans: spansOf(node),
  };
}

/** QEMU 7.2's -smp rules: missing values are derived, preferring cores over sockets. */
function describeCpus(r: Reader, node: YNode | undefined, root: YMap): CpuDesc {
  const spans = node ? (node.kind === 'map' ? spansOf(node) : { $: node.span }) : { $: root.span };
  const limit = (n: YNode) => r.int(n, 'int', 1, 1024);
  let count: number | undefined;
  let sockets: number | undefined;
  let dies: number | undefined;
  let cores: number | undefined;
  let threads: number | undefined;
  let max: number | undefined;
  let model: CpuModel = 'qemu64';
  if (node && node.kind === 'scalar') count = limit(node);
  else if (node && node.kind === 'map') {
    const f = (k: string) => {
      const n = get(node, k);
      return n ? limit(n) : undefined;
    };
    count = f('count');
    sockets = f('sockets');
    dies = f('dies');
    cores = f('cores');
    threads = f('threads');
    max = f('max');
    const m = r.text(get(node, 'model'));
    if (m) model = m as CpuModel;
  }
  dies ??= 1;
  threads ??= 1;
  const known = max ?? count;
  if (known === undefined) {
    sockets ??= 1;
    cores ??= 1;
  } else {
    if (cores === undefined) cores = sockets === undefined ? Math.max(1, Math.floor(known / (dies * threads))) : Math.max(1, Math.floor(known / (sockets * dies * threads)));
    sockets ??= Math.max(1, Math.floor(known / (dies * cores * threads)));
  }
  const product = sockets * dies * cores * threads;
  count ??= product;
  max ??= product;
  return { count, sockets, dies, cores, threads, max, model, spans };
}

/** RAM sizes are whole MiB, so that every map machc prints is exact (QEMU itself rounds -m up). */
function wholeMiB(r: Reader, node: YNode, bytes: number | undefined): number | undefined {
  if (bytes === undefined || bytes % MIB === 0) return bytes;
  r.diags.report(Diag.valueUnaligned, node.span, { value: formatSize(bytes), alignment: '1 MiB' });
  return undefined;
}

function describeMemory(r: Reader, node: YNode | undefined, root: YMap): MemoryDesc {
  const maxRam = 2 ** 50; // 1 PiB: beyond any phys-bits QEMU q35 allows by default
  if (!node) return { size: DEFAULT_MEMORY, below4gMax: undefined, hole64Size: undefined, spans: { $: root.span } };
  if (node.kind === 'scalar') {
    return { size: wholeMiB(r, node, r.int(node, 'size', 1, maxRam)) ?? DEFAULT_MEMORY, below4gMax: undefined, hole64Size: undefined, spans: { $: node.span, size: node.span } };
  }
  if (node.kind !== 'map') return { size: DEFAULT_MEMORY, below4gMax: undefined, hole64Size: undefined, spans: { $: node.span } };
  const sizeNode = get(node, 'size');
  const below = get(node, 'below-4g-max');
  const hole = get(node, 'hole64-size');
  return {
    size: (sizeNode && wholeMiB(r, sizeNode, r.int(sizeNode, 'size', 1, maxRam))) ?? DEFAULT_MEMORY,
    below4gMax: below ? r.int(below, 'size', 0, 2 ** 32) : undefined,
    hole64Size: hole ? r.int(hole, 'size', 0, 2 ** 50) : undefined,
    spans: spansOf(node),
  };
}

function describeBuiltins(r: Reader, node: YNode | undefined, root: YMap): BuiltinsDesc {
  if (!node || node.kind !== 'map') return { display: 'std-vga', sata: true, smbus: true, spans: { $: node?.span ?? root.span } };
  return {
    display: (r.text(get(node, 'display')) as DisplayModel | undefined) ?? 'std-vga',
    sata: r.bool(get(node, 'sata')) ?? true,
    smbus: r.bool(get(node, 'smbus')) ?? true,
    spans: spansOf(node),
  };
}

function describeNuma(r: Reader, node: YMap): NumaNodeDesc | undefined {
  const id = r.text(get(node, 'id'));
  if (id === undefined) return undefined;
  const cpus: number[] = [];
  const cpusNode = get(node, 'cpus');
  if (cpusNode && cpusNode.kind === 'seq') {
    for (const item of cpusNode.items) {
      const v = r.value(item, 'range');
      if (v && v.kind === 'range') {
        if (v.last > 1023) {
          r.diags.report(Diag.valueOutOfRange, item.span, { detail: `CPU ${v.last} is out of range (0 to 1023)` });
          continue;
        }
        for (let c = v.first; c <= v.last; c++) cpus.push(c);
      }
    }
  }
  const memNode = get(node, 'memory');
  const memory = (memNode && wholeMiB(r, memNode, r.int(memNode, 'size', 0, 2 ** 50))) ?? 0;
  return { id, cpus, memory, spans: spansOf(node) };
}

function driveOf(r: Reader, node: YMap, required: boolean): DriveDesc | undefined {
  const image = r.text(get(node, 'image'));
  if (image === undefined) return required ? undefined : undefined;
  const fmt = (r.text(get(node, 'format')) as DiskFormat | undefined) ?? (extname(image).toLowerCase() === '.qcow2' ? 'qcow2' : 'raw');
  return { image, format: fmt, readonly: r.bool(get(node, 'readonly')) ?? false };
}

/** QEMU's default MACs: 52:54:00:12:34:56 plus the NIC's index. */
export function defaultMac(index: number): string {
  const bytes = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56 + index];
  for (let i = 5; i > 0; i--) {
    while (bytes[i]! > 0xff) {
      bytes[i]! -= 0x100;
      bytes[i - 1]! += 1;
    }
  }
  return formatMac(bytes);
}

const NIC_MODELS = new Set(['e1000e', 'igb', 'virtio-net', 'e1000']);
const PORT_MODELS = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream']);

function describeDevice(r: Reader, node: YMap, nextNic: () => number): DeviceDesc | undefined {
  const id = r.text(get(node, 'id'));
  const model = r.text(get(node, 'model'));
  if (id === undefined || model === undefined) return undefined;
  const spans = spansOf(node);
  let addr: SlotFn | undefined;
  const addrNode = get(node, 'addr');
  if (addrNode) {
    const v = r.value(addrNode, 'slotfn');
    if (v && v.kind === 'slotfn') addr = { device: v.device, fn: v.fn };
  }
  let port: PortDesc | undefined;
  if (PORT_MODELS.has(model)) {
    const n = (k: string, max: number, min = 0) => {
      const x = get(node, k);
      return x ? r.int(x, 'int', min, max) : undefined;
    };
    const size = (k: string, max: number) => {
      const x = get(node, k);
      return x ? r.int(x, 'size', 0, max) : undefined;
    };
    port = {
      chassis: n('chassis', 255),
      slot: n('slot', 8191),
      hotplug: r.bool(get(node, 'hotplug')) ?? true,
      busReserve: n('bus-reserve', 253, 1),
      ioReserve: size('io-reserve', 0xffff),
      memReserve: size('mem-reserve', 2 ** 32 - 1),
      pref32Reserve: size('pref32-reserve', 2 ** 32 - 1),
      pref64Reserve: size('pref64-reserve', 2 ** 50),
    };
    if (port.pref32Reserve !== undefined && port.pref64Reserve !== undefined) {
      r.diags.report(Diag.schemaViolation, spans['pref64-reserve']!, { detail: 'pref32-reserve and pref64-reserve exclude each other: the prefetchable window is either 32-bit or 64-bit' });
    }
  }
  let mac: string | undefined;
  let netdev: NetdevDesc | undefined;
  if (NIC_MODELS.has(model)) {
    const index = nextNic();
    const macNode = get(node, 'mac');
    if (macNode) {
      const v = r.value(macNode, 'mac');
      if (v && v.kind === 'mac') {
        mac = formatMac(v.bytes);
        if ((v.bytes[0]! & 1) === 1) r.diags.report(Diag.invalidMac, macNode.span, { mac, reason: 'is a multicast address (lowest bit of the first byte is set)' });
      }
    } else mac = defaultMac(index);
    netdev = { type: (r.text(get(node, 'netdev')) as NetdevDesc['type'] | undefined) ?? 'user' };
  }
  const namespaces: NamespaceDesc[] = [];
  const nsNode = get(node, 'namespaces');
  if (nsNode && nsNode.kind === 'seq') {
    let next = 1;
    const taken = new Map<number, YNode>();
    const imageNode = get(node, 'image');
    if (imageNode) r.diags.report(Diag.nsidConflict, nsNode.span, { detail: `${id} has both an image and namespaces; give the image as a namespace instead` }, { notes: [{ message: 'the image is namespace 1 of the controller', span: imageNode.span }] });
    for (const item of nsNode.items) {
      if (item.kind !== 'map') continue;
      const drive = driveOf(r, item, true);
      if (!drive) continue;
      const nsidNode = get(item, 'nsid');
      const nsid = (nsidNode ? r.int(nsidNode, 'int', 1, 256) : undefined) ?? next;
      next = nsid + 1;
      const prev = taken.get(nsid);
      if (nsid > 256) {
        r.diags.report(Diag.nsidConflict, item.span, { detail: `namespace ${namespaces.length + 1} of ${id} would take nsid ${nsid}; QEMU's nvme has nsids 1-256` });
      } else if (prev) {
        r.diags.report(Diag.nsidConflict, nsidNode?.span ?? item.span, { detail: `nsid ${nsid} of ${id} is already taken (line ${prev.span.line})` }, { notes: [{ message: `nsid ${nsid} is taken here`, span: prev.span }] });
      }
      taken.set(nsid, nsidNode ?? item);
      namespaces.push({ id: r.text(get(item, 'id')) ?? `${id}-ns${nsid}`, nsid, drive, spans: spansOf(item) });
    }
  }
  const ports: SerialPortDesc[] = [];
  const portsNode = get(node, 'ports');
  if (portsNode && portsNode.kind === 'seq') {
    for (const item of portsNode.items) {
      if (item.kind !== 'map') continue;
      const portId = r.text(get(item, 'id'));
      if (portId === undefined) continue;
      ports.push({ id: portId, kind: (r.text(get(item, 'kind')) as SerialPortDesc['kind'] | undefined) ?? 'channel', name: r.text(get(item, 'name')), spans: spansOf(item) });
    }
  }
  let sriov: SriovDesc | undefined;
  const sriovNode = get(node, 'sriov');
  if (sriovNode && sriovNode.kind === 'map') {
    const n = (k: string, max: number) => {
      const x = get(sriovNode, k);
      return x ? r.int(x, 'int', 0, max) : undefined;
    };
    sriov = {
      totalVfs: n('total-vfs', 65535),
      vfs: n('vfs', 65535) ?? 0,
      vfOffset: n('vf-offset', 65535),
      vfStride: n('vf-stride', 65535),
      vqFlexible: n('vq-flexible', 65535),
      viFlexible: n('vi-flexible', 65535),
      spans: spansOf(sriovNode),
    };
  }
  let nvme: NvmeDesc | undefined;
  if (model === 'nvme') {
    const n = (k: string, min: number, max: number) => {
      const x = get(node, k);
      return x ? r.int(x, 'int', min, max) : undefined;
    };
    // QEMU's limits: NVME_MAX_IOQPAIRS (0xffff) and PCI_MSIX_FLAGS_QSIZE + 1 (2048).
    nvme = { maxIoqpairs: n('max-ioqpairs', 1, 0xffff), msixQsize: n('msix-qsize', 1, 2048), nqn: r.text(get(node, 'nqn')) };
  }
  const vfio = model === 'vfio-pci' ? vfioOf(r, node, id) : undefined;
  const acpiIndexNode = get(node, 'acpi-index');
  // QEMU's ONBOARD_INDEX_MAX: systemd's limit for onboard device names.
  const acpiIndex = acpiIndexNode ? r.int(acpiIndexNode, 'int', 1, 16 * 1024 - 1) : undefined;
  const expander: ExpanderDesc | undefined = model === 'pxb-pcie'
    ? { busNr: ((x) => (x ? r.int(x, 'int', 0, 255) : undefined))(get(node, 'bus-nr')), numaNode: r.text(get(node, 'numa-node')) }
    : undefined;
  const portNode = get(node, 'port');
  const isSata = model === 'sata-disk' || model === 'sata-cdrom';
  const attached = deviceModel(model)?.role === 'attached' ? deviceModel(model)!.bus : undefined;
  // The place on the controller's bus: SCSI target 0-255, USB port 1-4, HDA codec address 0-14.
  const placeKey = attached === 'scsi' ? 'target' : attached === 'usb' ? 'port' : attached === 'hda' ? 'address' : undefined;
  const placeNode = placeKey ? get(node, placeKey) : undefined;
  const place = placeNode ? (attached === 'scsi' ? r.int(placeNode, 'int', 0, 255) : attached === 'usb' ? r.int(placeNode, 'int', 1, 4) : r.int(placeNode, 'int', 0, 14)) : undefined;
  const lunNode = attached === 'scsi' ? get(node, 'lun') : undefined;
  return {
    id,
    model,
    bus: r.text(get(node, 'bus')) ?? (isSata ? 'ahci' : 'pcie.0'),
    addr,
    multifunction: r.bool(get(node, 'multifunction')),
    port,
    mac,
    netdev,
    drive: driveOf(r, node, false),
    serial: r.text(get(node, 'serial')),
    namespaces,
    ports,
    sriov,
    nvme,
    acpiIndex,
    expander,
    removable: r.bool(get(node, 'removable')) ?? false,
    sataPort: portNode && isSata ? r.int(portNode, 'int', 0, 5) : undefined,
    place,
    lun: lunNode ? r.int(lunNode, 'int', 0, 16383) : undefined,
    vfio,
    asl: aslText(get(node, 'asl'), r.source),
    spans,
  };
}

/**
 * A vfio-pci device: the host function's address and what the guest sees of
 * it, with its BARs checked as PCI allows them (MD1231): indexes 0-5, a
 * 64-bit BAR taking the next index too, sizes powers of two (memory at
 * least 16 bytes, IO 4 to 256 bytes), IO never prefetchable; the ROM a power
 * of two from 2 KiB.
 */
function vfioOf(r: Reader, node: YMap, id: string): VfioDesc | undefined {
  const n = (k: string, max: number, dflt: number) => {
    const x = get(node, k);
    return (x ? r.int(x, 'int', 0, max) : undefined) ?? dflt;
  };
  const bars: VfioDesc['bars'][number][] = [];
  const taken = new Map<number, string>();
  const bad = (at: YNode, detail: string) => r.diags.report(Diag.vfioBar, at.span, { device: id, detail });
  const barsNode = get(node, 'bars');
  if (barsNode && barsNode.kind === 'seq') {
    for (const item of barsNode.items) {
      if (item.kind !== 'map') continue;
      const indexNode = get(item, 'index');
      const sizeNode = get(item, 'size');
      const index = indexNode ? r.int(indexNode, 'int', 0, 5) : undefined;
      const size = sizeNode ? r.int(sizeNode, 'size', 1, 2 ** 40) : undefined;
      if (index === undefined || size === undefined) continue;
      const kind = (r.text(get(item, 'kind')) as 'io' | 'mem32' | 'mem64' | undefined) ?? 'mem32';
      const prefetchable = r.bool(get(item, 'prefetchable')) ?? false;
      const slots = kind === 'mem64' ? [index, index + 1] : [index];
      if (kind === 'mem64' && index === 5) bad(indexNode!, 'a 64-bit BAR takes two BAR registers, so BAR5 cannot be one');
      else if (slots.some((s) => taken.has(s))) bad(indexNode!, `BAR${index} overlaps ${taken.get(slots.find((s) => taken.has(s))!)}`);
      else if (!Number.isInteger(Math.log2(size))) bad(sizeNode!, `BAR${index} is ${size} bytes, not a power of two`);
      else if (kind === 'io' && (size < 4 || size > 256)) bad(sizeNode!, `BAR${index} is an IO BAR of ${size} bytes; IO BARs are 4 to 256 bytes`);
      else if (kind !== 'io' && size < 16) bad(sizeNode!, `BAR${index} is a memory BAR of ${size} bytes; memory BARs are at least 16 bytes`);
      else if (kind === 'mem32' && size > 2 ** 30) bad(sizeNode!, `BAR${index} is a 32-bit BAR of ${size} bytes; more than 1 GiB does not fit below 4 GiB beside the rest (make it mem64)`);
      else if (kind === 'io' && prefetchable) bad(get(item, 'prefetchable')!, `BAR${index} is an IO BAR, which cannot be prefetchable`);
      else {
        for (const s of slots) taken.set(s, `BAR${index}`);
        bars.push({ index, kind, prefetchable, size, spans: spansOf(item) });
      }
    }
  }
  const romNode = get(node, 'rom');
  const romSize = romNode ? (r.int(romNode, 'size', 0, 16 * 2 ** 20) ?? 0) : 0;
  const romOk = Number.isInteger(Math.log2(romSize)) && romSize >= 2048;
  if (romNode && romSize !== 0 && !romOk) bad(romNode, `the ROM is ${romSize} bytes; expansion ROMs are a power of two from 2 KiB`);
  return {
    host: r.text(get(node, 'host')) ?? '',
    vendorId: n('vendor-id', 0xffff, 0xffff),
    deviceId: n('device-id', 0xffff, 0xffff),
    subsystemVendorId: n('subsystem-vendor-id', 0xffff, 0),
    subsystemId: n('subsystem-id', 0xffff, 0),
    revision: n('revision', 0xff, 0),
    classCode: n('class', 0xff_ffff, 0xff_0000),
    pin: n('interrupt-pin', 4, 1),
    bars: bars.sort((a, b) => a.index - b.index),
    romSize: romOk ? romSize : 0,
    spans: spansOf(node),
  };
}

export type { YEntry };
