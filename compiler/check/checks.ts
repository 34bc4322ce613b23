/**
 * Semantic checks on the description, each a named function reporting its own
 * diagnostics. They need no resolution: everything here is decidable from
 * the file alone. Checks that need resolved numbers (bus budgets, VFs, IO and
 * MMIO space) live in the resolver, which knows those numbers.
 */
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { DeviceDesc, DriveDesc, MachineDescription } from '../model/description.js';
import { imagePathConcern } from '../emit/qemu/encode.js';
import { describeCharacter, escapeControlCharacters, firstControlCharacter } from '../util/text.js';
import type { Span } from '../source/source-file.js';
import { closest } from '../util/suggest.js';
import { formatSlotFn } from '../util/format.js';
import { busKindForBridge, modelInfo, type ModelInfo } from './models.js';
import { since } from '../model/target.js';
import { newerTargetFix, targetNote } from '../diagnostics/target.js';
import { allDeviceModels, deviceModel, type AttachedBus } from '../../runtime/devices/catalog.js';
import { sriovPlan } from './sriov.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { STDIN_PATH } from '../source/load.js';

export interface CheckContext {
  readonly desc: MachineDescription;
  readonly diags: DiagnosticBag;
  /** Look at the disk images on disk (MD1111): for the commands that hand them to QEMU. */
  readonly images: boolean;
  /** Devices by id (first declaration wins). */
  readonly byId: ReadonlyMap<string, DeviceDesc>;
}

/** Ids the chipset owns: the root bus and the built-in functions. */
export const BUILTIN_IDS = new Set(['pcie.0', 'mch', 'lpc', 'ahci', 'smbus', 'vga']);

export function makeContext(desc: MachineDescription, diags: DiagnosticBag, options: { images?: boolean } = {}): CheckContext {
  const byId = new Map<string, DeviceDesc>();
  for (const d of desc.devices) if (!byId.has(d.id)) byId.set(d.id, d);
  return { desc, diags, byId, images: options.images === true };
}

function lineOf(span: Span | undefined): number | undefined {
  return span?.line;
}

function idSpan(d: DeviceDesc): Span {
  return d.spans['id'] ?? d.spans['$']!;
}

/** MD1201: ids are unique across devices, namespaces and NUMA nodes, and not the chipset's. */
export function checkDuplicateIds(ctx: CheckContext): void {
  const seen = new Map<string, Span>();
  const claim = (id: string, span: Span) => {
    if (BUILTIN_IDS.has(id)) {
      ctx.diags.report(Diag.duplicateId, span, { id, line: undefined }, { notes: [{ message: 'the chipset has pcie.0, mch, lpc, ahci, smbus and vga' }], fix: { message: 'choose another id' } });
      return;
    }
    const prev = seen.get(id);
    if (prev) ctx.diags.report(Diag.duplicateId, span, { id, line: prev.line }, { notes: [{ message: `'${id}' is first used here`, span: prev }] });
    else seen.set(id, span);
  };
  for (const d of ctx.desc.devices) {
    claim(d.id, idSpan(d));
    for (const ns of d.namespaces) if (ns.spans['id']) claim(ns.id, ns.spans['id']);
    for (const p of d.ports) claim(p.id, p.spans['id'] ?? p.spans['$']!);
  }
  for (const n of ctx.desc.numa) claim(n.id, n.spans['id'] ?? n.spans['$']!);
}

