/**
 * PCI resolution: place every function on its bus (explicit, locked or
 * automatic addresses), number the buses as SeaBIOS does (depth first, in
 * device.function order), give each function its identity and BARs from the
 * hardware catalog, lay out the SR-IOV VFs, and route INTx.
 */
import { CHIPSET, deviceModel, nvmeBudget, nvmePfBar0, nvmeVfBar0, vfioIdentity, type BusKind, type DeviceModel, type Identity } from '../../runtime/devices/catalog.js';
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { DeviceDesc, MachineDescription, SlotFn } from '../model/description.js';
import type { Bar, BridgeInfo, FunctionRole, NvmeController, Origin, PciBus, PciFunction, SriovInfo } from '../model/topology.js';
import { formatBdf, formatSlotFn } from '../util/format.js';
import { routeExpanderIntx, routeIntx } from './interrupts.js';
import type { AddressLock } from './lock.js';
import { deviceCompat, type DeviceCompat } from '../../runtime/devices/compat.js';
import { sriovPlan, type SriovPlan } from '../check/sriov.js';

export interface BusNode {
  readonly name: string;
  readonly kind: BusKind;
  /** The bridge whose secondary bus this is, or the expander bridge whose root bus it is; undefined for pcie.0. */
  readonly bridge: FnNode | undefined;
  /** The root bus of an expander bridge (pxb-pcie): numbered by its bus-nr, not by its parent. */
  readonly expander: boolean;
  readonly children: FnNode[];
  number: number;
  subordinate: number;
}

export interface FnNode {
  readonly key: string;
  readonly model: string;
  readonly role: FunctionRole;
  readonly desc: DeviceDesc | undefined;
  readonly info: DeviceModel | undefined;
  readonly chipset: Identity | undefined;
  readonly parent: BusNode;
  addr: SlotFn | undefined;
  addrSource: PciFunction['addrSource'];
  childBus: BusNode | undefined;
  busReserve: number;
}

const ROLE_OF: Record<string, FunctionRole> = {
  'root-port': 'root-port',
  'upstream-port': 'upstream-port',
  'downstream-port': 'downstream-port',
  'pcie-pci-bridge': 'pcie-pci-bridge',
  expander: 'expander',
};

export interface PciBuild {
  readonly root: BusNode;
  readonly nodes: readonly FnNode[];
  readonly byKey: ReadonlyMap<string, FnNode>;
  /** What the target's machine type changes in the devices (the identities that differ per target). */
  readonly compat: DeviceCompat;
}

function devfn(a: SlotFn): number {
  return a.device * 8 + a.fn;
}

/** Builds the tree of buses and functions from the description. */
export function buildTree(desc: MachineDescription): PciBuild {
  const root: BusNode = { name: 'pcie.0', kind: 'pcie-root', bridge: undefined, expander: false, children: [], number: 0, subordinate: 0 };
  const nodes: FnNode[] = [];
  const byKey = new Map<string, FnNode>();
  const builtin = (key: string, model: string, role: FunctionRole, id: Identity, device: number, fn: number) => {
    const node: FnNode = { key, model, role, desc: undefined, info: undefined, chipset: id, parent: root, addr: { device, fn }, addrSource: 'fixed', childBus: undefined, busReserve: 0 };
    nodes.push(node);
    byKey.set(key, node);
    root.children.push(node);
  };
  builtin('mch', 'q35-mch', 'host-bridge', CHIPSET.mch, 0, 0);
  if (desc.builtins.display === 'std-vga') builtin('vga', 'std-vga', 'display', CHIPSET.vga, 1, 0);
  else if (desc.builtins.display === 'virtio-vga') builtin('vga', 'virtio-vga', 'display', CHIPSET.virtioVga, 1, 0);
  builtin('lpc', 'ich9-lpc', 'chipset', CHIPSET.lpc, 0x1f, 0);
  if (desc.builtins.sata) builtin('ahci', 'ich9-ahci', 'chipset', CHIPSET.ahci, 0x1f, 2);
  if (desc.builtins.smbus) builtin('smbus', 'ich9-smbus', 'chipset', CHIPSET.smbus, 0x1f, 3);

  const buses = new Map<string, BusNode>([['pcie.0', root]]);
  const pending: { node: FnNode; bus: string }[] = [];
  for (const d of desc.devices) {
    const info = deviceModel(d.model);
    if (!info || info.role === 'sata-drive' || info.role === 'attached') continue;
    const role: FunctionRole = ROLE_OF[info.role] ?? 'endpoint';
    const node: FnNode = {
      key: d.id, model: d.model, role, desc: d, info, chipset: undefined, parent: root, addr: d.addr, addrSource: d.addr ? 'file' : 'auto',
      childBus: undefined, busReserve: d.port?.busReserve ?? 0,
    };
    if (info.bridge || info.role === 'expander') {
      const expander = info.role === 'expander';
      const bus: BusNode = { name: d.id, kind: info.bridge?.secondary ?? 'pcie-root', bridge: node, expander, children: [], number: -1, subordinate: -1 };
      node.childBus = bus;
      buses.set(d.id, bus);
    }
    nodes.push(node);
    byKey.set(d.id, node);
    pending.push({ node, bus: d.bus });
  }
  for (const { node, bus } of pending) {
    const parent = buses.get(bus)!;
    (node as { parent: BusNode }).parent = parent;
    parent.children.push(node);
  }
  return { root, nodes, byKey, compat: deviceCompat(desc.qemu.version) };
}

