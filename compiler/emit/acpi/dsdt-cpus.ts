/**
 * Processor objects and CPU hot-plug, on QEMU's CPU hot-plug register block
 * (docs/specs/acpi_cpu_hotplug.txt; ICH9 at 0xCD8, 12 bytes): a selector
 * (CSEL), flags (enabled, insert/remove events, eject), a command byte and a
 * data DWord. Writing 0 to the selector once (\_SB.PCI0.PRES._INI) switches
 * QEMU from the legacy CPU bitmap to this interface.
 *
 * Every possible CPU is a Device(ACPI0007) (ACPI 6.4 §8.4, the Processor
 * operator being deprecated) in the processor container \_SB.CPUS, with
 * _UID = CPU index (the MADT's ACPI processor UID), _STA from the register
 * block, _MAT (its MADT entry, enabled), _OST, _EJ0 for all but the boot CPU,
 * and _PXM on NUMA machines. GPE0 bit 2 (\_GPE._E02) runs CSCN, which
 * notifies the OS of inserted (Device Check) and removed (Eject Request) CPUs.
 */
import type { Cpu, ResolvedMachine } from '../../model/topology.js';
import {
  Acquire, arg, Break, Buffer, call, Compare, Debug, DerefOf, device, EisaId, eq, Field, If, Increment, Index, int, local,
  method, Mutex, name, Notify, ONE, OperationRegion, Package, ref, Release, ret, store, Str, While, ZERO, type AmlTerm,
} from './aml.js';
import { madtCpuEntry } from './madt.js';
import { IoPort, ResourceTemplate } from './resources.js';

const RES = '\\_SB.PCI0.PRES';
const r = (field: string) => ref(`${RES}.${field}`);
const LOCK = `${RES}.CPLK`;
/** Commands (docs/specs/acpi_cpu_hotplug.txt). */
const CMD_GET_NEXT_WITH_EVENT = 0;
const CMD_OST_EVENT = 1;
const CMD_OST_STATUS = 2;
/** CSCN handles at most this many inserted CPUs per pass (Package size limit). */
const MAX_PER_PASS = 255;

export const cpuDeviceName = (cpu: Cpu): string => `C${cpu.index.toString(16).toUpperCase().padStart(3, '0')}`;

/** \_SB.PCI0.PRES: the register block as a motherboard resource, its fields and lock. */
export function cpuHotplugResources(machine: ResolvedMachine): AmlTerm {
  const { base, size } = machine.platform.cpuHotplugPorts;
  return device('PRES', [
    name('_HID', new EisaId('PNP0A06')),
    name('_UID', 'CPU Hotplug resources'),
    new Mutex('CPLK', 0),
    name('_CRS', new ResourceTemplate([new IoPort(base, base, 0x01, size)])),
    new OperationRegion('PRST', 'SystemIO', int(base), int(size)),
    new Field('PRST', 'ByteAcc', false, 'WriteAsZeros', [
      { offset: 4 },
      { name: 'CPEN', bits: 1 },
      { name: 'CINS', bits: 1 },
      { name: 'CRMV', bits: 1 },
      { name: 'CEJ0', bits: 1 },
      { name: 'CEJF', bits: 1 },
      { offset: 5 },
      { name: 'CCMD', bits: 8 },
    ]),
    new Field('PRST', 'DWordAcc', false, 'Preserve', [
      { name: 'CSEL', bits: 32 },
      { offset: 8 },
      { name: 'CDAT', bits: 32 },
    ]),
    method('_INI', 0, true, [store(ZERO, ref('CSEL'))]),
  ]);
}