/** MD1202, MD1213, MD1211, MD1205, MD1206: every bus reference names a bus that can take the device. */
export function checkBusReferences(ctx: CheckContext): void {
  const { desc, diags, byId } = ctx;
  const busIds: string[] = ['pcie.0', 'ahci', ...desc.devices.filter((d) => busKindForBridge(d.model) || modelInfo(d.model)?.controls).map((d) => d.id)];
  for (const d of desc.devices) {
    const info = modelInfo(d.model);
    if (!info) continue;
    const span = d.spans['bus'] ?? idSpan(d);
    if (info.role === 'attached') {
      checkAttachedBus(ctx, d, info, span, busIds);
      continue;
    }
    if (info.sata) {
      if (d.bus !== 'ahci') diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: d.bus, busKind: 'SATA drives sit on the AHCI controller (bus: ahci)' });
      else if (!desc.builtins.sata) diags.report(Diag.unknownReference, span, { id: 'ahci', kind: 'bus' }, { notes: [{ message: 'the AHCI controller is turned off', span: desc.builtins.spans['sata'] }] });
      continue;
    }
    if (info.role === 'expander' && d.bus !== 'pcie.0') {
      diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: d.bus, busKind: 'an expander bridge sits on the root bus pcie.0' }, d.spans['bus'] ? { fix: { message: 'put it on pcie.0', replace: { span, text: 'pcie.0' } } } : {});
      continue;
    }
    if (d.bus === 'pcie.0') {
      if (!info.onRoot) diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: 'pcie.0', busKind: info.notOnRootReason ?? 'it cannot sit on the root bus' }, placesFix(ctx, d, info, span));
      continue;
    }
    if (d.bus === 'ahci') {
      diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: 'ahci', busKind: 'the AHCI bus takes only SATA drives' }, placesFix(ctx, d, info, span));
      continue;
    }
    const parent = byId.get(d.bus);
    if (!parent) {
      const guess = closest(d.bus, busIds);
      diags.report(Diag.unknownReference, span, { id: d.bus, kind: 'bus' }, guess ? { fix: { message: `did you mean '${guess}'?`, replace: { span, text: guess } } } : {});
      continue;
    }
    const pinfo = modelInfo(parent.model);
    if (!pinfo) continue;
    if (pinfo.controls) {
      diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: parent.id, busKind: `${parent.model} is a ${ATTACHED_BUS_NAME[pinfo.controls.bus]} controller, whose bus takes only ${ATTACHED_MODELS[pinfo.controls.bus]}` }, placesFix(ctx, d, info, span));
      continue;
    }
    if (pinfo.role === 'expander') {
      const problem = placementProblem(info, 'pcie-root', true);
      if (problem) diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: parent.id, busKind: problem }, placesFix(ctx, d, info, span));
      continue;
    }
    if (!pinfo.bridge) {
      diags.report(Diag.notABus, span, { id: parent.id, model: parent.model }, { notes: [{ message: `${parent.id} is declared here`, span: idSpan(parent) }] });
      continue;
    }
    const kind = busKindForBridge(parent.model);
    const problem = placementProblem(info, kind);
    if (problem === 'conventional') diags.report(Diag.conventionalOnPcie, span, { device: d.id, model: d.model, bus: parent.id }, { fix: { message: 'place a pcie-pci-bridge behind this port and put the device on it' } });
    else if (problem) diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: parent.id, busKind: problem }, placesFix(ctx, d, info, span));
  }
  checkCycles(ctx);
}

/** What each kind of controller bus is called, which models sit on it and which controllers have one. */
const ATTACHED_BUS_NAME: Record<AttachedBus, string> = { scsi: 'SCSI', usb: 'USB', hda: 'HD Audio' };
const ATTACHED_MODELS: Record<AttachedBus, string> = {
  scsi: 'SCSI devices (scsi-hd, scsi-cd)',
  usb: 'USB devices (usb-tablet, usb-kbd, usb-storage)',
  hda: 'HD Audio codecs (hda-duplex, hda-output, hda-micro)',
};

function controllersOf(bus: AttachedBus): string[] {
  return allDeviceModels().filter((m) => m.controls?.bus === bus).map((m) => m.name);
}

/** MD1202, MD1205: a device attached to a controller names one whose bus takes it. */
function checkAttachedBus(ctx: CheckContext, d: DeviceDesc, info: ModelInfo, span: Span, busIds: readonly string[]): void {
  const kind = info.bus as AttachedBus;
  const controllers = ctx.desc.devices.filter((c) => modelInfo(c.model)?.controls?.bus === kind);
  const wanted = `${ATTACHED_MODELS[kind].replace(/ \(.*/, '')} sit on a ${controllersOf(kind).join(' or ')} controller (bus: its id)`;
  const fix = controllers.length > 0
    ? { fix: { message: `it can go on ${controllers.map((c) => c.id).join(', ')}`, ...(d.spans['bus'] ? { replace: { span, text: controllers[0]!.id } } : {}) } }
    : { fix: { message: `add a ${controllersOf(kind)[0]} and put the device on it (bus: its id)` } };
  if (d.bus === 'pcie.0' || d.bus === 'ahci') {
    ctx.diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: d.bus, busKind: wanted }, fix);
    return;
  }
  const parent = ctx.byId.get(d.bus);
  if (!parent) {
    const guess = closest(d.bus, busIds);
    ctx.diags.report(Diag.unknownReference, span, { id: d.bus, kind: 'bus' }, guess ? { fix: { message: `did you mean '${guess}'?`, replace: { span, text: guess } } } : fix);
    return;
  }
  if (modelInfo(parent.model)?.controls?.bus !== kind) {
    ctx.diags.report(Diag.wrongBus, span, { device: d.id, model: d.model, bus: parent.id, busKind: wanted }, { notes: [{ message: `${parent.id} is a ${parent.model}`, span: idSpan(parent) }], ...fix });
  }
}

