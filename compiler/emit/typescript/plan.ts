/**
 * What a generated machine module contains, as plain data: the devices in
 * attach order (parents first) with the runtime class and the parameters
 * they are built with, the configuration dispatch table and the bridges'
 * bus numbers. The printer (index.ts) turns this into TypeScript; keeping
 * the decisions here keeps them testable without ts-morph.
 *
 * Device parameters are what QEMU is given for the same machine (the
 * `-device` properties of compiler/emit/qemu), so the runtime and a QEMU
 * started from `qemu.args` build the same functions.
 */
import { deviceModel, type BusKind } from '../../../runtime/devices/catalog.js';
import type { PciFunction, ResolvedMachine } from '../../model/topology.js';
import { acpiHotplugBsels } from '../acpi/dsdt-pci.js';
import { qemuCommand } from '../qemu/args.js';
import { bindingIdentifier } from './encode.js';

/** A parameter value as it is printed: numbers in hex when `hex`. */
export type ParamValue = string | number | boolean | { readonly hex: number } | { readonly expr: string } | readonly ParamValue[] | { readonly [key: string]: ParamValue };

export interface DeviceStep {
  /** The device id in the machine file (the key of the resolved function). */
  readonly id: string;
  /** Identifier of the variable that holds it. */
  readonly name: string;
  /** Runtime class and its parameter type. */
  readonly className: string;
  readonly paramsType: string;
  readonly model: string;
  /** Variable holding the parent bus: `m.root` or `<bridge>.secondary`. */
  readonly parentBus: string;
  readonly device: number;
  readonly fn: number;
  readonly bdf: string;
  readonly params: readonly (readonly [string, ParamValue])[];
  readonly line: number | undefined;
  readonly vfs: number;
  /** QEMU acpi-index, when the file sets one. */
  readonly acpiIndex: number | undefined;
}

export interface DispatchEntry {
  readonly rid: number;
  /** Expression of the function. */
  readonly expr: string;
  readonly comment: string;
}

export interface ModulePlan {
  readonly machine: ResolvedMachine;
  /** The AHCI ports' drives (Q35MachineOptions.sataDrives); undefined leaves QEMU's default empty CD-ROM. */
  readonly sataDrives: ParamValue | undefined;
  readonly devices: readonly DeviceStep[];
  readonly dispatch: readonly DispatchEntry[];
  readonly bridges: readonly { readonly id: string; readonly name: string; readonly secondary: number; readonly subordinate: number }[];
  /** The buses with ACPI PCI hot-plug: BSEL and the variable of the bridge in front. */
  readonly acpiHotplug: readonly { readonly bsel: number; readonly bridge: string; readonly id: string }[];
}

/** Runtime class per model; `compat`: its registers follow the target QEMU's machine type (PCIe devices). */
const CLASSES: Record<string, { className: string; paramsType: string; compat: boolean }> = {
  'pcie-root-port': { className: 'PcieRootPort', paramsType: 'PcieRootPortParams', compat: true },
  ioh3420: { className: 'Ioh3420', paramsType: 'Ioh3420Params', compat: true },
  'x3130-upstream': { className: 'X3130Upstream', paramsType: 'X3130UpstreamParams', compat: true },
  'xio3130-downstream': { className: 'Xio3130Downstream', paramsType: 'Xio3130DownstreamParams', compat: true },
  'pcie-pci-bridge': { className: 'PciePciBridge', paramsType: 'PciePciBridgeParams', compat: true },
  'pxb-pcie': { className: 'PxbPcie', paramsType: 'PxbPcieParams', compat: false },
  e1000e: { className: 'E1000e', paramsType: 'E1000eParams', compat: true },
  e1000: { className: 'E1000', paramsType: 'E1000Params', compat: false },
  igb: { className: 'Igb', paramsType: 'IgbParams', compat: true },
  'virtio-net': { className: 'VirtioNet', paramsType: 'VirtioNetParams', compat: true },
  'virtio-blk': { className: 'VirtioBlk', paramsType: 'VirtioBlkParams', compat: true },
  nvme: { className: 'Nvme', paramsType: 'NvmeParams', compat: true },
  'virtio-serial': { className: 'VirtioSerial', paramsType: 'VirtioSerialParams', compat: true },
  'virtio-balloon': { className: 'VirtioBalloon', paramsType: 'VirtioParams', compat: true },
  'virtio-rng': { className: 'VirtioRng', paramsType: 'VirtioRngParams', compat: true },
  'virtio-gpu': { className: 'VirtioGpu', paramsType: 'VirtioParams', compat: true },
  'bochs-display': { className: 'BochsDisplay', paramsType: 'BochsDisplayParams', compat: true },
  'pvpanic-pci': { className: 'PvpanicPci', paramsType: 'PvpanicParams', compat: false },
  'virtio-scsi': { className: 'VirtioScsi', paramsType: 'VirtioScsiParams', compat: true },
  'qemu-xhci': { className: 'QemuXhci', paramsType: 'XhciParams', compat: true },
  'ich9-intel-hda': { className: 'IntelHda', paramsType: 'IntelHdaParams', compat: false },
  'vfio-pci': { className: 'VfioPci', paramsType: 'VfioParams', compat: true },
};

