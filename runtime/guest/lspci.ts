/**
 * What a guest's `lspci` shows, read through ECAM only: the functions an OS
 * finds (scanning from bus 0 through the bridges as Linux does, plus the
 * VFs of enabled SR-IOV PFs), printed in lspci's formats: the one-line
 * listing, `-n` (numeric), `-t` (tree, pciutils' ls-tree algorithm) and
 * `-v` (subsystem, flags, BARs with sizes, bridge windows, capabilities,
 * SR-IOV details).
 */
import { capabilities, ecamAccess, extCapabilities, type ConfigAccess, type GuestBus } from './config-access.js';
import { bdfString } from './firmware.js';
import { className, deviceName, progIfName, subsystemName } from './names.js';

export interface LspciOptions {
  /** The expander root buses (pxb-pcie) besides bus 0, which an OS learns from ACPI (each `\_SB.PCxx`'s _BBN). */
  readonly roots?: readonly number[];
  readonly tree?: boolean;
  readonly verbose?: boolean;
  readonly numeric?: boolean;
}

export interface FoundFunction {
  readonly bus: number;
  readonly devfn: number;
  readonly bdf: string;
  readonly vendorId: number;
  readonly deviceId: number;
  /** For VFs: the PF (Linux reports the PF's vendor and the VF Device ID). */
  readonly pf: FoundFunction | undefined;
}

/** The functions an OS enumerates: bus 0, the extra root buses, every bus behind a bridge, then VFs; sorted by address. */
export function findFunctions(guest: GuestBus, ecamBase: number, roots: readonly number[] = []): FoundFunction[] {
  const cfg = ecamAccess(guest, ecamBase);
  const out: FoundFunction[] = [];
  const seenBus = new Set<number>();
  const scan = (bus: number) => {
    if (seenBus.has(bus)) return;
    seenBus.add(bus);
    for (let dev = 0; dev < 32; dev++) {
      const fn0 = cfg.read(bus, dev * 8, 0, 2);
      if (fn0 === 0xffff) continue;
      const multi = (cfg.read(bus, dev * 8, 0x0e, 1) & 0x80) !== 0;
      for (let fn = 0; fn < (multi ? 8 : 1); fn++) {
        const devfn = dev * 8 + fn;
        const vendor = cfg.read(bus, devfn, 0, 2);
        if (vendor === 0xffff) continue;
        const f: FoundFunction = { bus, devfn, bdf: bdfString(bus, devfn), vendorId: vendor, deviceId: cfg.read(bus, devfn, 2, 2), pf: undefined };
        out.push(f);
        if ((cfg.read(bus, devfn, 0x0e, 1) & 0x7f) === 1) {
          const sec = cfg.read(bus, devfn, 0x19, 1);
          const sub = cfg.read(bus, devfn, 0x1a, 1);
          if (sec > bus && sub >= sec) scan(sec);
        }
      }
    }
  };
  scan(0);
  for (const bus of roots) scan(bus);
  for (const pf of [...out]) {
    const sriov = extCapabilities(cfg, pf.bus, pf.devfn).find(([, id]) => id === 0x10)?.[0];
    if (!sriov || !(cfg.read(pf.bus, pf.devfn, sriov + 0x08, 2) & 1)) continue;
    const num = cfg.read(pf.bus, pf.devfn, sriov + 0x10, 2);
    const offset = cfg.read(pf.bus, pf.devfn, sriov + 0x14, 2);
    const stride = cfg.read(pf.bus, pf.devfn, sriov + 0x16, 2);
    const did = cfg.read(pf.bus, pf.devfn, sriov + 0x1a, 2);
    const rid = (pf.bus << 8) | pf.devfn;
    for (let k = 0; k < num; k++) {
      const v = rid + offset + k * stride;
      if (v > 0xffff) break;
      out.push({ bus: v >> 8, devfn: v & 0xff, bdf: bdfString(v >> 8, v & 0xff), vendorId: pf.vendorId, deviceId: did, pf });
    }
  }
  return out.sort((a, b) => a.bus - b.bus || a.devfn - b.devfn);
}