/** Function role as the guest sees it (PCIe endpoints on pcie.0 are integrated endpoints). */
function effectiveRole(node: FnNode): FunctionRole {
  if (node.role === 'endpoint' && node.parent.kind === 'pcie-root' && node.info?.bus === 'express') return 'integrated-endpoint';
  return node.role;
}

/**
 * Gives every function without an address one, the way libvirt does: root
 * ports packed eight to a slot (multifunction) from 00:02.0 on, other root-bus
 * devices in the first free slot, one link device at 0.0, downstream ports at
 * slot n function 0. With a lockfile, locked addresses come first and new
 * bridges go after the locked ones, so no existing bus number moves.
 */
export function assignAddresses(build: PciBuild, lock: AddressLock | undefined, diags: DiagnosticBag): void {
  const visit = (bus: BusNode) => {
    const used = new Map<number, FnNode>();
    for (const c of bus.children) if (c.addr) used.set(devfn(c.addr), c);
    // Locked addresses.
    for (const c of bus.children) {
      if (c.addr || !lock) continue;
      const entry = lock.devices.get(c.key);
      if (!entry || entry.bus !== bus.name) continue;
      const df = devfn(entry.addr);
      const at = formatSlotFn(entry.addr.device, entry.addr.fn);
      // A pin obeys the rules an explicit addr does (MD1209, MD1214): a hand-edited lockfile cannot place what QEMU refuses.
      const wrong =
        bus.kind === 'pcie-link' && entry.addr.device !== 0
          ? `${bus.name} is a PCIe link, which has only device 0`
          : bus.kind === 'pci' && entry.addr.device === 0
            ? `device 0 on ${bus.name} belongs to the bridge's hot-plug controller (SHPC)`
            : undefined;
      if (wrong) {
        diags.report(Diag.lockInvalid, entry.span, { detail: `${c.key} is pinned at ${at}, but ${wrong}` }, { fix: { message: 'rewrite the lockfile with machc check --lock --relock' } });
        continue;
      }
      const owner = used.get(df);
      if (owner) {
        const now = owner.desc ? `${owner.key} now takes that address` : `that is the address of the chipset's built-in ${owner.key}`;
        diags.report(Diag.lockConflict, owner.desc?.spans['addr'] ?? owner.desc?.spans['$'] ?? entry.span, { id: c.key, locked: at, now }, {
          notes: [{ message: `the lockfile pins ${c.key} at ${formatSlotFn(entry.addr.device, entry.addr.fn)} on ${bus.name}`, span: entry.span }],
          fix: { message: `move ${owner.key} elsewhere, or accept the change with machc check --lock --relock` },
        });
        continue;
      }
      c.addr = entry.addr;
      c.addrSource = 'lock';
      used.set(df, c);
    }
    // After the last locked or explicit bridge, when a lockfile exists.
    let floor = 0;
    if (lock) for (const c of bus.children) if (c.addr && c.childBus && c.addrSource !== 'auto') floor = Math.max(floor, devfn(c.addr) + 1);
    const slotFree = (dev: number) => {
      for (let f = 0; f < 8; f++) if (used.has(dev * 8 + f)) return false;
      return true;
    };
    // Root ports pack eight to a slot: continue the last slot that already holds root ports.
    let rpSlot = -1;
    let rpNext = 8;
    for (const c of bus.children) {
      if (c.addr && c.role === 'root-port' && (c.addr.device > rpSlot || (c.addr.device === rpSlot && c.addr.fn >= rpNext))) {
        rpSlot = c.addr.device;
        rpNext = c.addr.fn + 1;
      }
    }
    for (const c of bus.children) {
      if (c.addr) continue;
      let found: SlotFn | undefined;
      const minDevfn = c.childBus ? floor : 0;
      if (bus.kind === 'pcie-link') {
        for (let f = 0; f < 8 && !found; f++) if (!used.has(f) && f >= minDevfn) found = { device: 0, fn: f };
      } else if (bus.kind === 'pcie-root' && c.role === 'root-port') {
        if (rpSlot >= 0 && rpNext < 8 && !used.has(rpSlot * 8 + rpNext) && rpSlot * 8 + rpNext >= minDevfn) {
          found = { device: rpSlot, fn: rpNext++ };
        } else {
          // An expander's root bus has nothing of the chipset's: its ports start at slot 0.
          for (let dev = bus.expander ? 0 : 2; dev < 32 && !found; dev++) {
            if (slotFree(dev) && dev * 8 >= minDevfn) {
              rpSlot = dev;
              rpNext = 1;
              found = { device: dev, fn: 0 };
            }
          }
        }
      } else {
        const first = bus.kind === 'pcie-switch' ? 0 : 1;
        for (let dev = first; dev < 32 && !found; dev++) if (slotFree(dev) && dev * 8 >= minDevfn) found = { device: dev, fn: 0 };
      }
      if (!found) {
        const span = c.desc?.spans['bus'] ?? c.desc?.spans['$'];
        if (bus.kind === 'pcie-switch') {
          diags.report(Diag.downstreamPortBudget, span, { switchId: bus.name, count: bus.children.length, limit: 32 }, {
            fix: { message: 'give the ports explicit addresses with function numbers (addr: 0.1 ... 1f.7) to pack up to 256, or add a second switch' },
          });
        } else diags.report(Diag.busFull, span, { device: c.key, bus: bus.name });
        continue;
      }
      c.addr = found;
      c.addrSource = 'auto';
      used.set(devfn(found), c);
    }
    bus.children.sort((a, b) => (a.addr ? devfn(a.addr) : 999) - (b.addr ? devfn(b.addr) : 999));
    if (bus.kind === 'pcie-link') warnPacked(bus, diags);
    for (const c of bus.children) if (c.childBus) visit(c.childBus);
  };
  visit(build.root);
}