/** MD1229: each device attached to a controller has its own place there (SCSI target and LUN, USB port, codec address), and the controller has room. */
export function checkAttachedPlaces(ctx: CheckContext): void {
  const byController = new Map<string, DeviceDesc[]>();
  for (const d of ctx.desc.devices) {
    const info = modelInfo(d.model);
    const parent = ctx.byId.get(d.bus);
    if (info?.role !== 'attached' || !parent || modelInfo(parent.model)?.controls?.bus !== info.bus) continue;
    let list = byController.get(d.bus);
    if (!list) byController.set(d.bus, (list = []));
    list.push(d);
  }
  for (const [controller, list] of byController) {
    const c = ctx.byId.get(controller)!;
    const controls = modelInfo(c.model)!.controls!;
    const what = controls.bus === 'scsi' ? 'SCSI target' : controls.bus === 'usb' ? 'USB port' : 'codec address';
    const seen = new Map<string, DeviceDesc>();
    for (const d of list) {
      if (d.place === undefined) continue;
      const key = controls.bus === 'scsi' ? `${d.place}:${d.lun ?? 0}` : `${d.place}`;
      const text = controls.bus === 'scsi' ? `SCSI target ${d.place} LUN ${d.lun ?? 0}` : `${what} ${d.place}`;
      const span = d.spans['target'] ?? d.spans['port'] ?? d.spans['address'] ?? idSpan(d);
      const prev = seen.get(key);
      if (prev) ctx.diags.report(Diag.placeInUse, span, { place: `${text} of ${controller}`, owner: prev.id, line: lineOf(idSpan(prev)) }, { notes: [{ message: `${prev.id} is there`, span: idSpan(prev) }] });
      else seen.set(key, d);
    }
    // Devices without a place take the free ones in file order; a USB controller has 4 ports, an HDA controller 15 codec addresses.
    const free = controls.places - new Set(list.filter((d) => d.place !== undefined).map((d) => d.place)).size;
    const automatic = list.filter((d) => d.place === undefined);
    for (const d of automatic.slice(Math.max(0, free))) {
      ctx.diags.report(Diag.placeInUse, idSpan(d), { place: `every ${what} of ${controller} (${controls.places})`, owner: 'other devices', line: undefined }, { fix: { message: `add another ${c.model} for it` } });
    }
  }
}

/**
 * Where device `d` could go instead, among the buses the file has: pcie.0,
 * and every port, switch or bridge whose bus takes this kind of device (a
 * PCIe link only while nothing else is on it), the file's own first. The
 * help names them, and replaces the bus with the first; with none, it says
 * what to add.
 */
function placesFor(ctx: CheckContext, d: DeviceDesc, info: ModelInfo): string[] {
  const places: string[] = [];
  for (const b of ctx.desc.devices) {
    if (b === d || b.id === d.bus) continue;
    const kind = busKindForBridge(b.model);
    if (!kind || placementProblem(info, kind, modelInfo(b.model)?.role === 'expander') !== undefined) continue;
    if (kind === 'pcie-link' && ctx.desc.devices.some((x) => x !== d && x.bus === b.id)) continue;
    places.push(b.id);
  }
  // The file's own ports and bridges first: a device put on the wrong one of them most likely belongs behind another.
  if (info.onRoot && d.bus !== 'pcie.0') places.push('pcie.0');
  return places;
}

function placesFix(ctx: CheckContext, d: DeviceDesc, info: ModelInfo, span: Span): { fix: { message: string; replace?: { span: Span; text: string } } } {
  const places = placesFor(ctx, d, info);
  if (places.length > 0) {
    const list = places.length > 6 ? `${places.slice(0, 6).join(', ')} and ${places.length - 6} more` : places.join(', ');
    return { fix: { message: `it can go on ${list}`, ...(d.spans['bus'] ? { replace: { span, text: places[0]! } } : {}) } };
  }
  const add =
    info.role === 'downstream-port'
      ? 'add an x3130-upstream switch port (on a root port) and put it there'
      : info.role === 'upstream-port'
        ? 'add a pcie-root-port (bus: pcie.0) and put the switch behind it'
        : info.pcie
          ? 'add a pcie-root-port (bus: pcie.0) and put it behind that'
          : 'add a pcie-pci-bridge (behind a root port) and put it there';
  return { fix: { message: add } };
}