export function lspci(guest: GuestBus, ecamBase: number, opts: LspciOptions = {}): string {
  const cfg = ecamAccess(guest, ecamBase);
  const fns = findFunctions(guest, ecamBase, opts.roots);
  if (opts.tree) return tree(cfg, fns, opts);
  const lines: string[] = [];
  for (const f of fns) {
    lines.push(headline(cfg, f, opts));
    if (opts.verbose) {
      lines.push(...verbose(cfg, f, opts), '');
    }
  }
  return `${lines.join('\n')}${lines.length && !opts.verbose ? '\n' : ''}`;
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

function headline(cfg: ConfigAccess, f: FoundFunction, opts: LspciOptions): string {
  const classCode = cfg.read(f.bus, f.devfn, 0x08, 4) >>> 8;
  const rev = cfg.read(f.bus, f.devfn, 0x08, 1);
  const revText = rev ? ` (rev ${hex(rev, 2)})` : '';
  let progIf = '';
  if (opts.verbose) {
    const pi = classCode & 0xff;
    const name = progIfName(classCode);
    if (pi || name) progIf = ` (prog-if ${hex(pi, 2)}${name ? ` [${name}]` : ''})`;
  }
  if (opts.numeric) return `${f.bdf} ${hex(classCode >>> 8, 4)}: ${hex(f.vendorId, 4)}:${hex(f.deviceId, 4)}${revText}${progIf}`;
  return `${f.bdf} ${className(classCode)}: ${deviceName(f.vendorId, f.deviceId)}${revText}${progIf}`;
}

function size(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let u = 0;
  while (n >= 1024 && n % 1024 === 0 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return ` [size=${n}${units[u]}]`;
}

/** Sizes a BAR (or the ROM) by writing all ones and restoring it, as an OS does once. */
function barSize(cfg: ConfigAccess, f: FoundFunction, ofs: number, mask: number, is64: boolean): number {
  const old = cfg.read(f.bus, f.devfn, ofs, 4);
  cfg.write(f.bus, f.devfn, ofs, 4, 0xffff_ffff);
  const lo = cfg.read(f.bus, f.devfn, ofs, 4);
  cfg.write(f.bus, f.devfn, ofs, 4, old);
  let hi = 0xffff_ffff;
  if (is64) {
    const oldHi = cfg.read(f.bus, f.devfn, ofs + 4, 4);
    cfg.write(f.bus, f.devfn, ofs + 4, 4, 0xffff_ffff);
    hi = cfg.read(f.bus, f.devfn, ofs + 4, 4);
    cfg.write(f.bus, f.devfn, ofs + 4, 4, oldHi);
  }
  const masked = (lo & mask) >>> 0;
  if (!masked && !(is64 && hi !== 0xffff_ffff && hi)) return 0;
  return (0xffff_ffff - hi) * 2 ** 32 + (0xffff_ffff - masked) + 1;
}

function verbose(cfg: ConfigAccess, f: FoundFunction, opts: LspciOptions): string[] {
  const out: string[] = [];
  const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, off, w);
  const header = r(0x0e, 1) & 0x7f;
  const caps = capabilities(cfg, f.bus, f.devfn);
  const sub = (vendor: number, device: number) => (opts.numeric ? `${hex(vendor, 4)}:${hex(device, 4)}` : subsystemName(vendor, device));
  if (header === 0) {
    const sv = r(0x2c, 2);
    const sd = r(0x2e, 2);
    if (sv && sv !== 0xffff) out.push(`\tSubsystem: ${sub(sv, sd)}`);
  } else {
    const ssvid = caps.find(([, id]) => id === 0x0d)?.[0];
    if (ssvid) out.push(`\tSubsystem: ${sub(r(ssvid + 4, 2), r(ssvid + 6, 2))}`);
  }
  const cmd = r(0x04, 2);
  const status = r(0x06, 2);
  const flags: string[] = [];
  if (cmd & 0x4) flags.push('bus master');
  if (status & 0x20) flags.push('66MHz');
  const devsel = (status >> 9) & 3;
  flags.push(`${devsel === 2 ? 'slow' : devsel === 1 ? 'medium' : devsel === 0 ? 'fast' : '??'} devsel`);
  if (cmd & 0x4) flags.push(`latency ${r(0x0d, 1)}`);
  const pin = r(0x3d, 1);
  const line = r(0x3c, 1);
  if (pin && line && line !== 0xff) flags.push(`IRQ ${line}`);
  out.push(`\tFlags: ${flags.join(', ')}`);
  // BARs (none on VFs: theirs are in the PF's SR-IOV capability).
  for (const b of barsOf(cfg, f)) {
    if (b.io) out.push(`\tI/O ports at ${b.address || b.enabled ? hex(b.address, 4) : '<unassigned>'}${b.enabled ? '' : ' [disabled]'}${b.size ? size(b.size) : ''}`);
    else out.push(`\tMemory at ${b.address ? hex(b.address, 8) : '<unassigned>'} (${b.kind}, ${b.prefetchable ? '' : 'non-'}prefetchable)${b.enabled ? '' : ' [disabled]'}${b.size ? size(b.size) : ''}`);
  }
  if (header === 1) out.push(...bridgeLines(cfg, f));
  const romOfs = header === 1 ? 0x38 : header === 0 ? 0x30 : 0;
  if (romOfs) {
    const rom = r(romOfs, 4);
    const len = barSize(cfg, f, romOfs, 0xffff_f800, false);
    if (rom || len) {
      const a = (rom & 0xffff_f800) >>> 0;
      out.push(`\tExpansion ROM at ${a ? hex(a, 8) : '<unassigned>'}${rom & 1 ? '' : ' [disabled]'}${len ? size(len) : ''}`);
    }
  }
  for (const [pos, id] of caps) out.push(`\tCapabilities: [${hex(pos, 2)}] ${capName(cfg, f, pos, id, opts)}`);
  for (const [pos, id, ver] of extCapabilities(cfg, f.bus, f.devfn)) {
    out.push(`\tCapabilities: [${hex(pos, 3)} v${ver}] ${extCapName(cfg, f, pos, id)}`);
    if (id === 0x10) out.push(...sriovLines(cfg, f, pos));
  }
  return out;
}

/** A BAR as an OS reads it: where it is, how large, what kind, whether its decoding is on. */
export interface BarInfo {
  readonly index: number;
  readonly io: boolean;
  /** 32-bit, 64-bit, low-1M (memory BARs). */
  readonly kind: string;
  readonly prefetchable: boolean;
  readonly address: number;
  readonly size: number;
  /** IO or memory decoding enabled in the Command register. */
  readonly enabled: boolean;
}

/** The BARs of a type-0 or type-1 function (sized as an OS sizes them), in register order; unimplemented ones left out. */
function barsOf(cfg: ConfigAccess, f: FoundFunction): BarInfo[] {
  const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, off, w);
  const header = r(0x0e, 1) & 0x7f;
  const cmd = r(0x04, 2);
  const out: BarInfo[] = [];
  const count = header === 1 ? 2 : header === 0 ? 6 : 0;
  for (let i = 0; i < count; i++) {
    const ofs = 0x10 + 4 * i;
    const flg = r(ofs, 4);
    const isIo = (flg & 1) === 1;
    const is64 = !isIo && (flg & 0x6) === 0x4;
    const len = barSize(cfg, f, ofs, isIo ? 0xffff_fffc : 0xffff_fff0, is64);
    const hi = is64 ? r(ofs + 4, 4) : 0;
    if (flg || len || hi) {
      if (isIo) out.push({ index: i, io: true, kind: 'io', prefetchable: false, address: (flg & 0xffff_fffc) >>> 0, size: len, enabled: (cmd & 1) !== 0 });
      else {
        const kind = is64 ? '64-bit' : (flg & 0x6) === 0 ? '32-bit' : (flg & 0x6) === 2 ? 'low-1M' : 'type 3';
        out.push({ index: i, io: false, kind, prefetchable: (flg & 0x8) !== 0, address: hi * 2 ** 32 + ((flg & 0xffff_fff0) >>> 0), size: len, enabled: (cmd & 2) !== 0 });
      }
    }
    if (is64) i++;
  }
  return out;
}