/** MD1223: endpoints machc placed as functions 1-7 of the one device on a PCIe link (placed on purpose, with addr, they are meant). */
function warnPacked(bus: BusNode, diags: DiagnosticBag): void {
  const first = bus.children.find((c) => c.addr && c.addr.device === 0 && c.addr.fn === 0);
  if (!first) return;
  for (const c of bus.children) {
    if (c === first || c.addrSource !== 'auto' || !c.addr || c.addr.fn === 0) continue;
    const span = c.desc?.spans['bus'] ?? c.desc?.spans['$'];
    diags.report(Diag.linkFunctionsPacked, span, { device: c.key, port: bus.name, fn: c.addr.fn, first: first.key }, {
      notes: first.desc?.spans['$'] ? [{ message: `${first.key} is function 0`, span: first.desc.spans['$'] }] : [],
      fix: { message: `give ${c.key} a port of its own, or, if the functions are meant, write addr: 0.0 on ${first.key} and addr: 0.${c.addr.fn} on ${c.key}` },
    });
  }
}

/** Where the buses of one root (pcie.0 or an expander's) run into the next expander's root bus. */
export interface BusOverlap {
  /** The root whose hierarchy runs too far. */
  readonly root: BusNode;
  /** The expander bridge whose bus-nr it reaches. */
  readonly next: FnNode;
}

