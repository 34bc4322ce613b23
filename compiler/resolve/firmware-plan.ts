/**
 * SeaBIOS 1.16.2's PCI resource allocation, replayed (src/fw/pciinit.c:
 * pci_bios_check_devices, pci_bios_init_root_regions_*, pci_bios_map_devices).
 *
 * Pass 1 gathers every BAR into its bus's IO / MEM / PREFMEM list, sorted by
 * alignment then size (both descending, ties in device order), and sizes each
 * bridge window from its children, deepest bus first. Pass 2 places the root
 * lists (IO at 0xc000 or 0x1000; MEM and PREFMEM packed down from 0xfec00000),
 * moving 64-bit entries above RAM only when the 32-bit hole overflows, then
 * walks the buses in order assigning addresses. The result predicts every
 * `PCI: map device` line of the firmware log.
 */
import { deviceModel, type HotplugKind } from '../../runtime/devices/catalog.js';
import type { Bar, BarPlacement, FirmwarePlan, PciFunction, Range, RegionKind, WindowPlacement } from '../model/topology.js';
import { alignDown, alignUp, FOUR_GIB, GiB, PCI_MEM32_BASE, PCI_MEM32_END } from './memory.js';

export interface PlanFunction {
  readonly key: string;
  readonly bdf: string;
  readonly bus: number;
  readonly classCode: number;
  readonly bars: readonly Bar[];
  readonly romSize: number;
  readonly bridge:
    | {
        readonly secondary: number;
        readonly hotplug: HotplugKind;
        readonly ioWindow: boolean;
        readonly prefmem64: boolean;
        /** Sizes from QEMU's resource reserve capability, when the bridge has one. */
        readonly reserve: { readonly io?: number; readonly mem?: number; readonly pref?: number } | undefined;
      }
    | undefined;
}

/**
 * A resolved function as the placement algorithms take it. `slotHotplug`:
 * whether a bridge's hot-plug follows its slot's setting (OVMF reads the
 * slot capability) rather than its model (SeaBIOS).
 */
export function planFunction(f: PciFunction, slotHotplug = false): PlanFunction {
  const spec = f.bridge ? deviceModel(f.model)?.bridge : undefined;
  return {
    key: f.key,
    bdf: f.bdf,
    bus: f.bus,
    classCode: f.classCode,
    bars: f.bars,
    romSize: f.romSize,
    bridge:
      f.bridge && spec
        ? {
            secondary: f.bridge.secondary,
            hotplug: slotHotplug && !f.bridge.hotplug ? 'none' : spec.hotplug,
            // io-reserve=0 stops the bridge decoding IO, but SeaBIOS still sizes an (empty) IO window for it.
            ioWindow: spec.ioWindow,
            prefmem64: spec.prefmem64,
            reserve: f.bridge.reserve,
          }
        : undefined,
  };
}

export interface WindowSizes {
  readonly io: number;
  readonly mem: number;
  readonly prefmem: number;
  readonly prefmem64: boolean;
}

interface Entry {
  readonly fn: PlanFunction;
  /** BAR index; 6 is the ROM; -1 is a bridge window. */
  readonly bar: number;
  readonly size: number;
  readonly align: number;
  readonly region: RegionKind;
  readonly is64: boolean;
}

class RegionList {
  readonly entries: Entry[] = [];
  base = 0;

  insert(e: Entry): void {
    const list = this.entries;
    let i = 0;
    while (i < list.length) {
      const pos = list[i]!;
      if (pos.align < e.align || (pos.align === e.align && pos.size < e.size)) break;
      i++;
    }
    list.splice(i, 0, e);
  }

  get sum(): number {
    let s = 0;
    for (const e of this.entries) s += e.size;
    return s;
  }

  /** Alignment of the region: the first (largest) entry's, 1 when empty. */
  get align(): number {
    return this.entries[0]?.align ?? 1;
  }
}

const REGIONS: readonly RegionKind[] = ['io', 'mem', 'prefmem'];
const BRIDGE_IO_MIN = 0x1000;
const BRIDGE_MEM_MIN = 0x20_0000;
const IO_LOW_END = 0x1_0000;

interface BusLists {
  bridge: PlanFunction | undefined;
  r: Record<RegionKind, RegionList>;
}

function newLists(bridge: PlanFunction | undefined): BusLists {
  return { bridge, r: { io: new RegionList(), mem: new RegionList(), prefmem: new RegionList() } };
}

/** The lists for a function's bus: root buses (no bridge) pool into bus 0. */
function listsFor(busses: BusLists[], bus: number): BusLists {
  const b = busses[bus];
  return b && b.bridge ? b : busses[0]!;
}

export interface PlanResult {
  readonly plan: FirmwarePlan;
  readonly windows: ReadonlyMap<string, WindowSizes>;
  /** The root-bus totals, for budget diagnostics. */
  readonly rootSums: { readonly io: number; readonly mem: number; readonly prefmem: number };
}

