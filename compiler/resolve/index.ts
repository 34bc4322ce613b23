/**
 * The resolve pass: MachineDescription -> ResolvedMachine, as QEMU 7.2 and
 * SeaBIOS 1.16.2 would lay the machine out. Reports the problems only
 * resolution can see (bus and VF budgets, IO and MMIO exhaustion, locked
 * addresses that would move).
 */
import { Diag } from '../diagnostics/catalog.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { DeviceDesc, MachineDescription } from '../model/description.js';
import type { AttachedDevice, BootEntry, NumaNode, PciFunction, Platform, ResolvedMachine, SataDrive } from '../model/topology.js';
import type { Span } from '../source/source-file.js';
import { humanSize } from '../util/format.js';
import { checkAcpiIndexes } from './acpi-index.js';
import { resolveCpus } from './cpus.js';
import { planFirmware, planFunction, type PlanFunction } from './firmware-plan.js';
import { interruptRouting } from './interrupts.js';
import type { AddressLock } from './lock.js';
import { FOUR_GIB, RCBA_BASE, BIOS_SIZE, resolveMemory } from './memory.js';
import { assignAddresses, buildFunctions, buildTree, numberBuses, type FnNode, type PciBuild } from './pci.js';
import { deviceModel } from '../../runtime/devices/catalog.js';

export interface ResolveOptions {
  /** The address lockfile, when one is in force. */
  readonly lock?: AddressLock | undefined;
}

export function platformOf(desc: MachineDescription): Platform {
  return {
    ioapic: { id: 0, address: 0xfec0_0000, gsiBase: 0, pins: 24 },
    lapicAddress: 0xfee0_0000,
    hpet: { address: 0xfed0_0000 },
    rcba: RCBA_BASE,
    biosFlash: { base: FOUR_GIB - BIOS_SIZE, size: BIOS_SIZE },
    pm: { base: 0x600, sciIrq: 9, gpe0: { base: 0x620, size: 16 }, timer: 0x608 },
    fwCfgPort: 0x510,
    debugconPort: 0x402,
    pciHotplugPorts: { base: 0x0cc0, size: 0x18 },
    cpuHotplugPorts: { base: 0x0cd8, size: 0x0c },
    display: desc.builtins.display,
    // QEMU creates the RTC, then the default serial and parallel ports, then the i8042.
    isa: [
      { kind: 'i8042', kbdIrq: 1, mouseIrq: 12 },
      { kind: 'parallel', index: 0, iobase: 0x378, irq: 7 },
      { kind: 'serial', index: 0, iobase: 0x3f8, irq: 4 },
      { kind: 'rtc', iobase: 0x70, irq: 8 },
    ],
  };
}

/**
 * Keeps locked bus numbers: where a bridge would now get a lower secondary bus
 * than the lock says (a bridge before it was removed), the previous sibling
 * root port reserves the gap (bus-reserve). Where it would get a higher one,
 * something new enumerates before it: that is reported.
 */
function pinBusNumbers(build: PciBuild, lock: AddressLock, diags: DiagnosticBag): void {
  const bridges = (): FnNode[] => {
    const out: FnNode[] = [];
    const walk = (children: readonly FnNode[]) => {
      for (const c of children) if (c.childBus && c.addr) {
        if (!c.childBus.expander) out.push(c);
        walk(c.childBus.children);
      }
    };
    walk(build.root.children);
    return out;
  };
  for (let guard = 0; guard < 512; guard++) {
    numberBuses(build);
    const list = bridges();
    const moved = list.find((b) => {
      const l = lock.devices.get(b.key)?.secondary;
      return l !== undefined && l !== b.childBus!.number;
    });
    if (!moved) return;
    const locked = lock.devices.get(moved.key)!.secondary!;
    const now = moved.childBus!.number;
    const span = moved.desc?.spans['$'];
    if (now < locked) {
      const siblings = moved.parent.children.filter((c) => c.childBus && c.addr && c.addr.device * 8 + c.addr.fn < moved.addr!.device * 8 + moved.addr!.fn);
      const prev = siblings[siblings.length - 1];
      if (prev && prev.info?.bridge?.busReserve) {
        prev.busReserve = locked - 1 - prev.childBus!.number;
        continue;
      }
    }
    const culprit = now > locked ? list.find((b) => !lock.devices.has(b.key)) : undefined;
    diags.report(Diag.lockRenumber, span, { id: moved.key, locked, now }, {
      notes: culprit ? [{ message: `${culprit.key} is new and enumerates before ${moved.key}`, span: culprit.desc?.spans['$'] }] : [],
      fix: { message: culprit ? `give ${culprit.key} an address after ${moved.key}, or accept the renumbering with machc check --lock --relock` : 'accept the renumbering with machc check --lock --relock' },
    });
    return;
  }
}