/** A function as `machc lspci --json` prints it: what lspci -v shows, as data. */
export interface LspciFunctionJson {
  readonly bdf: string;
  readonly vendorId: string;
  readonly deviceId: string;
  readonly name: string;
  readonly classCode: string;
  readonly className: string;
  readonly revision: number;
  readonly subsystem?: string;
  /** For a VF: the BDF of its PF. */
  readonly physfn?: string;
  readonly bars: readonly BarInfo[];
  readonly bridge?: {
    readonly primary: number;
    readonly secondary: number;
    readonly subordinate: number;
    readonly windows: { readonly io: WindowInfo; readonly memory: WindowInfo; readonly prefetchable: WindowInfo };
  };
  /** Capabilities in the list order; `extended` ones are in PCIe extended configuration space. */
  readonly capabilities: readonly { readonly offset: number; readonly id: number; readonly extended: boolean; readonly name: string }[];
  readonly sriov?: { readonly totalVfs: number; readonly numVfs: number; readonly enabled: boolean; readonly vfOffset: number; readonly vfStride: number; readonly vfDeviceId: string };
}

/** Every function the guest finds, as data (the same reads as the text listing). */
export function lspciJson(guest: GuestBus, ecamBase: number, roots: readonly number[] = []): LspciFunctionJson[] {
  const cfg = ecamAccess(guest, ecamBase);
  return findFunctions(guest, ecamBase, roots).map((f) => {
    const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, off, w);
    const classCode = r(0x08, 4) >>> 8;
    const header = r(0x0e, 1) & 0x7f;
    const caps = capabilities(cfg, f.bus, f.devfn);
    const ssvid = header === 0 ? [r(0x2c, 2), r(0x2e, 2)] : (() => {
      const at = caps.find(([, id]) => id === 0x0d)?.[0];
      return at ? [r(at + 4, 2), r(at + 6, 2)] : undefined;
    })();
    const sriov = extCapabilities(cfg, f.bus, f.devfn).find(([, id]) => id === 0x10)?.[0];
    return {
      bdf: f.bdf,
      vendorId: hex(f.vendorId, 4),
      deviceId: hex(f.deviceId, 4),
      name: deviceName(f.vendorId, f.deviceId),
      classCode: hex(classCode, 6),
      className: className(classCode),
      revision: r(0x08, 1),
      ...(ssvid && ssvid[0] && ssvid[0] !== 0xffff ? { subsystem: `${hex(ssvid[0], 4)}:${hex(ssvid[1]!, 4)}` } : {}),
      ...(f.pf ? { physfn: f.pf.bdf } : {}),
      bars: f.pf ? [] : barsOf(cfg, f),
      ...(header === 1 ? { bridge: { primary: r(0x18, 1), secondary: r(0x19, 1), subordinate: r(0x1a, 1), windows: windowsOf(cfg, f) } } : {}),
      capabilities: [
        ...caps.map(([pos, id]) => ({ offset: pos, id, extended: false, name: capName(cfg, f, pos, id, {}) })),
        ...extCapabilities(cfg, f.bus, f.devfn).map(([pos, id]) => ({ offset: pos, id, extended: true, name: extCapName(cfg, f, pos, id) })),
      ],
      ...(sriov
        ? {
            sriov: {
              totalVfs: r(sriov + 0x0e, 2),
              numVfs: r(sriov + 0x10, 2),
              enabled: (r(sriov + 0x08, 2) & 1) !== 0,
              vfOffset: r(sriov + 0x14, 2),
              vfStride: r(sriov + 0x16, 2),
              vfDeviceId: hex(r(sriov + 0x1a, 2), 4),
            },
          }
        : {}),
    };
  });
}

