/**
 * The host bridge \_SB.PCI0 and what QEMU declares around it: its identity
 * and _OSC, the ECAM reservation \_SB.DRAC, the ACPI PCI hot-plug registers
 * with PCEJ (eject), AIDX and PDSM (acpi-index, PCI Firmware Spec 3.1
 * §4.6.7), EDSM (8.0 and later), and the _CRS (hw/i386/acpi-build.c
 * build_dsdt, build_q35_osc_method, build_x86_acpi_pci_hotplug,
 * aml_pci_pdsm, aml_pci_edsm, build_q35_dram_controller).
 */
import { since } from '../../model/target.js';
import type { ResolvedMachine } from '../../model/topology.js';
import {
  Acquire, arg, Binary, Buffer, call, Compare, CreateField, DerefOf, device, EisaId, eq, Field, If, Index, int, LNot, local,
  method, Mutex, name, ONE, OperationRegion, Package, ref, Release, ret, scope, store, Str, Uuid, ZERO, type AmlTerm,
} from './aml.js';
import { expanderRanges, expanderRoots, freeRanges, type RootRanges } from './dsdt-expanders.js';
import { dwordMemory, IoPort, qwordMemory, ResourceTemplate, wordBusNumber, wordIo, type ResourceDescriptor } from './resources.js';

const FOUR_GIB = 0x1_0000_0000;
/** QEMU's q35 PCI hole ends below the IOAPIC (PCI_HOST_PROP_PCI_HOLE_END = 0xFEBFFFFF). */
const PCI_HOLE32_END = 0xfec0_0000;
/** _OSC control bits granted (PCI Firmware Spec 3.2 §4.5.1): all but native PCIe hot-plug (bit 0), which ACPI hot-plug replaces. */
export const OSC_CONTROL_MASK = 0x1e;
/** PCI Firmware Specification 3.1 §4.6: the _DSM UUID for PCI. */
const PCI_DSM_UUID = 'e5c937d0-3553-4d7a-9117-ea4d19c3434d';
/** AIDX's answer when QEMU has no PIDX register. */
const NOT_SUPPORTED = 0xffff_ffff;

/**
 * _OSC for a PCI host bridge (PCI Firmware Spec 3.2 §4.5): accept the PCI
 * UUID, grant what the OS asks for within `mask` (PCI0: everything but native
 * PCIe hot-plug), and say so through "capabilities masked" (CDW1 bit 4).
 */
export function hostBridgeOsc(mask = OSC_CONTROL_MASK): AmlTerm {
  const cdw1 = ref('CDW1');
  const cdw3 = ref('CDW3');
  return method('_OSC', 4, false, [
    new CreateField(4, arg(3), ZERO, 'CDW1'),
    new If(
      eq(arg(0), new Uuid('33db4d5b-1ff7-401c-9657-7441c03dd766')),
      [
        new CreateField(4, arg(3), int(4), 'CDW2'),
        new CreateField(4, arg(3), int(8), 'CDW3'),
        store(cdw3, local(0)),
        new Binary('And', local(0), int(mask), local(0)),
        new If(new Compare('LNotEqual', arg(1), ONE), [new Binary('Or', cdw1, int(0x08), cdw1)]),
        new If(new Compare('LNotEqual', cdw3, local(0)), [new Binary('Or', cdw1, int(0x10), cdw1)]),
        store(local(0), cdw3),
      ],
      [new Binary('Or', cdw1, int(0x04), cdw1)],
    ),
    ret(arg(3)),
  ]);
}

/** Function 0 of the PCI _DSM: an empty support mask unless the UUID and revision (>= 2) fit. */
function dsmQueryCommon(result: AmlTerm): AmlTerm[] {
  return [
    store(new Buffer(Uint8Array.of(0)), result),
    new If(new Compare('LNotEqual', arg(0), new Uuid(PCI_DSM_UUID)), [ret(result)]),
    new If(new Compare('LLess', arg(1), int(2)), [ret(result)]),
  ];
}

