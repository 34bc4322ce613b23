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
 * - all option ROMs below a root bridge share one range at its root, the
 *   size of the largest, which firmware maps each ROM into in turn; ROM BARs
 *   are left disabled;
 * - expander buses (pxb-pcie) are root bridges of their own
 *   (PciHostBridgeUtilityGetRootBridges finds them by scanning the bus
 *   numbers after 0, in order), each with the same apertures: every root
 *   bridge's lists are sized on their own, and PciHostBridgeDxe allocates
 *   them root bridge after root bridge, each at the lowest free address of
 *   the aperture aligned to the list's alignment.
 */
import type { BarPlacement, FirmwarePlan, Range, RegionKind, ResolvedMachine, WindowPlacement } from '../model/topology.js';
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
/** A root bridge's list in PciBusDxe's resource pool of its type. */
const ROOT = -4;

type ListType = 'io' | 'mem32' | 'pmem32' | 'mem64' | 'pmem64';
const TYPES: readonly ListType[] = ['mem32', 'pmem32', 'mem64', 'pmem64', 'io'];

interface Node {
  readonly fn: OvmfPlanFunction | undefined;
  /** BAR index, 6 ROM; WINDOW, ROM_SHARED, PADDING, ROOT. */
  readonly bar: number;
  readonly vf: boolean;
  length: number;
  /** Alignment in bytes (a power of two). */
  align: number;
  readonly padding: boolean;
  /** For bridge windows and root bridges: the child lists this window holds. */
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

/** One root bridge's share of the apertures: what PciHostBridgeDxe allocated for it. */
export interface OvmfRootPlan {
  /** Its root bus: 0 for pcie.0, an expander's bus-nr. */
  readonly bus: number;
  readonly io: Range;
  readonly mem: Range;
  readonly mem64: Range | undefined;
}

/** OVMF's placement: pcie.0's apertures as the plan's io/mem/mem64, every root bridge's in `roots`. */
export interface OvmfPlan extends FirmwarePlan {
  readonly roots: readonly OvmfRootPlan[];
}

/**
 * The root buses OVMF finds (PciHostBridgeUtilityGetRootBridges): bus 0,
 * then every other bus with a function that no bridge leads to (an
 * expander's root bus), in bus-number order.
 */
export function ovmfRootBuses(functions: readonly { readonly bus: number; readonly bridge?: { readonly secondary: number } | undefined }[]): number[] {
  const behindBridge = new Set(functions.flatMap((f) => (f.bridge ? [f.bridge.secondary] : [])));
  return [...new Set([0, ...functions.map((f) => f.bus).filter((b) => !behindBridge.has(b))])].sort((a, b) => a - b);
}

/**
 * The aperture space PciHostBridgeDxe allocates root bridges' resources
 * from (its AllocateResource over the GCD): the lowest address at or above
 * the aperture's base, aligned, that overlaps nothing allocated before.
 * Every root bridge has the same apertures, so each one's block follows
 * those of the root bridges before it.
 */
class Aperture {
  private readonly used: [number, number][] = [];
  constructor(
    readonly base: number,
    readonly end: number,
  ) {}