/** Names the generated module itself declares or imports: device variables never take them. */
export const MODULE_NAMES: readonly string[] = [
  ...Object.values(CLASSES).flatMap((c) => [c.className, c.paramsType]),
  'Q35Machine',
  'Q35MachineOptions',
  'topology',
  'createMachine',
  'Overrides',
  'Devices',
  'm',
  'options',
  'overrides',
  '_overrides',
  'machine',
  'devices',
];

/** `-device` properties by device id, from the QEMU command line machc generates for the machine. */
function qemuDeviceProps(machine: ResolvedMachine): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const o of qemuCommand(machine).options) {
    if (o.option !== '-device' || !o.value) continue;
    const props = new Map<string, string>();
    for (const part of o.value.split(',').slice(1)) {
      const eq = part.indexOf('=');
      if (eq > 0) props.set(part.slice(0, eq), part.slice(eq + 1));
    }
    const id = props.get('id');
    if (id) out.set(id, props);
  }
  return out;
}

/** QEMU's default MACs: 52:54:00:12:34 and an index byte (net/net.c). */
const QEMU_MAC_BASE = '52:54:00:12:34:';

/**
 * The MACs QEMU gives the NICs its command line leaves without one (the
 * user-created virtio-net VFs: every other NIC gets machc's `mac=`), by
 * device id. As each NIC is realized, in command-line order, net/net.c's
 * qemu_macaddr_default_if_unset marks a given 52:54:00:12:34:xx as used and
 * gives a NIC without a MAC the lowest unused xx from 0x56.
 */
