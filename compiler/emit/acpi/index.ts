/**
 * ACPI tables for a resolved q35 machine, as the target QEMU builds them
 * (hw/i386/acpi-build.c acpi_build): FACS, DSDT, FADT, MADT, HPET, SRAT (NUMA
 * machines), MCFG, WAET and RSDT, plus a revision-0 RSDP; with the machine's
 * `acpi: { xsdt: true }` also an XSDT, and a revision-2 RSDP.
 *
 * Each table comes complete and checksum-valid with every pointer field 0;
 * `pointers` names the fields a firmware linker (QEMU's BIOS linker/loader
 * ADD_POINTER) must add a table's address to, and `checksums` the ranges its
 * ADD_CHECKSUM must then recompute. `tables` is in the order to lay them out
 * in etc/acpi/tables: FACS first (it needs 64-byte alignment, so the blob
 * should be allocated 64-byte aligned), then DSDT, the tables the root tables
 * list, and RSDT and XSDT last. The RSDP goes in its own file.
 */
import type { ResolvedMachine } from '../../model/topology.js';
import { qemuCommand } from '../qemu/args.js';
import type { AmlTerm } from './aml.js';
import { buildDsdt } from './dsdt.js';
import { buildFacs } from './facs.js';
import { buildFadt } from './fadt.js';
import { tableIds, type AcpiTable } from './header.js';
import { buildHpet } from './hpet.js';
import { buildMadt } from './madt.js';
import { buildMcfg } from './mcfg.js';
import { buildRsdp } from './rsdp.js';
import { buildSrat } from './srat.js';
import { buildWaet } from './waet.js';
import { buildRsdt, buildXsdt } from './xsdt.js';

export type { AcpiChecksum, AcpiPointer, AcpiTable } from './header.js';
export { DEFAULT_OEM_ID, DEFAULT_OEM_TABLE_ID } from './header.js';

export interface AcpiTableSet {
  readonly tables: readonly AcpiTable[];
  readonly rsdp: AcpiTable;
}

export interface AcpiOptions {
  /** Up to 6 characters (default "MACHC "). */
  readonly oemId?: string | undefined;
  /** Up to 8 characters (default "MACHCQ35"). */
  readonly oemTableId?: string | undefined;
  /**
   * Device ids in the order QEMU creates them (the order of their -device
   * options). QEMU numbers ACPI hot-plug buses (BSEL) from it and lists
   * child buses in reverse. Default: the order of machc's qemu.args.
   */
  readonly creationOrder?: readonly string[] | undefined;
  /**
   * ASL from the machine file, compiled (compiler/asl/machine.ts): terms
   * appended to the DSDT (Scope blocks into device scopes) and extra SSDTs,
   * listed in the RSDT/XSDT after the generated tables.
   */
  readonly asl?: { readonly dsdt: readonly AmlTerm[]; readonly ssdts: readonly AcpiTable[] } | undefined;
}

export function buildAcpiTables(machine: ResolvedMachine, options: AcpiOptions = {}): AcpiTableSet {
  const ids = tableIds(options);
  const creationOrder = options.creationOrder ?? qemuCommand(machine).deviceOrder;
  const listed: AcpiTable[] = [buildFadt(machine, ids), buildMadt(machine, ids), buildHpet(machine, ids)];
  if (machine.numa.length > 0) listed.push(buildSrat(machine, ids));
  listed.push(buildMcfg(machine, ids), buildWaet(ids));
  if (options.asl) listed.push(...options.asl.ssdts);
  const entries = listed.map((t) => t.signature);
  const roots = [buildRsdt(entries, ids), ...(machine.acpi.xsdt ? [buildXsdt(entries, ids)] : [])];
  return {
    tables: [buildFacs(), buildDsdt(machine, ids, { creationOrder, extra: options.asl?.dsdt }), ...listed, ...roots],
    rsdp: buildRsdp(ids, machine.acpi.xsdt),
  };
}
