/**
 * The root tables that list every other table except FACS and DSDT (which
 * FADT points to): RSDT with 32-bit entries (ACPI 6.4 §5.2.7, for SeaBIOS and
 * ACPI 1.0 operating systems) and XSDT with 64-bit entries (§5.2.8). Each
 * entry is a pointer field the firmware linker fills in.
 */
import { TableWriter, type AcpiTable, type TableIds } from './header.js';

export function buildRsdt(entries: readonly string[], ids: TableIds): AcpiTable {
  const w = TableWriter.sdt('RSDT', 1, ids);
  entries.forEach((sig, i) => w.pointer(`ACPI Table Address ${i}`, 4, sig));
  return w.finishSdt();
}

export function buildXsdt(entries: readonly string[], ids: TableIds): AcpiTable {
  const w = TableWriter.sdt('XSDT', 1, ids);
  entries.forEach((sig, i) => w.pointer(`ACPI Table Address ${i}`, 8, sig));
  return w.finishSdt();
}
