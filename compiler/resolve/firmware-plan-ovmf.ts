/**
 * OVMF's PCI resource allocation (edk2-stable202211, Debian `ovmf` 2022.11:
 * MdeModulePkg PciBusDxe and PciHostBridgeDxe, OvmfPkg's host bridge
 * library, PlatformInitLib and PciHotPlugInitDxe), replayed. It differs
 * from SeaBIOS's (firmware-plan.ts) in most respects:
 *
 * - apertures: IO 0x6000-0xffff; 32-bit MMIO from the end of ECAM
 *   (0xc0000000) to 0xfc000000; 64-bit MMIO, with QEMU's default CPU (40
 *   physical address bits, trusted), the top eighth of the address space
 *   (0xe000000000, 128 GiB); with `opt/ovmf/X-PciMmio64Mb` or an untrusted
 *   width, that size (default 32 GiB) after RAM, aligned to 1 GiB and to
 *   its own size rounded down to a power of two;
 * - each bridge's resources form one list per type (IO, MEM32, PMEM32,
 *   MEM64, PMEM64), sorted by alignment, largest first; among equal
 *   alignments a later entry goes first unless its size is not a multiple
 *   of its alignment; entries are packed from the window's base in that
 *   order and the window is aligned to 4 KiB (IO) or 1 MiB (MEM), then to
 *   its first entry;
 * - hot-plug bridges (PCIe slots with hot-plug, SHPC bridges) get padding
 *   from QEMU's resource reserve capability or, without one, 512 bytes of IO,
 *   2 MiB of MEM and, when the 64-bit aperture is larger than 32 GiB, a
 *   256th of it as 64-bit prefetchable memory; a window is the larger of its
 *   padding and its contents;
 * - a bridge's non-prefetchable window is 32-bit, so 64-bit non-prefetchable
 *   BARs behind a bridge go there too; when a bridge's prefetchable window
 *   holds 64-bit entries, its 32-bit prefetchable ones move to the
 *   non-prefetchable window; at the root, prefetchable and non-prefetchable
 *   memory share one list per aperture; 64-bit BARs stay 64-bit even on a
 *   device with an option ROM (what this build does on QEMU's devices);
 * - SR-IOV PFs get their VF BARs (per-VF size × InitialVFs, aligned to the
 *   per-VF size) placed like BARs;
 * - all option ROMs share one range at the root, the size of the largest,
 *   which firmware maps each ROM into in turn; ROM BARs are left disabled.
 */
import type { BarPlacement, FirmwarePlan, RegionKind, ResolvedMachine, WindowPlacement } from '../model/topology.js';
import { planFunction, type PlanFunction } from './firmware-plan.js';
import { alignUp, GiB } from './memory.js';

export interface OvmfPlanFunction extends PlanFunction {
  /** SR-IOV: the VF BARs firmware sizes and places (VF BAR i: size × initialVfs). */
  readonly sriov?: { readonly initialVfs: number; readonly vfBars: PlanFunction['bars'] } | undefined;
}

export interface OvmfOptions {
  /** opt/ovmf/X-PciMmio64Mb when given (MiB). */
  readonly mmio64Mb?: number | undefined;
  /** The CPU's physical address width if OVMF trusts it (QEMU's default CPU: 40). */
  readonly physBits?: number | undefined;
  /** ECAM base (PCIEXBAR): the 32-bit aperture starts 256 MiB above it. */
  readonly ecamBase?: number;
}

export const OVMF_IO = { base: 0x6000, end: 0x1_0000 } as const;
export const OVMF_MMIO32_END = 0xfc00_0000;
const DEFAULT_MMIO64 = 32 * GiB;
const QEMU_PHYS_BITS = 40;
const ROM_SHARED = -2;
const PADDING = -3;
const WINDOW = -1;

type ListType = 'io' | 'mem32' | 'pmem32' | 'mem64' | 'pmem64';
const TYPES: readonly ListType[] = ['mem32', 'pmem32', 'mem64', 'pmem64', 'io'];

interface Node {
  readonly fn: OvmfPlanFunction | undefined;
  /** BAR index, 6 ROM; WINDOW, ROM_SHARED, PADDING. */
  readonly bar: number;
  readonly vf: boolean;
  length: number;
  /** Alignment in bytes (a power of two). */
  align: number;
  readonly padding: boolean;
  /** For bridge windows: the child lists this window holds. */
  readonly lists?: Lists;
  readonly type: ListType;
  offset: number;
}

