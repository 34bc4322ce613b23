/**
 * The guest's address map as one list of ranges, each with what owns it:
 * the e820 map firmware hands the OS, the host bridge's windows (its _CRS),
 * ECAM, every bridge window and BAR where SeaBIOS placed it, the SR-IOV VF
 * BARs where the OS places them, and the chipset's fixed ranges.
 *
 * Two readers: `machc where` (which ranges hold an address) and
 * `machc show --iomem/--ioports`, which prints the ranges Linux lists in
 * /proc/iomem and /proc/ioports, under the names Linux gives them (each item's
 * `linux`), nested as Linux nests its resource tree.
 */
import { expanderRoots, freeRanges } from '../emit/acpi/dsdt-expanders.js';
import { hostBridgeMem32, hostBridgeMem64 } from '../emit/acpi/dsdt-host.js';
import type { E820Entry, PciFunction, RegionKind, ResolvedMachine } from '../model/topology.js';

export type AddressSpace = 'mem' | 'io';

/** What a range is. Function and bridge keys are PciFunction keys. */
export type RangeOwner =
  | { readonly kind: 'e820'; readonly entry: E820Entry; readonly index: number }
  | { readonly kind: 'host-window'; readonly what: string }
  | { readonly kind: 'ecam' }
  | { readonly kind: 'window'; readonly bridge: string; readonly secondary: number; readonly region: RegionKind }
  | { readonly kind: 'bar'; readonly fn: string; readonly bar: number; readonly region: RegionKind }
  | { readonly kind: 'vf-bars'; readonly pf: string; readonly bar: number; readonly vfSize: number; readonly total: number }
  | { readonly kind: 'vf-bar'; readonly fn: string; readonly pf: string; readonly bar: number }
  | { readonly kind: 'platform'; readonly what: string; readonly fn?: string };

export interface MappedRange {
  readonly space: AddressSpace;
  readonly base: number;
  readonly size: number;
  /** The name Linux lists the range under in /proc/iomem or /proc/ioports; undefined when Linux does not list it. */
  readonly linux: string | undefined;
  readonly owner: RangeOwner;
  /** Among ranges with the same bounds, the lower rank is the parent (Linux's insertion order). */
  readonly rank: number;
}

const E820_NAMES: Record<E820Entry['type'], string> = {
  ram: 'System RAM',
  reserved: 'Reserved',
  acpi: 'ACPI Tables',
  nvs: 'ACPI Non-volatile Storage',
  unusable: 'Unusable memory',
};

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const pciName = (bdf: string): string => `0000:${bdf}`;
const busName = (bus: number): string => `PCI Bus 0000:${hex2(bus)}`;

/** Where SeaBIOS leaves the ICH9 SMBus's IO BAR: PMBASE + 0x100, written after the BARs were mapped (src/fw/pciinit.c ich9_smbus_setup). */
export function smbusIoBase(m: ResolvedMachine): number {
  return m.platform.pm.base + 0x100;
}

/** The function whose expansion ROM Linux reads from the shadow at 0xc0000 (the boot VGA) and so does not list. */
function bootVga(m: ResolvedMachine): PciFunction | undefined {
  return m.pci.functions.find((f) => f.bus === 0 && (f.classCode >> 8) === 0x0300);
}