  allocate(length: number, align: number): number | undefined {
    let at = alignUp(this.base, align);
    for (;;) {
      if (at + length > this.end) return undefined;
      const clash = this.used.find(([b, e]) => at < e && b < at + length);
      if (!clash) break;
      at = alignUp(clash[1], align);
    }
    this.used.push([at, at + length]);
    return at;
  }
}

export function planOvmf(functions: readonly OvmfPlanFunction[], ramAbove4gEnd: number, opts: OvmfOptions = {}): OvmfPlan {
  // PciHostBridgeResourceAllocator: while the host bridge cannot allocate a type, PciHostBridgeAdjustAllocation
  // rejects that type's largest consumer (a hot-plug bridge: all its padding; a device off bus 0: the device) and
  // everything is sized and allocated again.
  const unpadded = new Set<string>();
  const rejected = new Set<string>();
  for (;;) {
    const run = attempt(functions, ramAbove4gEnd, opts, unpadded, rejected);
    if (run.failed.length === 0) return run.plan;
    const removed = new Set<string>();
    for (const t of run.failed) {
      const node = largestConsumer(run.pools[t]);
      if (!node || removed.has(node.fn!.key)) continue;
      removed.add(node.fn!.key);
      (node.padding ? unpadded : rejected).add(node.fn!.key);
    }
    if (removed.size === 0) return run.plan;
  }
}

/** Whether PciBusDxe may reject a device (IsRejectiveDevice): not on bus 0, not a VGA controller. */
function rejective(fn: OvmfPlanFunction): boolean {
  return fn.bus !== 0 && fn.classCode !== 0x03_0000;
}

/**
 * GetMaxResourceConsumerDevice: the largest padding or device resource below
 * the nodes, bridge windows searched through; on equal lengths the later.
 */
function largestConsumer(nodes: readonly Node[]): Node | undefined {
  let best: Node | undefined;
  const consider = (n: Node | undefined) => {
    if (n && !(best && best.length > n.length)) best = n;
  };
  for (const n of nodes) {
    if (n.bar === ROM_SHARED) continue;
    if (n.bar === WINDOW || n.bar === ROOT) consider(largestConsumer(n.lists![n.type].nodes));
    else if (n.padding || rejective(n.fn!)) consider(n);
  }
  return best;
}

interface Attempt {
  readonly plan: OvmfPlan;
  /** The types some root bridge could not get (PciBusDxe's order: IO, MEM32, MEM64). */
  readonly failed: readonly ListType[];
  /** Each type's root bridge nodes, as PciBusDxe's resource pools hold them. */
  readonly pools: Record<ListType, Node[]>;
}

/** One round: every root bridge's resources sized (but the given paddings and devices) and allocated. */
function attempt(functions: readonly OvmfPlanFunction[], ramAbove4gEnd: number, opts: OvmfOptions, unpadded: ReadonlySet<string>, rejected: ReadonlySet<string>): Attempt {
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

  /** CreateResourceMap for the bridge `owner` (undefined: a root bridge) whose secondary bus is `bus`. */
  const build = (owner: OvmfPlanFunction | undefined, bus: number, lists: Lists): void => {
    const children = onBus.get(bus) ?? [];
    for (const d of children) {
      if (rejected.has(d.key)) continue;
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
    if (br.hotplug === 'none' || unpadded.has(bridge.key)) return;
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

  /** Every function below a root bus. */
  const under = (bus: number): OvmfPlanFunction[] => (onBus.get(bus) ?? []).flatMap((f) => [f, ...(f.bridge ? under(f.bridge.secondary) : [])]);

  const bars: BarPlacement[] = [];
  const windows: WindowPlacement[] = [];
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

  // PciHostBridgeDxe: root bridge after root bridge, each of its lists from the start of the aperture
  // all root bridges share (64-bit requests fall back below 4 GiB when the 64-bit aperture is full).
  const io = new Aperture(OVMF_IO.base, OVMF_IO.end);
  const mem32 = new Aperture(mmio32Base, OVMF_MMIO32_END);
  const mem64 = new Aperture(mmio64.base, mmio64.base + mmio64.size);
  const failed = new Set<ListType>();
  const roots: OvmfRootPlan[] = [];
  const pools: Record<ListType, List> = newLists(1, 1);
  for (const bus of ovmfRootBuses(functions)) {
    const root = newLists(0x1000, 0x10_0000);
    // All option ROMs below a root bridge share one range of its 32-bit memory, the size of the largest.
    const maxRom = Math.max(0, ...under(bus).filter((f) => !rejected.has(f.key)).map((f) => f.romSize));
    if (maxRom > 0) insert(root.mem32, node(undefined, ROM_SHARED, 'mem32', maxRom, maxRom));
    build(undefined, bus, root);
    for (const t of TYPES) if (root[t].nodes.length > 0) insert(pools[t], node(undefined, ROOT, t, root[t].length, root[t].align, { lists: root }));
    const take = (t: ListType, space: Aperture, fallback?: Aperture): number => {
      const list = root[t];
      if (list.length === 0) return alignUp(space.base, list.align);
      const at = space.allocate(list.length, list.align) ?? fallback?.allocate(list.length, list.align);
      if (at === undefined) {
        failed.add(t);
        return alignUp(space.base, list.align);
      }
      return at;
    };
    // (PciHostBridgeDxe takes a root bridge's types largest alignment first; each type has its own aperture.)
    const bases: Record<ListType, number> = {
      io: take('io', io),
      mem32: take('mem32', mem32),
      pmem32: alignUp(mmio32Base, root.pmem32.align),
      mem64: take('mem64', mem64, mem32),
      pmem64: alignUp(mmio64.base, root.pmem64.align),
    };
    for (const t of TYPES) place(root[t], bases[t]);
    roots.push({
      bus,
      io: { base: bases.io, size: root.io.length },
      mem: { base: bases.mem32, size: root.mem32.length },
      mem64: root.mem64.length > 0 ? { base: bases.mem64, size: root.mem64.length } : undefined,
    });
  }
  bars.sort((a, b) => a.address - b.address || a.bar - b.bar);
  windows.sort((a, b) => a.secondary - b.secondary || REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region));
  const main = roots[0]!;
  const order: readonly ListType[] = ['io', 'mem32', 'pmem32', 'mem64', 'pmem64'];
  const failure: FirmwarePlan['failure'] = failed.has('io') ? 'io' : failed.size > 0 ? 'mem32' : undefined;
  return {
    plan: { io: main.io, mem: main.mem, prefmem: { base: main.mem.base, size: 0 }, mem64: main.mem64, bars, windows, failure, roots },
    failed: order.filter((t) => failed.has(t)),
    pools: { io: pools.io.nodes, mem32: pools.mem32.nodes, pmem32: pools.pmem32.nodes, mem64: pools.mem64.nodes, pmem64: pools.pmem64.nodes },
  };
}

const REGIONS: readonly RegionKind[] = ['io', 'mem', 'prefmem'];

function barIs64(n: Node): boolean {
  const list = n.vf ? n.fn?.sriov?.vfBars : n.fn?.bars;
  return list?.find((b) => b.index === n.bar)?.kind === 'mem64';
}

/**
 * The plan in lines: pcie.0's share of the apertures (then each expander
 * root bus's, `root NN io|mem|mem64 ...`), then every bridge window and
 * every BAR (VF BAR n as `vf-bar n`) by address.
 */
export function ovmfPlanLines(plan: OvmfPlan): string[] {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const span = (base: number, size: number, w: number) => (size === 0 ? 'none' : `${hex(base, w)}-${hex(base + size - 1, w)}`);
  const apertures = (r: OvmfRootPlan) => [`io ${span(r.io.base, r.io.size, 4)}`, `mem ${span(r.mem.base, r.mem.size, 8)}`, `mem64 ${r.mem64 ? span(r.mem64.base, r.mem64.size, 16) : 'none'}`];
  const lines = apertures(plan.roots[0]!);
  for (const r of plan.roots.slice(1)) lines.push(...apertures(r).map((l) => `root ${hex(r.bus, 2)} ${l}`));
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
export function ovmfPlan(machine: ResolvedMachine, opts: OvmfOptions = {}): OvmfPlan {
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

/**
 * The machine as its ACPI tables describe it for OVMF: the 64-bit window
 * holds what OVMF places above 4 GiB, and each expander's root complex
 * decodes what OVMF placed on its root bus (QEMU builds both from the
 * registers firmware programmed). VF BARs, which QEMU's `_CRS` does not
 * count, stay out.
 */
export function machineForOvmf(machine: ResolvedMachine): ResolvedMachine {
  const plan = ovmfPlan(machine);
  return {
    ...machine,
    firmware: { ...machine.firmware, mem64: ovmfProgrammed64(plan), bars: plan.bars.filter((b) => b.bar < 7), windows: plan.windows },
  };
}