export function planFirmware(functions: readonly PlanFunction[], busCount: number, ramAbove4gEnd: number): PlanResult {
  const busses: BusLists[] = [];
  for (let b = 0; b < busCount; b++) busses.push(newLists(undefined));
  for (const fn of functions) if (fn.bridge) busses[fn.bridge.secondary]!.bridge = fn;

  // Pass 1a: every device's BARs into its bus's lists, in function order.
  for (const fn of functions) {
    const lists = listsFor(busses, fn.bus);
    for (const b of fn.bars) {
      if (fn.bridge && b.index > 1) continue;
      const region: RegionKind = b.kind === 'io' ? 'io' : b.prefetchable ? 'prefmem' : 'mem';
      const size = region === 'io' ? b.size : Math.max(b.size, 0x1000);
      lists.r[region].insert({ fn, bar: b.index, size, align: size, region, is64: b.kind === 'mem64' });
    }
    if (fn.romSize > 0) {
      const size = Math.max(fn.romSize, 0x1000);
      lists.r.mem.insert({ fn, bar: 6, size, align: size, region: 'mem', is64: false });
    }
  }

  // Pass 1b: bridge windows, deepest secondary bus first.
  const windows = new Map<string, WindowSizes>();
  for (let s = busCount - 1; s >= 1; s--) {
    const child = busses[s]!;
    const bridge = child.bridge;
    if (!bridge || !bridge.bridge) continue;
    const parent = listsFor(busses, bridge.bus);
    const hp = bridge.bridge.hotplug;
    const sizes: Record<RegionKind, number> = { io: 0, mem: 0, prefmem: 0 };
    let prefIs64 = false;
    for (const region of REGIONS) {
      if (region === 'io' && !bridge.bridge.ioWindow) continue;
      const list = child.r[region];
      let align = region === 'io' ? BRIDGE_IO_MIN : BRIDGE_MEM_MIN;
      const reserve = bridge.bridge.reserve;
      const reserved = reserve ? (region === 'io' ? reserve.io : region === 'mem' ? reserve.mem : reserve.pref) ?? 0 : 0;
      align = Math.max(align, list.entries[0]?.align ?? 0);
      let sum = list.sum;
      const optional = hp === 'pcie' && region === 'io';
      if (sum === 0 && hp !== 'none' && !optional) sum = align;
      // A reservation larger than the children wins (SeaBIOS aligns it, except for IO).
      const size = reserved > sum ? (region === 'io' ? reserved : alignUp(reserved, align)) : alignUp(sum, align);
      const is64 = region === 'prefmem' && bridge.bridge.prefmem64 && list.entries.every((e) => e.is64);
      if (region === 'prefmem') prefIs64 = is64;
      sizes[region] = size;
      parent.r[region].insert({ fn: bridge, bar: -1, size, align, region, is64 });
    }
    windows.set(bridge.key, { io: sizes.io, mem: sizes.mem, prefmem: sizes.prefmem, prefmem64: prefIs64 });
  }

  // Pass 2: root regions.
  const root = busses[0]!;
  const rootSums = { io: root.r.io.sum, mem: root.r.mem.sum, prefmem: root.r.prefmem.sum };
  let failure: FirmwarePlan['failure'];
  const ioSum = rootSums.io;
  let ioBase: number;
  if (ioSum < 0x4000) ioBase = 0xc000;
  else if (ioSum < IO_LOW_END - 0x1000) ioBase = 0x1000;
  else {
    ioBase = 0x1000;
    failure = 'io';
  }
  root.r.io.base = ioBase;

  const r64 = { mem: new RegionList(), prefmem: new RegionList() };
  const place32 = (): boolean => {
    const mem = root.r.mem;
    const pref = root.r.prefmem;
    const [top, bottom] = mem.align < pref.align ? [mem, pref] : [pref, mem];
    top.base = alignDown(PCI_MEM32_END - top.sum, top.align);
    bottom.base = alignDown(top.base - bottom.sum, bottom.align);
    return bottom.base >= PCI_MEM32_BASE && top.base <= PCI_MEM32_END;
  };
  let mem64: Range | undefined;
  if (!place32()) {
    for (const region of ['mem', 'prefmem'] as const) {
      const keep: Entry[] = [];
      for (const e of root.r[region].entries) {
        if (e.is64 && e.fn.classCode >> 8 !== 0x0c03) r64[region].entries.push(e);
        else keep.push(e);
      }
      root.r[region].entries.splice(0, root.r[region].entries.length, ...keep);
    }
    if (!place32() && failure === undefined) failure = 'mem32';
    const base = Math.max(FOUR_GIB, ramAbove4gEnd);
    r64.mem.base = alignUp(alignUp(base, r64.mem.align), GiB);
    r64.prefmem.base = alignUp(alignUp(r64.mem.base + r64.mem.sum, r64.prefmem.align), GiB);
    const end = alignUp(r64.prefmem.base + r64.prefmem.sum, GiB);
    mem64 = { base: r64.mem.base, size: end - r64.mem.base };
  }

  // Pass 2b: walk the buses in order, placing entries and opening child windows.
  const bars: BarPlacement[] = [];
  const placedWindows: WindowPlacement[] = [];
  const mapList = (list: RegionList) => {
    let addr = list.base;
    for (const e of list.entries) {
      if (e.bar === -1) {
        const sec = e.fn.bridge!.secondary;
        busses[sec]!.r[e.region].base = addr;
        placedWindows.push({ key: e.fn.key, secondary: sec, region: e.region, base: addr, size: e.size, is64: e.is64 });
      } else {
        bars.push({ key: e.fn.key, bdf: e.fn.bdf, bar: e.bar, region: e.region, address: addr, size: e.size, is64: e.is64 });
      }
      addr += e.size;
    }
  };
  if (mem64) {
    mapList(r64.mem);
    mapList(r64.prefmem);
  }
  for (let b = 0; b < busCount; b++) {
    const lists = busses[b]!;
    if (b !== 0 && !lists.bridge) continue;
    for (const region of REGIONS) mapList(lists.r[region]);
  }
  placedWindows.sort((a, b) => a.secondary - b.secondary || REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region));

  const plan: FirmwarePlan = {
    io: { base: ioBase, size: ioSum },
    mem: { base: root.r.mem.base, size: root.r.mem.sum },
    prefmem: { base: root.r.prefmem.base, size: root.r.prefmem.sum },
    mem64,
    bars,
    windows: placedWindows,
    failure,
  };
  return { plan, windows, rootSums };
}