/** Every memory range of the machine. */
export function memoryRanges(m: ResolvedMachine): MappedRange[] {
  const out: MappedRange[] = [];
  const add = (base: number, size: number, linux: string | undefined, owner: RangeOwner, rank: number) => {
    if (size > 0) out.push({ space: 'mem', base, size, linux, owner, rank });
  };
  m.memory.e820.forEach((entry, index) => {
    const owner: RangeOwner = { kind: 'e820', entry, index };
    const name = E820_NAMES[entry.type];
    // Linux keeps the first page from the allocator (e820: update [mem 0x00000000-0x00000fff] usable ==> reserved).
    if (entry.base === 0 && entry.type === 'ram') {
      add(0, 0x1000, 'Reserved', owner, 2);
      add(0x1000, entry.size - 0x1000, name, owner, 2);
    } else add(entry.base, entry.size, name, owner, 2);
  });
  add(0xf0000, 0x10000, 'System ROM', { kind: 'platform', what: 'the BIOS image mapped below 1 MiB' }, 3);
  add(0xa0000, 0x20000, busName(0), { kind: 'host-window', what: 'the legacy VGA window' }, 1);
  for (const [b, e] of hostBridgeMem32(m)) add(b, e - b, busName(0), { kind: 'host-window', what: '32-bit PCI window' }, 1);
  const m64 = hostBridgeMem64(m);
  const roots = expanderRoots(m);
  if (m64) {
    const used = roots.flatMap((r) => r.ranges.mem64);
    for (const r of freeRanges(used, m64[0], m64[1] - 1)) add(r.base, r.limit - r.base + 1, busName(0), { kind: 'host-window', what: '64-bit PCI window' }, 1);
  }
  // Each expander bridge's root bus decodes what its _CRS says.
  for (const r of roots) {
    for (const x of [...r.ranges.mem, ...r.ranges.mem64]) add(x.base, x.limit - x.base + 1, busName(r.bus.number), { kind: 'host-window', what: `the memory window of ${r.bridge.key}'s root bus` }, 1);
  }
  const { ecam } = m.memory;
  add(ecam.base, ecam.size, `PCI MMCONFIG 0000 [bus 00-${hex2(ecam.buses - 1)}]`, { kind: 'ecam' }, 0);
  add(m.platform.ioapic.address, 0x400, 'IOAPIC 0', { kind: 'platform', what: 'the IOAPIC' }, 1);
  add(m.platform.hpet.address, 0x400, 'HPET 0', { kind: 'platform', what: 'the HPET' }, 1);
  add(m.platform.hpet.address, 0x400, 'PNP0103:00', { kind: 'platform', what: 'the HPET' }, 2);
  add(m.platform.lapicAddress, 0x1000, 'Local APIC', { kind: 'platform', what: 'the local APICs' }, 1);
  pciRanges(m, 'mem', out);
  return out;
}

/** Linux's legacy port resources (arch/x86/kernel/setup.c standard_io_resources). */
const LEGACY_PORTS: readonly [number, number, string][] = [
  [0x00, 0x20, 'dma1'],
  [0x20, 0x02, 'pic1'],
  [0x40, 0x04, 'timer0'],
  [0x50, 0x04, 'timer1'],
  [0x60, 0x01, 'keyboard'],
  [0x64, 0x01, 'keyboard'],
  [0x80, 0x10, 'dma page reg'],
  [0xa0, 0x02, 'pic2'],
  [0xc0, 0x20, 'dma2'],
  [0xf0, 0x10, 'fpu'],
];

