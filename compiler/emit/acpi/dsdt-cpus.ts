/**
 * Processor objects and CPU hot-plug (hw/acpi/cpu.c build_cpus_aml), on
 * QEMU's CPU hot-plug register block (docs/specs/acpi_cpu_hotplug.rst; ICH9
 * at 0xCD8, 12 bytes): a selector (CSEL), flags (enabled, insert/remove
 * events, eject), a command byte and a data DWord. Up to QEMU 10.0, writing 0
 * to the selector once (\_SB.PCI0.PRES._INI) switches QEMU from the legacy
 * CPU bitmap to this interface.
 *
 * Every possible CPU sits in the processor container \_SB.CPUS: as
 * Processor (Cnnn, uid, 0, 0) as QEMU declares them (x2APIC CPUs, APIC ID
 * 255 and up, as Device (ACPI0007)), or, when the machine file asks for it,
 * all as Device (ACPI0007) with _UID (ACPI 6.4 §8.4: the Processor operator
 * is deprecated). Each has _STA from the register block, _MAT (its MADT
 * entry, enabled), _EJ0 (all but the boot CPU), _OST, and _PXM on NUMA
 * machines. GPE0 bit 2 (\_GPE._E02) runs CSCN, which notifies the OS of
 * inserted (Device Check) and removed (Eject Request) CPUs.
 */
import { since } from '../../model/target.js';
import type { Cpu, ResolvedMachine } from '../../model/topology.js';
import {
  Acquire, arg, Break, Buffer, call, Compare, Debug, DerefOf, device, EisaId, eq, Field, If, Increment, Index, int, local,
  method, Mutex, name, Notify, ONE, OperationRegion, Package, Processor, ref, Release, ret, scope, store, Str, While, ZERO, type AmlTerm,
} from './aml.js';
import { madtCpuEntry } from './madt.js';
import { IoPort, ResourceTemplate } from './resources.js';

const RES = '\\_SB.PCI0.PRES';
const r = (field: string) => ref(`${RES}.${field}`);
const LOCK = `${RES}.CPLK`;
/** Commands (docs/specs/acpi_cpu_hotplug.rst). */
const CMD_GET_NEXT_WITH_EVENT = 0;
const CMD_OST_EVENT = 1;
const CMD_OST_STATUS = 2;
/** CSCN handles at most this many CPUs per pass (an ACPI 1.0 Package holds 255). */
const MAX_PER_PASS = 255;

export const cpuDeviceName = (cpu: Cpu): string => `C${cpu.index.toString(16).toUpperCase().padStart(3, '0')}`;

/** Device (\_SB.PCI0.PRES): the register block as a motherboard resource, its fields and lock. */
function hotplugResources(machine: ResolvedMachine): AmlTerm {
  const { base, size } = machine.platform.cpuHotplugPorts;
  const body: AmlTerm[] = [
    name('_HID', new EisaId('PNP0A06')),
    name('_UID', new Str('CPU Hotplug resources')),
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
  ];
  // Leaves the legacy CPU hot-plug interface (QEMU 11.1's machine type starts without it).
  if (!since(machine.qemu, '11.1')) body.push(method('_INI', 0, true, [store(ZERO, ref('CSEL'))]));
  return device(RES, body);
}

/**
 * CSCN: find CPUs with events, in batches of at most 255. Inserted CPUs get
 * Device Check; removed ones Eject Request, at once (7.2) or collected and
 * notified after the scan (8.0 and later, CEJL).
 */