export function resolveMachine(desc: MachineDescription, diags: DiagnosticBag, options: ResolveOptions = {}): ResolvedMachine | undefined {
  const cpus = resolveCpus(desc.cpus, desc.numa);
  const build = buildTree(desc);
  assignAddresses(build, options.lock, diags);
  if (diags.hasErrors) return undefined;
  let { maxBus } = numberBuses(build);
  if (options.lock) {
    pinBusNumbers(build, options.lock, diags);
    maxBus = numberBuses(build).maxBus;
  }
  const numbered = numberBuses(build);
  for (const { node, used } of numbered.badReserves) {
    diags.report(Diag.busReserveTooSmall, node.desc?.spans['bus-reserve'], { port: node.key, reserve: node.busReserve, used });
  }
  for (const { root, next } of numbered.overlaps) {
    const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
    const nr = next.desc?.expander?.busNr ?? 0;
    diags.report(Diag.expanderBusNumbers, next.desc?.spans['bus-nr'] ?? next.desc?.spans['$'], {
      bus: root.bridge ? `${root.bridge.key}'s root bus ${hex(root.number)}` : 'pcie.0', last: hex(root.subordinate), next: `bus-nr ${hex(nr)}`, owner: next.key,
    }, root.bridge?.desc?.spans['bus-nr'] ? { notes: [{ message: `${root.bridge.key}'s root bus is numbered here`, span: root.bridge.desc.spans['bus-nr'] }] } : {});
  }
  if (numbered.overlaps.length > 0) return undefined;
  const busesNeeded = Math.max(maxBus, build.root.subordinate) + 1;
  if (busesNeeded > 256) {
    diags.report(Diag.busNumbersExhausted, desc.spans['devices$key'] ?? desc.spans['$'], { needed: busesNeeded, available: 256 });
    return undefined;
  }
  const { functions, buses } = buildFunctions(build, diags);
  checkAcpiIndexes(desc, functions, buses, diags);
  if (diags.hasErrors) return undefined;

  const memory = resolveMemory(desc.memory, cpus, diags, { firmwareBufferPages: seabiosDriverPages(desc) });
  if (!memory) return undefined;

  const planInput: PlanFunction[] = functions.filter((f) => f.role !== 'vf').map((f) => planFunction(f));
  const ramAbove4gEnd = memory.above4g > 0 ? memory.above4gBase + memory.above4g : FOUR_GIB;
  const { plan, windows, rootSums } = planFirmware(planInput, buses.length === 0 ? 1 : buses[buses.length - 1]!.number + 1, ramAbove4gEnd);
  const withWindows: PciFunction[] = functions.map((f) => {
    const w = f.bridge ? windows.get(f.key) : undefined;
    return w && f.bridge ? { ...f, bridge: { ...f.bridge, windows: { io: w.io, mem: w.mem, prefmem: w.prefmem }, prefmem64: w.prefmem64 } } : f;
  });
  reportPlanFailure(plan.failure, rootSums, withWindows, desc, diags);
  if (diags.hasErrors) return undefined;

  return {
    name: desc.name,
    file: desc.file,
    description: desc.description,
    chipset: 'q35',
    qemu: desc.qemu,
    acpi: desc.acpi,
    cpus,
    memory,
    numa: resolveNuma(desc, memory.below4g, memory.above4gBase),
    platform: platformOf(desc),
    pci: {
      segment: 0,
      buses,
      functions: withWindows,
      rootNeeds: { io: rootSums.io, mem: rootSums.mem, prefmem: rootSums.prefmem, prefmemAbove4g: plan.mem64 !== undefined },
    },
    interrupts: interruptRouting(),
    storage: { sata: sataDrives(desc), attached: byControllerAddress(attachedDevices(desc), withWindows) },
    boot: bootEntries(desc, withWindows),
    firmware: plan,
    devices: desc.devices,
    origin: { decl: desc.spans['$']!, props: desc.spans },
  };
}