/** Every IO port range of the machine. */
export function ioRanges(m: ResolvedMachine): MappedRange[] {
  const out: MappedRange[] = [];
  const add = (base: number, size: number, linux: string | undefined, owner: RangeOwner, rank: number) => {
    if (size > 0) out.push({ space: 'io', base, size, linux, owner, rank });
  };
  add(0x0000, 0x0cf8, busName(0), { kind: 'host-window', what: 'IO ports below the configuration ports' }, 1);
  add(0x0cf8, 0x8, 'PCI conf1', { kind: 'platform', what: 'the PCI configuration ports (CF8/CFC)' }, 1);
  const roots = expanderRoots(m);
  for (const r of freeRanges(roots.flatMap((x) => x.ranges.io), 0x0d00, 0xffff)) add(r.base, r.limit - r.base + 1, busName(0), { kind: 'host-window', what: 'IO ports above the configuration ports' }, 1);
  for (const r of roots) for (const x of r.ranges.io) add(x.base, x.limit - x.base + 1, busName(r.bus.number), { kind: 'host-window', what: `the IO window of ${r.bridge.key}'s root bus` }, 1);
  for (const [base, size, name] of LEGACY_PORTS) add(base, size, name, { kind: 'platform', what: `the legacy ${name} ports` }, 5);
  const p = m.platform;
  for (const d of p.isa) {
    if (d.kind === 'serial') add(d.iobase, 8, undefined, { kind: 'platform', what: `serial port COM${d.index + 1}` }, 5);
    if (d.kind === 'parallel') add(d.iobase, 8, undefined, { kind: 'platform', what: `parallel port LPT${d.index + 1}` }, 5);
    if (d.kind === 'rtc') add(d.iobase, 2, undefined, { kind: 'platform', what: 'the RTC and CMOS' }, 5);
  }
  add(p.fwCfgPort, 12, undefined, { kind: 'platform', what: 'the fw_cfg interface (and its DMA address)' }, 5);
  add(p.debugconPort, 1, undefined, { kind: 'platform', what: 'the debug console' }, 5);
  add(p.pciHotplugPorts.base, p.pciHotplugPorts.size, undefined, { kind: 'platform', what: 'the ACPI PCI hot-plug registers' }, 5);
  add(p.cpuHotplugPorts.base, p.cpuHotplugPorts.size, undefined, { kind: 'platform', what: 'the ACPI CPU hot-plug registers' }, 5);
  // The LPC's PMBASE block (Linux's ICH quirk claims its 128 bytes for 00:1f.0) and the FADT's blocks in it.
  const lpc = m.pci.functions.find((f) => f.key === 'lpc');
  const lpcOwner = (what: string): RangeOwner => ({ kind: 'platform', what, ...(lpc ? { fn: lpc.key } : {}) });
  add(p.pm.base, 0x80, lpc ? pciName(lpc.bdf) : undefined, lpcOwner('the ICH9 ACPI power management block (PMBASE)'), 5);
  add(p.pm.base, 4, 'ACPI PM1a_EVT_BLK', lpcOwner('the PM1a event block'), 6);
  add(p.pm.base + 4, 2, 'ACPI PM1a_CNT_BLK', lpcOwner('the PM1a control block'), 6);
  add(p.pm.timer, 4, 'ACPI PM_TMR', lpcOwner('the ACPI PM timer'), 6);
  add(p.pm.gpe0.base, p.pm.gpe0.size, 'ACPI GPE0_BLK', lpcOwner('the GPE0 block'), 6);
  pciRanges(m, 'io', out);
  return out;
}

/** Bridge windows, BARs (where SeaBIOS left them) and SR-IOV VF BARs (where the OS places them) of one space. */
function pciRanges(m: ResolvedMachine, space: AddressSpace, out: MappedRange[]): void {
  const inSpace = (r: RegionKind) => (space === 'io' ? r === 'io' : r !== 'io');
  const byKey = new Map(m.pci.functions.map((f) => [f.key, f]));
  const depth = (bus: number): number => {
    let d = 0;
    for (let b = m.pci.buses.find((x) => x.number === bus); b?.bridge; d++) b = m.pci.buses.find((x) => x.number === byKey.get(b!.bridge!)!.bus);
    return d;
  };
  for (const w of m.firmware.windows) {
    if (w.size === 0 || !inSpace(w.region)) continue;
    out.push({ space, base: w.base, size: w.size, linux: busName(w.secondary), owner: { kind: 'window', bridge: w.key, secondary: w.secondary, region: w.region }, rank: 10 + depth(w.secondary) });
  }
  if (space === 'io') for (const w of linuxIoWindows(m)) out.push({ space, base: w.base, size: w.size, linux: busName(w.secondary), owner: { kind: 'window', bridge: w.key, secondary: w.secondary, region: 'io' }, rank: 10 + depth(w.secondary) });
  const vga = bootVga(m);
  for (const b of m.firmware.bars) {
    if (!inSpace(b.region)) continue;
    const f = byKey.get(b.key)!;
    let base = b.address;
    if (f.key === 'smbus' && b.region === 'io') base = smbusIoBase(m);
    const listed = !(b.bar === 6 && f === vga);
    // SeaBIOS aligns small BARs to a page; the BAR itself decodes only its own size.
    const size = b.bar === 6 ? f.romSize : (f.bars.find((x) => x.index === b.bar)?.size ?? b.size);
    out.push({ space, base, size, linux: listed ? pciName(b.bdf) : undefined, owner: { kind: 'bar', fn: b.key, bar: b.bar, region: b.region }, rank: 100 });
  }
  if (space === 'mem') for (const r of vfBarRanges(m)) out.push(r);
}

