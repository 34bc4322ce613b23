/**
 * DSDT, the Differentiated System Description Table (ACPI 6.4 §5.2.11.1),
 * byte for byte as the target QEMU builds it for a q35 machine
 * (hw/i386/acpi-build.c build_dsdt), in QEMU's order:
 *
 *   \DBUG              debug output through the debugcon port
 *   \_SB.PCI0, DRAC    host bridge identity and _OSC; the ECAM reservation
 *   \_SB.PCI0 (scope)  ACPI PCI hot-plug registers, PCEJ, AIDX, PDSM
 *   \PICF, \_PIC       interrupt model; _PRT tables and link devices
 *   \_SB.HPET          the HPET
 *   \_GPE              GPE block device
 *   \_SB.CPUS          processors and CPU hot-plug; \_GPE._E02
 *   \_SB.PCxx          expander bridges' root complexes (dsdt-expanders.ts)
 *   \_SB.PCI0._CRS     host bridge resources, GPE0 and hot-plug reservations
 *   \_S3, \_S4, \_S5   sleep states (ICH9 SLP_TYP values)
 *   \_SB.PCI0.FWCF     fw_cfg
 *   \_SB.PCI0.Sxx      the PCI functions, hot-plug slots, PCNT
 *   \_GPE._E01         PCI hot-plug event
 *
 * Revision 1: integers are 32 bits wide.
 */
import type { PciFunction, ResolvedMachine } from '../../model/topology.js';
import {
  Acquire, arg, Binary, call, Compare, Convert, DerefOf, device, EisaId, encodeTerms, eq, Field, If, Increment, Index, indent, int, local, method,
  name, ONE, OperationRegion, Package, ref, Release, ret, scope, SizeOf, Str, store, While, ZERO, type AmlTerm,
} from './aml.js';
import { cpuHotplug } from './dsdt-cpus.js';
import { expanderDevices, expanderRanges, expanderRoots } from './dsdt-expanders.js';
import { hostBridge, hostBridgeCrs, pciHotplugRegisters } from './dsdt-host.js';
import { interruptRouting } from './dsdt-interrupts.js';
import { lpcAml, vgaAml } from './dsdt-isa.js';
import { dsdtBuses, pciDescription } from './dsdt-pci.js';
import { makeTable, TableWriter, type AcpiTable, type TableIds } from './header.js';
import { IoPort, Memory32Fixed, ResourceTemplate } from './resources.js';

export const DSDT_REVISION = 1;

/** \DBUG (Arg0): writes Arg0 in hex and a newline to the debugcon port (QEMU isa-debugcon). */
function debugOutput(port: number): AmlTerm {
  return scope('\\', [
    new OperationRegion('DBG', 'SystemIO', int(port), ONE),
    new Field('DBG', 'ByteAcc', false, 'Preserve', [{ name: 'DBGB', bits: 8 }]),
    method('DBUG', 1, false, [
      new Convert('ToHexString', arg(0), local(0)),
      new Convert('ToBuffer', local(0), local(0)),
      new Binary('Subtract', new SizeOf(local(0)), ONE, local(1)),
      store(ZERO, local(2)),
      new While(new Compare('LLess', local(2), local(1)), [store(new DerefOf(new Index(local(0), local(2))), ref('DBGB')), new Increment(local(2))]),
      store(int(0x0a), ref('DBGB')),
    ]),
  ]);
}

/** A PNP0A06 container that only reserves an IO range (so the OS does not hand it out). */
function ioReservation(devName: string, uid: string, base: number, size: number): AmlTerm {
  return device(devName, [
    name('_HID', new Str('PNP0A06')),
    name('_UID', new Str(uid)),
    name('_STA', int(0x0b)),
    name('_CRS', new ResourceTemplate([new IoPort(base, base, 0x01, size)])),
  ]);
}

/** QEMU's fw_cfg interface (QEMU0002): selector, data and DMA ports. */
function fwCfgDevice(port: number): AmlTerm {
  return device('FWCF', [name('_HID', new Str('QEMU0002')), name('_STA', int(0x0b)), name('_CRS', new ResourceTemplate([new IoPort(port, port, 0x01, 0x0c)]))]);
}

/** PNP0103 with the register block, present when the HPET's vendor and period read sane. */
function hpetDevice(address: number): AmlTerm {
  return scope('_SB', [
    device('HPET', [
      name('_HID', new EisaId('PNP0103')),
      name('_UID', ZERO),
      new OperationRegion('HPTM', 'SystemMemory', int(address), int(0x400)),
      new Field('HPTM', 'DWordAcc', true, 'Preserve', [
        { name: 'VEND', bits: 32 },
        { name: 'PRD', bits: 32 },
      ]),
      method('_STA', 0, false, [
        store(ref('VEND'), local(0)),
        store(ref('PRD'), local(1)),
        new Binary('ShiftRight', local(0), int(0x10), local(0)),
        new If(new Compare('LOr', eq(local(0), ZERO), eq(local(0), int(0xffff))), [ret(ZERO)]),
        // A period of 0 or above 100 ns (100,000,000 fs) is not a working HPET.
        new If(new Compare('LOr', eq(local(1), ZERO), new Compare('LGreater', local(1), int(100_000_000))), [ret(ZERO)]),
        ret(int(0x0f)),
      ]),
      name('_CRS', new ResourceTemplate([new Memory32Fixed(address, 0x400, false)])),
    ]),
  ]);
}

