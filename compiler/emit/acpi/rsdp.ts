/**
 * RSDP, the Root System Description Pointer (ACPI 6.4 §5.2.5.3), revision 2:
 * 36 bytes carrying both the RSDT address (for SeaBIOS and ACPI 1.0 guests,
 * which read only the first 20 bytes) and the XSDT address. Two checksums:
 * the first covers bytes 0-19, the extended one all 36 bytes; a loader must
 * recompute them in that order. It lives in its own fw_cfg file
 * (etc/acpi/rsdp), which the firmware places in the F segment.
 */
import { fixChecksum } from './sink.js';
import { makeTable, TableWriter, type AcpiTable, type TableIds } from './header.js';

export const RSDP_SIGNATURE = 'RSD PTR ';

export function buildRsdp(ids: TableIds): AcpiTable {
  const w = new TableWriter(RSDP_SIGNATURE);
  w.ascii('Signature', RSDP_SIGNATURE, 8);
  w.u8('Checksum', 0);
  w.ascii('Oem ID', ids.oemId, 6);
  w.u8('Revision', 2);
  w.pointer('RSDT Address', 4, 'RSDT');
  w.u32('Length', 36);
  w.pointer('XSDT Address', 8, 'XSDT');
  w.u8('Extended Checksum', 0);
  w.zeros('Reserved', 3);
  const bytes = w.out.toBytes();
  const first = { offset: 8, start: 0, length: 20 };
  const extended = { offset: 32, start: 0, length: 36 };
  fixChecksum(bytes, first.offset, first.start, first.length);
  fixChecksum(bytes, extended.offset, extended.start, extended.length);
  const hex2 = (v: number) => v.toString(16).toUpperCase().padStart(2, '0');
  const listing = w
    .listing()
    .replace(/(\] +Checksum : )00/, `$1${hex2(bytes[first.offset]!)}`)
    .replace(/(\] +Extended Checksum : )00/, `$1${hex2(bytes[extended.offset]!)}`);
  return makeTable(
    { signature: RSDP_SIGNATURE, bytes, pointers: w.pointers.slice(), checksum: first, checksums: [first, extended] },
    () => `/* RSDP */\n${listing}\n`,
  );
}