/**
 * IO windows Linux opens itself (drivers/pci/setup-bus.c) for bridges
 * SeaBIOS left without one. Sized bottom up: what the bridges behind need,
 * plus pci_hotplug_io_size (256 bytes) on a port with a hot-plug slot,
 * rounded up to the 4 KiB a window is made of; a bridge needing nothing gets
 * none. Each is placed first fit in the IO space free on its parent bus, in
 * bus order, its children inside it in the same order; one that does not
 * fit (a switch whose window firmware already filled, or a root bus run out)
 * stays without a window, and so does everything behind it.
 */
export function linuxIoWindows(m: ResolvedMachine): { key: string; secondary: number; base: number; size: number }[] {
  const out: { key: string; secondary: number; base: number; size: number }[] = [];
  const open = m.firmware.windows.filter((w) => w.region === 'io' && w.size > 0);
  const byKey = new Map(m.pci.functions.map((f) => [f.key, f]));
  const closed = (f: PciFunction) => f.bridge !== undefined && !open.some((w) => w.key === f.key);
  const bridgesOn = (bus: number) => m.pci.functions.filter((f) => f.bus === bus && closed(f)).sort((a, b) => a.bridge!.secondary - b.bridge!.secondary);
  const need = new Map<string, number>();
  const sizeOf = (f: PciFunction): number => {
    const hotplug = f.bridge!.hotplug && (f.role === 'root-port' || f.role === 'downstream-port') ? 0x100 : 0;
    const sum = bridgesOn(f.bridge!.secondary).reduce((a, c) => a + sizeOf(c), 0) + hotplug;
    const size = Math.ceil(sum / 0x1000) * 0x1000;
    need.set(f.key, size);
    return size;
  };
  /** Places the closed bridges of `bus` in [base, limit], past `taken`. */
  const place = (bus: number, base: number, limit: number, taken: [number, number][]) => {
    for (const f of bridgesOn(bus)) {
      const size = need.get(f.key) ?? sizeOf(f);
      if (size === 0) continue;
      const at = firstFit(base, limit, size, 0x1000, taken);
      if (at === undefined) continue;
      taken.push([at, size]);
      out.push({ key: f.key, secondary: f.bridge!.secondary, base: at, size });
      place(f.bridge!.secondary, at, at + size - 1, []);
    }
  };
  // Where firmware's windows and the root leave room: each bus with an IO range of its own.
  const expanderIo = expanderRoots(m).flatMap((r) => r.ranges.io.map((x) => ({ bus: r.bus.number, base: x.base, limit: x.limit })));
  const roots: { bus: number; base: number; limit: number }[] = [
    { bus: 0, base: 0x1000, limit: 0xffff },
    // An expander's root bus hands out only the IO its host bridge decodes (its _CRS); pcie.0 none of that.
    ...expanderIo.map((x) => ({ bus: x.bus, base: x.base, limit: x.limit })),
    ...open.map((w) => ({ bus: w.secondary, base: w.base, limit: w.base + w.size - 1 })),
  ];
  for (const r of roots.sort((a, b) => a.bus - b.bus)) {
    // What already sits on the bus: its bridges' windows and its functions' IO BARs.
    const taken: [number, number][] = [
      ...open.filter((w) => byKey.get(w.key)?.bus === r.bus).map((w): [number, number] => [w.base, w.size]),
      ...m.firmware.bars.filter((b) => b.region === 'io' && byKey.get(b.key)?.bus === r.bus).map((b): [number, number] => [b.address, b.size]),
      ...(r.bus === 0 ? expanderIo.map((x): [number, number] => [x.base, x.limit - x.base + 1]) : []),
    ];
    place(r.bus, r.base, r.limit, taken);
  }
  return out;
}

/** A first fit of `need` bytes aligned to `align` in [base, limit] past the taken ranges. */
function firstFit(base: number, limit: number, need: number, align: number, taken: readonly (readonly [number, number])[]): number | undefined {
  let at = Math.ceil(base / align) * align;
  for (;;) {
    if (at + need - 1 > limit) return undefined;
    const clash = taken.find(([b, s]) => at < b + s && b < at + need);
    if (!clash) return at;
    at = Math.ceil((clash[0] + clash[1]) / align) * align;
  }
}

/**
 * The VF BARs of every PF whose VFs the guest enables, placed as Linux's
 * sriov_enable does: TotalVFs copies of each VF BAR, aligned to its size, in
 * the window of the bridge above the PF (prefetchable first for a
 * prefetchable BAR), past what the bus already holds. runtime/guest does the
 * same through config space for `machc lspci`.
 */
