/**
 * The diff pass: two resolved machines -> MachineDiff. Devices are matched by
 * id; everything else is compared as the guest and firmware see it.
 */
import type { MachineDescription } from '../model/description.js';
import type { PciFunction, ResolvedMachine } from '../model/topology.js';
import type { Span } from '../source/source-file.js';
import { humanSize } from '../util/format.js';
import { formatHex, formatSize } from '../values/index.js';
import { addressOf, compareProps, compareResolved, resolvedView, type ResolvedView } from './devices.js';
import { guestNames, type GuestNames } from './guest-names.js';
import { builtinSpan, where, type DiffSide } from './side.js';
import { changedTree } from './tree.js';
import type {
  AcpiDiff, Budget, BusRenumber, DeviceDiff, E820Change, GuestNameChange, MachineDiff, ResourceChange, UntouchedChange, ValueChange,
  WindowChange, WindowKind,
} from './types.js';

const NO_ACPI: AcpiDiff = { available: false, tables: [] };

export function diffMachines(a: DiffSide, b: DiffSide, acpi: AcpiDiff = NO_ACPI): MachineDiff {
  const av = resolvedView(a.machine);
  const bv = resolvedView(b.machine);
  const an = guestNames(a.machine);
  const bn = guestNames(b.machine);

  const machine = machineChanges(a, b);
  const { devices, untouched, touched } = deviceChanges(a, av, an, b, bv, bn);
  const buses = busChanges(a, b, devices);
  explainUntouched(untouched, buses, av, b, bv, devices);
  const names = nameChanges(a, an, b, bn, touched);
  const budgets = budgetsOf(a, b);
  const windows = windowChanges(av, b);
  const root = rootChanges(a, b);
  const layout = layoutChanges(a, b);
  const e820 = e820Changes(a, b);
  const same =
    machine.length === 0 && devices.length === 0 && buses.length === 0 && untouched.length === 0 && names.length === 0 &&
    windows.length === 0 && root.length === 0 && layout.length === 0 && e820.length === 0 && acpi.tables.length === 0;
  return {
    old: { file: a.source.path, name: a.machine.name },
    new: { file: b.source.path, name: b.machine.name },
    same,
    machine,
    devices,
    consequences: { buses, untouched, names, budgets },
    resources: { windows, root },
    memory: { layout, e820 },
    acpi,
    tree: changedTree(a.machine, b.machine, devices, untouched),
  };
}

// ---- machine-level properties ------------------------------------------------------

function machineChanges(a: DiffSide, b: DiffSide): ValueChange[] {
  const A = a.description;
  const B = b.description;
  const out: ValueChange[] = [];
  const push = (property: string, x: string | undefined, y: string | undefined, sa: Span | undefined, sb: Span | undefined) => {
    if (x !== y) out.push({ property, old: x, new: y, at: where(sa, sb) });
  };
  push('name', A.name, B.name, A.spans['name'] ?? A.spans['$'], B.spans['name'] ?? B.spans['$']);
  push('description', A.description, B.description, A.spans['description'] ?? A.spans['$'], B.spans['description'] ?? B.spans['$']);
  push('qemu', `${A.qemu.version} (${A.qemu.machineType})`, `${B.qemu.version} (${B.qemu.machineType})`, A.spans['qemu'] ?? A.spans['$'], B.spans['qemu'] ?? B.spans['$']);
  const acpi = { processors: (d: MachineDescription) => d.acpi.processors, 'madt-revision': (d: MachineDescription) => (d.acpi.madtRevision === undefined ? undefined : String(d.acpi.madtRevision)), xsdt: (d: MachineDescription) => String(d.acpi.xsdt) };
  for (const [k, get] of Object.entries(acpi)) push(`acpi.${k}`, get(A), get(B), A.acpi.spans[k] ?? A.acpi.spans['$'], B.acpi.spans[k] ?? B.acpi.spans['$']);
  const cpuKeys = ['count', 'sockets', 'dies', 'cores', 'threads', 'max', 'model'] as const;
  for (const k of cpuKeys) push(`cpus.${k}`, String(A.cpus[k]), String(B.cpus[k]), A.cpus.spans[k] ?? A.cpus.spans['$'], B.cpus.spans[k] ?? B.cpus.spans['$']);
  const apic = (m: ResolvedMachine) => m.cpus.cpus.map((c) => c.apicId).join(', ');
  push('cpus.apic-ids', apic(a.machine), apic(b.machine), A.cpus.spans['$'], B.cpus.spans['$']);
  const size = (n: number | undefined) => (n === undefined ? undefined : formatSize(n));
  push('memory.size', size(A.memory.size), size(B.memory.size), A.memory.spans['size'] ?? A.memory.spans['$'], B.memory.spans['size'] ?? B.memory.spans['$']);
  push('memory.below-4g-max', size(A.memory.below4gMax), size(B.memory.below4gMax), A.memory.spans['below-4g-max'] ?? A.memory.spans['$'], B.memory.spans['below-4g-max'] ?? B.memory.spans['$']);
  push('memory.hole64-size', size(A.memory.hole64Size), size(B.memory.hole64Size), A.memory.spans['hole64-size'] ?? A.memory.spans['$'], B.memory.spans['hole64-size'] ?? B.memory.spans['$']);
  numaChanges(A, B, push);
  for (const k of ['display', 'sata', 'smbus'] as const) {
    push(`builtins.${k}`, String(A.builtins[k]), String(B.builtins[k]), A.builtins.spans[k] ?? A.builtins.spans['$'], B.builtins.spans[k] ?? B.builtins.spans['$']);
  }
  const order = (d: MachineDescription) => (d.boot.length > 0 ? d.boot.map((e) => e.id).join(', ') : undefined);
  push('boot', order(A), order(B), A.spans['boot'] ?? A.spans['$'], B.spans['boot'] ?? B.spans['$']);
  return out;
}

