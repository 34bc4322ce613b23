/**
 * The ACPI part of a diff: tables matched by signature; the DSDT (and SSDTs)
 * compared at namespace level (`+Device(\_SB.PCI0.S10)`, `~Name(..._SUN)`),
 * the fixed-layout tables field by field. Entries point at the YAML that
 * causes them: the PCI function a namespace path belongs to, the CPUs for
 * processor objects and MADT entries, NUMA and memory for SRAT.
 */
import type { PciFunction, ResolvedMachine } from '../../model/topology.js';
import type { Span } from '../../source/source-file.js';
import { builtinSpan, where, type DiffSide } from '../side.js';
import type { AcpiDiff, AcpiEntry, AcpiTableDiff } from '../types.js';
import { readNamespace, type AmlObject } from './aml-namespace.js';
import { tableFields } from './fields.js';

export interface AcpiTable {
  readonly signature: string;
  readonly bytes: Uint8Array;
}
export type AcpiTables = readonly AcpiTable[];

/** QEMU's and machc's name for a PCI function's device object: S plus devfn in hex (hw/i386/acpi-build.c). */
function slotName(f: PciFunction): string {
  return `S${((f.device << 3) | f.fn).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Namespace path of every PCI function's device object. */
function pciPaths(m: ResolvedMachine): Map<string, PciFunction> {
  const byKey = new Map(m.pci.functions.map((f) => [f.key, f]));
  const cache = new Map<string, string>();
  const pathOf = (f: PciFunction): string => {
    const hit = cache.get(f.key);
    if (hit) return hit;
    const parent = f.busName === 'pcie.0' ? undefined : byKey.get(f.busName);
    const p = `${parent ? pathOf(parent) : '\\_SB.PCI0'}.${slotName(f)}`;
    cache.set(f.key, p);
    return p;
  };
  return new Map(m.pci.functions.filter((f) => f.role !== 'vf').map((f) => [pathOf(f), f]));
}

/** The path and its ancestors, nearest first: '\\_SB.PCI0.S10._ADR', '\\_SB.PCI0.S10', ... */
function* ancestry(path: string): Generator<string> {
  for (let p = path; p.length > 1; p = p.slice(0, Math.max(1, p.lastIndexOf('.')))) {
    yield p;
    if (!p.includes('.')) return;
  }
}

const BUILTINS = { vga: true, ahci: true, smbus: true };

/** Where in the YAML a namespace path or table field comes from. */
class Locator {
  private readonly paths: Map<string, PciFunction>;

  constructor(private readonly side: DiffSide) {
    this.paths = pciPaths(side.machine);
  }

  private fallback(): Span | undefined {
    const s = this.side.description.spans;
    return s['chipset'] ?? s['$'];
  }

  forPath(path: string): Span | undefined {
    for (const p of ancestry(path)) {
      const f = this.paths.get(p);
      if (f) return f.origin?.decl ?? (f.key in BUILTINS ? builtinSpan(this.side, f.key) : this.fallback());
    }
    if (path.startsWith('\\_SB.CPUS') || path.startsWith('\\_PR')) return this.cpus();
    return this.fallback();
  }

  cpus(): Span | undefined {
    const c = this.side.description.cpus.spans;
    return c['$'] ?? this.fallback();
  }

  memory(): Span | undefined {
    const d = this.side.description;
    return d.spans['numa'] ?? d.memory.spans['size'] ?? d.memory.spans['$'] ?? this.fallback();
  }

  forField(signature: string, field: string): Span | undefined {
    if (signature === 'APIC' && /Local (x2)?APIC/.test(field)) return this.cpus();
    if (signature === 'SRAT') return /^CPU/.test(field) ? this.side.description.spans['numa'] ?? this.cpus() : this.memory();
    return this.fallback();
  }
}

/** Objects whose children are listed as part of them when they come or go. */
const CONTAINERS = new Set(['Device', 'Processor', 'ThermalZone', 'PowerResource']);

const same = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((b, i) => b === y[i]);

function namespaceEntries(x: Uint8Array, y: Uint8Array, la: Locator, lb: Locator): AcpiEntry[] {
  const na = readNamespace(x);
  const nb = readNamespace(y);
  const key = (o: AmlObject) => `${o.kind} ${o.path}`;
  const ma = new Map(na.objects.map((o) => [key(o), o]));
  const mb = new Map(nb.objects.map((o) => [key(o), o]));
  const entries: (AcpiEntry & { readonly order: number })[] = [];
  // Children of an added or removed device are part of it: one entry, not one per object.
  const addedDevices = new Set<string>();
  const removedDevices = new Set<string>();
  const under = (set: ReadonlySet<string>, path: string) => {
    for (const p of ancestry(path)) if (p !== path && set.has(p)) return true;
    return false;
  };
  let order = 0;
  const label = (o: AmlObject) => `${o.kind}(${o.path})`;
  for (const o of nb.objects) {
    order++;
    const old = ma.get(key(o));
    if (!old) {
      if (under(addedDevices, o.path)) continue;
      if (CONTAINERS.has(o.kind)) addedDevices.add(o.path);
      entries.push({ op: '+', what: label(o), old: undefined, new: summary(o, nb.objects), at: where(undefined, lb.forPath(o.path)), order });
    } else if (old.value !== o.value || old.digest !== o.digest) {
      const values = old.value === o.value ? { old: `${old.value ?? ''} (content differs)`.trim(), new: o.value } : { old: old.value, new: o.value };
      entries.push({ op: '~', what: label(o), ...values, at: where(la.forPath(old.path), lb.forPath(o.path)), order });
    }
  }
  for (const o of na.objects) {
    order++;
    if (mb.has(key(o)) || under(removedDevices, o.path)) continue;
    if (CONTAINERS.has(o.kind)) removedDevices.add(o.path);
    entries.push({ op: '-', what: label(o), old: summary(o, na.objects), new: undefined, at: where(la.forPath(o.path), undefined), order });
  }
  const incomplete: AcpiEntry[] = [];
  if (!na.complete || !nb.complete) incomplete.push({ op: '~', what: 'namespace', old: na.complete ? 'read' : 'partly read', new: nb.complete ? 'read' : 'partly read', at: {} });
  // Paths sort the way iasl lists a namespace: parents before children.
  return [...entries.sort((p, q) => (p.what.replace(/^\w+\(/, '') < q.what.replace(/^\w+\(/, '') ? -1 : p.what.replace(/^\w+\(/, '') > q.what.replace(/^\w+\(/, '') ? 1 : p.order - q.order)).map(({ order: _o, ...e }) => e), ...incomplete];
}

/** What an added or removed device holds: '_ADR=0x10000, _SUN=0x3, 3 methods'. */
function summary(o: AmlObject, all: readonly AmlObject[]): string | undefined {
  if (!CONTAINERS.has(o.kind)) return o.value;
  const children = all.filter((c) => c.path.startsWith(`${o.path}.`) && !c.path.slice(o.path.length + 1).includes('.'));
  const names = children.filter((c) => c.kind === 'Name' && ['_ADR', '_SUN', '_HID', '_UID'].includes(c.path.slice(o.path.length + 1))).map((c) => `${c.path.slice(o.path.length + 1)}=${c.value}`);
  const methods = children.filter((c) => c.kind === 'Method').map((c) => c.path.slice(o.path.length + 1));
  const devices = all.filter((c) => c.kind === 'Device' && c.path.startsWith(`${o.path}.`)).length;
  const parts = [...(o.value ? [o.value] : []), ...names, ...(methods.length ? [`methods ${methods.join(' ')}`] : []), ...(devices ? [`${devices} device${devices === 1 ? '' : 's'} below`] : [])];
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function fieldEntries(signature: string, x: Uint8Array, y: Uint8Array, la: Locator, lb: Locator): AcpiEntry[] {
  const fa = tableFields(signature, x);
  const fb = tableFields(signature, y);
  if (!fa || !fb) return [{ op: '~', what: 'content', old: `${x.length} bytes`, new: `${y.length} bytes`, at: where(la.forField(signature, ''), lb.forField(signature, '')) }];
  const out: AcpiEntry[] = [];
  for (const [k, v] of fb) {
    const old = fa.get(k);
    if (old === undefined) out.push({ op: '+', what: k, old: undefined, new: v, at: where(undefined, lb.forField(signature, k)) });
    else if (old !== v) out.push({ op: '~', what: k, old, new: v, at: where(la.forField(signature, k), lb.forField(signature, k)) });
  }
  for (const [k, v] of fa) if (!fb.has(k)) out.push({ op: '-', what: k, old: v, new: undefined, at: where(la.forField(signature, k), undefined) });
  return out;
}

/** Tables by a stable name: the signature, and the OEM table id for SSDTs (there can be several). */
function tableKey(t: AcpiTable): string {
  if (t.signature !== 'SSDT' || t.bytes.length < 24) return t.signature;
  const id = String.fromCharCode(...t.bytes.subarray(16, 24)).trimEnd();
  return `SSDT ${id}`;
}

export function diffAcpi(a: DiffSide, ta: AcpiTables, b: DiffSide, tb: AcpiTables): AcpiDiff {
  const la = new Locator(a);
  const lb = new Locator(b);
  const ma = new Map(ta.map((t) => [tableKey(t), t]));
  const mb = new Map(tb.map((t) => [tableKey(t), t]));
  const order = [...new Set([...tb.map(tableKey), ...ta.map(tableKey)])];
  const tables: AcpiTableDiff[] = [];
  for (const k of order) {
    const x = ma.get(k);
    const y = mb.get(k);
    if (!x || !y) {
      tables.push({ signature: k, status: x ? 'removed' : 'added', size: { ...(x ? { old: x.bytes.length } : {}), ...(y ? { new: y.bytes.length } : {}) }, entries: [] });
      continue;
    }
    if (same(x.bytes, y.bytes)) continue;
    const aml = x.signature === 'DSDT' || x.signature === 'SSDT';
    const entries = aml ? namespaceEntries(x.bytes, y.bytes, la, lb) : fieldEntries(x.signature, x.bytes, y.bytes, la, lb);
    // Checksums and lengths alone differ when content moved inside a method body: still a change.
    tables.push({ signature: k, status: 'changed', size: { old: x.bytes.length, new: y.bytes.length }, entries });
  }
  return { available: true, tables };
}
