/**
 * Firmware, played through the machine's own buses: what SeaBIOS 1.16.2's
 * PCI setup (src/fw/pciinit.c) does on a Q35 machine, step by step, with
 * configuration cycles only.
 *
 *   1. number the buses depth first through CONFIG_ADDRESS/CONFIG_DATA,
 *      honouring the QEMU resource-reserve capability's bus reservation;
 *   2. probe every function, bus by bus;
 *   3. program PCIEXBAR and switch to ECAM;
 *   4. size every BAR and ROM by writing all ones, and learn each bridge's
 *      windows (IO support, 64-bit prefetchable, hot-plug, reservations);
 *   5. hand the sizes to the placement algorithm (injected: the compiler's
 *      replay of SeaBIOS's allocator) and program BARs and windows;
 *   6. per-device setup: interrupt lines, the ICH9 LPC (PIRQ routing, PM
 *      base, RCBA), the SMBus base, command registers; then SMM and PAM.
 *
 * After that an OS-like step enables SR-IOV VFs: VF BARs placed inside the
 * PF's bridge window, ARI Capable Hierarchy when the port forwards ARI,
 * NumVFs, then VF Enable with VF Memory Space Enable.
 */
import { capabilities, cf8Access, ecamAccess, findCapability, findExtCapability, type ConfigAccess, type GuestBus } from './config-access.js';

/** A function as the placement algorithm takes it (the compiler's PlanFunction). */
export interface PlacementInput {
  readonly key: string;
  readonly bdf: string;
  readonly bus: number;
  readonly classCode: number;
  readonly bars: readonly { readonly index: number; readonly kind: 'io' | 'mem32' | 'mem64'; readonly prefetchable: boolean; readonly size: number }[];
  readonly romSize: number;
  readonly bridge:
    | {
        readonly secondary: number;
        readonly hotplug: 'pcie' | 'shpc' | 'none';
        readonly ioWindow: boolean;
        readonly prefmem64: boolean;
        readonly reserve: { readonly io?: number; readonly mem?: number; readonly pref?: number } | undefined;
      }
    | undefined;
}

export interface PlacedBar {
  readonly key: string;
  readonly bdf: string;
  readonly bar: number;
  readonly region: 'io' | 'mem' | 'prefmem';
  readonly address: number;
  readonly size: number;
  readonly is64: boolean;
}

export interface PlacedWindow {
  readonly key: string;
  readonly secondary: number;
  readonly region: 'io' | 'mem' | 'prefmem';
  readonly base: number;
  readonly size: number;
  readonly is64: boolean;
}

export interface Placement {
  readonly bars: readonly PlacedBar[];
  readonly windows: readonly PlacedWindow[];
  readonly failure: 'io' | 'mem32' | undefined;
}

/** SeaBIOS's allocator: sizes in, addresses out. */
export type Placer = (functions: PlacementInput[], busCount: number, ramAbove4gEnd: number) => { readonly plan: Placement };

export interface ProbedFunction {
  readonly bus: number;
  readonly devfn: number;
  readonly bdf: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly classCode: number;
  readonly headerType: number;
  /** For bridges: the secondary bus number firmware gave it. */
  readonly secondary: number | undefined;
  /** The bridge above (undefined on the root bus). */
  readonly parent: ProbedFunction | undefined;
}

export interface FirmwareOptions {
  readonly placer: Placer;
  /** End of RAM above 4 GiB (where 64-bit BARs may go when the 32-bit hole is full). */
  readonly ramAbove4gEnd: number;
  readonly ecamBase?: number;
  /** ACPI PM I/O base SeaBIOS uses on Q35. */
  readonly pmBase?: number;
  /** How many extra root buses the machine has (QEMU's fw_cfg etc/extra-pci-roots; default 0). */
  readonly extraRoots?: number;
}

export interface FirmwareResult {
  readonly functions: readonly ProbedFunction[];
  readonly maxBus: number;
  /** What sizing found, in probe order (the placement input). */
  readonly sized: readonly PlacementInput[];
  readonly placement: Placement;
  readonly ecamBase: number;
}