function numaChanges(A: MachineDescription, B: MachineDescription, push: (p: string, x: string | undefined, y: string | undefined, sa: Span | undefined, sb: Span | undefined) => void): void {
  const na = new Map(A.numa.map((n) => [n.id, n]));
  const nb = new Map(B.numa.map((n) => [n.id, n]));
  const cpus = (c: readonly number[]) => c.join(', ');
  for (const id of new Set([...na.keys(), ...nb.keys()])) {
    const x = na.get(id);
    const y = nb.get(id);
    if (!x || !y) {
      const t = (n: typeof x) => (n ? `cpus ${cpus(n.cpus)}, ${formatSize(n.memory)}` : undefined);
      push(`numa.${id}`, t(x), t(y), x?.spans['$'] ?? A.spans['numa'], y?.spans['$'] ?? B.spans['numa']);
      continue;
    }
    push(`numa.${id}.cpus`, cpus(x.cpus), cpus(y.cpus), x.spans['cpus'], y.spans['cpus']);
    push(`numa.${id}.memory`, formatSize(x.memory), formatSize(y.memory), x.spans['memory'], y.spans['memory']);
  }
}

// ---- devices ---------------------------------------------------------------------------

interface DeviceResult {
  readonly devices: DeviceDiff[];
  readonly untouched: UntouchedChange[];
  /** Ids edited in the file (moved or changed). */
  readonly touched: ReadonlySet<string>;
}

function namesOf(n: GuestNames, id: string): string[] | undefined {
  const nic = n.nics.get(id);
  if (nic) return [nic];
  const disks = n.disks.get(id);
  return disks ? [...disks] : undefined;
}