/**
 * EDSM (8.0 and later): the _DSM of functions that cannot be hot-plugged,
 * with their acpi-index as Arg4[0]; functions 0 and 7 (device naming).
 */
function edsm(): AmlTerm {
  return method('EDSM', 5, true, [
    new If(eq(arg(2), ZERO), [...dsmQueryCommon(local(0)), store(int(0x81), new Index(local(0), ZERO)), ret(local(0))]),
    new If(eq(arg(2), int(7)), [
      store(new Package([ZERO, new Str('')]), local(0)),
      store(new DerefOf(new Index(arg(4), ZERO)), local(1)),
      store(local(1), new Index(local(0), ZERO)),
      ret(local(0)),
    ]),
  ]);
}

/**
 * PDSM: the _DSM of hot-plug slots, which asks QEMU for the slot's
 * acpi-index through AIDX (BSEL in Arg4[0], slot in Arg4[1]).
 */
function pdsm(machine: ResolvedMachine): AmlTerm {
  const caps = local(1);
  const index = local(2);
  const aidx = call('AIDX', new DerefOf(new Index(arg(4), ZERO)), new DerefOf(new Index(arg(4), ONE)));
  const known = (lor: boolean) => {
    const a = eq(index, ZERO);
    const b = eq(index, int(NOT_SUPPORTED));
    return new LNot(lor ? new Compare('LOr', a, b) : new Binary('Or', a, b));
  };
  const advertise = new If(known(false), [new Binary('Or', caps, ONE, caps), new Binary('Or', caps, new Binary('ShiftLeft', ONE, int(7)), caps)]);
  // Function 0: QEMU 7.2 clears the mask before checking UUID and revision, later releases after.
  const query = since(machine.qemu, '8.0')
    ? [...dsmQueryCommon(local(0)), store(ZERO, caps)]
    : [store(new Buffer(Uint8Array.of(0)), local(0)), store(ZERO, caps), ...dsmQueryCommon(local(0)).slice(1)];
  return method('PDSM', 5, true, [
    new If(eq(arg(2), ZERO), [...query, store(aidx, index), advertise, store(caps, new Index(local(0), ZERO)), ret(local(0))]),
    // Function 7: the package stays uninitialised when there is no index (Windows then ignores it).
    new If(eq(arg(2), int(7)), [
      store(aidx, index),
      store(new Package([], 2), local(0)),
      new If(known(true), [store(index, new Index(local(0), ZERO)), store(new Str(''), new Index(local(0), ONE))]),
      ret(local(0)),
    ]),
  ]);
}

/** Scope (_SB) { Device (PCI0) { identity, _OSC[, EDSM] }, Device (DRAC) }. */
export function hostBridge(machine: ResolvedMachine): AmlTerm {
  const body: AmlTerm[] = [name('_HID', new EisaId('PNP0A08')), name('_CID', new EisaId('PNP0A03'))];
  if (!since(machine.qemu, '8.0')) body.push(name('_ADR', ZERO));
  body.push(name('_UID', ZERO), hostBridgeOsc());
  if (since(machine.qemu, '8.0')) body.push(edsm());
  const { base, size } = machine.memory.ecam;
  // The ECAM window as a motherboard resource (PCI Firmware Spec 3.2 §4.1.2: MCFG space must be reserved).
  const drac = device('DRAC', [name('_HID', new Str('PNP0C01')), name('_CRS', new ResourceTemplate([ecamDescriptor(base, size)]))]);
  return scope('_SB', [device('PCI0', body), drac]);
}

function ecamDescriptor(base: number, size: number): ResourceDescriptor {
  return base + size - 1 >= FOUR_GIB ? qwordMemory(base, base + size - 1, 'NonCacheable') : dwordMemory(base, base + size - 1, 'NonCacheable');
}