function reportPlanFailure(
  failure: 'io' | 'mem32' | undefined,
  sums: { io: number; mem: number; prefmem: number },
  functions: readonly PciFunction[],
  desc: MachineDescription,
  diags: DiagnosticBag,
): void {
  if (!failure) return;
  const span = desc.spans['devices$key'] ?? desc.spans['$'];
  if (failure === 'io') {
    const users = functions.filter((f) => f.bus === 0 && ((f.bridge?.windows.io ?? 0) > 0 || f.bars.some((b) => b.kind === 'io')));
    const ioOf = (f: PciFunction) => f.bridge?.windows.io ?? f.bars.filter((b) => b.kind === 'io').reduce((a, b) => a + b.size, 0);
    diags.report(Diag.ioExhausted, span, { needed: humanSize(sums.io), available: humanSize(0xf000) }, {
      notes: listNotes(users, (f) => `${f.key} at ${f.bdf} takes ${humanSize(ioOf(f))} of IO`),
      fix: { message: 'IO windows open only for ports with IO BARs behind them: prefer virtio or nvme behind PCIe ports (no IO BAR), or put conventional devices behind one shared pcie-pci-bridge' },
    });
  } else {
    const big = functions.filter((f) => f.bus === 0).map((f) => ({ f, need: (f.bridge ? f.bridge.windows.mem + f.bridge.windows.prefmem : f.bars.filter((b) => b.kind !== 'io').reduce((a, b) => a + b.size, 0) + f.romSize) })).sort((a, b) => b.need - a.need);
    const needOf = new Map(big.map(({ f, need }) => [f, need]));
    diags.report(Diag.mmio32Exhausted, span, { needed: humanSize(sums.mem + sums.prefmem), available: humanSize(0xfec0_0000 - 0xc000_0000) }, {
      notes: listNotes(big.map((b) => b.f), (f) => `${f.key} at ${f.bdf} needs ${humanSize(needOf.get(f) ?? 0)} below 4 GiB`),
    });
  }
}

/** The first few items as located notes, then a count of the rest. */
function listNotes(items: readonly PciFunction[], text: (f: PciFunction) => string): { message: string; span?: Span }[] {
  const shown = items.slice(0, 3).map((f) => ({ message: text(f), ...(f.origin ? { span: f.origin.decl } : {}) }));
  if (items.length > 3) shown.push({ message: `and ${items.length - 3} more` });
  return shown;
}

function resolveNuma(desc: MachineDescription, below4g: number, above4gBase: number): NumaNode[] {
  // QEMU assigns node memory in order, low RAM first, continuing above 4 GiB.
  let cursor = 0;
  return desc.numa.map((n, index) => {
    const ranges: { base: number; size: number }[] = [];
    let left = n.memory;
    while (left > 0) {
      if (cursor < below4g) {
        const take = Math.min(left, below4g - cursor);
        ranges.push({ base: cursor, size: take });
        cursor += take;
        left -= take;
      } else {
        const base = above4gBase + (cursor - below4g);
        ranges.push({ base, size: left });
        cursor += left;
        left = 0;
      }
    }
    return { id: n.id, index, cpus: n.cpus, memory: ranges, origin: { decl: n.spans['$']!, props: n.spans } };
  });
}

function sataDrives(desc: MachineDescription): SataDrive[] {
  const drives: SataDrive[] = [];
  const used = new Set<number>();
  for (const d of desc.devices) if (d.sataPort !== undefined) used.add(d.sataPort);
  let next = 0;
  for (const d of desc.devices) {
    if (d.model !== 'sata-disk' && d.model !== 'sata-cdrom') continue;
    let port = d.sataPort;
    if (port === undefined) {
      while (used.has(next)) next++;
      port = next;
      used.add(port);
    }
    drives.push({
      id: d.id,
      kind: d.model === 'sata-disk' ? 'disk' : 'cdrom',
      port,
      image: d.drive?.image,
      format: d.drive?.format ?? 'raw',
      readonly: d.drive?.readonly ?? d.model === 'sata-cdrom',
      origin: { decl: d.spans['$']!, props: d.spans },
    });
  }
  return drives.sort((a, b) => a.port - b.port);
}