/** \_Sx packages: PM1a and PM1b SLP_TYP values for S3, S4 and S5 on ICH9. */
function sleepStates(): AmlTerm {
  const pkg = (t: number) => new Package([int(t), int(t), ZERO, ZERO]);
  return scope('\\', [name('_S3', pkg(1)), name('_S4', pkg(2)), name('_S5', pkg(0))]);
}

/** The AML a chipset function brings to its own Device (undefined: none). */
function functionAml(machine: ResolvedMachine): (f: PciFunction) => readonly AmlTerm[] | undefined {
  return (f) => {
    // QEMU's std VGA brings its sleep-state methods (vga-pci.c); virtio-vga has only its address.
    if (f.role === 'display') return f.model === 'std-vga' ? vgaAml() : undefined;
    if (f.key === 'lpc') return lpcAml(machine);
    if (f.key === 'smbus') return [];
    return undefined;
  };
}

export interface DsdtOptions {
  /** Ids of the devices in the order QEMU creates them (its -device order); decides BSEL numbers and list orders. */
  readonly creationOrder: readonly string[];
  /** Terms appended at the end of the DSDT (the machine file's device `asl:` blocks, as Scopes). */
  readonly extra?: readonly AmlTerm[] | undefined;
}

/** The DSDT's term list. */
export function dsdtTerms(machine: ResolvedMachine, options: DsdtOptions): AmlTerm[] {
  const p = machine.platform;
  const pci = pciDescription(machine, dsdtBuses(machine, options.creationOrder, functionAml(machine)));
  const roots = expanderRoots(machine, options.creationOrder);
  const busLimit = Math.min(0x100, ...roots.map((r) => r.bus.number)) - 1;
  const terms: AmlTerm[] = [
    debugOutput(p.debugconPort),
    hostBridge(machine),
    pciHotplugRegisters(machine),
    ...interruptRouting(machine),
    hpetDevice(p.hpet.address),
    scope('_GPE', [name('_HID', new Str('ACPI0006'))]),
    ...cpuHotplug(machine),
    ...expanderDevices(roots, machine.qemu),
    scope('\\_SB.PCI0', [
      name('_CRS', hostBridgeCrs(machine, expanderRanges(roots), busLimit)),
      ioReservation('GPE0', 'GPE0 resources', p.pm.gpe0.base, p.pm.gpe0.size),
      ioReservation('PHPR', 'PCI Hotplug resources', p.pciHotplugPorts.base, p.pciHotplugPorts.size),
    ]),
    sleepStates(),
    scope('\\_SB.PCI0', [fwCfgDevice(p.fwCfgPort)]),
    scope('\\_SB', [scope('PCI0', pci.devices)]),
  ];
  if (pci.notifications) terms.push(pci.notifications);
  const pcnt = pci.hasPcnt ? [new Acquire('\\_SB.PCI0.BLCK', 0xffff), call('\\_SB.PCI0.PCNT'), new Release('\\_SB.PCI0.BLCK')] : [];
  terms.push(scope('_GPE', [method('_E01', 0, false, pcnt)]));
  return terms;
}

/** A DefinitionBlock: the §5.2.6 header followed by AML. */
export function definitionBlock(signature: string, revision: number, ids: TableIds, terms: readonly AmlTerm[]): AcpiTable {
  const w = TableWriter.sdt(signature, revision, ids);
  w.raw('AML', encodeTerms(terms));
  const t = w.finishSdt();
  const head = `DefinitionBlock ("", "${signature}", ${revision}, "${ids.oemId}", "${ids.oemTableId}", 0x${ids.oemRevision.toString(16).toUpperCase().padStart(8, '0')})`;
  return makeTable(
    { signature: t.signature, bytes: t.bytes, pointers: t.pointers, checksum: t.checksum, checksums: t.checksums },
    () => `${head}\n{\n${terms.map((x) => indent(x.toAsl())).join('\n\n')}\n}\n`,
  );
}

export function buildDsdt(machine: ResolvedMachine, ids: TableIds, options: DsdtOptions): AcpiTable {
  const terms = dsdtTerms(machine, options);
  return definitionBlock('DSDT', DSDT_REVISION, ids, options.extra ? [...terms, ...options.extra] : terms);
}