/**
 * Numbers buses depth first in device.function order, as SeaBIOS's
 * pci_bios_init_bus_rec does; a bus-reserve extends the subordinate number.
 * With expander bridges (QEMU's etc/extra-pci-roots), SeaBIOS then looks
 * at every bus number above the last one used and numbers the hierarchy of
 * each root bus it finds from that root's number up (pci_bios_init_bus),
 * so an expander's root bus must lie above everything numbered before it.
 * Returns the highest bus number used, the bus-reserve values SeaBIOS would
 * mishandle and the hierarchies that reach the next expander's root bus.
 */
export function numberBuses(build: PciBuild): { maxBus: number; badReserves: { node: FnNode; used: number }[]; overlaps: BusOverlap[] } {
  let counter = 0;
  const badReserves: { node: FnNode; used: number }[] = [];
  const overlaps: BusOverlap[] = [];
  const visit = (bus: BusNode) => {
    for (const c of bus.children) {
      if (!c.childBus || !c.addr || c.childBus.expander) continue;
      const sec = ++counter;
      c.childBus.number = sec;
      visit(c.childBus);
      let sub = counter;
      if (c.busReserve > 0) {
        if (sec + c.busReserve > counter) sub = sec + c.busReserve;
        else badReserves.push({ node: c, used: counter - sec + 1 });
      }
      c.childBus.subordinate = sub;
      counter = sub;
    }
  };
  build.root.number = 0;
  visit(build.root);
  build.root.subordinate = counter;
  const expanders = expanderBridges(build);
  let last: BusNode = build.root;
  for (const x of expanders) {
    const bus = x.childBus!;
    const nr = x.desc?.expander?.busNr ?? 0;
    if (nr <= counter) overlaps.push({ root: last, next: x });
    counter = Math.max(counter, nr);
    bus.number = nr;
    visit(bus);
    bus.subordinate = counter;
    last = bus;
  }
  return { maxBus: counter, badReserves, overlaps };
}

/** The expander bridges on pcie.0 that have an address, by bus-nr (the order SeaBIOS finds their root buses in). */
export function expanderBridges(build: PciBuild): FnNode[] {
  return build.root.children.filter((c) => c.childBus?.expander && c.addr).sort((a, b) => (a.desc?.expander?.busNr ?? 0) - (b.desc?.expander?.busNr ?? 0));
}

function originOf(d: DeviceDesc | undefined): Origin | undefined {
  return d ? { decl: d.spans['$']!, props: d.spans } : undefined;
}

export interface FunctionsResult {
  readonly functions: PciFunction[];
  readonly buses: PciBus[];
}

/**
 * Serials of the nvme controllers: the file's, else the id. Controllers of
 * one NVMe subsystem (the same nqn) share one serial, QEMU's rule
 * (hw/nvme/subsys.c): the first the file gives in that subsystem, else the
 * first controller's id (conflicting serials are MD1318).
 */
function nvmeSerials(nodes: readonly FnNode[]): Map<string, string> {
  const groupSerial = new Map<string, string>();
  const nvme = nodes.filter((n) => n.model === 'nvme' && n.desc);
  for (const n of nvme) {
    const nqn = n.desc!.nvme?.nqn;
    if (nqn !== undefined && n.desc!.serial !== undefined && !groupSerial.has(nqn)) groupSerial.set(nqn, n.desc!.serial);
  }
  for (const n of nvme) {
    const nqn = n.desc!.nvme?.nqn;
    if (nqn !== undefined && !groupSerial.has(nqn)) groupSerial.set(nqn, n.key);
  }
  return new Map(nvme.map((n) => [n.key, n.desc!.nvme?.nqn !== undefined ? groupSerial.get(n.desc!.nvme.nqn)! : (n.desc!.serial ?? n.key)]));
}

/**
 * An nvme controller's queue and vector budget, with QEMU's checks
 * (hw/nvme/ctrl.c nvme_check_params): SR-IOV needs at least 2 flexible
 * queues and 1 flexible vector per VF, and leaves the PF 2 queue pairs and 1
 * vector of its own.
 */