/**
 * Why a device of this kind cannot sit on a bus of that kind, or undefined if it can. An expander's
 * root bus takes only root ports (QEMU docs/pcie.txt: PCI Express Root Ports start its hierarchies).
 */
export function placementProblem(info: ModelInfo, kind: ReturnType<typeof busKindForBridge>, expander = false): string | undefined {
  if (expander) return info.role === 'root-port' ? undefined : 'a PCIe expander bus takes only root ports (pcie-root-port, ioh3420): put the device behind one';
  switch (kind) {
    case 'pcie-switch':
      return info.role === 'downstream-port' ? undefined : `it is a switch's internal bus, which takes only xio3130-downstream ports`;
    case 'pcie-link':
      if (info.role === 'downstream-port') return 'downstream ports belong on a switch upstream port (x3130-upstream)';
      if (info.role === 'root-port') return 'root ports belong on pcie.0 or an expander bus (pxb-pcie)';
      if (!info.pcie) return 'conventional';
      return undefined;
    case 'pci':
      if (info.pcie && !info.conventionalOk) return 'it is a conventional PCI bus, which takes only conventional PCI devices';
      return undefined;
    default:
      return undefined;
  }
}

function checkCycles(ctx: CheckContext): void {
  const { desc, diags, byId } = ctx;
  const state = new Map<string, 1 | 2>();
  for (const d of desc.devices) {
    const chain: DeviceDesc[] = [];
    let cur: DeviceDesc | undefined = d;
    while (cur && !state.has(cur.id)) {
      state.set(cur.id, 1);
      chain.push(cur);
      cur = byId.get(cur.bus);
    }
    if (cur && state.get(cur.id) === 1) {
      diags.report(Diag.busCycle, cur.spans['bus'] ?? idSpan(cur), { device: cur.id });
    }
    for (const c of chain) state.set(c.id, 2);
  }
}

/** Root-bus addresses the chipset holds, with the function's name. */
export function reservedRootSlots(desc: MachineDescription): Map<string, string> {
  const m = new Map<string, string>();
  m.set('00.0', 'MCH host bridge');
  for (let f = 1; f < 8; f++) m.set(`00.${f}`, 'MCH host bridge slot');
  if (desc.builtins.display !== 'none') m.set('01.0', 'display (builtins.display)');
  for (let f = 0; f < 8; f++) m.set(`1f.${f}`, f === 0 ? 'ICH9 LPC bridge' : f === 2 ? 'ICH9 AHCI' : f === 3 ? 'ICH9 SMBus' : 'ICH9 slot');
  return m;
}

/** MD1203, MD1204, MD1209, MD1210, MD1212, MD1214: explicit addresses fit together. */
export function checkSlots(ctx: CheckContext): void {
  const { desc, diags, byId } = ctx;
  const reserved = reservedRootSlots(desc);
  const byBus = new Map<string, DeviceDesc[]>();
  for (const d of desc.devices) {
    const info = modelInfo(d.model);
    if (!info || info.sata || info.role === 'attached') continue;
    let list = byBus.get(d.bus);
    if (!list) byBus.set(d.bus, (list = []));
    list.push(d);
  }
  for (const [bus, list] of byBus) {
    const parent = byId.get(bus);
    const kind = bus === 'pcie.0' ? 'pcie-root' : parent ? busKindForBridge(parent.model) : undefined;
    const taken = new Map<string, DeviceDesc>();
    const slots = new Map<number, { fns: Set<number>; fn0?: DeviceDesc }>();
    for (const d of list) {
      if (!d.addr) continue;
      const key = formatSlotFn(d.addr.device, d.addr.fn);
      const span = d.spans['addr']!;
      if (kind === 'pci' && d.addr.device === 0) {
        diags.report(Diag.addrOutOfRange, span, { addr: key, detail: `device 0 on ${bus} belongs to the bridge's hot-plug controller (SHPC)` });
        continue;
      }
      if (bus === 'pcie.0' && reserved.has(key)) {
        diags.report(Diag.reservedSlot, span, { addr: `00:${key}`, owner: reserved.get(key)! });
        continue;
      }
      if (kind === 'pcie-link' && d.addr.device !== 0) {
        diags.report(Diag.linkDeviceNotZero, span, { device: d.id, bus, addr: key }, { fix: { message: `use addr: 0.${d.addr.fn}`, replace: { span, text: `0.${d.addr.fn}` } } });
        continue;
      }
      const prev = taken.get(key);
      if (prev) {
        diags.report(Diag.slotInUse, span, { addr: bus === 'pcie.0' ? `00:${key}` : `${key} on ${bus}`, owner: prev.id, line: lineOf(prev.spans['addr']) }, {
          notes: [{ message: `${prev.id} takes ${key} here`, span: prev.spans['addr'] }],
          fix: { message: 'give one of them another addr, or remove addr to let machc choose a free one' },
        });
        continue;
      }
      taken.set(key, d);
      let s = slots.get(d.addr.device);
      if (!s) slots.set(d.addr.device, (s = { fns: new Set() }));
      s.fns.add(d.addr.fn);
      if (d.addr.fn === 0) s.fn0 = d;
    }
    for (const [dev, s] of slots) {
      if (s.fns.size === 0) continue;
      const slotText = dev.toString(16).padStart(2, '0');
      if (!s.fn0) {
        const first = list.find((d) => d.addr && d.addr.device === dev)!;
        diags.report(Diag.multifunctionWithoutZero, first.spans['addr']!, { slot: slotText, bus }, { fix: { message: `put one of the slot's devices at ${slotText}.0` } });
      } else if (s.fns.size > 1 && s.fn0.multifunction === false) {
        diags.report(Diag.multifunctionOff, s.fn0.spans['multifunction'] ?? s.fn0.spans['addr']!, { slot: slotText, device: s.fn0.id });
      }
    }
  }
}

