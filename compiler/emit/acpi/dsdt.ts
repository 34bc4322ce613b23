/**
 * DSDT, the Differentiated System Description Table (ACPI 6.4 §5.2.11.1):
 * one DefinitionBlock describing what the q35 machine really has.
 *
 *   \DBUG             debug output through the debugcon port
 *   \_SB.PCI0         host bridge: _OSC, _CRS, _PRT, every PCI function that
 *                     needs a Device, ACPI PCI hot-plug, the LPC's ISA devices,
 *                     fw_cfg, the GPE0 and hot-plug register reservations
 *   \_SB.DRAC         the ECAM window reserved as a motherboard resource
 *   \_SB.LNKA-LNKH    PCI interrupt links (PIC mode), GSIA-GSIH (APIC mode)
 *   \_SB.HPET         the HPET
 *   \_SB.CPUS         processor container with CPU hot-plug
 *   \_GPE             _E01 PCI hot-plug, _E02 CPU hot-plug
 *   \_S3, \_S4, \_S5  sleep states (ICH9 SLP_TYP values)
 *
 * Revision 1: integers are 32 bits wide, as in QEMU's q35 DSDT.
 */
import type { PciFunction, ResolvedMachine } from '../../model/topology.js';
import {
  arg, Binary, Convert, DerefOf, device, EisaId, encodeTerms, eq, Field, If, Increment, Index, indent, int, local, method, name,
  Compare, ONE, OperationRegion, Package, ref, ret, scope, SizeOf, Str, store, While, ZERO, Acquire, Release, call, type AmlTerm,
} from './aml.js';
import { cpuHotplugResources, cpuScanHandler, processorContainer } from './dsdt-cpus.js';
import {
  busDevices, ecamReservation, hostBridgeCrs, hostBridgeOsc, linkDevices, lpcBody, pciContext, pciDeviceName, pciHotplugRegisters,
  pirqField, routingTables,
} from './dsdt-pci.js';
import { makeTable, TableWriter, type AcpiTable, type TableIds } from './header.js';
import { IoPort, Memory32Fixed, ResourceTemplate } from './resources.js';

export const DSDT_REVISION = 1;

export interface DsdtOptions {
  /** Keys of the bridges in the order QEMU creates them (its -device order); decides BSEL numbers. */
  readonly creationOrder?: readonly string[] | undefined;
  /** Terms appended at the end of the DSDT (the machine file's device `asl:` blocks, as Scopes). */
  readonly extra?: readonly AmlTerm[] | undefined;
}

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
    name('_UID', uid),
    name('_STA', int(0x0b)),
    name('_CRS', new ResourceTemplate([new IoPort(base, base, 0x01, size)])),
  ]);
}

/** QEMU's fw_cfg interface (QEMU0002): selector, data and DMA ports. */
function fwCfgDevice(port: number): AmlTerm {
  return device('FWCF', [name('_HID', 'QEMU0002'), name('_STA', int(0x0b)), name('_CRS', new ResourceTemplate([new IoPort(port, port, 0x01, 0x0c)]))]);
}

/** PNP0103 with the register block, present when the HPET's vendor and period read sane. */
function hpetDevice(address: number): AmlTerm {
  const vend = ref('VEND');
  const prd = ref('PRD');
  return device('HPET', [
    name('_HID', new EisaId('PNP0103')),
    name('_UID', ZERO),
    new OperationRegion('HPTM', 'SystemMemory', int(address), int(0x400)),
    new Field('HPTM', 'DWordAcc', true, 'Preserve', [
      { name: 'VEND', bits: 32 },
      { name: 'PRD', bits: 32 },
    ]),
    method('_STA', 0, false, [
      store(vend, local(0)),
      store(prd, local(1)),
      new Binary('ShiftRight', local(0), int(0x10), local(0)),
      new If(new Compare('LOr', eq(local(0), ZERO), eq(local(0), int(0xffff))), [ret(ZERO)]),
      // A period of 0 or above 100 ns (100,000,000 fs) is not a working HPET.
      new If(new Compare('LOr', eq(local(1), ZERO), new Compare('LGreater', local(1), int(100_000_000))), [ret(ZERO)]),
      ret(int(0x0f)),
    ]),
    name('_CRS', new ResourceTemplate([new Memory32Fixed(address, 0x400, false)])),
  ]);
}

/** \_Sx packages: PM1a and PM1b SLP_TYP values for S3, S4 and S5 on ICH9. */
function sleepStates(): AmlTerm[] {
  const pkg = (t: number) => new Package([int(t), int(t), ZERO, ZERO]);
  return [name('\\_S3', pkg(1)), name('\\_S4', pkg(2)), name('\\_S5', pkg(0))];
}

/** The DSDT's term list. */
export function dsdtTerms(machine: ResolvedMachine, options: DsdtOptions = {}): AmlTerm[] {
  const ctx = pciContext(machine, options.creationOrder);
  const p = machine.platform;
  const lpc: PciFunction | undefined = machine.pci.functions.find((f) => f.bus === 0 && f.model === 'ich9-lpc');
  const lpcPath = lpc ? `PCI0.${pciDeviceName(lpc)}` : undefined;
  const hook = (f: PciFunction): AmlTerm[] => (f === lpc ? lpcBody(machine) : []);

  const pci0: AmlTerm[] = [
    name('_HID', new EisaId('PNP0A08')),
    name('_CID', new EisaId('PNP0A03')),
    name('_ADR', ZERO),
    name('_UID', ZERO),
    hostBridgeOsc(),
    name('_CRS', hostBridgeCrs(machine)),
    ...pciHotplugRegisters(machine),
    ...routingTables(machine),
    ioReservation('GPE0', 'GPE0 resources', p.pm.gpe0.base, p.pm.gpe0.size),
    ioReservation('PHPR', 'PCI Hotplug resources', p.pciHotplugPorts.base, p.pciHotplugPorts.size),
    fwCfgDevice(p.fwCfgPort),
    cpuHotplugResources(machine),
    ...busDevices(ctx, machine.pci.buses[0]!, hook),
  ];
  const sb: AmlTerm[] = [device('PCI0', pci0), ecamReservation(machine)];
  if (lpcPath) sb.push(pirqField(machine, lpcPath), ...linkDevices(machine));
  sb.push(hpetDevice(p.hpet.address), processorContainer(machine));

  return [
    debugOutput(p.debugconPort),
    scope('\\_SB', sb),
    name('\\PICF', ZERO),
    // _PIC (ACPI 6.4 §5.8.1): 0 PIC mode, 1 APIC mode; _PRT follows it.
    method('\\_PIC', 1, false, [store(arg(0), ref('\\PICF'))]),
    scope('\\_GPE', [
      name('_HID', 'ACPI0006'),
      method('_E01', 0, false, [new Acquire('\\_SB.PCI0.BLCK', 0xffff), call('\\_SB.PCI0.PCNT'), new Release('\\_SB.PCI0.BLCK')]),
      cpuScanHandler(),
    ]),
    ...sleepStates(),
  ];
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

export function buildDsdt(machine: ResolvedMachine, ids: TableIds, options: DsdtOptions = {}): AcpiTable {
  const terms = dsdtTerms(machine, options);
  return definitionBlock('DSDT', DSDT_REVISION, ids, options.extra ? [...terms, ...options.extra] : terms);
}