function budgetOf(node: FnNode, serial: string, sriov: SriovPlan | undefined, diags: DiagnosticBag): NvmeController {
  const d = node.desc!;
  const s = d.sriov;
  const b = nvmeBudget(sriov?.total ?? 0, { maxIoqpairs: d.nvme?.maxIoqpairs, msixQsize: d.nvme?.msixQsize, vqFlexible: s?.vqFlexible, viFlexible: s?.viFlexible });
  const controller: NvmeController = { budget: b, serial, nqn: d.nvme?.nqn };
  if (b.totalVfs === 0) return controller;
  const at = (k: string) => d.spans[k] ?? s?.spans[k] ?? s?.spans['$'] ?? d.spans['$']!;
  const problems: [boolean, string, string][] = [
    [b.vqFlexible < 2 * b.totalVfs, 'vq-flexible', `vq-flexible ${b.vqFlexible} gives the ${b.totalVfs} VFs fewer than 2 queues each (at least ${2 * b.totalVfs})`],
    [b.viFlexible < b.totalVfs, 'vi-flexible', `vi-flexible ${b.viFlexible} gives the ${b.totalVfs} VFs fewer than 1 vector each (at least ${b.totalVfs})`],
    [b.maxIoqpairs < b.vqFlexible + 2, 'max-ioqpairs', `max-ioqpairs ${b.maxIoqpairs} leaves the PF fewer than 2 queue pairs besides vq-flexible ${b.vqFlexible} (at least ${b.vqFlexible + 2})`],
    [b.msixQsize < b.viFlexible + 1, 'msix-qsize', `msix-qsize ${b.msixQsize} leaves the PF no vector besides vi-flexible ${b.viFlexible} (at least ${b.viFlexible + 1})`],
  ];
  for (const [bad, key, detail] of problems) if (bad) diags.report(Diag.nvmeBudget, at(key), { detail });
  return controller;
}

function identityOf(node: FnNode, nvme: NvmeController | undefined, compat: DeviceCompat): Identity {
  if (node.chipset) return node.chipset;
  if (node.desc?.vfio) return vfioIdentity(node.desc.vfio, node.parent.kind);
  const id = node.info!.identity(node.parent.kind, compat);
  if (nvme) return { ...id, bars: [{ index: 0, kind: 'mem64', prefetchable: false, size: nvmePfBar0(nvme.budget).size }] };
  return id;
}

/**
 * Whether QEMU's ACPI PCI hot-plug serves a bus: on q35 the LPC becomes the
 * hot-plug handler of the bus behind every cold-plugged bridge, except PCIe
 * slots with hotplug=off (hw/acpi/pcihp.c acpi_pcihp_device_plug_cb); pcie.0
 * has none.
 */
function acpiHotplugBus(bus: BusNode): boolean {
  const bridge = bus.bridge;
  if (!bridge?.info?.bridge) return false;
  // The LPC handles the buses below pcie.0 only: an expander's root bus has no hot-plug handler, so the
  // bridges in its hierarchy keep PCI Express native hot-plug.
  if (underExpander(bus)) return false;
  return bridge.info.bridge.slot ? (bridge.desc?.port?.hotplug ?? true) : true;
}

/** Whether a bus lies in an expander bridge's hierarchy. */
function underExpander(bus: BusNode): boolean {
  for (let b: BusNode | undefined = bus; b; b = b.bridge?.parent) if (b.expander) return true;
  return false;
}