/** MD1208: (chassis, slot) pairs of PCIe ports are unique. */
export function checkChassisSlots(ctx: CheckContext): void {
  const seen = new Map<string, DeviceDesc>();
  for (const d of ctx.desc.devices) {
    if (!d.port || d.port.chassis === undefined || d.port.slot === undefined) continue;
    const key = `${d.port.chassis}/${d.port.slot}`;
    const prev = seen.get(key);
    const span = d.spans['slot'] ?? d.spans['chassis'] ?? idSpan(d);
    if (prev) {
      ctx.diags.report(Diag.duplicateChassisSlot, span, { chassis: d.port.chassis, slot: d.port.slot, owner: prev.id, line: lineOf(prev.spans['slot']) }, {
        notes: [{ message: `${prev.id} uses chassis ${d.port.chassis} slot ${d.port.slot}`, span: prev.spans['slot'] ?? idSpan(prev) }],
        fix: { message: 'give each port its own slot number within a chassis' },
      });
    } else seen.set(key, d);
  }
}

/** MD1207, MD1218, MD1228: removable devices are hot-pluggable and need a hot-pluggable slot. */
export function checkRemovable(ctx: CheckContext): void {
  for (const d of ctx.desc.devices) {
    if (!d.removable) continue;
    const span = d.spans['removable'] ?? idSpan(d);
    if (modelInfo(d.model)?.hotpluggable === false) {
      ctx.diags.report(Diag.notHotpluggable, span, { device: d.id, model: d.model });
      continue;
    }
    if (d.bus === 'pcie.0') {
      ctx.diags.report(Diag.hotplugOnRootBus, span, { device: d.id }, { fix: { message: 'put the device behind a pcie-root-port with hotplug: true' } });
      continue;
    }
    const parent = ctx.byId.get(d.bus);
    if (parent?.port && !parent.port.hotplug) {
      ctx.diags.report(Diag.hotplugOff, span, { device: d.id, port: parent.id }, { notes: [{ message: `hotplug is turned off here`, span: parent.spans['hotplug'] }] });
    }
  }
}

/** MD1216: each AHCI port holds one drive. */
export function checkSataPorts(ctx: CheckContext): void {
  const used = new Map<number, DeviceDesc>();
  for (const d of ctx.desc.devices) {
    if (d.sataPort === undefined) continue;
    const prev = used.get(d.sataPort);
    if (prev) ctx.diags.report(Diag.sataPortInUse, d.spans['port']!, { port: d.sataPort, owner: prev.id, line: lineOf(prev.spans['port']) }, { notes: [{ message: `${prev.id} is on port ${d.sataPort}`, span: prev.spans['port'] }] });
    else used.set(d.sataPort, d);
  }
  // MD1313: drives without a port take the free ones; there are six.
  const drives = ctx.desc.devices.filter((d) => modelInfo(d.model)?.sata);
  const automatic = drives.filter((d) => d.sataPort === undefined);
  const free = AHCI_PORTS - used.size;
  for (const d of automatic.slice(Math.max(0, free))) ctx.diags.report(Diag.sataPortsExhausted, d.spans['$']!, { device: d.id, count: drives.length });
}

