/**
 * query-pci: the PCI hierarchy as the guest programmed it, read from the
 * functions' live configuration space (bus numbers, BARs, bridge windows,
 * interrupt line), in the shape of QEMU's QMP query-pci (qapi/pci.json):
 * one entry per root bus, bridges with the bus behind them and its devices.
 */
import { PciBridge } from '../pci/bridge.js';
import type { PciBus } from '../pci/bus.js';
import { barOffset, type PciFunction } from '../pci/function.js';
import * as R from '../pci/registers.js';
import { className } from '../guest/names.js';

export interface PciRangeInfo {
  readonly base: number;
  readonly limit: number;
}

export interface PciMemoryRegionInfo {
  readonly bar: number;
  readonly type: 'io' | 'memory';
  /** The address programmed in the BAR (type bits cleared), decoded or not. */
  readonly address: number;
  readonly size: number;
  readonly prefetch?: boolean;
  readonly mem_type_64?: boolean;
}

export interface PciDeviceInfo {
  readonly bus: number;
  readonly slot: number;
  readonly function: number;
  readonly class_info: { readonly desc?: string; readonly class: number };
  readonly id: { readonly device: number; readonly vendor: number; readonly subsystem?: number; readonly 'subsystem-vendor'?: number };
  readonly irq?: number;
  readonly irq_pin: number;
  readonly qdev_id: string;
  readonly pci_bridge?: {
    readonly bus: { readonly number: number; readonly secondary: number; readonly subordinate: number; readonly io_range: PciRangeInfo; readonly memory_range: PciRangeInfo; readonly prefetchable_range: PciRangeInfo };
    readonly devices: PciDeviceInfo[];
  };
  readonly regions: PciMemoryRegionInfo[];
}

export interface PciBusInfo {
  readonly bus: number;
  readonly devices: PciDeviceInfo[];
}

/** The root buses (pcie.0 first, then expanders' root buses) with everything below them. `idOf` names a function (its id in the machine file, '' when it has none). */
export function queryPci(root: PciBus, idOf: (f: PciFunction) => string): PciBusInfo[] {
  const roots: PciBus[] = [root];
  for (const f of root.functions()) if (f.rootBus) roots.push(f.rootBus);
  return roots.map((b) => ({ bus: b.number, devices: busDevices(b, idOf) }));
}

function busDevices(bus: PciBus, idOf: (f: PciFunction) => string): PciDeviceInfo[] {
  const out: PciDeviceInfo[] = [];
  for (const f of bus.functions()) {
    if (!f.present) continue;
    out.push(deviceInfo(f, idOf));
    // Enabled SR-IOV VFs answer on this bus (or above it) at routing IDs of their own.
  }
  for (const { sriov } of bus.physicalFunctions) for (const vf of sriov.vfs) if (vf.present) out.push(deviceInfo(vf, idOf));
  return out;
}

function deviceInfo(f: PciFunction, idOf: (f: PciFunction) => string): PciDeviceInfo {
  const cs = f.config;
  const rid = f.rid;
  const pin = cs.get8(R.INTERRUPT_PIN);
  const classCode = cs.get16(R.CLASS_DEVICE);
  const desc = className(f.classCode);
  const bridge = f instanceof PciBridge ? f : undefined;
  return {
    bus: rid >> 8,
    slot: (rid >> 3) & 31,
    function: rid & 7,
    class_info: { ...(desc ? { desc } : {}), class: classCode },
    id: {
      device: f.deviceId,
      vendor: f.vendorId,
      ...(bridge ? {} : { subsystem: cs.get16(R.SUBSYSTEM_ID), 'subsystem-vendor': cs.get16(R.SUBSYSTEM_VENDOR_ID) }),
    },
    ...(pin ? { irq: cs.get8(R.INTERRUPT_LINE) } : {}),
    irq_pin: pin,
    qdev_id: idOf(f),
    ...(bridge ? { pci_bridge: bridgeInfo(bridge, idOf) } : {}),
    regions: regions(f),
  };
}

function bridgeInfo(b: PciBridge, idOf: (f: PciFunction) => string): NonNullable<PciDeviceInfo['pci_bridge']> {
  const cs = b.config;
  // The windows as programmed (QEMU pci_bridge_get_base/limit), whether or not the command register enables them.
  const ioType32 = (cs.get8(R.IO_BASE) & R.IO_RANGE_TYPE_32) !== 0;
  const io = (reg: number, upper: number) => ((cs.get8(reg) & R.IO_RANGE_MASK) << 8) + (ioType32 ? cs.get16(upper) * 0x1_0000 : 0);
  const pref64 = (cs.get16(R.PREF_MEMORY_BASE) & R.PREF_RANGE_TYPE_64) !== 0;
  const pref = (reg: number, upper: number) => (cs.get16(reg) & R.PREF_RANGE_MASK) * 0x1_0000 + (pref64 ? cs.get32(upper) * 2 ** 32 : 0);
  return {
    bus: {
      number: cs.get8(R.PRIMARY_BUS),
      secondary: cs.get8(R.SECONDARY_BUS),
      subordinate: cs.get8(R.SUBORDINATE_BUS),
      io_range: { base: io(R.IO_BASE, R.IO_BASE_UPPER16), limit: io(R.IO_LIMIT, R.IO_LIMIT_UPPER16) + 0xfff },
      memory_range: { base: (cs.get16(R.MEMORY_BASE) & R.MEMORY_RANGE_MASK) * 0x1_0000, limit: (cs.get16(R.MEMORY_LIMIT) & R.MEMORY_RANGE_MASK) * 0x1_0000 + 0xf_ffff },
      prefetchable_range: { base: pref(R.PREF_MEMORY_BASE, R.PREF_BASE_UPPER32), limit: pref(R.PREF_MEMORY_LIMIT, R.PREF_LIMIT_UPPER32) + 0xf_ffff },
    },
    devices: busDevices(b.secondary, idOf),
  };
}

function regions(f: PciFunction): PciMemoryRegionInfo[] {
  const out: PciMemoryRegionInfo[] = [];
  const cs = f.config;
  for (let i = 0; i < 6; i++) {
    const r = f.barRegion(i);
    if (!r) continue;
    const off = barOffset(i, f.isBridge);
    const lo = cs.get32(off);
    if (r.spec.kind === 'io') {
      out.push({ bar: i, type: 'io', address: (lo & ~3) >>> 0, size: r.spec.size });
      continue;
    }
    const is64 = r.spec.kind === 'mem64';
    const address = ((lo & ~0xf) >>> 0) + (is64 ? cs.get32(off + 4) * 2 ** 32 : 0);
    out.push({ bar: i, type: 'memory', address, size: r.spec.size, prefetch: r.spec.prefetchable, mem_type_64: is64 });
  }
  return out;
}
