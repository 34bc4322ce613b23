/**
 * The canonical form of a resolved machine: a plain object in a fixed order,
 * with addresses as hex strings, for `machc show --json/--yaml`, git textconv
 * and diff. Source positions are included only on request, so moving lines
 * around in the file does not change the canonical text.
 */
import type { Bar, PciFunction, ResolvedMachine } from '../model/topology.js';
import { formatHex, formatSize } from '../values/index.js';

export interface CanonicalOptions {
  /** Add `line` fields pointing back to the YAML. */
  readonly withSource?: boolean;
  /**
   * Leave out the machine name when the file does not write one: it would come
   * from the file name, which is random for the temporary files git hands a
   * textconv driver.
   */
  readonly omitDerivedName?: boolean;
}

const hex = (n: number) => formatHex(n);
const id4 = (n: number) => n.toString(16).padStart(4, '0');

export function barText(b: Bar): string {
  const kind = b.kind === 'io' ? 'io' : b.kind === 'mem64' ? 'mem64' : 'mem32';
  return `BAR${b.index} ${kind}${b.prefetchable ? ' pref' : ''} ${formatSize(b.size)}`;
}

function fnObject(f: PciFunction, o: CanonicalOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    bdf: f.bdf,
    id: f.key,
    model: f.model,
    role: f.role,
    'vendor-device': `${id4(f.vendorId)}:${id4(f.deviceId)}`,
    subsystem: `${id4(f.subsystemVendorId)}:${id4(f.subsystemId)}`,
    revision: f.revision,
    class: f.classCode.toString(16).padStart(6, '0'),
    'header-type': `0x${f.headerType.toString(16).padStart(2, '0')}`,
    bus: f.busName,
    address: f.addrSource,
  };
  if (f.bars.length > 0) out['bars'] = f.bars.map(barText);
  if (f.romSize > 0) out['rom'] = formatSize(f.romSize);
  if (f.intx) out['intx'] = `INT${'ABCD'[f.intx.pin - 1]} -> ${f.intx.link} (GSI ${f.intx.gsi})`;
  if (f.ari) out['ari'] = true;
  if (f.bridge) {
    const b = f.bridge;
    out['bridge'] = {
      'secondary-bus': b.secondary,
      'subordinate-bus': b.subordinate,
      ...(b.busReserve ? { 'bus-reserve': b.busReserve } : {}),
      windows: { io: formatSize(b.windows.io), mem: formatSize(b.windows.mem), prefmem: `${formatSize(b.windows.prefmem)}${b.prefmem64 ? ' (64-bit)' : ''}` },
      hotplug: b.hotplug,
      ...(b.chassis !== undefined ? { chassis: b.chassis } : {}),
      ...(b.slot !== undefined ? { slot: b.slot } : {}),
    };
  }
  if (f.sriov) {
    const s = f.sriov;
    out['sriov'] = {
      'total-vfs': s.totalVfs,
      'num-vfs': s.numVfs,
      'vf-offset': s.offset,
      'vf-stride': s.stride,
      'vf-device': id4(s.vfDeviceId),
      'vf-bars': s.vfBars.map(barText),
    };
  }
  if (f.physfn) out['physfn'] = f.physfn;
  if (o.withSource && f.origin) out['line'] = f.origin.decl.line;
  return out;
}

export function toCanonical(m: ResolvedMachine, o: CanonicalOptions = {}): Record<string, unknown> {
  const mem = m.memory;
  return {
    ...(o.omitDerivedName && !m.origin.props['name'] ? {} : { machine: m.name }),
    chipset: m.chipset,
    ...(m.description ? { description: m.description } : {}),
    qemu: { target: m.qemu.version, 'machine-type': m.qemu.machineType },
    ...(m.acpi.processors !== 'processor' || m.acpi.madtRevision !== undefined || m.acpi.xsdt
      ? { acpi: { processors: m.acpi.processors, ...(m.acpi.madtRevision !== undefined ? { 'madt-revision': m.acpi.madtRevision } : {}), xsdt: m.acpi.xsdt } }
      : {}),
    cpus: {
      count: m.cpus.count,
      max: m.cpus.max,
      sockets: m.cpus.sockets,
      dies: m.cpus.dies,
      cores: m.cpus.cores,
      threads: m.cpus.threads,
      model: m.cpus.model,
      'apic-ids': m.cpus.cpus.map((c) => c.apicId),
    },
    memory: {
      ram: formatSize(mem.ramSize),
      'below-4g': formatSize(mem.below4g),
      'above-4g': formatSize(mem.above4g),
      ...(mem.above4g > 0 ? { 'above-4g-base': hex(mem.above4gBase) } : {}),
      ecam: `${hex(mem.ecam.base)} ${formatSize(mem.ecam.size)} (buses 0-${mem.ecam.buses - 1})`,
      'pci-hole32': `${hex(mem.pciHole32.base)}-${hex(mem.pciHole32.base + mem.pciHole32.size - 1)}`,
      'pci-hole64': `${hex(mem.pciHole64.base)}-${hex(mem.pciHole64.base + mem.pciHole64.size - 1)}`,
    },
    e820: mem.e820.map((e) => `${hex(e.base)}-${hex(e.base + e.size - 1)} ${e.type} (${e.what})`),
    ...(m.numa.length > 0
      ? { numa: m.numa.map((n) => ({ id: n.id, cpus: n.cpus, memory: n.memory.map((r) => `${hex(r.base)}-${hex(r.base + r.size - 1)}`) })) }
      : {}),
    buses: m.pci.buses.map((b) => ({ number: b.number, name: b.name, kind: b.kind, ...(b.number > 0 ? { subordinate: b.subordinate } : {}) })),
    functions: m.pci.functions.map((f) => fnObject(f, o)),
    ...(m.storage.sata.length > 0
      ? { sata: m.storage.sata.map((d) => ({ port: d.port, id: d.id, kind: d.kind, ...(d.image ? { image: d.image, format: d.format } : {}), ...(o.withSource ? { line: d.origin.decl.line } : {}) })) }
      : {}),
    ...(m.storage.attached.length > 0
      ? {
          attached: m.storage.attached.map((a) => ({
            id: a.id, model: a.model, controller: a.controller, [a.bus === 'scsi' ? 'target' : a.bus === 'usb' ? 'port' : 'address']: a.place,
            ...(a.bus === 'scsi' ? { lun: a.lun } : {}), ...(a.image ? { image: a.image, format: a.format } : {}), ...(o.withSource ? { line: a.origin.decl.line } : {}),
          })),
        }
      : {}),
    ...(m.boot.length > 0 ? { boot: m.boot.map((b) => ({ id: b.id, path: b.path })) } : {}),
    firmware: {
      io: `${hex(m.firmware.io.base)} +${formatSize(m.firmware.io.size)}`,
      mem: `${hex(m.firmware.mem.base)} +${formatSize(m.firmware.mem.size)}`,
      prefmem: `${hex(m.firmware.prefmem.base)} +${formatSize(m.firmware.prefmem.size)}`,
      ...(m.firmware.mem64 ? { mem64: `${hex(m.firmware.mem64.base)} +${formatSize(m.firmware.mem64.size)}` } : {}),
    },
  };
}