/** A bridge window: the range it forwards (disabled when base > limit), and its address width. */
export interface WindowInfo {
  readonly base: number;
  readonly limit: number;
  readonly bits: number;
}

/** The IO, memory and prefetchable windows of a type-1 function, as its registers hold them. */
function windowsOf(cfg: ConfigAccess, f: FoundFunction): { io: WindowInfo; memory: WindowInfo; prefetchable: WindowInfo } {
  const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, off, w);
  const ioB = r(0x1c, 1);
  const io32 = (ioB & 0xf) === 1;
  const io = { base: ((ioB & 0xf0) << 8) + (io32 ? r(0x30, 2) * 0x1_0000 : 0), limit: ((r(0x1d, 1) & 0xf0) << 8) + (io32 ? r(0x32, 2) * 0x1_0000 : 0) + 0xfff, bits: io32 ? 32 : 16 };
  const memory = { base: (r(0x20, 2) & 0xfff0) * 0x1_0000, limit: (r(0x22, 2) & 0xfff0) * 0x1_0000 + 0xf_ffff, bits: 32 };
  const pb = r(0x24, 2);
  const p64 = (pb & 0xf) === 1;
  const prefetchable = {
    base: (pb & 0xfff0) * 0x1_0000 + (p64 ? r(0x28, 4) * 2 ** 32 : 0),
    limit: (r(0x26, 2) & 0xfff0) * 0x1_0000 + 0xf_ffff + (p64 ? r(0x2c, 4) * 2 ** 32 : 0),
    bits: p64 ? 64 : 32,
  };
  return { io, memory, prefetchable };
}

