/**
 * From anything machc resolved back to the YAML that made it: a BDF (VFs
 * included), an ACPI device path, a guest-physical or IO address, a QEMU
 * argument's id, a device id, or a name in the generated machine module.
 * Each answer names the responsible lines and the resolution chain: why the
 * function sits at that address, why its bus has that number.
 *
 * A module of its own so `machc where` and the language server's hover share it.
 */
import { planModule } from '../emit/typescript/plan.js';
import type { DeviceDesc, MachineDescription } from '../model/description.js';
import type { PciFunction, ResolvedMachine } from '../model/topology.js';
import type { Span, SourceFile } from '../source/source-file.js';
import { formatBdf, formatSlotFn, humanSize } from '../util/format.js';
import { ioRanges, linuxIoWindows, memoryRanges, type MappedRange, type RangeOwner } from './address-map.js';

export interface WhereLine {
  /** 1-based line and column of the span in the machine file. */
  readonly line: number;
  readonly column: number;
  /** The line as written. */
  readonly text: string;
  /** What the line decides. */
  readonly why: string;
}

export type WhereKind = 'function' | 'bus' | 'acpi' | 'address' | 'qemu-id' | 'symbol';

export interface WhereAnswer {
  readonly query: string;
  readonly kind: WhereKind;
  /** One sentence: what the thing is. */
  readonly summary: string;
  /** The responsible lines, the most direct first. */
  readonly lines: readonly WhereLine[];
  /** How machc got there, step by step. */
  readonly chain: readonly string[];
  /** The function the answer is about, when there is one. */
  readonly function?: string;
}

export interface WhereInput {
  readonly machine: ResolvedMachine;
  readonly description: MachineDescription;
  readonly source: SourceFile;
}

const hex = (n: number): string => `0x${n.toString(16)}`;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];
const ordinal = (i: number): string => ORDINALS[i] ?? `${i + 1}th`;

/** The query engine over one compiled machine. */
export class WhereEngine {
  private readonly fns: ReadonlyMap<string, PciFunction>;
  private readonly devices: ReadonlyMap<string, DeviceDesc>;

  constructor(private readonly input: WhereInput) {
    this.fns = new Map(input.machine.pci.functions.map((f) => [f.key, f]));
    this.devices = new Map(input.description.devices.map((d) => [d.id, d]));
  }

  /** Answers a query, or undefined with a reason when nothing matches. */
  query(thing: string): WhereAnswer | { readonly error: string } {
    const t = thing.trim();
    const bdf = /^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(t);
    if (bdf) {
      if (bdf[1] !== undefined && parseInt(bdf[1], 16) !== 0) return { error: `${t}: machc machines have one PCI segment, 0000` };
      const key = formatBdf(parseInt(bdf[2]!, 16), parseInt(bdf[3]!, 16), parseInt(bdf[4]!, 10));
      const f = this.input.machine.pci.functions.find((x) => x.bdf === key);
      if (!f) return { error: `no function at ${t}${this.busHint(parseInt(bdf[2]!, 16))}` };
      return { ...this.functionAnswer(f), query: t };
    }
    if (/^\\|^_SB[._]/i.test(t)) return this.acpi(t);
    const addr = /^(io:|port:)?(0x[0-9a-f_]+|[0-9]+)$/i.exec(t);
    if (addr) {
      const n = Number(addr[2]!.replace(/_/g, ''));
      return this.address(t, n, addr[1] ? 'io' : 'mem');
    }
    const f = this.fns.get(t);
    if (f) return { ...this.functionAnswer(f), query: t };
    return this.qemuId(t) ?? this.symbol(t) ?? { error: `${t} is not a BDF, an ACPI path, an address, a device or QEMU id, or a name in machine.ts of this machine` };
  }