/** Ports of the ICH9 AHCI controller. */
const AHCI_PORTS = 6;

/** MD1202, MD1217: boot entries name bootable devices. */
export function checkBoot(ctx: CheckContext): void {
  for (const b of ctx.desc.boot) {
    const d = ctx.byId.get(b.id);
    if (!d) {
      const guess = closest(b.id, [...ctx.byId.keys()]);
      ctx.diags.report(Diag.unknownReference, b.span, { id: b.id, kind: 'device' }, guess ? { fix: { message: `did you mean '${guess}'?`, replace: { span: b.span, text: guess } } } : {});
      continue;
    }
    const info = modelInfo(d.model);
    if (info && !info.bootable) ctx.diags.report(Diag.bootUnbootable, b.span, { id: b.id, model: d.model });
  }
}

/** QEMU's MAX_NODES (include/sysemu/numa.h). */
const MAX_NUMA_NODES = 128;

/** MD1310, MD1311: CPU topology and NUMA nodes add up. */
export function checkCpusAndNuma(ctx: CheckContext): void {
  const { desc, diags } = ctx;
  const c = desc.cpus;
  const span = c.spans['$']!;
  const product = c.sockets * c.dies * c.cores * c.threads;
  if (c.max !== product) {
    diags.report(Diag.cpuTopology, span, { detail: `${c.sockets} sockets × ${c.dies} dies × ${c.cores} cores × ${c.threads} threads = ${product} CPUs, but ${c.max === c.count ? 'the count' : 'max'} is ${c.max}` });
  } else if (c.count > c.max) {
    diags.report(Diag.cpuTopology, c.spans['count'] ?? span, { detail: `count ${c.count} is more than max ${c.max}` });
  } else if (c.max > 288) {
    diags.report(Diag.cpuTopology, span, { detail: `q35 supports at most 288 CPUs, not ${c.max}` });
  }
  if (desc.numa.length === 0) return;
  if (desc.numa.length > MAX_NUMA_NODES) {
    diags.report(Diag.numaMismatch, desc.numa[MAX_NUMA_NODES]!.spans['$']!, { detail: `QEMU supports at most ${MAX_NUMA_NODES} NUMA nodes, this machine has ${desc.numa.length}` });
  }
  let total = 0;
  const owner = new Map<number, string>();
  for (const n of desc.numa) {
    total += n.memory;
    for (const cpu of n.cpus) {
      const cpuSpan = n.spans['cpus'] ?? n.spans['$']!;
      if (cpu >= c.max) diags.report(Diag.numaMismatch, cpuSpan, { detail: `CPU ${cpu} does not exist (the machine has ${c.max})` });
      else if (owner.has(cpu)) diags.report(Diag.numaMismatch, cpuSpan, { detail: `CPU ${cpu} is already in node ${owner.get(cpu)}` });
      else owner.set(cpu, n.id);
    }
  }
  if (total !== desc.memory.size) {
    diags.report(Diag.numaMismatch, desc.numa[0]!.spans['$']!, { detail: `the nodes hold ${total} bytes of memory but the machine has ${desc.memory.size}` });
  }
  if (owner.size < c.max) {
    const missing = [...Array(c.max).keys()].filter((i) => !owner.has(i));
    diags.report(Diag.numaMismatch, desc.numa[0]!.spans['$']!, { detail: `CPU${missing.length > 1 ? 's' : ''} ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''} ${missing.length > 1 ? 'are' : 'is'} in no node` });
  }
}

/**
 * MD1230, MD1202: each expander bridge names its root bus, a number no other expander takes and
 * that is not bus 0 (QEMU bus_nr), and a NUMA node the machine has. Whether the buses fit between the
 * expanders' numbers is known after numbering (MD1319, in the resolver).
 */