export function vfBarRanges(m: ResolvedMachine): MappedRange[] {
  const out: MappedRange[] = [];
  const taken: [number, number][] = [];
  const byKey = new Map(m.pci.functions.map((f) => [f.key, f]));
  for (const pf of m.pci.functions) {
    const s = pf.sriov;
    if (!s || s.numVfs === 0 || pf.bus === 0) continue;
    const bus = m.pci.buses.find((b) => b.number === pf.bus)!;
    const onBus = new Set(m.pci.functions.filter((f) => f.bus === pf.bus).map((f) => f.key));
    for (const b of m.firmware.bars) if (onBus.has(b.key) && b.region !== 'io') taken.push([b.address, b.size]);
    const windows = m.firmware.windows.filter((w) => w.key === bus.bridge && w.size > 0 && w.region !== 'io');
    for (const bar of s.vfBars) {
      if (bar.kind === 'io') continue;
      const need = bar.size * s.totalVfs;
      const order = bar.prefetchable ? [...windows].sort((a, b) => (a.region === b.region ? 0 : a.region === 'prefmem' ? -1 : 1)) : windows.filter((w) => w.region === 'mem');
      let base: number | undefined;
      for (const w of order) {
        if (bar.kind !== 'mem64' && w.base + w.size > 2 ** 32) continue;
        base = firstFit(w.base, w.base + w.size - 1, need, bar.size, taken);
        if (base !== undefined) break;
      }
      if (base === undefined) continue;
      taken.push([base, need]);
      out.push({ space: 'mem', base, size: need, linux: pciName(pf.bdf), owner: { kind: 'vf-bars', pf: pf.key, bar: bar.index, vfSize: bar.size, total: s.totalVfs }, rank: 100 });
      s.vfs.forEach((key, k) => {
        const vf = byKey.get(key)!;
        out.push({ space: 'mem', base: base! + k * bar.size, size: bar.size, linux: pciName(vf.bdf), owner: { kind: 'vf-bar', fn: key, pf: pf.key, bar: bar.index }, rank: 110 });
      });
    }
  }
  return out;
}

/** A range with the ranges inside it, as Linux's resource tree nests them. */
export interface RangeNode {
  readonly range: MappedRange;
  readonly children: RangeNode[];
}

/** Nests ranges: each under the smallest earlier-ranked range that holds it. */
export function nestRanges(ranges: readonly MappedRange[]): RangeNode[] {
  const sorted = [...ranges].sort((a, b) => a.base - b.base || b.base + b.size - (a.base + a.size) || a.rank - b.rank);
  const roots: RangeNode[] = [];
  const stack: RangeNode[] = [];
  for (const r of sorted) {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!.range;
      if (top.base <= r.base && r.base + r.size <= top.base + top.size) break;
      stack.pop();
    }
    const node: RangeNode = { range: r, children: [] };
    (stack.length > 0 ? stack[stack.length - 1]!.children : roots).push(node);
    stack.push(node);
  }
  return roots;
}

/** Linux indents at most this many levels (kernel/resource.c MAX_IORES_LEVEL): deeper ranges print at that depth. */
const MAX_IORES_LEVEL = 5;

/** /proc/iomem or /proc/ioports as Linux prints them (kernel/resource.c r_show), for the ranges Linux lists. */
export function renderProcMap(m: ResolvedMachine, space: AddressSpace): string {
  const listed = (space === 'mem' ? memoryRanges(m) : ioRanges(m)).filter((r) => r.linux !== undefined);
  const width = space === 'mem' ? 8 : 4;
  const lines: string[] = [];
  const walk = (nodes: readonly RangeNode[], depth: number) => {
    for (const n of nodes) {
      const { base, size, linux } = n.range;
      const a = (v: number) => v.toString(16).padStart(width, '0');
      lines.push(`${'  '.repeat(Math.min(depth, MAX_IORES_LEVEL))}${a(base)}-${a(base + size - 1)} : ${linux}`);
      walk(n.children, depth + 1);
    }
  };
  walk(nestRanges(listed), 0);
  return `${lines.join('\n')}\n`;
}