  /** The answer about one function: its lines, its address and bus chain. */
  functionAnswer(f: PciFunction): WhereAnswer {
    const lines: WhereLine[] = [];
    const chain: string[] = [];
    if (f.role === 'vf') {
      const pf = this.fns.get(f.physfn!)!;
      const s = pf.sriov!;
      this.push(lines, f.origin?.decl, `sriov vfs: the guest enables ${s.numVfs} VFs of ${pf.key}`);
      this.push(lines, pf.origin?.decl, `${pf.key}, the PF`);
      const rid = (pf.bus << 8) | (pf.device << 3) | pf.fn;
      chain.push(
        `VF ${f.vfIndex} of ${pf.key} (${pf.bdf}): routing ID ${hex(rid)} + First VF Offset ${s.offset} + ${f.vfIndex} × VF Stride ${s.stride} = ${f.bdf}`,
      );
      chain.push(...this.addressChain(pf, lines, false));
      return { query: f.key, kind: 'function', summary: `0000:${f.bdf} is ${f.key}, VF ${f.vfIndex} of ${pf.key} (${f.model})`, lines, chain, function: f.key };
    }
    chain.push(...this.addressChain(f, lines, true));
    return { query: f.key, kind: 'function', summary: `0000:${f.bdf} is ${f.key} (${f.model}${f.origin ? '' : ', built into the chipset'})`, lines, chain, function: f.key };
  }

  /** Why a function has its device.function and bus number; adds the lines it cites. */
  private addressChain(f: PciFunction, lines: WhereLine[], declare: boolean): string[] {
    const chain: string[] = [];
    const d = this.devices.get(f.key);
    if (declare) {
      if (d) this.push(lines, d.spans['$'], `declares ${f.key}`);
      else this.push(lines, this.builtinSpan(f), `the chipset's built-in ${f.key}`);
    }
    const slot = formatSlotFn(f.device, f.fn);
    if (f.addrSource === 'file' && d?.spans['addr']) {
      this.push(lines, d.spans['addr'], `addr ${slot}`);
      chain.push(`device.function ${slot} because addr: ${slot} (line ${d.spans['addr'].line})`);
    } else if (f.addrSource === 'lock') chain.push(`device.function ${slot} from the lockfile, which pins it`);
    else if (f.addrSource === 'fixed') chain.push(`device.function ${slot} is fixed by the q35 chipset`);
    else chain.push(`device.function ${slot} chosen by machc (no addr:): ${f.bus === 0 ? 'the first free slot on pcie.0, root ports packed eight to a slot as libvirt does' : 'device 0 on the port\'s link'}`);
    if (d?.spans['bus']) this.push(lines, d.spans['bus'], `bus: ${d.bus}`);
    chain.push(...this.busChain(f.bus, lines));
    return chain;
  }

  /** Why bus `n` has its number: SeaBIOS numbers buses depth first, bridges in device.function order. */
  busChain(n: number, lines: WhereLine[]): string[] {
    const m = this.input.machine;
    if (n === 0) return ['bus 0 is the root complex, pcie.0'];
    const bus = m.pci.buses.find((b) => b.number === n);
    if (!bus?.bridge) return [`bus ${n} does not exist`];
    const bridge = this.fns.get(bus.bridge)!;
    const d = this.devices.get(bridge.key);
    const siblings = m.pci.functions.filter((f) => f.bus === bridge.bus && f.bridge).sort((a, b) => a.device - b.device || a.fn - b.fn);
    const index = siblings.indexOf(bridge);
    const parentName = bridge.bus === 0 ? 'pcie.0' : (m.pci.buses.find((b) => b.number === bridge.bus)?.name ?? `bus ${bridge.bus}`);
    if (d) this.push(lines, d.spans['$'], `${bridge.key} (${bridge.model}) opens bus ${n}`);
    const line = d ? ` (line ${d.spans['$']!.line})` : '';
    let step = `bus ${n} because ${bridge.key}${line} is the ${ordinal(index)} bridge on ${parentName} (bus ${bridge.bus}) in device.function order`;
    if (index === 0) step += `: the first bus after ${bridge.bus}`;
    else {
      const prev = siblings[index - 1]!;
      const pd = this.devices.get(prev.key);
      step += `: the bus after ${prev.key}'s buses ${prev.bridge!.secondary}-${prev.bridge!.subordinate}`;
      if (prev.bridge!.busReserve > 0) {
        const at = pd?.spans['bus-reserve'];
        step += `, of which bus-reserve ${prev.bridge!.busReserve} on ${prev.key}${at ? ` (line ${at.line})` : ''}`;
        this.push(lines, at, `bus-reserve ${prev.bridge!.busReserve} on ${prev.key}`);
      }
    }
    return [step, ...this.busChain(bridge.bus, lines)];
  }

  private busHint(bus: number): string {
    const b = this.input.machine.pci.buses.find((x) => x.number === bus);
    return b ? ` (bus ${bus} is ${b.name}'s)` : '';
  }