function deviceChanges(a: DiffSide, av: ResolvedView, an: GuestNames, b: DiffSide, bv: ResolvedView, bn: GuestNames): DeviceResult {
  const da = new Map(a.description.devices.map((d) => [d.id, d]));
  const db = new Map(b.description.devices.map((d) => [d.id, d]));
  const devices: DeviceDiff[] = [];
  const untouched: UntouchedChange[] = [];
  const touched = new Set<string>();
  const busOf = (v: ResolvedView, id: string, fallback: string | undefined) => v.fnByKey.get(id)?.busName ?? fallback;
  const entry = (status: DeviceDiff['status'], id: string, model: string, extra: Partial<DeviceDiff>): DeviceDiff => ({
    id, model, status, address: {}, bus: {}, changes: [], effects: [], names: {}, at: {}, ...extra,
  });

  // Built-in functions come and go with the builtins switches.
  const builtinKeys = (m: ResolvedMachine) => new Map(m.pci.functions.filter((f) => !f.origin && f.role !== 'vf').map((f) => [f.key, f]));
  const ba = builtinKeys(a.machine);
  const bb = builtinKeys(b.machine);
  for (const [key, f] of bb) {
    if (ba.has(key)) continue;
    devices.push(entry('added', key, f.model, { address: { new: f.bdf }, bus: { new: f.busName }, at: where(undefined, builtinSpan(b, key)) }));
  }
  for (const [key, f] of ba) {
    if (bb.has(key)) continue;
    devices.push(entry('removed', key, f.model, { address: { old: f.bdf }, bus: { old: f.busName }, at: where(builtinSpan(a, key), undefined) }));
  }

  for (const d of b.description.devices) {
    const old = da.get(d.id);
    const declNew = d.spans['$'];
    if (!old) {
      const addr = addressOf(bv, d.id);
      const names = namesOf(bn, d.id);
      devices.push(entry('added', d.id, d.model, {
        address: addr ? { new: addr } : {},
        bus: { new: busOf(bv, d.id, d.bus) },
        names: names ? { new: names } : {},
        at: where(undefined, declNew),
      }));
      continue;
    }
    const declOld = old.spans['$'];
    const props = compareProps(a, old, b, d);
    const resolved = compareResolved(av, bv, d.id, declOld, declNew);
    const addrOld = addressOf(av, d.id);
    const addrNew = addressOf(bv, d.id);
    const names = { old: namesOf(an, d.id), new: namesOf(bn, d.id) };
    const nameField = { ...(names.old ? { old: names.old } : {}), ...(names.new ? { new: names.new } : {}) };
    if (props.written.length > 0) {
      touched.add(d.id);
      const placed = props.written.some((c) => c.property === 'bus' || c.property === 'addr' || c.property === 'port');
      const moved = placed && addrOld !== addrNew;
      devices.push(entry(moved ? 'moved' : 'changed', d.id, d.model, {
        address: { ...(addrOld ? { old: addrOld } : {}), ...(addrNew ? { new: addrNew } : {}) },
        bus: { old: busOf(av, d.id, old.bus)!, new: busOf(bv, d.id, d.bus)! },
        changes: props.written,
        // A move's new address is the entry itself; list what else follows.
        effects: [...props.derived, ...resolved.filter((e) => !(moved && e.property === 'bdf'))],
        names: nameField,
        at: where(declOld, declNew),
      }));
    } else if (props.derived.length > 0 || resolved.length > 0) {
      untouched.push({ id: d.id, model: d.model, effects: [...resolved, ...props.derived], cause: undefined, at: where(declOld, declNew) });
    }
  }
  for (const d of a.description.devices) {
    if (db.has(d.id)) continue;
    const addr = addressOf(av, d.id);
    const names = namesOf(an, d.id);
    devices.push(entry('removed', d.id, d.model, {
      address: addr ? { old: addr } : {},
      bus: { old: busOf(av, d.id, d.bus) },
      names: names ? { old: names } : {},
      at: where(d.spans['$'], undefined),
    }));
  }
  return { devices, untouched, touched };
}

// ---- bus numbers ---------------------------------------------------------------------------

interface BusEvent {
  readonly side: 'old' | 'new';
  readonly secondary: number;
  readonly subordinate: number;
  readonly text: string;
}

/** Changes that take or free bus numbers: bridges added, removed or moved, bus-reserve edits. */
function busEvents(a: DiffSide, b: DiffSide, devices: readonly DeviceDiff[]): BusEvent[] {
  const fa = new Map(a.machine.pci.functions.map((f) => [f.key, f]));
  const fb = new Map(b.machine.pci.functions.map((f) => [f.key, f]));
  const events: BusEvent[] = [];
  const ev = (side: 'old' | 'new', f: PciFunction | undefined, text: string) => {
    if (f?.bridge) events.push({ side, secondary: f.bridge.secondary, subordinate: f.bridge.subordinate, text });
  };
  for (const d of devices) {
    if (d.status === 'added') ev('new', fb.get(d.id), `${d.id} was added`);
    else if (d.status === 'removed') ev('old', fa.get(d.id), `${d.id} was removed`);
    else if (d.status === 'moved') {
      ev('old', fa.get(d.id), `${d.id} moved`);
      ev('new', fb.get(d.id), `${d.id} moved`);
    } else {
      const reserve = d.changes.find((c) => c.property === 'bus-reserve');
      if (reserve) ev('new', fb.get(d.id), `bus-reserve of ${d.id} went from ${reserve.old ?? 'unset'} to ${reserve.new ?? 'unset'}`);
    }
  }
  return events;
}

