/**
 * `machc show`: the resolved topology as a tree in the style of `lspci -tv`,
 * with ids, vendor:device, BAR sizes and VFs.
 */
import type { PciBus, PciFunction, ResolvedMachine } from '../model/topology.js';
import { formatHex, formatSize } from '../values/index.js';
import { barText } from './canonical.js';

export interface TreeOptions {
  /** List each VF (default: one summary per PF). */
  readonly vfs?: boolean;
}

const id4 = (n: number) => n.toString(16).padStart(4, '0');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const CLASS_NAMES: Record<number, string> = {
  0x0600: 'host bridge',
  0x0601: 'ISA bridge',
  0x0604: 'PCI bridge',
  0x0300: 'VGA',
  0x0200: 'Ethernet',
  0x0100: 'SCSI storage',
  0x0106: 'SATA',
  0x0108: 'NVMe',
  0x0c05: 'SMBus',
};

function describe(f: PciFunction, o: TreeOptions, root: PciBus | undefined): string {
  const cls = CLASS_NAMES[f.classCode >> 8] ?? `class ${f.classCode.toString(16).padStart(6, '0')}`;
  const parts = [`${id4(f.vendorId)}:${id4(f.deviceId)}`, `${f.model}`, `(${cls}${roleNote(f)})`];
  const res = [...f.bars.map(barText), ...(f.romSize ? [`ROM ${formatSize(f.romSize)}`] : [])];
  if (res.length > 0) parts.push(`[${res.join(', ')}]`);
  if (f.bridge) {
    const range = f.bridge.secondary === f.bridge.subordinate ? `bus ${f.bridge.secondary}` : `buses ${f.bridge.secondary}-${f.bridge.subordinate}`;
    parts.push(range);
    const w = f.bridge.windows;
    const ws = [w.io ? `io ${formatSize(w.io)}` : '', w.mem ? `mem ${formatSize(w.mem)}` : '', w.prefmem ? `pref ${formatSize(w.prefmem)}` : ''].filter(Boolean);
    parts.push(`windows{${ws.join(', ') || 'closed'}}`);
    if (f.bridge.chassis !== undefined || f.bridge.slot !== undefined) parts.push(`chassis ${f.bridge.chassis ?? 0} slot ${f.bridge.slot ?? 0}${f.bridge.hotplug ? ' hotplug' : ''}`);
    if (f.bridge.busReserve) parts.push(`bus-reserve ${f.bridge.busReserve}`);
  }
  if (root) {
    parts.push(root.number === root.subordinate ? `root bus ${root.number}` : `root bus ${root.number} (buses ${root.number}-${root.subordinate})`);
    if (root.numaNode !== undefined) parts.push(`NUMA ${root.numaNode}`);
  }
  if (f.sriov && !o.vfs) {
    const s = f.sriov;
    parts.push(`SR-IOV ${s.numVfs}/${s.totalVfs} VFs (${id4(f.vendorId)}:${id4(s.vfDeviceId)}, offset ${s.offset}, stride ${s.stride}, ${s.vfBars.map(barText).join(', ')} each)`);
  }
  if (f.physfn) parts.push(`VF ${f.vfIndex} of ${f.physfn}`);
  return parts.join('  ');
}

function roleNote(f: PciFunction): string {
  switch (f.role) {
    case 'root-port':
      return ', root port';
    case 'upstream-port':
      return ', switch upstream';
    case 'downstream-port':
      return ', switch downstream';
    case 'pcie-pci-bridge':
      return ', PCIe-to-PCI';
    case 'integrated-endpoint':
      return ', integrated';
    case 'expander':
      return ', PCIe expander';
    default:
      return '';
  }
}

export function renderTree(m: ResolvedMachine, o: TreeOptions = {}): string {
  const byBus = new Map<number, PciFunction[]>();
  for (const f of m.pci.functions) {
    if (f.physfn && !o.vfs) continue;
    let list = byBus.get(f.bus);
    if (!list) byBus.set(f.bus, (list = []));
    list.push(f);
  }
  const rootOf = new Map(m.pci.buses.filter((b) => b.expander !== undefined).map((b) => [b.expander!, b]));
  const rows: { prefix: string; f: PciFunction }[] = [];
  const walk = (bus: number, prefix: string) => {
    const fns = byBus.get(bus) ?? [];
    fns.forEach((f, i) => {
      const last = i === fns.length - 1;
      rows.push({ prefix: `${prefix}${last ? '`-- ' : '|-- '}`, f });
      const below = f.bridge?.secondary ?? rootOf.get(f.key)?.number;
      if (below !== undefined) walk(below, `${prefix}${last ? '    ' : '|   '}`);
    });
  };
  walk(0, '');
  const idWidth = Math.min(24, Math.max(...rows.map((r) => r.prefix.length + r.f.bdf.length + 2 + r.f.key.length), 0));
  const c = m.cpus;
  const mem = m.memory;
  const lines: string[] = [];
  lines.push(`${m.name}: ${m.chipset} for QEMU ${m.qemu.version} (${m.qemu.machineType}), ${c.count} CPU${c.count === 1 ? '' : 's'} (${plural(c.sockets, 'socket')}${c.dies > 1 ? ` × ${plural(c.dies, 'die')}` : ''} × ${plural(c.cores, 'core')} × ${plural(c.threads, 'thread')}), ${formatSize(mem.ramSize)} RAM (${formatSize(mem.below4g)} below 4 GiB${mem.above4g ? `, ${formatSize(mem.above4g)} at ${formatHex(mem.above4gBase)}` : ''})`);
  lines.push(`ECAM ${formatHex(mem.ecam.base)} (${mem.ecam.buses} buses), 32-bit PCI ${formatHex(mem.pciHole32.base)}-${formatHex(mem.pciHole32.base + mem.pciHole32.size - 1)}, 64-bit PCI ${formatHex(mem.pciHole64.base)} +${formatSize(mem.pciHole64.size)}`);
  lines.push('');
  lines.push('[0000:00] pcie.0');
  for (const { prefix, f } of rows) {
    const head = `${prefix}${f.bdf}  ${f.key}`;
    lines.push(`${head.padEnd(Math.max(idWidth, head.length))}  ${describe(f, o, rootOf.get(f.key))}`);
  }
  if (m.storage.sata.length > 0) {
    lines.push('');
    for (const d of m.storage.sata) lines.push(`AHCI port ${d.port}: ${d.id} (${d.kind}${d.image ? `, ${d.image}` : ''})`);
  }
  if (m.storage.attached.length > 0) {
    lines.push('');
    const where = (a: (typeof m.storage.attached)[number]) =>
      a.bus === 'scsi' ? `target ${a.place} lun ${a.lun}` : a.bus === 'usb' ? `port ${a.place}` : `codec ${a.place}`;
    for (const a of m.storage.attached) lines.push(`${a.controller} ${where(a)}: ${a.id} (${a.model}${a.image ? `, ${a.image}` : ''})`);
  }
  return `${lines.join('\n')}\n`;
}
