/**
 * The root complexes of PCI Express expander bridges (pxb-pcie) in the DSDT,
 * and what they take from \_SB.PCI0, as QEMU 7.2 builds them
 * (hw/i386/acpi-build.c build_dsdt, build_crs, build_prt,
 * crs_replace_with_free_ranges).
 *
 * Each expander's root bus is a host bridge of its own, \_SB.PCxx (xx: its
 * bus number in hex): _UID and _BBN (ACPI 6.4 §6.5.5) are the bus number,
 * PNP0A08 / PNP0A03, an _OSC that also grants native PCIe hot-plug (the LPC's
 * ACPI hot-plug does not reach these buses), _PXM (§6.2.14) when it belongs
 * to a NUMA node, a _PRT (7.2 computes its 128 entries in a loop; 10.0 and
 * 11.1 return them as one package), and a _CRS of what firmware
 * placed on the bus: the BARs and open bridge windows of its functions,
 * sorted and joined where they touch, and the bus range up to the highest
 * subordinate bus. QEMU lists the root buses most recently created first.
 *
 * PCI0's _CRS then leaves out what the expanders took: its bus range ends
 * below the lowest expander bus, and its IO and memory windows are the free
 * gaps around the expanders' ranges (and ECAM).
 */
import { since, type QemuTarget } from '../../model/target.js';
import type { PciBus, PciFunction, ResolvedMachine } from '../../model/topology.js';
import {
  Binary, Compare, device, EisaId, eq, If, Increment, Index, int, local, method, name, ONE, Package, ref, ret, scope, store, While, ZERO, type AmlTerm,
} from './aml.js';
import { hostBridgeOsc } from './dsdt-host.js';
import { AddressSpaceDescriptor, dwordMemory, qwordMemory, ResourceTemplate, wordBusNumber, type ResourceDescriptor } from './resources.js';

const FOUR_GIB = 0x1_0000_0000;
/** _OSC control bits an expander's host bridge grants: PCIe native hot-plug too (bit 0). */
const EXPANDER_OSC_MASK = 0x1f;

/** An inclusive [base, limit] range, as QEMU's CrsRangeEntry. */
export interface CrsRange {
  readonly base: number;
  readonly limit: number;
}

/** The ranges one root bus decodes, by kind. */
export interface RootRanges {
  readonly io: readonly CrsRange[];
  readonly mem: readonly CrsRange[];
  readonly mem64: readonly CrsRange[];
}

/** An expander's root complex: its bus, bridge function, NUMA node index and what it decodes. */
export interface ExpanderRoot {
  readonly bus: PciBus;
  readonly bridge: PciFunction;
  readonly node: number | undefined;
  readonly ranges: RootRanges;
  /** The highest bus number below it. */
  readonly maxBus: number;
}

/** crs_range_merge: sorted by base, ranges that touch joined. */
function merge(ranges: readonly CrsRange[]): CrsRange[] {
  const sorted = [...ranges].sort((a, b) => a.base - b.base);
  const out: CrsRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.base - 1 === last.limit) out[out.length - 1] = { base: last.base, limit: r.limit };
    else out.push(r);
  }
  return out;
}

/** The ranges firmware placed on a root bus's own functions: their BARs and their open bridge windows. */
function rangesOn(machine: ResolvedMachine, bus: number): RootRanges {
  const keys = new Set(machine.pci.functions.filter((f) => f.bus === bus && f.role !== 'vf').map((f) => f.key));
  const io: CrsRange[] = [];
  const mem: CrsRange[] = [];
  const mem64: CrsRange[] = [];
  const add = (region: 'io' | 'mem' | 'prefmem', base: number, size: number) => {
    if (size === 0 || base === 0) return;
    const r = { base, limit: base + size - 1 };
    if (region === 'io') io.push(r);
    else if (r.limit < FOUR_GIB) mem.push(r);
    else mem64.push(r);
  };
  // The option ROM BARs are disabled again once firmware has run them: QEMU sees them unmapped.
  for (const b of machine.firmware.bars) if (keys.has(b.key) && b.bar !== 6) add(b.region, b.address, b.size);
  for (const w of machine.firmware.windows) if (keys.has(w.key)) add(w.region, w.base, w.size);
  return { io: merge(io), mem: merge(mem), mem64: merge(mem64) };
}

/**
 * The expanders' root complexes in QEMU's order (the most recently created
 * first); `creationOrder` is QEMU's -device order.
 */
export function expanderRoots(machine: ResolvedMachine, creationOrder: readonly string[] = []): ExpanderRoot[] {
  const rank = new Map(creationOrder.map((k, i) => [k, i]));
  const byKey = new Map(machine.pci.functions.map((f) => [f.key, f]));
  const nodeIndex = new Map(machine.numa.map((n) => [n.id, n.index]));
  return machine.pci.buses
    .filter((b) => b.expander !== undefined)
    .map((bus): ExpanderRoot => ({
      bus,
      bridge: byKey.get(bus.expander!)!,
      node: bus.numaNode !== undefined ? nodeIndex.get(bus.numaNode) : undefined,
      ranges: rangesOn(machine, bus.number),
      maxBus: Math.max(bus.number, ...machine.pci.functions.filter((f) => f.bus === bus.number && f.bridge).map((f) => f.bridge!.subordinate)),
    }))
    .sort((a, b) => (rank.get(b.bridge.key) ?? 0) - (rank.get(a.bridge.key) ?? 0));
}