function busChanges(a: DiffSide, b: DiffSide, devices: readonly DeviceDiff[]): BusRenumber[] {
  const ba = new Map(a.machine.pci.buses.map((x) => [x.name, x]));
  const events = busEvents(a, b, devices);
  const declsA = new Map(a.description.devices.map((d) => [d.id, d.spans['$']]));
  const declsB = new Map(b.description.devices.map((d) => [d.id, d.spans['$']]));
  const bridgeDecl = (side: DiffSide, name: string) => (side === a ? declsA : declsB).get(name);
  const out: BusRenumber[] = [];
  for (const y of b.machine.pci.buses) {
    const x = ba.get(y.name);
    if (!x || y.number === 0) continue;
    if (x.number === y.number && x.subordinate === y.subordinate) continue;
    const causes = events.filter((e) =>
      e.side === 'new' ? e.secondary < y.number && e.subordinate < y.number : e.secondary < x.number && e.subordinate < x.number,
    ).map((e) => e.text);
    // Events inside the bus's own subtree change its subordinate number.
    const inside = events.filter((e) =>
      e.side === 'new' ? y.number < e.secondary && e.secondary <= y.subordinate : x.number < e.secondary && e.secondary <= x.subordinate,
    ).map((e) => e.text);
    const all = [...new Set([...causes, ...inside])];
    out.push({
      name: y.name,
      old: { number: x.number, subordinate: x.subordinate },
      new: { number: y.number, subordinate: y.subordinate },
      cause: all.length === 0 ? undefined : all.length <= 3 ? all.join('; ') : `${all.slice(0, 3).join('; ')} and ${all.length - 3} more`,
      at: where(bridgeDecl(a, y.name), bridgeDecl(b, y.name)),
    });
  }
  return out.sort((p, q) => (p.new?.number ?? 0) - (q.new?.number ?? 0));
}

function explainUntouched(list: UntouchedChange[], buses: readonly BusRenumber[], av: ResolvedView, b: DiffSide, bv: ResolvedView, devices: readonly DeviceDiff[]): void {
  const busByName = new Map(buses.map((x) => [x.name, x]));
  const changed = new Set(devices.map((d) => d.id));
  const atAddress = new Map(b.machine.pci.functions.map((f) => [`${f.busName} ${f.device}.${f.fn}`, f]));
  for (let i = 0; i < list.length; i++) {
    const u = list[i]!;
    const fa = av.fnByKey.get(u.id);
    const fb = bv.fnByKey.get(u.id);
    const reasons: string[] = [];
    if (fa && fb && fa.bdf !== fb.bdf) {
      const bus = busByName.get(fb.busName);
      if (fa.bus !== fb.bus && bus) reasons.push(`bus ${fb.busName} is renumbered ${bus.old?.number} → ${bus.new?.number}${bus.cause ? ` because ${bus.cause}` : ''}`);
      if (fa.device !== fb.device || fa.fn !== fb.fn) {
        const taker = atAddress.get(`${fa.busName} ${fa.device}.${fa.fn}`);
        reasons.push(taker && changed.has(taker.key) ? `automatic address: ${taker.key} now takes ${fa.bdf.slice(3)} on ${fa.busName}` : 'its automatic address changed');
      }
      if (fa.busName !== fb.busName) reasons.push(`its bus changed from ${fa.busName} to ${fb.busName}`);
    }
    const path = (v: ResolvedView, f: PciFunction | undefined): string[] => {
      const out: string[] = [];
      let cur = f;
      while (cur && cur.busName !== 'pcie.0') {
        out.push(cur.busName);
        cur = v.fnByKey.get(cur.busName);
      }
      return out;
    };
    if (reasons.length === 0 && u.effects.some((e) => e.property === 'intx')) {
      const moved = path(bv, fb).find((p) => changed.has(p));
      reasons.push(moved ? `its interrupt is swizzled through ${moved}, which changed` : 'its interrupt routing path changed');
    }
    if (u.effects.some((e) => e.property === 'mac')) reasons.push("its default MAC follows the NICs' order in the file (QEMU's 52:54:00:12:34:56 plus the index)");
    if (u.effects.some((e) => e.property === 'boot-path') && reasons.length === 0) reasons.push('the OpenFirmware path of a bridge above it changed');
    list[i] = { ...u, cause: reasons.length > 0 ? reasons.join('; ') : undefined };
  }
}