function qemuDefaultMacs(machine: ResolvedMachine): Map<string, string> {
  const used = new Set<number>();
  const out = new Map<string, string>();
  for (const o of qemuCommand(machine).options) {
    if (o.option !== '-device' || !o.value) continue;
    const props = new Map(o.value.split(',').slice(1).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
    const mac = props.get('mac');
    const id = props.get('id');
    if (mac !== undefined) {
      if (mac.toLowerCase().startsWith(QEMU_MAC_BASE)) used.add(parseInt(mac.slice(QEMU_MAC_BASE.length), 16));
    } else if (id !== undefined && props.has('sriov-pf')) {
      let index = 0x56;
      while (used.has(index) && index < 0xff) index++;
      used.add(index);
      out.set(id, `${QEMU_MAC_BASE}${index.toString(16).padStart(2, '0')}`);
    }
  }
  return out;
}

function intProp(props: Map<string, string> | undefined, key: string): number | undefined {
  const v = props?.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function planModule(machine: ResolvedMachine): ModulePlan {
  const busKind = new Map<number, BusKind>(machine.pci.buses.map((b) => [b.number, b.kind]));
  const desc = new Map(machine.devices.map((d) => [d.id, d]));
  const qemu = qemuDeviceProps(machine);
  const defaultMacs = qemuDefaultMacs(machine);
  const taken = new Set<string>(MODULE_NAMES);
  const names = new Map<string, string>();
  const devices: DeviceStep[] = [];
  const fnByKey = new Map(machine.pci.functions.map((f) => [f.key, f]));

  // Attach order: the resolved functions are in (bus, device, function) order, so a bridge comes before what is behind it.
  for (const f of machine.pci.functions) {
    const cls = CLASSES[f.model];
    if (!cls || f.role === 'vf') continue;
    const d = desc.get(f.key);
    const name = bindingIdentifier(f.key, taken);
    names.set(f.key, name);
    // An expander's functions sit on the root bus it opens; everything else behind a bridge on its secondary bus.
    const parent = f.busName === 'pcie.0' ? 'm.root' : `${names.get(f.busName) ?? 'm.root'}.${fnByKey.get(f.busName)?.role === 'expander' ? 'rootBus' : 'secondary'}`;
    const q = qemu.get(f.key);
    const params: [string, ParamValue][] = [];
    const kind = busKind.get(f.bus) ?? 'pcie-root';
    const multifunction = f.multifunction && f.fn === 0;
    switch (f.model) {
      case 'pcie-root-port':
      case 'ioh3420':
      case 'xio3130-downstream': {
        params.push(['busName', f.key]);
        const chassis = intProp(q, 'chassis');
        const slot = intProp(q, 'slot');
        if (chassis !== undefined) params.push(['chassis', chassis]);
        if (slot !== undefined) params.push(['slot', slot]);
        if (q?.get('hotplug') === 'off') params.push(['hotplug', false]);
        if (underExpander(f, fnByKey)) params.push(['nativeHotplug', true]);
        if (f.model === 'pcie-root-port') {
          const busReserve = intProp(q, 'bus-reserve');
          if (busReserve !== undefined) params.push(['busReserve', busReserve]);
          const r = f.bridge?.reserve;
          if (r?.io !== undefined) params.push(['ioReserve', { hex: r.io }]);
          if (r?.mem !== undefined) params.push(['memReserve', { hex: r.mem }]);
          if (r?.pref !== undefined) params.push([r.pref64 ? 'pref64Reserve' : 'pref32Reserve', { hex: r.pref }]);
        }
        break;
      }
      case 'x3130-upstream':
      case 'pcie-pci-bridge':
        params.push(['busName', f.key]);
        break;
      case 'pxb-pcie':
        params.push(['busName', f.key], ['busNr', { hex: d?.expander?.busNr ?? 0 }]);
        break;
      case 'e1000e':
      case 'e1000':
      case 'igb':
      case 'virtio-net':
        params.push(['bus', kind]);
        if (d?.mac) params.push(['mac', d.mac]);
        // virtio-net VFs are user-created: how many and where they sit is the machine's choice, their MACs QEMU's defaults.
        if (f.model === 'virtio-net' && f.sriov) {
          const sr = f.sriov;
          const macs = Array.from({ length: sr.totalVfs }, (_, i) => defaultMacs.get(`${f.key}-vf${i}`));
          params.push(['sriov', { totalVfs: sr.totalVfs, offset: sr.offset, stride: sr.stride, ...(macs.every((m) => m !== undefined) ? { macs } : {}) }]);
        }
        break;
      case 'virtio-blk':
        params.push(['bus', kind], ['cpus', machine.cpus.count]);
        if (d?.drive) params.push(['drive', driveParam(d.drive)]);
        if (d?.serial !== undefined) params.push(['serial', d.serial]);
        break;
      case 'nvme': {
        params.push(['bus', kind], ['serial', f.nvme?.serial ?? f.key]);
        {
          // The controller's own image is namespace 1 (QEMU nvme drive=); nvme-ns namespaces follow with their NSIDs.
          const ns = [...(d?.drive ? [{ nsid: 1, drive: driveParam(d.drive) }] : []), ...(d?.namespaces ?? []).map((n) => ({ nsid: n.nsid, drive: driveParam(n.drive) }))];
          if (ns.length > 0) params.push(['namespaces', ns]);
        }
        // The queue and vector budget QEMU is given (max_ioqpairs, msix_qsize, sriov_*_flexible), when it is given one.
        const qpairs = intProp(q, 'max_ioqpairs');
        const qsize = intProp(q, 'msix_qsize');
        if (qpairs !== undefined) params.push(['maxIoqpairs', qpairs]);
        if (qsize !== undefined) params.push(['msixQsize', qsize]);
        if (f.sriov) {
          const vq = intProp(q, 'sriov_vq_flexible');
          const vi = intProp(q, 'sriov_vi_flexible');
          params.push(['sriov', { totalVfs: f.sriov.totalVfs, ...(vq !== undefined ? { vqFlexible: vq } : {}), ...(vi !== undefined ? { viFlexible: vi } : {}) }]);
        }
        break;
      }
      case 'virtio-serial':
        params.push(['bus', kind]);
        if (d && d.ports.length > 0) params.push(['ports', d.ports.map((p) => ({ id: p.id, kind: p.kind, ...(p.name !== undefined ? { name: p.name } : {}) }))]);
        break;
      case 'virtio-scsi': {
        params.push(['bus', kind], ['cpus', machine.cpus.count]);
        const units = machine.storage.attached.filter((a) => a.controller === f.key);
        if (units.length > 0) {
          params.push(['units', units.map((a) => ({ kind: a.model === 'scsi-cd' ? 'cdrom' : 'disk', target: a.place, lun: a.lun, ...(a.image !== undefined ? { drive: driveParam({ image: a.image, format: a.format as 'raw' | 'qcow2', readonly: a.readonly }) } : {}) }))]);
        }
        break;
      }
      case 'vfio-pci': {
        params.push(['bus', kind]);
        const v = d?.vfio;
        if (v) {
          params.push(['host', {
            vendorId: { hex: v.vendorId }, deviceId: { hex: v.deviceId }, subsystemVendorId: { hex: v.subsystemVendorId }, subsystemId: { hex: v.subsystemId },
            revision: v.revision, classCode: { hex: v.classCode }, pin: v.pin,
            bars: v.bars.map((b) => ({ index: b.index, kind: b.kind, prefetchable: b.prefetchable, size: { hex: b.size } })), romSize: { hex: v.romSize },
          }]);
        }
        break;
      }
      case 'ich9-intel-hda': {
        params.push(['bus', kind]);
        const codecs = machine.storage.attached.filter((a) => a.controller === f.key).map((a) => a.place);
        if (codecs.length > 0) params.push(['codecs', codecs]);
        break;
      }
      case 'virtio-balloon':
      case 'virtio-rng':
      case 'virtio-gpu':
      case 'bochs-display':
      case 'pvpanic-pci':
      case 'qemu-xhci':
        params.push(['bus', kind]);
        break;
    }
    if (multifunction) params.push(['multifunction', true]);
    if (cls.compat) params.push(['compat', { expr: 'm.compat' }]);
    devices.push({
      id: f.key,
      name,
      className: cls.className,
      paramsType: cls.paramsType,
      model: f.model,
      parentBus: parent,
      device: f.device,
      fn: f.fn,
      bdf: f.bdf,
      params,
      line: f.origin?.decl.line,
      vfs: f.sriov?.numVfs ?? 0,
      acpiIndex: f.acpiIndex,
    });
  }

  const dispatch: DispatchEntry[] = [];
  for (const f of machine.pci.functions) {
    if (f.role === 'vf') continue;
    const rid = f.bus * 256 + f.device * 8 + f.fn;
    const name = names.get(f.key);
    if (name) dispatch.push({ rid, expr: name, comment: `${f.bdf} ${f.key}` });
    const spec = deviceModel(f.model)?.sriov;
    if (name && f.sriov && spec) {
      // Every VF the PF can enable, where it lands with firmware's bus numbers (and within the bus range above it).
      const limit = lastBusOf(f, machine, fnByKey);
      for (let k = 0; k < f.sriov.totalVfs; k++) {
        const vrid = rid + f.sriov.offset + k * f.sriov.stride;
        if (vrid >> 8 > limit || vrid > 0xffff) break;
        dispatch.push({ rid: vrid, expr: `${name}.vf(${k})`, comment: `${bdfOf(vrid)} ${f.key}/vf${k}` });
      }
    }
  }
  dispatch.sort((a, b) => a.rid - b.rid);
  const bridges = machine.pci.functions
    .filter((f) => f.bridge && names.has(f.key))
    .map((f) => ({ id: f.key, name: names.get(f.key)!, secondary: f.bridge!.secondary, subordinate: f.bridge!.subordinate }));
  // QEMU adds its empty CD-ROM on port 2 unless an ide-hd or ide-cd device is given: the machine's SATA drives replace it.
  const sata = machine.storage.sata;
  const sataDrives: ParamValue | undefined =
    sata.length > 0
      ? sata.map((s) => ({ port: s.port, kind: s.kind, ...(s.image !== undefined ? { drive: driveParam({ image: s.image, format: s.format, readonly: s.readonly }) } : {}) }))
      : undefined;
  const acpiHotplug = acpiHotplugBsels(machine, qemuCommand(machine).deviceOrder)
    .filter((h) => names.has(h.bridge))
    .map((h) => ({ bsel: h.bsel, bridge: names.get(h.bridge)!, id: h.bridge }));
  return { machine, sataDrives, devices, dispatch, bridges, acpiHotplug };
}

/** Whether a function lies in an expander bridge's hierarchy (where ports keep PCI Express native hot-plug). */
function underExpander(f: PciFunction, byKey: ReadonlyMap<string, PciFunction>): boolean {
  for (let up = byKey.get(f.busName); up; up = byKey.get(up.busName)) if (up.role === 'expander') return true;
  return false;
}

/** A drive as the runtime's DriveSpec: the image path as written (relative to the machine file's folder), format, read-only. */
function driveParam(d: { image: string; format: string; readonly: boolean }): ParamValue {
  return { image: d.image, format: d.format, readonly: d.readonly };
}

/** The highest bus number VFs of a PF can use: the subordinate bus of the bridge above it (its own bus on pcie.0). */
function lastBusOf(f: PciFunction, machine: ResolvedMachine, byKey: ReadonlyMap<string, PciFunction>): number {
  if (f.busName === 'pcie.0') return f.bus;
  return byKey.get(f.busName)?.bridge?.subordinate ?? machine.pci.buses.find((b) => b.number === f.bus)?.subordinate ?? f.bus;
}

export function bdfOf(rid: number): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(rid >> 8, 2)}:${h((rid >> 3) & 31, 2)}.${rid & 7}`;
}