export function checkExpanders(ctx: CheckContext): void {
  const { desc, diags } = ctx;
  const byNr = new Map<number, DeviceDesc>();
  const nodes = new Set(desc.numa.map((n) => n.id));
  for (const d of desc.devices) {
    if (!d.expander) continue;
    const nr = d.expander.busNr;
    const nrSpan = d.spans['bus-nr'];
    if (nr === undefined) {
      diags.report(Diag.expanderBus, idSpan(d), { device: d.id, detail: 'it needs bus-nr, the number of the root bus it opens (1-255)' }, { fix: { message: 'add bus-nr, e.g. bus-nr: 0x40' } });
    } else if (nr === 0) {
      diags.report(Diag.expanderBus, nrSpan, { device: d.id, detail: 'bus 0 is pcie.0' });
    } else {
      const prev = byNr.get(nr);
      if (prev) {
        diags.report(Diag.expanderBus, nrSpan, { device: d.id, detail: `bus ${formatBusNr(nr)} is already the root bus of ${prev.id} (line ${lineOf(prev.spans['bus-nr'])})` }, {
          notes: [{ message: `${prev.id} takes bus ${formatBusNr(nr)} here`, span: prev.spans['bus-nr'] }],
        });
      } else byNr.set(nr, d);
    }
    const node = d.expander.numaNode;
    if (node !== undefined && !nodes.has(node)) {
      const span = d.spans['numa-node'] ?? idSpan(d);
      const guess = closest(node, [...nodes]);
      diags.report(Diag.unknownReference, span, { id: node, kind: 'NUMA node' }, guess
        ? { fix: { message: `did you mean '${guess}'?`, replace: { span, text: guess } } }
        : { notes: [{ message: desc.numa.length === 0 ? 'the machine has no numa: section' : `the nodes are ${desc.numa.map((n) => n.id).join(', ')}` }] });
    }
  }
}

const formatBusNr = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** Models QEMU allows once per machine. */
const SINGLE_INSTANCE_MODELS = new Set(['virtio-balloon']);

/** MD1215, MD1309, MD1305, MD1312, MD1226, MD1227: built-ins and SR-IOV requests fit the models; one balloon; virtio-serial channel names unique. */
export function checkModels(ctx: CheckContext): void {
  const first = new Map<string, DeviceDesc>();
  const portNames = new Map<string, Span>();
  for (const d of ctx.desc.devices) {
    const info = modelInfo(d.model);
    if (!info) continue;
    if (d.sriov && !info.sriov) ctx.diags.report(Diag.sriovUnsupported, d.spans['sriov']!, { model: d.model });
    else if (d.sriov && info.sriov) sriovPlan(d, info.sriov, ctx.diags);
    if (SINGLE_INSTANCE_MODELS.has(d.model)) {
      const prev = first.get(d.model);
      if (prev) ctx.diags.report(Diag.singleInstance, d.spans['model'] ?? idSpan(d), { model: d.model, line: lineOf(idSpan(prev)) }, { notes: [{ message: `${prev.id} is declared here`, span: idSpan(prev) }] });
      else first.set(d.model, d);
    }
    for (const p of d.ports) {
      if (p.name === undefined) continue;
      const span = p.spans['name'] ?? p.spans['$']!;
      const prev = portNames.get(p.name);
      if (prev) ctx.diags.report(Diag.duplicatePortName, span, { name: p.name, line: prev.line }, { notes: [{ message: `'${p.name}' is first used here`, span: prev }] });
      else portNames.set(p.name, span);
    }
  }
}

/** MD1109, MD1110: the strings QEMU is given (image paths, serials) are one line of text; images are plain file paths. */
export function checkQemuStrings(ctx: CheckContext): void {
  const text = (what: string, value: string | undefined, span: Span | undefined): boolean => {
    if (value === undefined || !span) return true;
    const bad = firstControlCharacter(value);
    if (bad) ctx.diags.report(Diag.controlCharacter, span, { what, character: describeCharacter(bad.code), index: bad.index });
    return !bad;
  };
  const image = (drive: DriveDesc | undefined, span: Span | undefined): void => {
    if (!drive || !text(`image path '${escapeControlCharacters(drive.image)}'`, drive.image, span)) return;
    const reason = imagePathConcern(drive.image);
    if (reason && span) ctx.diags.report(Diag.imageNotAFile, span, { image: drive.image, reason });
    else if (span && ctx.images) checkImageFile(ctx, drive.image, span);
  };
  for (const d of ctx.desc.devices) {
    image(d.drive, d.spans['image']);
    text('serial', d.serial, d.spans['serial']);
    for (const ns of d.namespaces) image(ns.drive, ns.spans['image']);
  }
}