/** Builds the function list (VFs included) in (bus, device, function) order, and the bus list. */
export function buildFunctions(build: PciBuild, diags: DiagnosticBag): FunctionsResult {
  const functions: PciFunction[] = [];
  const buses: PciBus[] = [];
  const occupied = new Map<number, string>();
  const vfRequests: { node: FnNode; fn: PciFunction; plan: SriovPlan }[] = [];
  const serials = nvmeSerials(build.nodes);
  const visit = (bus: BusNode) => {
    buses.push({
      number: bus.number,
      name: bus.name,
      kind: bus.kind,
      bridge: bus.expander ? undefined : bus.bridge?.key,
      expander: bus.expander ? bus.bridge!.key : undefined,
      numaNode: bus.expander ? bus.bridge!.desc?.expander?.numaNode : undefined,
      hotplug: bus.expander ? false : bus.bridge?.desc?.port?.hotplug ?? (bus.kind === 'pci'),
      acpiHotplug: acpiHotplugBus(bus),
      subordinate: bus.subordinate,
    });
    const fnsPerSlot = new Map<number, number>();
    for (const c of bus.children) if (c.addr) fnsPerSlot.set(c.addr.device, (fnsPerSlot.get(c.addr.device) ?? 0) + 1);
    for (const c of bus.children) {
      if (!c.addr) continue;
      // The checks reported any problem of the request; here only the numbers matter.
      const plan = c.desc && c.info?.sriov ? sriovPlan(c.desc, c.info.sriov, diags) : undefined;
      const nvme = c.model === 'nvme' && c.desc ? budgetOf(c, serials.get(c.key)!, plan, diags) : undefined;
      const id = identityOf(c, nvme, build.compat);
      // The header's multifunction bit is set on function 0 of a slot with several functions (QEMU's
      // multifunction=on); the ICH9 functions all carry it, as QEMU creates them.
      const multifunction = c.chipset
        ? c.key !== 'mch' && c.key !== 'vga'
        : (c.desc?.multifunction ?? false) || (c.addr.fn === 0 && (fnsPerSlot.get(c.addr.device) ?? 0) > 1);
      const bridge: BridgeInfo | undefined = c.childBus && c.info?.bridge
        ? {
            secondary: c.childBus.number,
            subordinate: c.childBus.subordinate,
            busReserve: c.busReserve,
            reserve: reserveOf(c),
            windows: { io: 0, mem: 0, prefmem: 0 },
            prefmem64: c.info.bridge.prefmem64,
            hotplug: c.info.bridge.hotplug === 'shpc' ? true : (c.desc?.port?.hotplug ?? false),
            chassis: c.desc?.port?.chassis,
            slot: c.desc?.port?.slot,
            ariForwarding: c.info.bridge.ariForwarding,
          }
        : undefined;
      const ari = c.info ? c.info.ari === 'always' || (c.info.ari === 'with-sriov' && plan !== undefined && plan.total > 0) : false;
      const fn: PciFunction = {
        key: c.key,
        model: c.model,
        role: effectiveRole(c),
        bus: bus.number,
        device: c.addr.device,
        fn: c.addr.fn,
        bdf: formatBdf(bus.number, c.addr.device, c.addr.fn),
        busName: bus.name,
        vendorId: id.vendorId,
        deviceId: id.deviceId,
        subsystemVendorId: id.subsystemVendorId,
        subsystemId: id.subsystemId,
        revision: id.revision,
        classCode: id.classCode,
        headerType: id.headerLayout | (multifunction ? 0x80 : 0),
        multifunction,
        pcie: id.pcie,
        bars: id.bars.map((b) => ({ ...b })),
        romSize: id.romSize,
        intx: id.pin ? intxOf(c, id.pin) : undefined,
        bridge,
        sriov: undefined,
        ari,
        nvme,
        acpiIndex: c.desc?.acpiIndex,
        physfn: undefined,
        vfIndex: undefined,
        addrSource: c.addrSource,
        origin: originOf(c.desc),
      };
      functions.push(fn);
      occupied.set(bus.number * 256 + c.addr.device * 8 + c.addr.fn, c.key);
      if (plan) vfRequests.push({ node: c, fn, plan });
    }
    for (const c of bus.children) if (c.childBus && c.addr) visit(c.childBus);
  };
  visit(build.root);
  for (const r of vfRequests) addVfs(r.node, r.fn, r.plan, functions, occupied, diags);
  functions.sort((a, b) => a.bus - b.bus || a.device - b.device || a.fn - b.fn);
  buses.sort((a, b) => a.number - b.number);
  return { functions, buses };
}

/** QEMU emits the resource reserve capability when any reserve property is set (hw/pci/pci_bridge.c). */
function reserveOf(node: FnNode): BridgeInfo['reserve'] {
  const p = node.desc?.port;
  if (!p || !node.info?.bridge?.busReserve) return undefined;
  const any = node.busReserve > 0 || p.ioReserve !== undefined || p.memReserve !== undefined || p.pref32Reserve !== undefined || p.pref64Reserve !== undefined;
  if (!any) return undefined;
  const pref = p.pref64Reserve ?? p.pref32Reserve;
  return {
    ...(p.ioReserve !== undefined ? { io: p.ioReserve } : {}),
    ...(p.memReserve !== undefined ? { mem: p.memReserve } : {}),
    ...(pref !== undefined ? { pref } : {}),
    pref64: p.pref64Reserve !== undefined,
  };
}