function bridgeLines(cfg: ConfigAccess, f: FoundFunction): string[] {
  const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, off, w);
  const out = [`\tBus: primary=${hex(r(0x18, 1), 2)}, secondary=${hex(r(0x19, 1), 2)}, subordinate=${hex(r(0x1a, 1), 2)}, sec-latency=${r(0x1b, 1)}`];
  const range = (name: string, w: WindowInfo, digits: number) =>
    `\t${name}:${w.base <= w.limit ? ` ${hex(w.base, digits)}-${hex(w.limit, digits)}${size(w.limit - w.base + 1)}` : ' [disabled]'} [${w.bits}-bit]`;
  const w = windowsOf(cfg, f);
  out.push(range('I/O behind bridge', w.io, w.io.bits === 32 ? 8 : 4));
  out.push(range('Memory behind bridge', w.memory, 8));
  out.push(range('Prefetchable memory behind bridge', w.prefetchable, w.prefetchable.bits === 64 ? 16 : 8));
  return out;
}

const EXP_TYPES: Record<number, string> = {
  0: 'Endpoint',
  1: 'Legacy Endpoint',
  4: 'Root Port',
  5: 'Upstream Port',
  6: 'Downstream Port',
  7: 'PCI-Express to PCI/PCI-X Bridge',
  8: 'PCI/PCI-X to PCI-Express Bridge',
  9: 'Root Complex Integrated Endpoint',
  10: 'Root Complex Event Collector',
};

const VIRTIO_CAPS: Record<number, string> = { 1: 'CommonCfg', 2: 'Notify', 3: 'ISR', 4: 'DeviceCfg', 5: 'PCICfg' };