// ---- guest names -------------------------------------------------------------------------------

function nameChanges(a: DiffSide, an: GuestNames, b: DiffSide, bn: GuestNames, touched: ReadonlySet<string>): GuestNameChange[] {
  const out: GuestNameChange[] = [];
  const declsA = new Map(a.description.devices.map((d) => [d.id, d.spans['$']]));
  const declsB = new Map(b.description.devices.map((d) => [d.id, d.spans['$']]));
  const decl = (side: DiffSide, id: string) => (side === a ? declsA : declsB).get(id);
  const pfOf = (key: string) => key.split('/vf')[0]!;
  // VFs are folded per PF: 'uplink0 VFs: enp1s0v0..enp1s0v3 -> enp2s0v0..enp2s0v3'.
  const vfFold = new Map<string, { old: string[]; new: string[] }>();
  for (const [key, name] of bn.nics) {
    const old = an.nics.get(key);
    if (old === undefined || old === name) continue;
    if (key.includes('/vf')) {
      const pf = pfOf(key);
      const f = vfFold.get(pf) ?? { old: [], new: [] };
      f.old.push(old);
      f.new.push(name);
      vfFold.set(pf, f);
      continue;
    }
    out.push({ id: key, kind: 'nic', old, new: name, touched: touched.has(key), at: where(decl(a, key), decl(b, key)) });
  }
  for (const [pf, f] of vfFold) {
    const range = (l: string[]) => (l.length === 1 ? l[0]! : `${l[0]}..${l[l.length - 1]}`);
    out.push({ id: `${pf} VFs`, kind: 'nic', old: range(f.old), new: range(f.new), touched: touched.has(pf), at: where(decl(a, pf), decl(b, pf)) });
  }
  for (const [key, names] of bn.disks) {
    const old = an.disks.get(key);
    if (!old || old.join(', ') === names.join(', ')) continue;
    out.push({ id: key, kind: 'disk', old: old.join(', '), new: names.join(', '), touched: touched.has(key), at: where(decl(a, key), decl(b, key)) });
  }
  return out;
}

// ---- budgets and resources ----------------------------------------------------------------------

function budgetsOf(sa: DiffSide, sb: DiffSide): Budget[] {
  const a = sa.machine;
  const b = sb.machine;
  const at = where(sa.description.spans['devices$key'] ?? sa.description.spans['$'], sb.description.spans['devices$key'] ?? sb.description.spans['$']);
  const buses = (m: ResolvedMachine) => Math.max(0, ...m.pci.buses.map((x) => x.subordinate), ...m.pci.buses.map((x) => x.number)) + 1;
  const vfs = (m: ResolvedMachine) => m.pci.functions.reduce((n, f) => n + (f.sriov?.numVfs ?? 0), 0);
  const vfTotal = (m: ResolvedMachine) => m.pci.functions.reduce((n, f) => n + (f.sriov?.totalVfs ?? 0), 0);
  return [
    { what: 'bus numbers', old: buses(a), new: buses(b), limit: b.memory.ecam.buses, at },
    { what: 'PCI functions', old: a.pci.functions.length, new: b.pci.functions.length, limit: undefined, at },
    { what: 'VFs enabled', old: vfs(a), new: vfs(b), limit: vfTotal(b) || undefined, at },
  ];
}

function windowChanges(av: ResolvedView, b: DiffSide): WindowChange[] {
  const out: WindowChange[] = [];
  for (const fb of b.machine.pci.functions) {
    const fa = av.fnByKey.get(fb.key);
    if (!fa?.bridge || !fb.bridge) continue;
    for (const kind of ['io', 'mem', 'prefmem'] as WindowKind[]) {
      const x = fa.bridge.windows[kind];
      const y = fb.bridge.windows[kind];
      if (x !== y) out.push({ bridge: fb.key, kind, old: x, new: y, at: where(fa.origin?.decl, fb.origin?.decl) });
    }
  }
  return out;
}