function intxOf(node: FnNode, pin: number): PciFunction['intx'] {
  const path: number[] = [];
  let cur: FnNode = node;
  while (cur.parent.bridge && !cur.parent.expander) {
    path.push(cur.addr!.device);
    cur = cur.parent.bridge;
  }
  if (cur.parent.expander) return routeExpanderIntx(pin, path, cur.addr!.device, cur.parent.bridge!.addr!.device);
  return routeIntx(pin, path, cur.addr!.device);
}

function addVfs(node: FnNode, pf: PciFunction, plan: SriovPlan, functions: PciFunction[], occupied: Map<number, string>, diags: DiagnosticBag): void {
  const spec = node.info!.sriov!;
  const sriovSpans = node.desc!.sriov!.spans;
  const vfsSpan = sriovSpans['vfs'] ?? sriovSpans['$'];
  const pfRid = pf.bus * 256 + pf.device * 8 + pf.fn;
  const parentBridge = node.parent.bridge;
  const keys: string[] = [];
  const vfBars: Bar[] = pf.nvme ? [nvmeVfBar0(pf.nvme.budget)] : spec.vfBars.map((b) => ({ ...b }));
  if (spec.configurableRouting) {
    // User-created VFs are devices on the PF's bus from the start: all TotalVFs must fit there.
    const last = pfRid + plan.offset + (plan.total - 1) * plan.stride;
    if (last >> 8 !== pf.bus) {
      diags.report(Diag.userVfsOffBus, sriovSpans['total-vfs'] ?? sriovSpans['vf-offset'] ?? vfsSpan, {
        pf: node.key, model: node.model, last: formatBdf(last >> 8, (last & 0xff) >> 3, last & 7), bus: pf.bus.toString(16).padStart(2, '0'),
      });
      return;
    }
  }
  for (let i = 0; i < plan.num; i++) {
    const rid = pfRid + plan.offset + i * plan.stride;
    const bus = Math.floor(rid / 256);
    const dfn = rid % 256;
    const device = dfn >> 3;
    const fnNo = dfn & 7;
    const bdf = formatBdf(bus, device, fnNo);
    // Fixed routing (nvme, igb) keeps VFs on the PF's bus (function 0x1f.0 on pcie.0 is the LPC's); composed VFs are checked above.
    if (bus !== pf.bus) throw new Error(`${node.key}: VF ${i} at ${bdf} is off the PF's bus`);
    if (node.parent.kind === 'pcie-link' && device !== 0 && !(pf.ari && parentBridge?.info?.bridge?.ariForwarding)) {
      diags.report(Diag.vfsNeedAri, vfsSpan, { pf: node.key, last: bdf }, {
        notes: [{ message: pf.ari ? `${parentBridge?.key ?? 'the port'} (${parentBridge?.model ?? '?'}) does not forward ARI` : `${node.model} has no ARI capability` }],
      });
      return;
    }
    const owner = occupied.get(rid);
    if (owner !== undefined) {
      diags.report(Diag.vfCollision, vfsSpan, { pf: node.key, vf: i, bdf, owner });
      return;
    }
    const key = `${node.key}/vf${i}`;
    occupied.set(rid, key);
    keys.push(key);
    functions.push({
      key,
      model: node.model,
      role: 'vf',
      bus,
      device,
      fn: fnNo,
      bdf,
      busName: bus === pf.bus ? pf.busName : `${pf.busName}+${bus - pf.bus}`,
      vendorId: pf.vendorId,
      deviceId: spec.vfDeviceId,
      subsystemVendorId: pf.subsystemVendorId,
      subsystemId: pf.subsystemId,
      revision: pf.revision,
      classCode: pf.classCode,
      headerType: 0,
      multifunction: false,
      pcie: true,
      bars: vfBars,
      romSize: 0,
      intx: undefined,
      bridge: undefined,
      sriov: undefined,
      ari: pf.ari,
      nvme: pf.nvme,
      acpiIndex: undefined,
      physfn: node.key,
      vfIndex: i,
      addrSource: 'fixed',
      origin: { decl: vfsSpan!, props: sriovSpans },
    });
  }
  const info: SriovInfo = {
    totalVfs: plan.total,
    initialVfs: plan.total,
    numVfs: plan.num,
    offset: plan.offset,
    stride: plan.stride,
    vfDeviceId: spec.vfDeviceId,
    vfBars,
    vfs: keys,
  };
  (pf as { sriov: SriovInfo | undefined }).sriov = info;
}