/**
 * Devices on controllers with their places: what the file gives, else the
 * first free one in file order, as QEMU picks them (scsi_qdev_realize: the
 * first free target at the LUN; usb_claim_port: the first free port;
 * hda_codec_dev_realize: the next codec address).
 */
export function attachedDevices(desc: MachineDescription): AttachedDevice[] {
  const controllers = desc.devices.filter((d) => deviceModel(d.model)?.controls);
  const out: AttachedDevice[] = [];
  for (const c of controllers) {
    const controls = deviceModel(c.model)!.controls!;
    const first = controls.bus === 'usb' ? 1 : 0;
    const list = desc.devices.filter((d) => d.bus === c.id && deviceModel(d.model)?.role === 'attached' && deviceModel(d.model)?.bus === controls.bus);
    const used = new Set(list.filter((d) => d.place !== undefined).map((d) => `${d.place}:${d.lun ?? 0}`));
    const placed: AttachedDevice[] = [];
    for (const d of list) {
      const lun = d.lun ?? 0;
      let place = d.place;
      if (place === undefined) {
        place = first;
        while (used.has(`${place}:${lun}`)) place++;
        used.add(`${place}:${lun}`);
      }
      const cdrom = d.model === 'scsi-cd';
      placed.push({
        id: d.id, model: d.model, bus: controls.bus, controller: c.id, place, lun,
        image: d.drive?.image, format: d.drive?.format ?? 'raw', readonly: d.drive?.readonly ?? cdrom,
        origin: { decl: d.spans['$']!, props: d.spans },
      });
    }
    out.push(...placed.sort((a, b) => a.place - b.place || a.lun - b.lun));
  }
  return out;
}

/** Attached devices in the order of their controllers' addresses (bus, device, function), as the firmware meets them. */
function byControllerAddress(list: readonly AttachedDevice[], functions: readonly PciFunction[]): AttachedDevice[] {
  const rank = new Map(functions.map((f, i) => [f.key, i]));
  return [...list].sort((a, b) => (rank.get(a.controller) ?? 0) - (rank.get(b.controller) ?? 0) || a.place - b.place || a.lun - b.lun);
}

/** OpenFirmware paths as QEMU writes them into fw_cfg bootorder (softmmu/bootdevice.c). */
function bootEntries(desc: MachineDescription, functions: readonly PciFunction[]): BootEntry[] {
  const byKey = new Map(functions.map((f) => [f.key, f]));
  const byId = new Map<string, DeviceDesc>(desc.devices.map((d) => [d.id, d]));
  const sata = sataDrives(desc);
  const attached = new Map(attachedDevices(desc).map((a) => [a.id, a]));
  // An expander's root bus is host bridge N (1-based, by bus-nr) of the path: /pci@i0cf8,N (QEMU pxb_host_ofw_unit_address).
  const expanders = functions.filter((f) => f.role === 'expander').sort((a, b) => (byId.get(a.key)?.expander?.busNr ?? 0) - (byId.get(b.key)?.expander?.busNr ?? 0));
  const pciPath = (f: PciFunction): string => {
    const parts: string[] = [];
    let cur: PciFunction | undefined = f;
    let host = '';
    while (cur) {
      const name = cur === f ? fwName(cur) : 'pci-bridge';
      parts.unshift(`${name}@${cur.device.toString(16)}${cur.fn ? `,${cur.fn.toString(16)}` : ''}`);
      const bridgeKey: string | undefined = cur.busName === 'pcie.0' ? undefined : cur.busName;
      const up: PciFunction | undefined = bridgeKey ? byKey.get(bridgeKey) : undefined;
      if (up?.role === 'expander') {
        host = `,${(expanders.indexOf(up) + 1).toString(16)}`;
        break;
      }
      cur = up;
    }
    return `/pci@i0cf8${host}/${parts.join('/')}`;
  };
  return desc.boot.flatMap((b): BootEntry[] => {
    const d = byId.get(b.id);
    if (!d) return [];
    if (d.model === 'sata-disk' || d.model === 'sata-cdrom') {
      const drive = sata.find((s) => s.id === d.id)!;
      return [{ id: b.id, path: `/pci@i0cf8/pci8086,2922@1f,2/drive@${drive.port}/disk@0`, span: b.span }];
    }
    const a = attached.get(d.id);
    if (a) {
      const c = byKey.get(a.controller);
      if (!c) return [];
      // scsi_bus_get_fw_dev_path: channel@C/disk@T,L (scsi-cd too); usb_get_fw_dev_path: the device's name (storage) @port,
      // then usb-storage's own SCSI bus.
      const path = a.bus === 'scsi' ? `/channel@0/disk@${a.place.toString(16)},${a.lun.toString(16)}` : `/storage@${a.place}/channel@0/disk@0,0`;
      return [{ id: b.id, path: `${pciPath(c)}${path}`, span: b.span }];
    }
    const f = byKey.get(d.id);
    if (!f) return [];
    const base = pciPath(f);
    const suffix = d.model === 'nvme' ? '/namespace@1,0' : f.classCode >> 16 === 0x02 ? '/ethernet-phy@0' : '/disk@0,0';
    return [{ id: b.id, path: `${base}${suffix}`, span: b.span }];
  });
}