interface List {
  nodes: Node[];
  align: number;
  length: number;
}
type Lists = Record<ListType, List>;

function newLists(ioAlign: number, memAlign: number): Lists {
  const l = (align: number): List => ({ nodes: [], align, length: 0 });
  return { io: l(ioAlign), mem32: l(memAlign), pmem32: l(memAlign), mem64: l(memAlign), pmem64: l(memAlign) };
}

/** PciBusDxe InsertResourceNode: descending alignment; an equal one goes before, unless its size is not a multiple of it and the other's remainder is larger. */
function insert(list: List, node: Node): void {
  const rest = (n: Node) => n.length % n.align;
  const nodes = list.nodes;
  let i = 0;
  while (i < nodes.length) {
    const t = nodes[i]!;
    if (node.align > t.align) break;
    if (node.align === t.align && (rest(node) === 0 || rest(node) >= rest(t))) break;
    i++;
  }
  nodes.splice(i, 0, node);
}

function merge(dst: List, src: List): void {
  const moving = src.nodes.splice(0);
  for (const n of moving) insert(dst, n);
}

/** CalculateResourceAperture: offsets from 0; typical and padding entries counted apart, the larger wins. */
function aperture(list: List, io: boolean): void {
  let typical = 0;
  let padding = 0;
  for (const n of list.nodes) {
    if (n.padding) {
      padding = alignUp(padding, n.align);
      n.offset = padding;
      padding += n.length;
      continue;
    }
    n.offset = alignUp(typical, n.align);
    typical = n.offset + n.length;
  }
  typical = alignUp(typical, list.align);
  // (CalculateApertureIo16 leaves the IO padding unaligned: the window register's 4 KiB granularity rounds it.)
  if (!io) padding = alignUp(padding, list.align);
  list.length = Math.max(typical, padding);
  const first = list.nodes[0];
  if (first && first.align > list.align) list.align = first.align;
}

function regionOf(type: ListType): RegionKind {
  return type === 'io' ? 'io' : type.startsWith('p') ? 'prefmem' : 'mem';
}

const pow2Up = (n: number) => 2 ** Math.ceil(Math.log2(n));
const pow2Down = (n: number) => 2 ** Math.floor(Math.log2(n));

/** The 64-bit aperture OVMF sets up (PlatformInitLib): undefined when it has none. */
export function ovmfMmio64(ramAbove4gEnd: number, opts: OvmfOptions = {}): { base: number; size: number } {
  let size = opts.mmio64Mb !== undefined ? opts.mmio64Mb * 2 ** 20 : DEFAULT_MMIO64;
  let base = alignUp(Math.max(ramAbove4gEnd, 4 * GiB), GiB);
  size = alignUp(size, GiB);
  base = alignUp(base, pow2Down(size));
  const bits = opts.physBits === undefined ? QEMU_PHYS_BITS : opts.physBits;
  if (bits > 0) {
    const space = 2 ** bits;
    const window = 2 ** (bits - 3);
    if (size < window && base + window < space) return { base: space - window, size: window };
  }
  return { base, size };
}