function capName(cfg: ConfigAccess, f: FoundFunction, pos: number, id: number, opts: LspciOptions): string {
  const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, pos + off, w);
  const pm = (b: boolean) => (b ? '+' : '-');
  switch (id) {
    case 0x01:
      return `Power Management version ${r(2, 2) & 7}`;
    case 0x05: {
      const flags = r(2, 2);
      return `MSI: Enable${pm((flags & 1) !== 0)} Count=${1 << ((flags >> 4) & 7)}/${1 << ((flags >> 1) & 7)} Maskable${pm((flags & 0x100) !== 0)} 64bit${pm((flags & 0x80) !== 0)}`;
    }
    case 0x09: {
      if (f.vendorId === 0x1af4) return `Vendor Specific Information: VirtIO: ${VIRTIO_CAPS[r(3, 1)] ?? '<unknown>'}`;
      return `Vendor Specific Information: Len=${hex(r(2, 1), 2)} <?>`;
    }
    case 0x0c:
      return 'Hot-plug capable';
    case 0x0d:
      return `Subsystem: ${opts.numeric ? `${hex(r(4, 2), 4)}:${hex(r(6, 2), 4)}` : subsystemName(r(4, 2), r(6, 2))}`;
    case 0x10: {
      const flags = r(2, 2);
      const type = (flags >> 4) & 0xf;
      const ver = flags & 0xf;
      const slot = type === 4 || type === 6 ? ` (Slot${pm((flags & 0x100) !== 0)})` : '';
      return `Express ${ver > 1 ? `(v${ver}) ` : ''}${EXP_TYPES[type] ?? `Unknown type ${type}`}${slot}, MSI ${hex((flags >> 9) & 0x1f, 2)}`;
    }
    case 0x11: {
      const ctrl = r(2, 2);
      return `MSI-X: Enable${pm((ctrl & 0x8000) !== 0)} Count=${(ctrl & 0x7ff) + 1} Masked${pm((ctrl & 0x4000) !== 0)}`;
    }
    case 0x12: {
      const rev = r(2, 1);
      const bar = r(4, 4);
      return `SATA HBA v${(rev >> 4) & 0xf}.${rev & 0xf} BAR${(bar & 0xf) - 4} Offset=${hex((bar >>> 4) & 0xfffff, 8)}`;
    }
    default:
      return `Capability ID ${hex(id, 2)}`;
  }
}

function extCapName(cfg: ConfigAccess, f: FoundFunction, pos: number, id: number): string {
  const r = (off: number) => cfg.read(f.bus, f.devfn, pos + off, 4);
  switch (id) {
    case 0x0001:
      return 'Advanced Error Reporting';
    case 0x0003: {
      const lo = r(4);
      const hi = r(8);
      const bytes = [hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff];
      return `Device Serial Number ${bytes.map((b) => hex(b, 2)).join('-')}`;
    }
    case 0x000d:
      return 'Access Control Services';
    case 0x000e:
      return 'Alternative Routing-ID Interpretation (ARI)';
    case 0x0010:
      return 'Single Root I/O Virtualization (SR-IOV)';
    default:
      return `Extended Capability ID ${hex(id, 4)}`;
  }
}

function sriovLines(cfg: ConfigAccess, f: FoundFunction, pos: number): string[] {
  const r = (off: number, w: 1 | 2 | 4) => cfg.read(f.bus, f.devfn, pos + off, w);
  const pm = (b: boolean) => (b ? '+' : '-');
  const ctrl = r(0x08, 2);
  const out = [
    `\t\tIOVCtl: Enable${pm((ctrl & 1) !== 0)} Migration${pm((ctrl & 2) !== 0)} Interrupt${pm((ctrl & 4) !== 0)} MSE${pm((ctrl & 8) !== 0)} ARIHierarchy${pm((ctrl & 0x10) !== 0)}`,
    `\t\tInitial VFs: ${r(0x0c, 2)}, Total VFs: ${r(0x0e, 2)}, Number of VFs: ${r(0x10, 2)}, Function Dependency Link: ${hex(r(0x12, 1), 2)}`,
    `\t\tVF offset: ${r(0x14, 2)}, stride: ${r(0x16, 2)}, Device ID: ${hex(r(0x1a, 2), 4)}`,
    `\t\tSupported Page Size: ${hex(r(0x1c, 4), 8)}, System Page Size: ${hex(r(0x20, 4), 8)}`,
  ];
  for (let i = 0; i < 6; i++) {
    const ofs = pos + 0x24 + 4 * i;
    const flg = r(0x24 + 4 * i, 4);
    if (!flg) continue;
    const is64 = (flg & 0x6) === 0x4;
    const hi = is64 ? r(0x28 + 4 * i, 4) : 0;
    const len = barSize(cfg, f, ofs, 0xffff_fff0, is64);
    const a = hi * 2 ** 32 + ((flg & 0xffff_fff0) >>> 0);
    out.push(`\t\tRegion ${i}: Memory at ${a ? hex(a, 16) : '<unassigned>'} (${is64 ? '64-bit' : '32-bit'}, ${flg & 0x8 ? '' : 'non-'}prefetchable)${len ? size(len) : ''}`);
    if (is64) i++;
  }
  return out;
}