const CLASS_BRIDGE_PCI = 0x0604;
const PCI_IRQS = [10, 10, 11, 11];
const RES_RESERVE_CAP_SIZE = 0x20;

export function bdfString(bus: number, devfn: number): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(bus, 2)}:${h(devfn >> 3, 2)}.${devfn & 7}`;
}

/** SeaBIOS pci_next: the next present function on a bus, skipping functions 1-7 of single-function devices. */
function* foreachBdf(cfg: ConfigAccess, bus: number): Generator<number> {
  let devfn = -1;
  for (;;) {
    if (devfn >= 0 && (devfn & 7) === 0 && !(cfg.read(bus, devfn, 0x0e, 1) & 0x80)) devfn += 8;
    else devfn += 1;
    for (;;) {
      if (devfn > 0xff) return;
      const v = cfg.read(bus, devfn, 0x00, 2);
      if (v !== 0x0000 && v !== 0xffff) break;
      devfn += (devfn & 7) === 0 ? 8 : 1;
    }
    yield devfn;
  }
}

/** QEMU's resource-reserve capability on a Red Hat root port or bridge (SeaBIOS pci_find_resource_reserve_capability). */
function reserveCapability(cfg: ConfigAccess, bus: number, devfn: number): number {
  if (cfg.read(bus, devfn, 0x00, 2) !== 0x1b36) return 0;
  const device = cfg.read(bus, devfn, 0x02, 2);
  if (device !== 0x000c && device !== 0x0001) return 0;
  for (const [pos, id] of capabilities(cfg, bus, devfn)) {
    if (id === 0x09 && cfg.read(bus, devfn, pos + 3, 1) === 1) return cfg.read(bus, devfn, pos + 2, 1) >= RES_RESERVE_CAP_SIZE ? pos : 0;
  }
  return 0;
}

/** SeaBIOS pci_bios_init_bus_rec: depth-first bus numbering. */
function numberBuses(cfg: ConfigAccess, bus: number, counter: { n: number }): void {
  for (const devfn of foreachBdf(cfg, bus)) {
    if (cfg.read(bus, devfn, 0x0a, 2) === CLASS_BRIDGE_PCI) {
      cfg.write(bus, devfn, 0x19, 1, 255);
      cfg.write(bus, devfn, 0x1a, 1, 0);
    }
  }
  for (const devfn of foreachBdf(cfg, bus)) {
    if (cfg.read(bus, devfn, 0x0a, 2) !== CLASS_BRIDGE_PCI) continue;
    if (cfg.read(bus, devfn, 0x18, 1) !== bus) cfg.write(bus, devfn, 0x18, 1, bus);
    let secbus = cfg.read(bus, devfn, 0x19, 1);
    counter.n++;
    if (counter.n !== secbus) {
      secbus = counter.n & 0xff;
      cfg.write(bus, devfn, 0x19, 1, secbus);
    }
    let subbus = cfg.read(bus, devfn, 0x1a, 1);
    cfg.write(bus, devfn, 0x1a, 1, 255);
    numberBuses(cfg, secbus, counter);
    if (subbus !== counter.n) {
      let res = counter.n;
      const cap = reserveCapability(cfg, bus, devfn);
      if (cap) {
        const raw = cfg.read(bus, devfn, cap + 4, 4);
        if (raw !== 0xffff_ffff) {
          res = raw & 0xff;
          if (((res + secbus) & 0xff) < secbus || ((res + secbus) & 0xff) < res) res = 0;
          if (secbus + res > counter.n) res = secbus + res;
        }
      }
      subbus = res & 0xff;
      counter.n = res;
    }
    cfg.write(bus, devfn, 0x1a, 1, subbus);
  }
}

/**
 * SeaBIOS pci_bios_init_bus: pcie.0's hierarchy, then, with extra root
 * buses, every bus number above the last one used, each found root bus's
 * hierarchy numbered from there.
 */
function numberAllBuses(cfg: ConfigAccess, extraRoots: number): void {
  const counter = { n: 0 };
  numberBuses(cfg, 0, counter);
  if (extraRoots === 0) return;
  while (counter.n < 0xff) {
    counter.n++;
    numberBuses(cfg, counter.n, counter);
  }
}

/**
 * SeaBIOS pci_probe_devices: every function, bus 0 up to the highest
 * secondary bus seen, and on until the extra root buses have all been found.
 */
function probe(cfg: ConfigAccess, extraRoots: number): { functions: ProbedFunction[]; maxBus: number } {
  const functions: ProbedFunction[] = [];
  const busDevs = new Map<number, ProbedFunction>();
  let maxBus = 0;
  let roots = 0;
  let lastBus = 0;
  for (let bus = 0; bus <= 0xff && (bus <= maxBus || roots < extraRoots); bus++) {
    for (const devfn of foreachBdf(cfg, bus)) {
      if (!busDevs.has(bus)) {
        if (bus !== lastBus) roots++;
        lastBus = bus;
      }
      const classCode = cfg.read(bus, devfn, 0x08, 4) >>> 8;
      const headerType = cfg.read(bus, devfn, 0x0e, 1);
      let secondary: number | undefined;
      if (classCode >>> 8 === CLASS_BRIDGE_PCI) secondary = cfg.read(bus, devfn, 0x19, 1);
      const f: ProbedFunction = {
        bus,
        devfn,
        bdf: bdfString(bus, devfn),
        vendorId: cfg.read(bus, devfn, 0x00, 2),
        deviceId: cfg.read(bus, devfn, 0x02, 2),
        classCode,
        headerType,
        secondary,
        parent: busDevs.get(bus),
      };
      functions.push(f);
      if (secondary !== undefined) {
        if (secondary > maxBus) maxBus = secondary;
        busDevs.set(secondary, f);
      }
    }
  }
  return { functions, maxBus };
}

/** SeaBIOS pci_bios_get_bar: write all ones, read the size mask back, restore. */
function sizeBar(cfg: ConfigAccess, f: ProbedFunction, index: number): { kind: 'io' | 'mem32' | 'mem64'; prefetchable: boolean; size: number } | undefined {
  const bridge = (f.headerType & 0x7f) === 1;
  const ofs = index === 6 ? (bridge ? 0x38 : 0x30) : 0x10 + 4 * index;
  const old = cfg.read(f.bus, f.devfn, ofs, 4);
  let mask: number;
  let kind: 'io' | 'mem32' | 'mem64' = 'mem32';
  let prefetchable = false;
  if (index === 6) {
    mask = 0xffff_f800;
    cfg.write(f.bus, f.devfn, ofs, 4, mask);
  } else {
    if (old & 1) {
      mask = 0xffff_fffc;
      kind = 'io';
    } else {
      mask = 0xffff_fff0;
      prefetchable = (old & 0x8) !== 0;
      if ((old & 0x6) === 0x4) kind = 'mem64';
    }
    cfg.write(f.bus, f.devfn, ofs, 4, 0xffff_ffff);
  }
  const val = cfg.read(f.bus, f.devfn, ofs, 4);
  cfg.write(f.bus, f.devfn, ofs, 4, old);
  let size: number;
  if (kind === 'mem64') {
    const hold = cfg.read(f.bus, f.devfn, ofs + 4, 4);
    cfg.write(f.bus, f.devfn, ofs + 4, 4, 0xffff_ffff);
    const high = cfg.read(f.bus, f.devfn, ofs + 4, 4);
    cfg.write(f.bus, f.devfn, ofs + 4, 4, hold);
    const lowMasked = (val & mask) >>> 0;
    // ~(high:low & mask) + 1 over 64 bits.
    const inv = (2 ** 32 - 1 - high) * 2 ** 32 + (2 ** 32 - 1 - lowMasked);
    size = inv + 1;
    if (size > 2 ** 52) size = 0;
  } else {
    size = ((~(val & mask) >>> 0) + 1) % 2 ** 32;
  }
  return size ? { kind, prefetchable, size } : undefined;
}

function hotplugKind(cfg: ConfigAccess, f: ProbedFunction): 'pcie' | 'shpc' | 'none' {
  const exp = findCapability(cfg, f.bus, f.devfn, 0x10);
  if (exp) {
    const flags = cfg.read(f.bus, f.devfn, exp + 2, 2);
    const type = (flags >> 4) & 0xf;
    // A PCIe-to-PCI bridge (type 7) hot-plugs through SHPC, as SeaBIOS 1.16.2 checks (pci_bus_hotplug_support).
    if (type !== 0x7) return (type === 0x4 || type === 0x6) && flags & 0x100 ? 'pcie' : 'none';
  }
  return findCapability(cfg, f.bus, f.devfn, 0x0c) ? 'shpc' : 'none';
}

/** SeaBIOS pci_bridge_has_region: IO forwarding exists when the IO base register keeps written bits. */
function hasIoWindow(cfg: ConfigAccess, f: ProbedFunction): boolean {
  cfg.write(f.bus, f.devfn, 0x1c, 1, 0xff);
  return cfg.read(f.bus, f.devfn, 0x1c, 1) !== 0;
}

function prefIs64(cfg: ConfigAccess, f: ProbedFunction): boolean {
  let pmem = cfg.read(f.bus, f.devfn, 0x24, 4);
  if (!pmem) {
    cfg.write(f.bus, f.devfn, 0x24, 4, 0xfff0_fff0);
    pmem = cfg.read(f.bus, f.devfn, 0x24, 4);
    cfg.write(f.bus, f.devfn, 0x24, 4, 0);
  }
  return (pmem & 0xf) === 0x1;
}

function reserves(cfg: ConfigAccess, f: ProbedFunction): { io?: number; mem?: number; pref?: number } | undefined {
  const cap = reserveCapability(cfg, f.bus, f.devfn);
  if (!cap) return undefined;
  const u64 = (off: number) => {
    const lo = cfg.read(f.bus, f.devfn, cap + off, 4);
    const hi = cfg.read(f.bus, f.devfn, cap + off + 4, 4);
    return lo === 0xffff_ffff && hi === 0xffff_ffff ? undefined : hi * 2 ** 32 + lo;
  };
  const u32 = (off: number) => {
    const v = cfg.read(f.bus, f.devfn, cap + off, 4);
    return v === 0xffff_ffff ? undefined : v;
  };
  const out: { io?: number; mem?: number; pref?: number } = {};
  const io = u64(8);
  const mem = u32(16);
  const pref32 = u32(20);
  const pref64 = u64(24);
  if (io !== undefined) out.io = io;
  if (mem !== undefined) out.mem = mem;
  if (pref32 !== undefined && pref64 === undefined) out.pref = pref32;
  else if (pref32 === undefined && pref64 !== undefined) out.pref = pref64;
  return out;
}

/** SeaBIOS mch_pci_slot_get_irq: the ISA IRQ a pin ends up on in PIC mode. */
function slotIrq(f: ProbedFunction, pin: number): number {
  let addend = 0;
  let cur = f;
  while (cur.parent) {
    addend += cur.devfn >> 3;
    cur = cur.parent;
  }
  const slot = cur.devfn >> 3;
  return slot <= 24 ? PCI_IRQS[(pin - 1 + addend + slot) & 3]! : PCI_IRQS[(pin - 1 + addend) & 3]!;
}

export function playFirmware(guest: GuestBus, opts: FirmwareOptions): FirmwareResult {
  const ecamBase = opts.ecamBase ?? 0xb000_0000;
  const pmBase = opts.pmBase ?? 0x600;
  let cfg = cf8Access(guest);

  // 1-2. Buses and devices, through CONFIG_ADDRESS/CONFIG_DATA.
  numberAllBuses(cfg, opts.extraRoots ?? 0);
  const { functions, maxBus } = probe(cfg, opts.extraRoots ?? 0);

  // 3. mch_mmconfig_setup: PCIEXBAR, then ECAM from here on.
  const mch = functions.find((f) => f.vendorId === 0x8086 && f.deviceId === 0x29c0);
  if (mch) {
    cfg.write(mch.bus, mch.devfn, 0x60, 4, 0);
    cfg.write(mch.bus, mch.devfn, 0x64, 4, Math.floor(ecamBase / 2 ** 32));
    cfg.write(mch.bus, mch.devfn, 0x60, 4, ((ecamBase % 2 ** 32) | 1) >>> 0);
    cfg = ecamAccess(guest, ecamBase);
  }

  // 4. Sizing.
  const sized: PlacementInput[] = [];
  for (const f of functions) {
    const isBridge = f.classCode >>> 8 === CLASS_BRIDGE_PCI;
    const bars: PlacementInput['bars'][number][] = [];
    let romSize = 0;
    for (let i = 0; i < 7; i++) {
      if (isBridge && i >= 2 && i < 6) continue;
      const b = sizeBar(cfg, f, i);
      if (!b) continue;
      if (i === 6) romSize = b.size;
      else bars.push({ index: i, ...b });
      if (b.kind === 'mem64') i++;
    }
    const bridge =
      isBridge && f.secondary !== undefined
        ? { secondary: f.secondary, hotplug: hotplugKind(cfg, f), ioWindow: hasIoWindow(cfg, f), prefmem64: prefIs64(cfg, f), reserve: reserves(cfg, f) }
        : undefined;
    sized.push({ key: f.bdf, bdf: f.bdf, bus: f.bus, classCode: f.classCode, bars, romSize, bridge });
  }

  // 5. Placement, then programming.
  const { plan } = opts.placer(sized, maxBus + 1, opts.ramAbove4gEnd);
  const byBdf = new Map(functions.map((f) => [f.bdf, f]));
  for (const b of plan.bars) {
    const f = byBdf.get(b.bdf)!;
    const ofs = b.bar === 6 ? ((f.headerType & 0x7f) === 1 ? 0x38 : 0x30) : 0x10 + 4 * b.bar;
    cfg.write(f.bus, f.devfn, ofs, 4, (b.address % 2 ** 32) >>> 0);
    if (b.is64) cfg.write(f.bus, f.devfn, ofs + 4, 4, Math.floor(b.address / 2 ** 32));
  }
  for (const w of plan.windows) {
    const f = byBdf.get(w.key)!;
    const limit = w.base + w.size - 1;
    if (w.region === 'io') {
      cfg.write(f.bus, f.devfn, 0x1c, 1, (w.base >>> 8) & 0xff);
      cfg.write(f.bus, f.devfn, 0x30, 2, 0);
      cfg.write(f.bus, f.devfn, 0x1d, 1, (limit >>> 8) & 0xff);
      cfg.write(f.bus, f.devfn, 0x32, 2, 0);
    } else if (w.region === 'mem') {
      cfg.write(f.bus, f.devfn, 0x20, 2, Math.floor(w.base / 0x1_0000) & 0xffff);
      cfg.write(f.bus, f.devfn, 0x22, 2, Math.floor(limit / 0x1_0000) & 0xffff);
    } else {
      cfg.write(f.bus, f.devfn, 0x24, 2, Math.floor(w.base / 0x1_0000) & 0xffff);
      cfg.write(f.bus, f.devfn, 0x26, 2, Math.floor(limit / 0x1_0000) & 0xffff);
      cfg.write(f.bus, f.devfn, 0x28, 4, Math.floor(w.base / 2 ** 32));
      cfg.write(f.bus, f.devfn, 0x2c, 4, Math.floor(limit / 2 ** 32));
    }
  }

  // 6. pci_bios_init_devices.
  for (const f of functions) {
    const pin = cfg.read(f.bus, f.devfn, 0x3d, 1);
    if (pin !== 0) cfg.write(f.bus, f.devfn, 0x3c, 1, slotIrq(f, pin));
    if (f.vendorId === 0x8086 && f.deviceId === 0x2918) lpcSetup(cfg, guest, f, pmBase);
    if (f.vendorId === 0x8086 && f.deviceId === 0x2930) {
      cfg.write(f.bus, f.devfn, 0x20, 4, (pmBase + 0x100) | 1);
      cfg.write(f.bus, f.devfn, 0x40, 1, 0x01);
    }
    cfg.write(f.bus, f.devfn, 0x04, 2, cfg.read(f.bus, f.devfn, 0x04, 2) | 0x0001 | 0x0002 | 0x0100);
    if ((f.headerType & 0x7f) === 1) cfg.write(f.bus, f.devfn, 0x3e, 2, cfg.read(f.bus, f.devfn, 0x3e, 2) | 0x0002);
  }
  const lpc = functions.find((f) => f.vendorId === 0x8086 && f.deviceId === 0x2918);
  if (mch && lpc) smmAndShadowing(cfg, guest, mch, lpc, pmBase);
  return { functions, maxBus, sized, placement: plan, ecamBase };
}

/** SeaBIOS mch_isa_bridge_setup: PIRQ routing to IRQs 10/10/11/11, level-triggered ELCR, PM base, ACPI enable, RCBA. */
function lpcSetup(cfg: ConfigAccess, guest: GuestBus, f: ProbedFunction, pmBase: number): void {
  const elcr = [0, 0];
  for (let i = 0; i < 4; i++) {
    const irq = PCI_IRQS[i]!;
    elcr[irq >> 3]! |= 1 << (irq & 7);
    cfg.write(f.bus, f.devfn, 0x60 + i, 1, irq);
    cfg.write(f.bus, f.devfn, 0x68 + i, 1, irq);
  }
  guest.io.write(0x4d0, 1, elcr[0]!);
  guest.io.write(0x4d1, 1, elcr[1]!);
  cfg.write(f.bus, f.devfn, 0x40, 4, pmBase | 1);
  cfg.write(f.bus, f.devfn, 0x44, 1, 0x80);
  cfg.write(f.bus, f.devfn, 0xf0, 4, (0xfed1_c000 | 1) >>> 0);
}

/**
 * SeaBIOS ich9_lpc_apmc_smm_setup and the shadow-RAM PAM settings it leaves
 * behind: SMRAM opened and closed with G_SMRAME, APMC SMIs enabled and
 * locked (GEN_PMCON_1.SMI_LOCK), the BIOS area read-only and the option-ROM
 * area as SeaBIOS leaves it with one VGA ROM.
 */
function smmAndShadowing(cfg: ConfigAccess, guest: GuestBus, mch: ProbedFunction, lpc: ProbedFunction, pmBase: number): void {
  const smiEn = guest.io.read(pmBase + 0x30, 4);
  if (!(smiEn & 0x20)) {
    cfg.write(mch.bus, mch.devfn, 0x9d, 1, 0x02 | 0x48);
    guest.io.write(pmBase + 0x30, 4, smiEn | 0x20);
    const pmcon = cfg.read(lpc.bus, lpc.devfn, 0xa0, 2);
    cfg.write(lpc.bus, lpc.devfn, 0xa0, 4, pmcon | 0x10);
    cfg.write(mch.bus, mch.devfn, 0x9d, 1, 0x02 | 0x08);
  }
  const pam = [0x10, 0x11, 0x11, 0x11, 0x11, 0x11, 0x33];
  pam.forEach((v, i) => cfg.write(mch.bus, mch.devfn, 0x90 + i, 1, v));
}

export interface VfRequest {
  /** The PF's address after firmware numbered the buses. */
  readonly bus: number;
  readonly devfn: number;
  readonly numVfs: number;
}

export interface EnabledVfs {
  readonly pf: string;
  readonly vfs: readonly string[];
  /** VF BAR placements (base of VF 0), or undefined when no window had room. */
  readonly bars: readonly { readonly index: number; readonly base: number | undefined; readonly size: number; readonly total: number }[];
}

/**
 * Enables VFs the way an OS does (Linux sriov_enable): VF BARs sized and
 * placed (TotalVFs of them, aligned to the VF BAR size) in the window of the
 * bridge above the PF next to what is already there (BARs and expansion ROMs), ARI enabled on the port
 * and the PF when both support it, then NumVFs and VF Enable + VF MSE.
 */
export function enableVfs(guest: GuestBus, ecamBase: number, requests: readonly VfRequest[]): EnabledVfs[] {
  const cfg = ecamAccess(guest, ecamBase);
  const out: EnabledVfs[] = [];
  const taken: [number, number][] = [];
  for (const r of requests) {
    const sriov = findExtCapability(cfg, r.bus, r.devfn, 0x10);
    if (!sriov || r.numVfs <= 0) continue;
    const total = cfg.read(r.bus, r.devfn, sriov + 0x0e, 2);
    const parent = findParentBridge(cfg, r.bus);
    // ARI: the port forwards it and the PF has the capability (PCIe 4.0 §6.13).
    let ari = false;
    if (parent && findExtCapability(cfg, r.bus, r.devfn, 0x0e)) {
      const exp = findCapability(cfg, parent.bus, parent.devfn, 0x10);
      if (exp && cfg.read(parent.bus, parent.devfn, exp + 0x24, 4) & 0x20) {
        cfg.write(parent.bus, parent.devfn, exp + 0x28, 2, cfg.read(parent.bus, parent.devfn, exp + 0x28, 2) | 0x20);
        ari = true;
      }
    }
    if (ari) cfg.write(r.bus, r.devfn, sriov + 0x08, 2, 0x10);
    // VF BARs.
    const bars: { index: number; base: number | undefined; size: number; total: number }[] = [];
    if (parent) for (const [lo, size] of usedRanges(cfg, r.bus)) taken.push([lo, size]);
    for (let i = 0; i < 6; i++) {
      const ofs = sriov + 0x24 + 4 * i;
      const old = cfg.read(r.bus, r.devfn, ofs, 4);
      const is64 = (old & 0x6) === 0x4;
      cfg.write(r.bus, r.devfn, ofs, 4, 0xffff_ffff);
      const val = cfg.read(r.bus, r.devfn, ofs, 4);
      cfg.write(r.bus, r.devfn, ofs, 4, old);
      const size = ((~(val & 0xffff_fff0) >>> 0) + 1) % 2 ** 32;
      if (!size || old & 1) {
        if (is64) i++;
        continue;
      }
      const need = size * total;
      const windows = parent ? bridgeWindows(cfg, parent.bus, parent.devfn) : [];
      const order = old & 0x8 ? windows.sort((a, b) => (a.pref === b.pref ? 0 : a.pref ? -1 : 1)) : windows.filter((w) => !w.pref);
      let base: number | undefined;
      for (const w of order) {
        if (!is64 && w.limit >= 2 ** 32) continue;
        base = firstFit(w.base, w.limit, need, size, taken);
        if (base !== undefined) break;
      }
      if (base !== undefined) {
        taken.push([base, need]);
        cfg.write(r.bus, r.devfn, ofs, 4, (base % 2 ** 32) >>> 0);
        if (is64) cfg.write(r.bus, r.devfn, ofs + 4, 4, Math.floor(base / 2 ** 32));
      }
      bars.push({ index: i, base, size, total: need });
      if (is64) i++;
    }
    cfg.write(r.bus, r.devfn, sriov + 0x10, 2, r.numVfs);
    cfg.write(r.bus, r.devfn, sriov + 0x08, 2, 0x01 | 0x08 | (ari ? 0x10 : 0));
    const offset = cfg.read(r.bus, r.devfn, sriov + 0x14, 2);
    const stride = cfg.read(r.bus, r.devfn, sriov + 0x16, 2);
    const rid = (r.bus << 8) | r.devfn;
    const vfs: string[] = [];
    for (let k = 0; k < r.numVfs; k++) {
      const v = rid + offset + k * stride;
      vfs.push(bdfString(v >> 8, v & 0xff));
    }
    out.push({ pf: bdfString(r.bus, r.devfn), vfs, bars });
  }
  return out;
}

/** The bridge whose secondary bus is `bus`, found by walking from bus 0. */
function findParentBridge(cfg: ConfigAccess, bus: number): { bus: number; devfn: number } | undefined {
  if (bus === 0) return undefined;
  const walk = (b: number): { bus: number; devfn: number } | undefined => {
    for (let devfn = 0; devfn < 256; devfn++) {
      if (cfg.read(b, devfn, 0, 2) === 0xffff) continue;
      if ((cfg.read(b, devfn, 0x0e, 1) & 0x7f) !== 1) continue;
      const sec = cfg.read(b, devfn, 0x19, 1);
      const sub = cfg.read(b, devfn, 0x1a, 1);
      if (sec === bus) return { bus: b, devfn };
      if (sec < bus && bus <= sub && sec > b) return walk(sec);
    }
    return undefined;
  };
  return walk(0);
}

function bridgeWindows(cfg: ConfigAccess, bus: number, devfn: number): { base: number; limit: number; pref: boolean }[] {
  const out: { base: number; limit: number; pref: boolean }[] = [];
  const memBase = (cfg.read(bus, devfn, 0x20, 2) & 0xfff0) * 0x1_0000;
  const memLimit = (cfg.read(bus, devfn, 0x22, 2) & 0xfff0) * 0x1_0000 + 0xf_ffff;
  if (memLimit > memBase) out.push({ base: memBase, limit: memLimit, pref: false });
  const pb = cfg.read(bus, devfn, 0x24, 2);
  const pl = cfg.read(bus, devfn, 0x26, 2);
  const prefBase = (pb & 0xfff0) * 0x1_0000 + (pb & 1 ? cfg.read(bus, devfn, 0x28, 4) * 2 ** 32 : 0);
  const prefLimit = (pl & 0xfff0) * 0x1_0000 + 0xf_ffff + (pl & 1 ? cfg.read(bus, devfn, 0x2c, 4) * 2 ** 32 : 0);
  if (prefLimit > prefBase) out.push({ base: prefBase, limit: prefLimit, pref: true });
  return out;
}

/** Memory ranges the functions on a bus decode (for placing VF BARs next to them). */
function usedRanges(cfg: ConfigAccess, bus: number): [number, number][] {
  const out: [number, number][] = [];
  for (let devfn = 0; devfn < 256; devfn++) {
    if (cfg.read(bus, devfn, 0, 2) === 0xffff) continue;
    const bridge = (cfg.read(bus, devfn, 0x0e, 1) & 0x7f) === 1;
    for (let i = 0; i < (bridge ? 2 : 6); i++) {
      const ofs = 0x10 + 4 * i;
      const old = cfg.read(bus, devfn, ofs, 4);
      if (old & 1) continue;
      const is64 = (old & 0x6) === 0x4;
      const hi = is64 ? cfg.read(bus, devfn, ofs + 4, 4) : 0;
      cfg.write(bus, devfn, ofs, 4, 0xffff_ffff);
      const val = cfg.read(bus, devfn, ofs, 4);
      cfg.write(bus, devfn, ofs, 4, old);
      const size = ((~(val & 0xffff_fff0) >>> 0) + 1) % 2 ** 32;
      const base = hi * 2 ** 32 + ((old & 0xffff_fff0) >>> 0);
      if (size && base) out.push([base, Math.max(size, 0x1000)]);
      if (is64) i++;
    }
    // The expansion ROM firmware placed is taken too, enabled or not (Linux keeps it as a resource).
    const romOfs = bridge ? 0x38 : 0x30;
    const rom = cfg.read(bus, devfn, romOfs, 4);
    cfg.write(bus, devfn, romOfs, 4, 0xffff_f800);
    const romMask = cfg.read(bus, devfn, romOfs, 4) & 0xffff_f800;
    cfg.write(bus, devfn, romOfs, 4, rom);
    const romBase = (rom & 0xffff_f800) >>> 0;
    if (romMask && romBase) out.push([romBase, Math.max((~romMask >>> 0) + 1, 0x1000)]);
  }
  return out;
}

function firstFit(lo: number, limit: number, size: number, align: number, taken: readonly [number, number][]): number | undefined {
  let at = Math.ceil(lo / align) * align;
  const sorted = [...taken].sort((a, b) => a[0] - b[0]);
  for (let guard = 0; guard < 4096 && at + size - 1 <= limit; guard++) {
    const clash = sorted.find(([b, s]) => at < b + s && b < at + size);
    if (!clash) return at;
    at = Math.ceil((clash[0] + clash[1]) / align) * align;
  }
  return undefined;
}