export function planOvmf(functions: readonly OvmfPlanFunction[], ramAbove4gEnd: number, opts: OvmfOptions = {}): FirmwarePlan {
  const mmio64 = ovmfMmio64(ramAbove4gEnd, opts);
  const mmio32Base = (opts.ecamBase ?? 0xb000_0000) + 0x1000_0000;
  const onBus = new Map<number, OvmfPlanFunction[]>();
  for (const f of functions) {
    const list = onBus.get(f.bus) ?? [];
    list.push(f);
    onBus.set(f.bus, list);
  }

  const barType = (b: PlanFunction['bars'][number]): ListType =>
    b.kind === 'io' ? 'io' : b.kind === 'mem64' ? (b.prefetchable ? 'pmem64' : 'mem64') : b.prefetchable ? 'pmem32' : 'mem32';
  const node = (fn: OvmfPlanFunction | undefined, bar: number, type: ListType, length: number, align: number, extra: Partial<Node> = {}): Node => ({
    fn,
    bar,
    vf: false,
    length,
    align,
    padding: false,
    type,
    offset: 0,
    ...extra,
  });

  /** CreateResourceMap for the bridge `owner` (undefined: the root bridge) whose secondary bus is `bus`. */
  const build = (owner: OvmfPlanFunction | undefined, bus: number, lists: Lists): void => {
    const children = onBus.get(bus) ?? [];
    for (const d of children) {
      const bars = d.bridge ? d.bars.filter((b) => b.index < 2) : d.bars;
      for (const b of bars) insert(lists[barType(b)], node(d, b.index, barType(b), b.size, b.size));
      for (const b of d.sriov?.vfBars ?? []) {
        if (b.kind === 'io' || !d.sriov || d.sriov.initialVfs === 0) continue;
        insert(lists[barType(b)], node(d, b.index, barType(b), b.size * d.sriov.initialVfs, Math.max(b.size, 0x1000), { vf: true }));
      }
      if (d.bridge) {
        const sub = newLists(0x1000, 0x10_0000);
        build(d, d.bridge.secondary, sub);
        for (const t of ['io', 'mem32', 'pmem32', 'mem64', 'pmem64'] as const) {
          const l = sub[t];
          if (l.nodes.length === 0 && l.length === 0) continue;
          insert(lists[t], node(d, WINDOW, t, l.length, l.align, { lists: sub }));
        }
      }
    }
    if (owner?.bridge) pad(owner, lists);
    degrade(owner, lists);
    for (const t of TYPES) aperture(lists[t], t === 'io');
  };

  const pad = (bridge: OvmfPlanFunction, lists: Lists): void => {
    const br = bridge.bridge!;
    if (br.hotplug === 'none') return;
    const r = br.reserve;
    const add = (type: ListType, size: number) => {
      const s = pow2Up(size);
      insert(lists[type], node(bridge, PADDING, type, s, s, { padding: true }));
    };
    let io = true;
    let mem = true;
    let pref = true;
    if (r) {
      if (r.io !== undefined) {
        io = false;
        if (r.io > 0) add('io', r.io);
      }
      if (r.mem !== undefined) {
        mem = false;
        if (r.mem > 0) add('mem32', r.mem);
      }
      if (r.pref !== undefined && r.pref > 0) {
        pref = false;
        add(br.prefmem64 ? 'pmem64' : 'pmem32', r.pref);
      }
    }
    if (io) add('io', 512);
    if (mem) add('mem32', 2 * 2 ** 20);
    if (pref && mmio64.size > 32 * GiB) add('pmem64', mmio64.size / 256);
  };

  /** DegradeResource. */
  const degrade = (owner: OvmfPlanFunction | undefined, lists: Lists): void => {
    if (owner) {
      merge(lists.mem32, lists.mem64);
      if (!owner.bridge!.prefmem64) merge(lists.pmem32, lists.pmem64);
      if (lists.pmem64.nodes.length > 0) merge(lists.mem32, lists.pmem32);
    } else {
      merge(lists.mem32, lists.pmem32);
      merge(lists.mem64, lists.pmem64);
    }
  };

  const root = newLists(0x1000, 0x10_0000);
  const maxRom = Math.max(0, ...functions.map((f) => f.romSize));
  if (maxRom > 0) insert(root.mem32, node(undefined, ROM_SHARED, 'mem32', maxRom, maxRom));
  build(undefined, 0, root);

  // PciHostBridgeDxe: each root list at its aperture's base, aligned.
  const bars: BarPlacement[] = [];
  const windows: WindowPlacement[] = [];
  const bases: Record<ListType, number> = {
    io: alignUp(OVMF_IO.base, root.io.align),
    mem32: alignUp(mmio32Base, root.mem32.align),
    pmem32: alignUp(mmio32Base, root.pmem32.align),
    mem64: alignUp(mmio64.base, root.mem64.align),
    pmem64: alignUp(mmio64.base, root.pmem64.align),
  };
  let failure: FirmwarePlan['failure'];
  if (bases.io + root.io.length > OVMF_IO.end) failure = 'io';
  if (bases.mem32 + root.mem32.length > OVMF_MMIO32_END) failure ??= 'mem32';

  const place = (list: List, base: number): void => {
    for (const n of list.nodes) {
      const at = base + n.offset;
      if (n.bar === WINDOW) {
        const sub = n.lists!;
        const fn = n.fn!;
        // What the window registers hold: IO in 4 KiB, memory in 1 MiB steps.
        const size = alignUp(n.length, n.type === 'io' ? 0x1000 : 0x10_0000);
        windows.push({ key: fn.key, secondary: fn.bridge!.secondary, region: regionOf(n.type), base: at, size, is64: n.type === 'pmem64' });
        place(sub[n.type], at);
      } else if (n.bar >= 0 && n.bar < 6) {
        bars.push({ key: n.fn!.key, bdf: n.fn!.bdf, bar: n.vf ? 7 + n.bar : n.bar, region: regionOf(n.type), address: at, size: n.length, is64: n.type.endsWith('64') || barIs64(n) });
      }
    }
  };
  for (const t of TYPES) place(root[t], bases[t]);
  bars.sort((a, b) => a.address - b.address || a.bar - b.bar);
  windows.sort((a, b) => a.secondary - b.secondary || REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region));
  const range = (t: ListType) => ({ base: bases[t], size: root[t].length });
  return {
    io: range('io'),
    mem: range('mem32'),
    prefmem: { base: bases.mem32, size: 0 },
    mem64: root.mem64.length > 0 ? range('mem64') : undefined,
    bars,
    windows,
    failure,
  };
}