const range = (r: { base: number; size: number } | undefined) => (r ? (r.size === 0 ? 'none' : `${formatHex(r.base)}-${formatHex(r.base + r.size - 1)} (${sizeWords(r.size).replace(/ \(0x.*$/, '')})`) : 'none');

/** '26 MiB' when that is exact and short, else '10.1 MiB (0xa15000)'. */
function sizeWords(n: number): string {
  const exact = formatSize(n);
  const value = Number(exact.split(' ')[0]);
  return value < 1024 ? exact : `${humanSize(n)} (${formatHex(n)})`;
}

function rootChanges(a: DiffSide, b: DiffSide): ResourceChange[] {
  const out: ResourceChange[] = [];
  const at = where(a.description.spans['devices$key'] ?? a.description.spans['$'], b.description.spans['devices$key'] ?? b.description.spans['$']);
  const push = (what: string, x: string, y: string) => {
    if (x !== y) out.push({ what, old: x, new: y, at });
  };
  const na = a.machine.pci.rootNeeds;
  const nb = b.machine.pci.rootNeeds;
  push('IO space needed', sizeWords(na.io), sizeWords(nb.io));
  push('32-bit MMIO needed', sizeWords(na.mem), sizeWords(nb.mem));
  push('prefetchable MMIO needed', `${sizeWords(na.prefmem)}${na.prefmemAbove4g ? ' (above 4 GiB)' : ''}`, `${sizeWords(nb.prefmem)}${nb.prefmemAbove4g ? ' (above 4 GiB)' : ''}`);
  const pa = a.machine.firmware;
  const pb = b.machine.firmware;
  push('firmware IO window', range(pa.io), range(pb.io));
  push('firmware 32-bit MMIO window', range(pa.mem), range(pb.mem));
  push('firmware prefetchable window', range(pa.prefmem), range(pb.prefmem));
  push('firmware 64-bit window', range(pa.mem64), range(pb.mem64));
  return out;
}

function layoutChanges(a: DiffSide, b: DiffSide): ResourceChange[] {
  const out: ResourceChange[] = [];
  const at = where(a.description.memory.spans['size'] ?? a.description.memory.spans['$'], b.description.memory.spans['size'] ?? b.description.memory.spans['$']);
  const ma = a.machine.memory;
  const mb = b.machine.memory;
  const push = (what: string, x: string, y: string) => {
    if (x !== y) out.push({ what, old: x, new: y, at });
  };
  push('RAM below 4 GiB', formatSize(ma.below4g), formatSize(mb.below4g));
  push('RAM above 4 GiB', ma.above4g ? `${formatSize(ma.above4g)} at ${formatHex(ma.above4gBase)}` : 'none', mb.above4g ? `${formatSize(mb.above4g)} at ${formatHex(mb.above4gBase)}` : 'none');
  push('32-bit PCI hole', range(ma.pciHole32), range(mb.pciHole32));
  push('64-bit PCI hole', range(ma.pciHole64), range(mb.pciHole64));
  push('ECAM', `${range(ma.ecam)}, ${ma.ecam.buses} buses`, `${range(mb.ecam)}, ${mb.ecam.buses} buses`);
  return out;
}

function e820Changes(sa: DiffSide, sb: DiffSide): E820Change[] {
  const at = where(sa.description.memory.spans['size'] ?? sa.description.memory.spans['$'], sb.description.memory.spans['size'] ?? sb.description.memory.spans['$']);
  const text = (e: ResolvedMachine['memory']['e820'][number]) => `${formatHex(e.base)}-${formatHex(e.base + e.size - 1)} ${e.type} (${e.what})`;
  const ta = new Map(sa.machine.memory.e820.map((e) => [text(e), e.base]));
  const tb = new Map(sb.machine.memory.e820.map((e) => [text(e), e.base]));
  const out: { op: '+' | '-'; entry: string; base: number }[] = [];
  for (const [t, base] of ta) if (!tb.has(t)) out.push({ op: '-', entry: t, base });
  for (const [t, base] of tb) if (!ta.has(t)) out.push({ op: '+', entry: t, base });
  return out.sort((x, y) => x.base - y.base || (x.op === y.op ? 0 : x.op === '-' ? -1 : 1)).map(({ op, entry }) => ({ op, entry, at }));
}