/** The link of (slot, pin) on an extra root bus: (slot + pin) mod 4 picks among LNKD, LNKA, LNKB, LNKC. */
const EXPANDER_LINKS = ['LNKD', 'LNKA', 'LNKB', 'LNKC'] as const;

/** One _PRT entry template: { 0, 0, LNKx, 0 } stored into Local4 when the link index matches. */
function routeFor(link: string, index: number): AmlTerm {
  return new If(eq(local(3), int(index)), [store(new Package([ZERO, ZERO, ref(link), ZERO]), local(4))]);
}

/**
 * The computed _PRT of an extra root bus: for each of the 128 (slot, pin)
 * pairs, the link (slot + pin) mod 4 picks among LNKD, LNKA, LNKB, LNKC.
 */
function computedPrt(): AmlTerm {
  const pin = local(1);
  const slot = local(2);
  return method('_PRT', 0, false, [
    store(new Package([], 0x80), local(0)),
    store(ZERO, pin),
    new While(new Compare('LLess', pin, int(0x80)), [
      store(new Binary('ShiftRight', pin, int(2)), slot),
      store(new Binary('And', new Binary('Add', pin, slot), int(3)), local(3)),
      ...EXPANDER_LINKS.map((link, i) => routeFor(link, i)),
      store(new Binary('Or', new Binary('ShiftLeft', slot, int(16)), int(0xffff)), new Index(local(4), ZERO)),
      store(new Binary('And', pin, int(3)), new Index(local(4), ONE)),
      store(local(4), new Index(local(0), pin)),
      new Increment(pin),
    ]),
    ret(local(0)),
  ]);
}

/**
 * The same _PRT as the newer targets write it: a package of the 128 entries,
 * { slot << 16 | 0xFFFF, pin, LNKx, 0 } in (slot, pin) order.
 */
function packagedPrt(): AmlTerm {
  const entries: AmlTerm[] = [];
  for (let i = 0; i < 0x80; i++) {
    const slot = i >> 2;
    const pin = i & 3;
    entries.push(new Package([int(slot * 0x10000 + 0xffff), int(pin), ref(EXPANDER_LINKS[(slot + pin) & 3]!), ZERO]));
  }
  return method('_PRT', 0, false, [ret(new Package(entries))]);
}

/** build_crs: IO as DWordIO, memory below 4 GiB as DWordMemory, above as QWordMemory, then the bus range. */
function rootCrs(root: ExpanderRoot): ResourceTemplate {
  const d: ResourceDescriptor[] = [
    ...root.ranges.io.map((r) => new AddressSpaceDescriptor(4, { kind: 'io', min: r.base, max: r.limit })),
    ...root.ranges.mem.map((r) => dwordMemory(r.base, r.limit, 'NonCacheable')),
    ...root.ranges.mem64.map((r) => qwordMemory(r.base, r.limit, 'NonCacheable')),
    wordBusNumber(root.bus.number, root.maxBus),
  ];
  return new ResourceTemplate(d);
}

/** Scope (\_SB) { Device (PCxx) { ... } } for one expander; `packaged`: the _PRT as one package (10.0 and later). */
function rootComplex(root: ExpanderRoot, packaged: boolean): AmlTerm {
  const nr = root.bus.number;
  const body: AmlTerm[] = [
    name('_UID', int(nr)),
    name('_BBN', int(nr)),
    name('_HID', new EisaId('PNP0A08')),
    name('_CID', new EisaId('PNP0A03')),
    hostBridgeOsc(EXPANDER_OSC_MASK),
  ];
  if (root.node !== undefined) body.push(name('_PXM', int(root.node)));
  body.push(packaged ? packagedPrt() : computedPrt(), name('_CRS', rootCrs(root)));
  return scope('\\_SB', [device(`PC${nr.toString(16).toUpperCase().padStart(2, '0')}`, body)]);
}

/** The expanders' root complexes, each in a Scope (\_SB) of its own, as the target writes them. */
export function expanderDevices(roots: readonly ExpanderRoot[], target: QemuTarget): AmlTerm[] {
  return roots.map((r) => rootComplex(r, since(target, '10.0')));
}

/** What PCI0 leaves to the expanders: every range their root complexes decode. */
export function expanderRanges(roots: readonly ExpanderRoot[]): RootRanges {
  return {
    io: roots.flatMap((r) => r.ranges.io),
    mem: roots.flatMap((r) => r.ranges.mem),
    mem64: roots.flatMap((r) => r.ranges.mem64),
  };
}

/** crs_replace_with_free_ranges: the gaps of [start, end] around `used`. */
export function freeRanges(used: readonly CrsRange[], start: number, end: number): CrsRange[] {
  const out: CrsRange[] = [];
  let free = start;
  for (const u of [...used].sort((a, b) => a.base - b.base)) {
    if (free < u.base) out.push({ base: free, limit: u.base - 1 });
    free = u.limit + 1;
  }
  if (free < end) out.push({ base: free, limit: end });
  return out;
}