function scanMethod(machine: ResolvedMachine): AmlTerm {
  const count = machine.cpus.cpus.length;
  const hasEvent = local(0);
  const added = local(1);
  const idx = local(2);
  const uid = local(3);
  const hasJob = local(4);
  const ejected = local(5);
  const batched = since(machine.qemu, '8.0');
  const full = eq(added, int(MAX_PER_PASS));
  const onInsert = [store(uid, new Index(ref('CNEW'), added)), new Increment(added), store(ONE, hasEvent)];
  const scan: AmlTerm[] = [
    store(ZERO, hasEvent),
    store(uid, r('CSEL')),
    store(int(CMD_GET_NEXT_WITH_EVENT), r('CCMD')),
    // The command wraps around to CPUs already seen: the scan is complete.
    new If(new Compare('LLess', r('CDAT'), uid), [Break]),
    new If(batched ? new Compare('LOr', full, eq(ejected, int(MAX_PER_PASS))) : full, [store(ONE, hasJob), Break]),
    store(r('CDAT'), uid),
  ];
  if (batched) {
    scan.push(
      new If(eq(r('CINS'), ONE), onInsert),
      new If(eq(r('CRMV'), ONE), [store(uid, new Index(ref('CEJL'), ejected)), new Increment(ejected), store(ONE, hasEvent)]),
    );
  } else {
    scan.push(new If(eq(r('CINS'), ONE), onInsert, [new If(eq(r('CRMV'), ONE), [call('CTFY', uid, int(3)), store(ONE, r('CRMV')), store(ONE, hasEvent)])]));
  }
  scan.push(new Increment(uid));
  const pass: AmlTerm[] = [store(ZERO, hasJob), store(ONE, hasEvent), store(ZERO, added)];
  if (batched) pass.push(store(ZERO, ejected));
  pass.push(
    new While(new Compare('LAnd', eq(hasEvent, ONE), new Compare('LLess', uid, int(count))), scan),
    store(ZERO, idx),
    new While(new Compare('LLess', idx, added), [
      store(new DerefOf(new Index(ref('CNEW'), idx)), uid),
      call('CTFY', uid, ONE),
      store(uid, Debug),
      store(uid, r('CSEL')),
      store(ONE, r('CINS')),
      new Increment(idx),
    ]),
  );
  if (batched) {
    pass.push(
      store(ZERO, idx),
      new While(new Compare('LLess', idx, ejected), [
        store(new DerefOf(new Index(ref('CEJL'), idx)), uid),
        call('CTFY', uid, int(3)),
        store(uid, r('CSEL')),
        store(ONE, r('CRMV')),
        new Increment(idx),
      ]),
    );
  }
  const body: AmlTerm[] = [new Acquire(LOCK, 0xffff), name('CNEW', new Package([], MAX_PER_PASS))];
  if (batched) body.push(name('CEJL', new Package([], MAX_PER_PASS)));
  body.push(store(ZERO, uid), store(ONE, hasJob), new While(eq(hasJob, ONE), pass), new Release(LOCK));
  return method('CSCN', 0, true, body);
}

/** One possible CPU: Processor (QEMU) or Device (ACPI0007). */
function processor(machine: ResolvedMachine, c: Cpu, boot: number | undefined): AmlTerm {
  const uid = int(c.index);
  const body: AmlTerm[] = [
    method('_STA', 0, true, [ret(call('CSTA', uid))]),
    name('_MAT', new Buffer(madtCpuEntry(c, true, machine))),
  ];
  if (c.index !== boot) body.push(method('_EJ0', 1, false, [call('CEJ0', uid)]));
  body.push(method('_OST', 3, true, [call('COST', uid, arg(0), arg(1), arg(2))]));
  if (machine.numa.length > 0) body.push(name('_PXM', c.node));
  if (machine.acpi.processors === 'processor' && c.apicId < 255) return new Processor(cpuDeviceName(c), c.index, 0, 0, body);
  return device(cpuDeviceName(c), [name('_HID', new Str('ACPI0007')), name('_UID', uid), ...body]);
}

/** Device (\_SB.CPUS): the processor container with the hot-plug methods and one object per possible CPU. */
function processorContainer(machine: ResolvedMachine): AmlTerm {
  const cpus = machine.cpus.cpus;
  const body: AmlTerm[] = [
    name('_HID', new Str('ACPI0010')),
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
    scanMethod(machine),
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
  const boot = cpus.find((c) => c.present)?.index;
  for (const c of cpus) body.push(processor(machine, c, boot));
  return device('\\_SB.CPUS', body);
}

/** Scope (_SB) { PRES, CPUS } and Method (\_GPE._E02), the CPU hot-plug event. */
export function cpuHotplug(machine: ResolvedMachine): AmlTerm[] {
  return [scope('_SB', [hotplugResources(machine), processorContainer(machine)]), method('\\_GPE._E02', 0, false, [call('\\_SB.CPUS.CSCN')])];
}
