/**
 * FACS, the Firmware ACPI Control Structure (ACPI 6.4 §5.2.10): no standard
 * header and no checksum. Version 0 (64 bytes, the ACPI 1.0 layout QEMU and
 * SeaBIOS use): hardware signature, waking vector, global lock and flags all
 * start at 0; the OS and firmware own them at run time. The table blob must
 * place it 64-byte aligned.
 */
import { makeTable, TableWriter, type AcpiTable } from './header.js';

export function buildFacs(): AcpiTable {
  const w = new TableWriter('FACS');
  w.ascii('Signature', 'FACS', 4);
  w.u32('Length', 64);
  w.u32('Hardware Signature', 0);
  w.u32('32 Firmware Waking Vector', 0);
  w.u32('Global Lock', 0);
  w.u32('Flags', 0);
  w.zeros('Reserved', 40);
  const listing = w.listing();
  return makeTable({ signature: 'FACS', bytes: w.out.toBytes(), pointers: [], checksums: [] }, () => `/* FACS */\n${listing}\n`);
}