function scanMethod(count: number): AmlTerm {
  const hasEvent = local(0);
  const added = local(1);
  const idx = local(2);
  const uid = local(3);
  const hasJob = local(4);
  return method('CSCN', 0, true, [
    new Acquire(LOCK, 0xffff),
    name('CNEW', new Package([], MAX_PER_PASS)),
    store(ZERO, uid),
    store(ONE, hasJob),
    new While(eq(hasJob, ONE), [
      store(ZERO, hasJob),
      store(ONE, hasEvent),
      store(ZERO, added),
      new While(new Compare('LAnd', eq(hasEvent, ONE), new Compare('LLess', uid, int(count))), [
        store(ZERO, hasEvent),
        store(uid, r('CSEL')),
        store(int(CMD_GET_NEXT_WITH_EVENT), r('CCMD')),
        // The command wraps around to CPUs already seen: the scan is complete.
        new If(new Compare('LLess', r('CDAT'), uid), [Break]),
        new If(eq(added, int(MAX_PER_PASS)), [store(ONE, hasJob), Break]),
        store(r('CDAT'), uid),
        new If(
          eq(r('CINS'), ONE),
          [store(uid, new Index(ref('CNEW'), added)), new Increment(added), store(ONE, hasEvent)],
          [new If(eq(r('CRMV'), ONE), [call('CTFY', uid, int(3)), store(ONE, r('CRMV')), store(ONE, hasEvent)])],
        ),
        new Increment(uid),
      ]),
      store(ZERO, idx),
      new While(new Compare('LLess', idx, added), [
        store(new DerefOf(new Index(ref('CNEW'), idx)), uid),
        call('CTFY', uid, ONE),
        store(uid, Debug),
        store(uid, r('CSEL')),
        store(ONE, r('CINS')),
        new Increment(idx),
      ]),
    ]),
    new Release(LOCK),
  ]);
}

/** \_SB.CPUS, the processor container with the hot-plug methods and one device per possible CPU. */
export function processorContainer(machine: ResolvedMachine): AmlTerm {
  const cpus = machine.cpus.cpus;
  const numa = machine.numa.length > 0;
  const body: AmlTerm[] = [
    name('_HID', 'ACPI0010'),
    name('_CID', new EisaId('PNP0A05')),
    method('CTFY', 2, false, cpus.map((c) => new If(eq(arg(0), int(c.index)), [new Notify(ref(cpuDeviceName(c)), arg(1))]))),
    method('CSTA', 1, true, [
      new Acquire(LOCK, 0xffff),
      store(arg(0), r('CSEL')),
      store(ZERO, local(0)),
      new If(eq(r('CPEN'), ONE), [store(int(0x0f), local(0))]),
      new Release(LOCK),
      ret(local(0)),
    ]),
    method('CEJ0', 1, true, [new Acquire(LOCK, 0xffff), store(arg(0), r('CSEL')), store(ONE, r('CEJ0')), new Release(LOCK)]),
    scanMethod(cpus.length),
    method('COST', 4, true, [
      new Acquire(LOCK, 0xffff),
      store(arg(0), r('CSEL')),
      store(int(CMD_OST_EVENT), r('CCMD')),
      store(arg(1), r('CDAT')),
      store(int(CMD_OST_STATUS), r('CCMD')),
      store(arg(2), r('CDAT')),
      new Release(LOCK),
    ]),
  ];
  const boot = cpus[0]?.index;
  for (const c of cpus) {
    const uid = int(c.index);
    const dev: AmlTerm[] = [
      name('_HID', new Str('ACPI0007')),
      name('_UID', uid),
      method('_STA', 0, true, [ret(call('CSTA', uid))]),
      name('_MAT', new Buffer(madtCpuEntry(c, true))),
    ];
    if (c.index !== boot) dev.push(method('_EJ0', 1, false, [call('CEJ0', uid)]));
    dev.push(method('_OST', 3, true, [call('COST', uid, arg(0), arg(1), arg(2))]));
    if (numa) dev.push(name('_PXM', c.node));
    body.push(device(cpuDeviceName(c), dev));
  }
  return device('\\_SB.CPUS', body);
}

/** \_GPE._E02: CPU hot-plug event. */
export const cpuScanHandler = (): AmlTerm => method('_E02', 0, false, [call('\\_SB.CPUS.CSCN')]);