/** The OpenFirmware node name QEMU derives from the class code (hw/pci/pci.c pci_dev_fw_name). */
function fwName(f: PciFunction): string {
  switch (f.classCode >> 8) {
    case 0x0604:
      return 'pci-bridge';
    case 0x0200:
      return 'ethernet';
    case 0x0100:
      return 'scsi';
    case 0x0101:
      return 'ide';
    case 0x0300:
      return 'display';
    case 0x0c03:
      return 'usb';
    case 0x0601:
      return 'isa';
    default:
      return `pci${f.vendorId.toString(16).padStart(4, '0')},${f.deviceId.toString(16).padStart(4, '0')}`;
  }
}

/**
 * Pages SeaBIOS 1.16.2's disk drivers keep in ZoneHigh, at the top of low RAM
 * (queues, rings, buffers), as measured by booting it: every capture's e820
 * map in tests/fixtures/captures (tests/compiler/references.test.ts) and
 * SeaBIOS alone on QEMU 7.2 for the mixes no capture has:
 * the AHCI controller 1 (its disks nothing more), each virtio-blk 3, each
 * NVMe controller 7 and, once, 1 more for the first NVMe namespace; each
 * virtio-scsi controller with a device 3, but 1 less once when the AHCI
 * controller or a virtio-blk is there (its structures share their last
 * page); the xHCI controllers 1 once when one has a USB device (none beside
 * a virtio-blk, whose last page takes their structures: virt-install-server), plus 1 for
 * each without devices beside it (SeaBIOS sets the controllers up in
 * parallel and frees an empty one's rings after the others took their
 * place: that last page depends on the host's timing under TCG, 2 in the
 * usb-xhci capture, sometimes 1 on a loaded host). Empty virtio-scsi and
 * xHCI controllers keep nothing.
 */
export function seabiosDriverPages(desc: MachineDescription): number {
  let pages = desc.builtins.sata ? 1 : 0;
  let nvmeNamespaces = false;
  let virtioBlk = false;
  let scsi = 0;
  let xhciUsed = 0;
  let xhciEmpty = 0;
  const hasAttached = (id: string) => desc.devices.some((x) => x.bus === id && deviceModel(x.model)?.role === 'attached');
  for (const d of desc.devices) {
    if (d.model === 'virtio-blk') {
      pages += 3;
      virtioBlk = true;
    } else if (d.model === 'nvme') {
      pages += 7;
      if (d.drive || d.namespaces.length > 0) nvmeNamespaces = true;
    } else if (d.model === 'virtio-scsi' && hasAttached(d.id)) scsi++;
    else if (d.model === 'qemu-xhci') {
      if (hasAttached(d.id)) xhciUsed++;
      else xhciEmpty++;
    }
  }
  if (scsi > 0) pages += 3 * scsi - (desc.builtins.sata || virtioBlk ? 1 : 0);
  if (xhciUsed > 0) pages += (virtioBlk ? 0 : 1) + xhciEmpty;
  return pages + (nvmeNamespaces ? 1 : 0);
}