const REGIONS: readonly RegionKind[] = ['io', 'mem', 'prefmem'];

function barIs64(n: Node): boolean {
  const list = n.vf ? n.fn?.sriov?.vfBars : n.fn?.bars;
  return list?.find((b) => b.index === n.bar)?.kind === 'mem64';
}

/** The plan in lines: root apertures, then every BAR (VF BAR n as `vf-bar n`) and bridge window by address. */
export function ovmfPlanLines(plan: FirmwarePlan): string[] {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const span = (base: number, size: number, w: number) => (size === 0 ? 'none' : `${hex(base, w)}-${hex(base + size - 1, w)}`);
  const lines = [`io ${span(plan.io.base, plan.io.size, 4)}`, `mem ${span(plan.mem.base, plan.mem.size, 8)}`];
  lines.push(`mem64 ${plan.mem64 ? span(plan.mem64.base, plan.mem64.size, 16) : 'none'}`);
  for (const w of plan.windows) lines.push(`bus ${hex(w.secondary, 2)} window ${w.region}${w.is64 ? '64' : ''} ${span(w.base, w.size, w.region === 'io' ? 4 : 8)} (${w.key})`);
  for (const b of plan.bars) {
    const what = b.bar >= 7 ? `vf-bar ${b.bar - 7}` : `bar ${b.bar}`;
    lines.push(`${b.bdf} ${what} ${b.region}${b.is64 ? '64' : ''} ${span(b.address, b.size, b.region === 'io' ? 4 : 8)}`);
  }
  return lines;
}

/** The resolved machine as the planner takes it: every function but VFs, with its bridge's capabilities and its VF BARs. */
export function ovmfPlanInput(machine: ResolvedMachine): OvmfPlanFunction[] {
  return machine.pci.functions
    .filter((f) => f.role !== 'vf')
    .map((f) => ({ ...planFunction(f, true), sriov: f.sriov ? { initialVfs: f.sriov.initialVfs, vfBars: f.sriov.vfBars } : undefined }));
}

/** The machine's plan under OVMF. */
export function ovmfPlan(machine: ResolvedMachine, opts: OvmfOptions = {}): FirmwarePlan {
  const mem = machine.memory;
  return planOvmf(ovmfPlanInput(machine), mem.above4g > 0 ? mem.above4gBase + mem.above4g : 4 * GiB, { ecamBase: mem.ecam.base, physBits: machine.cpus.physBits, ...opts });
}

/**
 * What OVMF programs above 4 GiB (lowest base to highest end of its 64-bit
 * BARs and windows), undefined when nothing: the range QEMU's own DSDT grows
 * its 64-bit window to, so that Linux keeps OVMF's placement.
 */
export function ovmfProgrammed64(plan: FirmwarePlan): { base: number; size: number } | undefined {
  const spans = [...plan.bars.map((b) => [b.address, b.size] as const), ...plan.windows.map((w) => [w.base, w.size] as const)].filter(([a, s]) => a >= 4 * GiB && s > 0);
  if (spans.length === 0) return undefined;
  const base = Math.min(...spans.map(([a]) => a));
  const end = Math.max(...spans.map(([a, s]) => a + s));
  return { base, size: end - base };
}

/** The machine as its ACPI tables describe it for OVMF: the 64-bit window holds what OVMF places there. */
export function machineForOvmf(machine: ResolvedMachine): ResolvedMachine {
  return { ...machine, firmware: { ...machine.firmware, mem64: ovmfProgrammed64(ovmfPlan(machine)) } };
}