  // ---- ACPI --------------------------------------------------------------------------

  private acpi(path: string): WhereAnswer | { readonly error: string } {
    const segs = path.replace(/^\\/, '').split('.').map((s) => s.toUpperCase().replace(/_+$/, ''));
    const m = this.input.machine;
    const chipsetLine = (): WhereLine[] => this.lineList(this.input.description.spans['chipset'] ?? this.input.description.spans['$'], 'chipset: q35');
    if (segs[0] !== '_SB') return { error: `${path}: machc describes devices under \\_SB` };
    if (segs.length === 1) return { query: path, kind: 'acpi', summary: `${path} is the system bus scope`, lines: chipsetLine(), chain: [] };
    if (segs[1] === 'CPUS' || /^C[0-9A-F]{3}$/.test(segs[1]!)) {
      const cpuSpan = this.input.description.spans['cpus'] ?? this.input.description.spans['$'];
      return { query: path, kind: 'acpi', summary: `${path} is ${segs.length > 2 || segs[1] !== 'CPUS' ? 'a CPU' : 'the CPU hot-plug device'}`, lines: this.lineList(cpuSpan, 'cpus'), chain: [] };
    }
    if (segs[1] !== 'PCI0') return { query: path, kind: 'acpi', summary: `${path} is part of the q35 chipset's ACPI description (not a PCI function)`, lines: chipsetLine(), chain: [] };
    if (segs.length === 2) return { query: path, kind: 'acpi', summary: `${path} is the PCI host bridge (pcie.0)`, lines: chipsetLine(), chain: ['bus 0 is the root complex, pcie.0'] };
    let bus = 0;
    let fn: PciFunction | undefined;
    const chain: string[] = [];
    const isPciName = (seg: string | undefined) => seg !== undefined && /^S[0-9A-F]{2}$/.test(seg);
    for (let i = 2; i < segs.length; i++) {
      const s = /^S([0-9A-F]{2})$/.exec(segs[i]!);
      if (!s) {
        if (fn) return { query: path, kind: 'acpi', summary: `${path} is part of ${fn.key}'s AML (0000:${fn.bdf})`, lines: this.functionAnswer(fn).lines, chain: [`${segs[i]} is declared inside ${fn.key}'s device`], function: fn.key };
        return { query: path, kind: 'acpi', summary: `${path} is part of the q35 chipset's ACPI description (not a PCI function)`, lines: chipsetLine(), chain: [] };
      }
      const devfn = parseInt(s[1]!, 16);
      const here = m.pci.functions.find((f) => f.bus === bus && f.device === devfn >> 3 && f.fn === (devfn & 7));
      chain.push(`${segs[i]} is device.function ${formatSlotFn(devfn >> 3, devfn & 7)} on bus ${bus}`);
      if (!here) {
        if (i !== segs.length - 1) return { error: `${path}: nothing at ${formatBdf(bus, devfn >> 3, devfn & 7)}` };
        const vf = this.disabledVf(bus, devfn);
        if (vf) {
          const lines: WhereLine[] = [];
          this.push(lines, vf.pf.origin?.props['sriov'] ?? vf.pf.origin?.decl, `${vf.pf.key}'s SR-IOV: total-vfs ${vf.pf.sriov!.totalVfs}`);
          const a = this.functionAnswer(vf.pf);
          for (const l of a.lines) this.pushLine(lines, l);
          return {
            query: path,
            kind: 'acpi',
            summary: `${path} is VF ${vf.index} of ${vf.pf.key} (${formatBdf(bus, devfn >> 3, devfn & 7)}), which QEMU ${this.input.machine.qemu.version} describes but the guest does not enable (sriov vfs: ${vf.pf.sriov!.numVfs})`,
            lines,
            chain: [...chain, ...a.chain],
            function: vf.pf.key,
          };
        }
        const b = m.pci.buses.find((x) => x.number === bus);
        const bridge = b?.bridge ? this.fns.get(b.bridge) : undefined;
        if (!bridge || (devfn & 7) !== 0) return { error: `${path}: nothing at ${formatBdf(bus, devfn >> 3, devfn & 7)}` };
        const lines: WhereLine[] = [];
        const bd = this.devices.get(bridge.key);
        this.push(lines, bd?.spans['$'], `${bridge.key} opens bus ${bus}`);
        return { query: path, kind: 'acpi', summary: `${path} is an empty hot-plug slot (${formatBdf(bus, devfn >> 3, 0)}) on ${bridge.key}'s bus`, lines, chain: [...chain, ...this.busChain(bus, lines)], function: bridge.key };
      }
      fn = here;
      if (i < segs.length - 1 && isPciName(segs[i + 1])) {
        if (!here.bridge) return { error: `${path}: ${here.key} at ${here.bdf} is not a bridge` };
        bus = here.bridge.secondary;
      }
    }
    const a = this.functionAnswer(fn!);
    return { ...a, query: path, kind: 'acpi', summary: `${path} is ${fn!.key} at 0000:${fn!.bdf} (${fn!.model})`, chain: [...chain, ...a.chain] };
  }