/** MD1318: controllers of one NVMe subsystem share a serial, and nsids are unique across it. */
export function checkNvmeSubsystems(ctx: CheckContext): void {
  const groups = new Map<string, DeviceDesc[]>();
  for (const d of ctx.desc.devices) {
    const nqn = d.model === 'nvme' ? d.nvme?.nqn : undefined;
    if (nqn !== undefined) groups.set(nqn, [...(groups.get(nqn) ?? []), d]);
  }
  for (const [nqn, ctrls] of groups) {
    const first = ctrls.find((d) => d.serial !== undefined);
    for (const d of ctrls) {
      if (first && d !== first && d.serial !== undefined && d.serial !== first.serial) {
        ctx.diags.report(Diag.nvmeSubsystemConflict, d.spans['serial']!, { nqn, detail: `${d.id} has serial '${d.serial}', but ${first.id} gives the subsystem '${first.serial}'` }, {
          notes: [{ message: `${first.id}'s serial`, span: first.spans['serial'] }],
          fix: { message: `give ${d.id} serial ${first.serial}, or leave its serial out` },
        });
      }
    }
    const nsids = new Map<number, { id: string; span: Span | undefined }>();
    for (const d of ctrls) {
      const own = d.drive ? [{ nsid: 1, span: d.spans['image'] }] : [];
      for (const ns of [...own, ...d.namespaces.map((n) => ({ nsid: n.nsid, span: n.spans['nsid'] ?? n.spans['$'] }))]) {
        const prev = nsids.get(ns.nsid);
        if (prev && ns.span) {
          ctx.diags.report(Diag.nvmeSubsystemConflict, ns.span, { nqn, detail: `namespace ${ns.nsid} of ${d.id} is already namespace ${ns.nsid} of ${prev.id}` }, {
            notes: prev.span ? [{ message: `${prev.id}'s namespace ${ns.nsid}`, span: prev.span }] : [],
          });
        } else nsids.set(ns.nsid, { id: d.id, span: ns.span });
      }
    }
  }
}

/** MD1601: every model and SR-IOV function exists in the target QEMU. */
export function checkTarget(ctx: CheckContext): void {
  const { desc, diags } = ctx;
  const target = desc.qemu;
  const lacks = (span: Span, what: string, version: string) =>
    diags.report(Diag.targetLacksModel, span, { what, since: version, target: target.version }, { notes: targetNote(desc), fix: newerTargetFix(version) });
  for (const d of desc.devices) {
    const info = deviceModel(d.model);
    if (!info) continue;
    if (!since(target, info.qemuSince)) lacks(d.spans['model'] ?? idSpan(d), `${d.model} (${d.id})`, info.qemuSince);
    else if (d.sriov && info.sriov && !since(target, info.sriov.qemuSince)) lacks(d.spans['sriov'] ?? idSpan(d), `SR-IOV on ${d.model} (${d.id})`, info.sriov.qemuSince);
  }
}

/**
 * MD1111: an image that is not there, or too small to hold a sector. Image
 * paths are relative to the machine file (standard input: the working
 * directory); a file that is not on disk (a revision's, under diff --git) is
 * not looked at.
 */
function checkImageFile(ctx: CheckContext, image: string, span: Span): void {
  const file = ctx.desc.file;
  const base = file === STDIN_PATH ? process.cwd() : existsSync(file) ? dirname(file) : undefined;
  if (base === undefined) return;
  let st;
  try {
    st = statSync(resolve(base, image));
  } catch {
    ctx.diags.report(Diag.imageMissing, span, { image, problem: `does not exist (relative to ${file === STDIN_PATH ? 'the working directory' : 'the machine file'})` });
    return;
  }
  if (st.isFile() && st.size < 512) ctx.diags.report(Diag.imageMissing, span, { image, problem: `is ${st.size} bytes, smaller than one 512-byte sector` });
}

/** MD1224: a switch has downstream ports. (Models the target QEMU lacks are MD1601, checkTarget.) */
export function checkWarnings(ctx: CheckContext): void {
  const { desc, diags } = ctx;
  for (const d of desc.devices) {
    const info = modelInfo(d.model);
    if (!info) continue;
    if (info.role === 'upstream-port' && !desc.devices.some((x) => x.bus === d.id)) {
      diags.report(Diag.switchWithoutPorts, idSpan(d), { device: d.id }, { fix: { message: `add xio3130-downstream ports with bus: ${d.id}` } });
    }
  }
}

export const ALL_CHECKS: readonly ((ctx: CheckContext) => void)[] = [
  checkDuplicateIds,
  checkBusReferences,
  checkSlots,
  checkChassisSlots,
  checkRemovable,
  checkSataPorts,
  checkAttachedPlaces,
  checkBoot,
  checkCpusAndNuma,
  checkModels,
  checkExpanders,
  checkQemuStrings,
  checkNvmeSubsystems,
  checkTarget,
  checkWarnings,
];

export function runChecks(desc: MachineDescription, diags: DiagnosticBag, options: { images?: boolean } = {}): CheckContext {
  const ctx = makeContext(desc, diags, options);
  for (const check of ALL_CHECKS) check(ctx);
  return ctx;
}