/** Scope (_SB.PCI0): QEMU's ACPI PCI hot-plug registers (docs/specs/acpi_pci_hotplug.rst), PCEJ, AIDX and PDSM. */
export function pciHotplugRegisters(machine: ResolvedMachine): AmlTerm {
  const base = machine.platform.pciHotplugPorts.base;
  return scope('_SB.PCI0', [
    new OperationRegion('PCST', 'SystemIO', int(base), int(0x08)),
    new Field('PCST', 'DWordAcc', false, 'WriteAsZeros', [
      { name: 'PCIU', bits: 32 },
      { name: 'PCID', bits: 32 },
    ]),
    new OperationRegion('SEJ', 'SystemIO', int(base + 0x08), int(0x04)),
    new Field('SEJ', 'DWordAcc', false, 'WriteAsZeros', [{ name: 'B0EJ', bits: 32 }]),
    new OperationRegion('BNMR', 'SystemIO', int(base + 0x10), int(0x08)),
    new Field('BNMR', 'DWordAcc', false, 'WriteAsZeros', [
      { name: 'BNUM', bits: 32 },
      { name: 'PIDX', bits: 32 },
    ]),
    new Mutex('BLCK', 0),
    method('PCEJ', 2, false, [
      new Acquire('BLCK', 0xffff),
      store(arg(0), ref('BNUM')),
      store(new Binary('ShiftLeft', ONE, arg(1)), ref('B0EJ')),
      new Release('BLCK'),
      ret(ZERO),
    ]),
    method('AIDX', 2, false, [
      new Acquire('BLCK', 0xffff),
      store(arg(0), ref('BNUM')),
      store(new Binary('ShiftLeft', ONE, arg(1)), ref('PIDX')),
      store(ref('PIDX'), local(0)),
      new Release('BLCK'),
      ret(local(0)),
    ]),
    pdsm(machine),
  ]);
}

/** PCI0's 32-bit memory windows, [start, end): the hole from RAM's end to 0xFEC00000 around ECAM and what expander bridges decode. */
export function hostBridgeMem32(machine: ResolvedMachine, expanders: RootRanges = expanderRanges(expanderRoots(machine))): [number, number][] {
  const { below4g, ecam } = machine.memory;
  const used = [...expanders.mem, { base: ecam.base, limit: ecam.base + ecam.size - 1 }];
  return freeRanges(used, below4g, PCI_HOLE32_END - 1).map((r) => [r.base, r.limit + 1]);
}

/** The 64-bit window: QEMU's pci-hole64, grown to cover what firmware placed above 4 GiB. */
export function hostBridgeMem64(machine: ResolvedMachine): [number, number] | undefined {
  const hole = machine.memory.pciHole64;
  const fw = machine.firmware.mem64;
  let base = hole.base;
  let end = hole.base + hole.size;
  if (fw && fw.size > 0) {
    base = Math.min(base, fw.base);
    end = Math.max(end, fw.base + fw.size);
  }
  if (end <= base || base < FOUR_GIB) return undefined;
  return [base, end];
}

/**
 * \_SB.PCI0._CRS: the bus range, the config ports, IO ports but those, the
 * VGA window, the 32- and 64-bit holes; the bus numbers, IO and memory that
 * expander bridges decode (and ECAM) left out, as the free gaps around them.
 */
export function hostBridgeCrs(machine: ResolvedMachine, expanders: RootRanges, busLimit: number): ResourceTemplate {
  const d: ResourceDescriptor[] = [
    wordBusNumber(0, busLimit),
    new IoPort(0x0cf8, 0x0cf8, 0x01, 0x08),
    wordIo(0x0000, 0x0cf7),
    ...freeRanges(expanders.io, 0x0d00, 0xffff).map((r) => wordIo(r.base, r.limit)),
    dwordMemory(0x000a_0000, 0x000b_ffff, 'Cacheable'),
    ...hostBridgeMem32(machine, expanders).map(([b, e]) => dwordMemory(b, e - 1, 'NonCacheable')),
  ];
  const m64 = hostBridgeMem64(machine);
  if (m64) d.push(...freeRanges(expanders.mem64, m64[0], m64[1] - 1).map((r) => qwordMemory(r.base, r.limit, 'Cacheable')));
  return new ResourceTemplate(d);
}