  /** A VF the PF has (TotalVFs) but the guest does not enable, at bus/devfn. */
  private disabledVf(bus: number, devfn: number): { pf: PciFunction; index: number } | undefined {
    for (const pf of this.input.machine.pci.functions) {
      const s = pf.sriov;
      if (!s || pf.bus !== bus) continue;
      const rid = (pf.bus << 8) | (pf.device << 3) | pf.fn;
      for (let i = 0; i < s.totalVfs; i++) if (rid + s.offset + i * s.stride === ((bus << 8) | devfn)) return { pf, index: i };
    }
    return undefined;
  }

  // ---- addresses ---------------------------------------------------------------------

  /** Every range of the address map holding `addr`, outermost first. */
  holders(addr: number, space: 'mem' | 'io'): MappedRange[] {
    const all = space === 'mem' ? memoryRanges(this.input.machine) : ioRanges(this.input.machine);
    const seen = new Set<string>();
    return all
      .filter((r) => r.base <= addr && addr < r.base + r.size)
      .filter((r) => {
        // One range per owner: Linux's split of the first page is the same e820 entry.
        const k = JSON.stringify(r.owner);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      // Outermost first; of equal ranges the e820 entry, then Linux's parent.
      .sort((a, b) => b.size - a.size || (a.owner.kind === 'e820' ? -1 : a.rank) - (b.owner.kind === 'e820' ? -1 : b.rank));
  }

  private address(query: string, addr: number, space: 'mem' | 'io'): WhereAnswer | { readonly error: string } {
    if (!Number.isSafeInteger(addr) || (space === 'io' && addr > 0xffff)) return { error: `${query}: not an address of the ${space === 'io' ? 'IO port' : 'memory'} space` };
    const holders = this.holders(addr, space);
    if (holders.length === 0) return { error: `nothing is mapped at ${hex(addr)}${space === 'io' ? ' in IO space' : ''}` };
    const chain: string[] = [];
    const perRange: WhereLine[][] = [];
    let fn: string | undefined;
    for (const r of holders) {
      const own: WhereLine[] = [];
      const { text, key } = this.describeRange(r, addr, own);
      chain.push(`${this.rangeText(r)}: ${text}`);
      perRange.push(own);
      if (key) fn = key;
    }
    // The innermost range's lines first.
    const lines: WhereLine[] = [];
    for (const own of perRange.reverse()) for (const l of own) this.pushLine(lines, l);
    const summary = `${hex(addr)}${space === 'io' ? ' (IO)' : ''} is in ${chain[chain.length - 1]!.replace(/^[^:]+: /, '')}`;
    if (fn) {
      const f = this.fns.get(fn)!;
      chain.push(...(f.role === 'vf' ? this.functionAnswer(f).chain : this.addressChain(f, lines, false)));
    }
    return { query, kind: 'address', summary, lines, chain, ...(fn ? { function: fn } : {}) };
  }

  private rangeText(r: MappedRange): string {
    const w = r.space === 'io' ? 4 : 8;
    const a = (v: number) => `0x${v.toString(16).padStart(w, '0')}`;
    return `${a(r.base)}-${a(r.base + r.size - 1)}`;
  }

  /** One sentence for a range holding an address, adding its line; the function key when the range is a function's. */
  private describeRange(r: MappedRange, addr: number, lines: WhereLine[]): { text: string; key?: string } {
    const o: RangeOwner = r.owner;
    const desc = this.input.description;
    switch (o.kind) {
      case 'e820': {
        const e = o.entry;
        const span = e.type === 'ram' || e.what.startsWith('firmware') ? (desc.spans['memory'] ?? desc.spans['$']) : (desc.spans['chipset'] ?? desc.spans['$']);
        this.push(lines, span, e.type === 'ram' ? 'memory: the RAM size' : 'chipset: q35');
        return { text: `e820 entry ${o.index} (${e.type}, ${e.what})` };
      }
      case 'host-window':
        // The 32- and 64-bit windows start where RAM ends; the others are the chipset's.
        if (/PCI window/.test(o.what)) this.push(lines, desc.spans['memory'] ?? desc.spans['$'], o.what.startsWith('64') ? 'memory: where RAM above 4 GiB ends' : 'memory: where RAM below 4 GiB ends');
        else this.push(lines, desc.spans['chipset'] ?? desc.spans['$'], 'chipset: q35');
        return { text: `the host bridge's ${o.what} (PCI Bus 0000:00 in its _CRS)` };
      case 'ecam': {
        this.push(lines, desc.spans['chipset'] ?? desc.spans['$'], 'chipset: q35');
        const off = addr - this.input.machine.memory.ecam.base;
        const bus = off >> 20;
        const dev = (off >> 15) & 0x1f;
        const func = (off >> 12) & 7;
        const f = this.input.machine.pci.functions.find((x) => x.bus === bus && x.device === dev && x.fn === func);
        return { text: `ECAM (MMCONFIG): bus ${bus} device ${hex(dev)} function ${func}, config offset ${hex(off & 0xfff)}${f ? ` of ${f.key}` : ''}`, ...(f ? { key: f.key } : {}) };
      }
      case 'window': {
        const f = this.fns.get(o.bridge)!;
        const linux = linuxIoWindows(this.input.machine).some((w) => w.key === o.bridge) && o.region === 'io';
        const d = this.devices.get(f.key);
        this.push(lines, d?.spans['$'], `${f.key}'s ${o.region} window`);
        return { text: `${f.key}'s ${o.region === 'prefmem' ? 'prefetchable memory' : o.region === 'mem' ? 'memory' : 'IO'} window for bus ${o.secondary} (${linux ? 'opened by Linux, which SeaBIOS left closed' : 'sized and placed by SeaBIOS'})` };
      }
      case 'bar': {
        const f = this.fns.get(o.fn)!;
        const bar = o.bar === 6 ? `the expansion ROM (${humanSize(f.romSize)})` : `BAR${o.bar} (${f.bars.find((b) => b.index === o.bar)?.kind ?? o.region}, ${humanSize(r.size)})`;
        this.push(lines, this.devices.get(f.key)?.spans['$'] ?? this.builtinSpan(f), `${f.key}'s ${o.bar === 6 ? 'ROM' : `BAR${o.bar}`}`);
        return { text: `${bar} of ${f.key} at 0000:${f.bdf}, offset ${hex(addr - r.base)}`, key: f.key };
      }
      case 'vf-bars': {
        const pf = this.fns.get(o.pf)!;
        this.push(lines, pf.origin?.props['sriov'] ?? pf.origin?.decl, `${pf.key}'s SR-IOV`);
        const vf = Math.floor((addr - r.base) / o.vfSize);
        return { text: `${pf.key}'s VF BAR${o.bar} region (${o.total} VFs × ${humanSize(o.vfSize)}, placed by the OS when it enables VFs): VF ${vf}'s slice${vf < (pf.sriov?.vfs.length ?? 0) ? '' : ' (a VF the guest does not enable)'}`, key: pf.key };
      }
      case 'vf-bar': {
        const f = this.fns.get(o.fn)!;
        this.push(lines, f.origin?.decl, `the enabled VFs of ${o.pf}`);
        return { text: `VF BAR${o.bar} of ${f.key} at 0000:${f.bdf}, offset ${hex(addr - r.base)}`, key: f.key };
      }
      case 'platform': {
        this.push(lines, desc.spans['chipset'] ?? desc.spans['$'], 'chipset: q35');
        return { text: `${o.what} (fixed by the q35 chipset)` };
      }
    }
  }

  // ---- QEMU ids and generated names -------------------------------------------------------

  private qemuId(id: string): WhereAnswer | undefined {
    // QEMU ids machc writes besides the device ids: net-ID, drive-ID, chr-PORT, drive-ID-nN (namespaces), and the ports of virtio-serial.
    const m = /^(?:net|drive|chr)-(.+?)(?:-n\d+)?$/.exec(id);
    const base = m?.[1] ?? id;
    const f = this.fns.get(base);
    if (f) return { ...this.functionAnswer(f), query: id, kind: 'qemu-id', summary: `QEMU id ${id} belongs to ${f.key} (0000:${f.bdf})` };
    for (const d of this.input.description.devices) {
      const port = d.ports.find((p) => p.id === base);
      if (port) {
        const lines: WhereLine[] = [];
        this.push(lines, port.spans['$'], `port ${port.id} of ${d.id}`);
        this.push(lines, d.spans['$'], `declares ${d.id}`);
        return { query: id, kind: 'qemu-id', summary: `QEMU id ${id} is ${port.kind} port ${port.id} of ${d.id}`, lines, chain: [] };
      }
      const ns = d.namespaces.find((n) => n.id === base);
      if (ns) {
        const lines: WhereLine[] = [];
        this.push(lines, ns.spans['$'], `namespace ${ns.nsid} of ${d.id}`);
        return { query: id, kind: 'qemu-id', summary: `QEMU id ${id} is namespace ${ns.nsid} of ${d.id}`, lines, chain: [] };
      }
      if (d.id === base) {
        // Not a PCI function: a SATA drive, or a device attached to a controller (SCSI, USB, HD Audio).
        const lines: WhereLine[] = [];
        this.push(lines, d.spans['$'], `declares ${d.id}`);
        if (d.spans['bus']) this.push(lines, d.spans['bus'], `bus: ${d.bus}`);
        const where = d.bus === 'ahci' ? `on AHCI port ${d.sataPort ?? '?'}` : `attached to ${d.bus}`;
        const controller = this.fns.get(d.bus);
        return { query: id, kind: 'qemu-id', summary: `${id} is ${d.model} ${d.id} ${where}`, lines, chain: controller ? this.functionAnswer(controller).chain : [] };
      }
    }
    return undefined;
  }

  /** Names in the generated module: a device's variable (`const nic0 = m.attach(...)`), also as `devices.NAME` or `overrides.NAME`. */
  private symbol(name: string): WhereAnswer | undefined {
    const bare = name.replace(/^(devices|overrides)\./, '');
    const step = planModule(this.input.machine).devices.find((d) => d.name === bare);
    const f = step ? this.fns.get(step.id) : undefined;
    if (!f) return undefined;
    return { ...this.functionAnswer(f), query: name, kind: 'symbol', summary: `${name} in machine.ts is ${f.key} (0000:${f.bdf})` };
  }

  // ---- lines ---------------------------------------------------------------------------

  private builtinSpan(f: PciFunction): Span | undefined {
    const b = this.input.description.builtins.spans;
    const key = f.key === 'vga' ? 'display' : f.key === 'ahci' ? 'sata' : f.key === 'smbus' ? 'smbus' : undefined;
    return (key ? b[key] : undefined) ?? this.input.description.spans['chipset'] ?? this.input.description.spans['$'];
  }

  private lineList(span: Span | undefined, why: string): WhereLine[] {
    const out: WhereLine[] = [];
    this.push(out, span, why);
    return out;
  }

  private push(lines: WhereLine[], span: Span | undefined, why: string): void {
    if (!span || span.file !== this.input.source.path) return;
    this.pushLine(lines, { line: span.line, column: span.column, text: this.input.source.lineText(span.line), why });
  }

  /** Adds a line; a line already cited gets the new reason beside its own. */
  private pushLine(lines: WhereLine[], add: WhereLine): void {
    const i = lines.findIndex((l) => l.line === add.line);
    if (i < 0) lines.push(add);
    else if (!lines[i]!.why.split('; ').includes(add.why)) lines[i] = { ...lines[i]!, why: `${lines[i]!.why}; ${add.why}` };
  }
}

/** Prints an answer for the terminal. */
export function renderWhere(a: WhereAnswer, file: string): string {
  const out = [a.summary];
  for (const l of a.lines) out.push(`  ${file}:${l.line}: ${l.text.trim()}    # ${l.why}`);
  for (const c of a.chain) out.push(`  - ${c}`);
  return `${out.join('\n')}\n`;
}
