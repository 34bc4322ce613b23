/**
 * Device-level comparison: each device (by id) as the file writes it and as it
 * resolves (address, identity, BARs, interrupt route, VFs, boot path).
 */
import type { DeviceDesc } from '../model/description.js';
import type { PciFunction, ResolvedMachine } from '../model/topology.js';
import type { Span } from '../source/source-file.js';
import { formatSlotFn } from '../util/format.js';
import { formatSize } from '../values/index.js';
import { barText } from '../view/canonical.js';
import { spanText, where, type DiffSide } from './side.js';
import type { ValueChange } from './types.js';

/** A property as written: its value in words and where the file says it (absent: a default). */
interface Prop {
  readonly value: string;
  readonly span: Span | undefined;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function text(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return /reserve$/.test(key) && key !== 'bus-reserve' ? formatSize(v) : String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * A device's properties under the names the file uses ('bus-reserve',
 * 'sriov.vfs', 'namespaces.ns1.image', 'ports.agent.name'), with the span that sets each.
 */
export function deviceProps(d: DeviceDesc): Map<string, Prop> {
  const out = new Map<string, Prop>();
  const put = (key: string, value: unknown, span: Span | undefined) => {
    const t = text(value, key);
    if (t !== undefined) out.set(key, { value: t, span });
  };
  const s = d.spans;
  put('model', d.model, s['model']);
  put('bus', d.bus, s['bus']);
  put('addr', d.addr ? formatSlotFn(d.addr.device, d.addr.fn) : 'auto', s['addr']);
  put('multifunction', d.multifunction, s['multifunction']);
  put('removable', d.removable, s['removable']);
  put('mac', d.mac, s['mac']);
  put('serial', d.serial, s['serial']);
  put('port', d.sataPort, s['port']);
  for (const group of [d.port, d.drive, d.netdev] as const) {
    if (!group) continue;
    for (const [k, v] of Object.entries(group)) {
      const key = group === d.netdev && k === 'type' ? 'netdev' : kebab(k);
      put(key, v, s[key]);
    }
  }
  if (d.sriov) {
    for (const [k, v] of Object.entries(d.sriov)) {
      if (k === 'spans') continue;
      const key = kebab(k);
      put(`sriov.${key}`, v, d.sriov.spans[key] ?? undefined);
    }
  }
  for (const ns of d.namespaces) {
    put(`namespaces.${ns.id}.nsid`, ns.nsid, ns.spans['nsid']);
    for (const [k, v] of Object.entries(ns.drive)) put(`namespaces.${ns.id}.${kebab(k)}`, v, ns.spans[kebab(k)]);
  }
  for (const p of d.ports) {
    put(`ports.${p.id}.kind`, p.kind, p.spans['kind'] ?? p.spans['$']);
    put(`ports.${p.id}.name`, p.name, p.spans['name']);
  }
  return out;
}

export interface PropDiff {
  /** Changed in the file's text. */
  readonly written: ValueChange[];
  /** Changed although the file does not set it on either side (defaults such as QEMU's MAC by NIC order). */
  readonly derived: ValueChange[];
}

/** Compares two descriptions of the same device. */
export function compareProps(a: DiffSide, ad: DeviceDesc, b: DiffSide, bd: DeviceDesc): PropDiff {
  // Same text, same device: only a default that depends on other devices can differ (QEMU's MAC by NIC order).
  if (spanText(a, ad.spans['$']) === spanText(b, bd.spans['$'])) {
    if (ad.mac === bd.mac || ad.spans['mac'] || bd.spans['mac']) return { written: [], derived: [] };
    return { written: [], derived: [{ property: 'mac', old: ad.mac, new: bd.mac, at: where(ad.spans['$'], bd.spans['$']) }] };
  }
  const pa = deviceProps(ad);
  const pb = deviceProps(bd);
  const keys = [...new Set([...pa.keys(), ...pb.keys()])];
  const written: ValueChange[] = [];
  const derived: ValueChange[] = [];
  for (const key of keys) {
    const x = pa.get(key);
    const y = pb.get(key);
    if (x?.value === y?.value) continue;
    const change: ValueChange = {
      property: key,
      old: x?.value,
      new: y?.value,
      at: where(x?.span ?? ad.spans['$'], y?.span ?? bd.spans['$']),
    };
    const fromFile = (x?.span && spanText(a, x.span)) !== (y?.span && spanText(b, y.span)) || Boolean(x?.span) !== Boolean(y?.span);
    (fromFile ? written : derived).push(change);
  }
  return { written, derived };
}

const id4 = (n: number) => n.toString(16).padStart(4, '0');

function intxText(f: PciFunction): string | undefined {
  return f.intx ? `INT${'ABCD'[f.intx.pin - 1]} -> ${f.intx.link} (GSI ${f.intx.gsi})` : undefined;
}

/** What the resolved function looks like, property by property, for comparison. */
function functionProps(f: PciFunction, vfIndex: ReadonlyMap<string, PciFunction>): Map<string, string> {
  const out = new Map<string, string>();
  out.set('bdf', f.bdf);
  out.set('vendor-device', `${id4(f.vendorId)}:${id4(f.deviceId)}`);
  out.set('subsystem', `${id4(f.subsystemVendorId)}:${id4(f.subsystemId)}`);
  out.set('class', f.classCode.toString(16).padStart(6, '0'));
  out.set('revision', String(f.revision));
  out.set('header-type', `0x${f.headerType.toString(16).padStart(2, '0')}`);
  if (f.bars.length > 0) out.set('bars', f.bars.map(barText).join(', '));
  if (f.romSize > 0) out.set('rom', formatSize(f.romSize));
  const intx = intxText(f);
  if (intx) out.set('intx', intx);
  if (f.sriov) {
    const vfs = f.sriov.vfs.map((k) => vfIndex.get(k)?.bdf ?? '?');
    out.set('vfs', vfs.length === 0 ? 'none' : vfs.length === 1 ? `1 at ${vfs[0]}` : `${vfs.length} at ${vfs[0]}..${vfs[vfs.length - 1]}`);
    out.set('vf-device', `${id4(f.vendorId)}:${id4(f.sriov.vfDeviceId)}`);
  }
  return out;
}

/** A quick check that two resolved functions would give the same properties. */
function sameFunction(x: PciFunction, xv: ResolvedView, y: PciFunction, yv: ResolvedView): boolean {
  if (x.bdf !== y.bdf || x.vendorId !== y.vendorId || x.deviceId !== y.deviceId || x.subsystemVendorId !== y.subsystemVendorId) return false;
  if (x.subsystemId !== y.subsystemId || x.classCode !== y.classCode || x.revision !== y.revision || x.headerType !== y.headerType) return false;
  if (x.romSize !== y.romSize || x.bars.length !== y.bars.length) return false;
  for (let i = 0; i < x.bars.length; i++) {
    const p = x.bars[i]!;
    const q = y.bars[i]!;
    if (p.index !== q.index || p.kind !== q.kind || p.size !== q.size || p.prefetchable !== q.prefetchable) return false;
  }
  if ((x.intx?.pin ?? 0) !== (y.intx?.pin ?? 0) || x.intx?.link !== y.intx?.link || x.intx?.gsi !== y.intx?.gsi) return false;
  const xs = x.sriov;
  const ys = y.sriov;
  if (!xs || !ys) return xs === ys;
  if (xs.vfDeviceId !== ys.vfDeviceId || xs.vfs.length !== ys.vfs.length) return false;
  return xs.vfs.every((k, i) => xv.fnByKey.get(k)?.bdf === yv.fnByKey.get(ys.vfs[i]!)?.bdf);
}

export interface ResolvedView {
  readonly fnByKey: ReadonlyMap<string, PciFunction>;
  readonly bootPath: ReadonlyMap<string, string>;
  readonly sataPort: ReadonlyMap<string, number>;
}

export function resolvedView(m: ResolvedMachine): ResolvedView {
  return {
    fnByKey: new Map(m.pci.functions.map((f) => [f.key, f])),
    bootPath: new Map(m.boot.map((b) => [b.id, b.path])),
    sataPort: new Map(m.storage.sata.map((d) => [d.id, d.port])),
  };
}

/** Resolved differences of one device: address, identity, BARs, route, VFs, boot path, AHCI port. */
export function compareResolved(av: ResolvedView, bv: ResolvedView, id: string, declOld: Span | undefined, declNew: Span | undefined): ValueChange[] {
  const out: ValueChange[] = [];
  const at = where(declOld, declNew);
  const fa = av.fnByKey.get(id);
  const fb = bv.fnByKey.get(id);
  if (fa && fb && !sameFunction(fa, av, fb, bv)) {
    const pa = functionProps(fa, av.fnByKey);
    const pb = functionProps(fb, bv.fnByKey);
    for (const key of new Set([...pa.keys(), ...pb.keys()])) {
      const x = pa.get(key);
      const y = pb.get(key);
      if (x !== y) out.push({ property: key, old: x, new: y, at });
    }
  }
  const sa = av.sataPort.get(id);
  const sb = bv.sataPort.get(id);
  if (sa !== undefined && sb !== undefined && sa !== sb) out.push({ property: 'ahci-port', old: String(sa), new: String(sb), at });
  const ba = av.bootPath.get(id);
  const bb = bv.bootPath.get(id);
  if (ba !== undefined && bb !== undefined && ba !== bb) out.push({ property: 'boot-path', old: ba, new: bb, at });
  return out;
}

/** The address a reviewer knows a device by: its BDF, or its AHCI port. */
export function addressOf(view: ResolvedView, id: string): string | undefined {
  const f = view.fnByKey.get(id);
  if (f) return f.bdf;
  const p = view.sataPort.get(id);
  return p !== undefined ? `ahci port ${p}` : undefined;
}