// ---- lspci -t (pciutils ls-tree.c) ----------------------------------------------------------

interface TreeBridge {
  readonly dev: FoundFunction | undefined;
  readonly secondary: number;
  readonly subordinate: number;
  readonly children: TreeBridge[];
  readonly buses: { number: number; devs: FoundFunction[] }[];
}

function tree(cfg: ConfigAccess, fns: FoundFunction[], opts: LspciOptions): string {
  const host: TreeBridge = { dev: undefined, secondary: 0, subordinate: 0xff, children: [], buses: [] };
  const bridges: TreeBridge[] = [];
  for (const f of fns) {
    if (f.pf || (cfg.read(f.bus, f.devfn, 0x0e, 1) & 0x7f) !== 1) continue;
    bridges.push({ dev: f, secondary: cfg.read(f.bus, f.devfn, 0x19, 1), subordinate: cfg.read(f.bus, f.devfn, 0x1a, 1), children: [], buses: [] });
  }
  const findBridge = (b: TreeBridge, n: number): TreeBridge => {
    for (const c of b.children) if (c.secondary <= n && n <= c.subordinate) return findBridge(c, n);
    return b;
  };
  for (const b of bridges) findBridge(host, b.dev!.bus).children.unshift(b);
  for (const f of fns) {
    const b = findBridge(host, f.bus);
    let bus = b.buses.find((x) => x.number === f.bus);
    if (!bus) {
      bus = { number: f.bus, devs: [] };
      b.buses.push(bus);
    }
    bus.devs.push(f);
  }
  const lines: string[] = [];
  const line: string[] = [];
  const put = (p: number, s: string) => {
    for (let i = 0; i < s.length; i++) line[p + i] = s[i]!;
    return p + s.length;
  };
  const printIt = (p: number) => {
    lines.push(line.slice(0, p).join(''));
    for (let i = 0; i < p; i++) line[i] = line[i] === '+' || line[i] === '|' ? '|' : ' ';
  };
  const showDev = (d: FoundFunction, p: number) => {
    p = put(p, `${hex(d.devfn >> 3, 2)}.${d.devfn & 7}`);
    const b = bridges.find((x) => x.dev === d);
    if (b) {
      p = put(p, b.secondary === b.subordinate ? `-[${hex(b.secondary, 2)}]-` : `-[${hex(b.secondary, 2)}-${hex(b.subordinate, 2)}]-`);
      showBridge(b, p);
      return;
    }
    if (opts.verbose) p = put(p, `  ${opts.numeric ? `${hex(d.vendorId, 4)}:${hex(d.deviceId, 4)}` : deviceName(d.vendorId, d.deviceId)}`);
    printIt(p);
  };
  const showBus = (bus: { devs: FoundFunction[] } | undefined, p: number) => {
    if (!bus || bus.devs.length === 0) printIt(p);
    else if (bus.devs.length === 1) showDev(bus.devs[0]!, put(p, '--'));
    else {
      bus.devs.forEach((d, i) => showDev(d, put(p, i === bus.devs.length - 1 ? '\\-' : '+-')));
    }
  };
  const showBridge = (b: TreeBridge, p: number) => {
    p = put(p, '-');
    if (b.buses.length <= 1) {
      if (b === host) p = put(p, `[0000:${hex(b.buses[0]?.number ?? 0, 2)}]-`);
      showBus(b.buses[0], p);
    } else {
      b.buses.forEach((u, i) => showBus(u, put(p, `${i === b.buses.length - 1 ? '\\-' : '+-'}[0000:${hex(u.number, 2)}]-`)));
    }
  };
  showBridge(host, 0);
  return `${lines.join('\n')}\n`;
}
