/**
 * RSDP, the Root System Description Pointer (ACPI 6.4 §5.2.5.3). Revision 0,
 * as QEMU gives x86 firmware (hw/acpi/aml-build.c build_rsdp): 20 bytes with
 * the RSDT address and one checksum. Revision 2, when the machine asks for an
 * XSDT: 36 bytes carrying both addresses and two checksums, the first over
 * bytes 0-19, the extended one over all 36; a loader must recompute them in
 * that order. It lives in its own fw_cfg file (etc/acpi/rsdp), which the
 * firmware places in the F segment.
 */
import { fixChecksum } from './sink.js';
import { makeTable, TableWriter, type AcpiTable, type TableIds } from './header.js';

export const RSDP_SIGNATURE = 'RSD PTR ';

export function buildRsdp(ids: TableIds, xsdt: boolean): AcpiTable {
  const w = new TableWriter(RSDP_SIGNATURE);
  w.ascii('Signature', RSDP_SIGNATURE, 8);
  w.u8('Checksum', 0);
  w.ascii('Oem ID', ids.oemId, 6);
  w.u8('Revision', xsdt ? 2 : 0);
  w.pointer('RSDT Address', 4, 'RSDT');
  if (xsdt) {
    w.u32('Length', 36);
    w.pointer('XSDT Address', 8, 'XSDT');
    w.u8('Extended Checksum', 0);
    w.zeros('Reserved', 3);
  }
  const bytes = w.out.toBytes();
  const first = { offset: 8, start: 0, length: 20 };
  const extended = { offset: 32, start: 0, length: 36 };
  const checksums = xsdt ? [first, extended] : [first];
  for (const c of checksums) fixChecksum(bytes, c.offset, c.start, c.length);
  const hex2 = (v: number) => v.toString(16).toUpperCase().padStart(2, '0');
  let listing = w.listing().replace(/(\] +Checksum : )00/, `$1${hex2(bytes[first.offset]!)}`);
  if (xsdt) listing = listing.replace(/(\] +Extended Checksum : )00/, `$1${hex2(bytes[extended.offset]!)}`);
  return makeTable(
    { signature: RSDP_SIGNATURE, bytes, pointers: w.pointers.slice(), checksum: first, checksums },
    () => `/* RSDP */\n${listing}\n`,
  );
}
