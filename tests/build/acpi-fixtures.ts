/**
 * ACPI table sets for the firmware-format tests: small synthetic tables, and
 * QEMU's own tables taken apart again from a captured `etc/acpi/tables`.
 */
import type { AcpiSetInput, AcpiTableInput } from '../../compiler/emit/firmware/acpi-layout.js';

const HEADER = 36;

/** A table with a standard ACPI header (ACPI 6.4 §5.2.6) and `body` after it; checksum left 0. */
export function table(signature: string, body: number[], pointers: AcpiTableInput['pointers'] = []): AcpiTableInput {
  const length = HEADER + body.length;
  const b = new Uint8Array(length);
  b.set(Buffer.from(signature, 'latin1'), 0);
  new DataView(b.buffer).setUint32(4, length, true);
  b[8] = 1; // revision
  b.set(Buffer.from('MACHC TEST    ', 'latin1'), 10); // OEMID + OEM table ID
  b.set(body, HEADER);
  return { signature, bytes: b, pointers, checksum: { offset: 9, start: 0, length } };
}

export function facs(): AcpiTableInput {
  const b = new Uint8Array(64);
  b.set(Buffer.from('FACS', 'latin1'), 0);
  b[4] = 64;
  return { signature: 'FACS', bytes: b, pointers: [] };
}

/** RSDP revision 0 (ACPI 6.4 §5.2.5.3): signature, checksum @8 over 20 bytes, OEMID, RSDT address @16. */
export function rsdp(target = 'RSDT'): AcpiTableInput {
  const b = new Uint8Array(20);
  b.set(Buffer.from('RSD PTR ', 'latin1'), 0);
  b.set(Buffer.from('MACHC ', 'latin1'), 9);
  return { signature: 'RSD PTR ', bytes: b, pointers: [{ offset: 16, size: 4, target }], checksum: { offset: 8, start: 0, length: 20 } };
}

/** FACS, DSDT, a FADT pointing at both (32- and 64-bit DSDT), an APIC, two SSDTs, and the RSDT. */
export function syntheticSet(): AcpiSetInput {
  const fadtBody = new Array<number>(244 - HEADER).fill(0);
  const fadt = table('FACP', fadtBody, [
    { offset: 36, size: 4, target: 'FACS' },
    { offset: 40, size: 4, target: 'DSDT' },
    { offset: 140, size: 8, target: 'DSDT' },
  ]);
  const listed = ['FACP', 'APIC', 'SSDT', 'SSDT'];
  const rsdt = table('RSDT', new Array<number>(4 * listed.length).fill(0), listed.map((target, i) => ({ offset: HEADER + 4 * i, size: 4 as const, target })));
  return {
    tables: [
      table('DSDT', [0x10, 0x05, 0x5c, 0x5f, 0x53, 0x42, 0x5f]), // Scope (\_SB) {}
      facs(),
      fadt,
      table('APIC', [0, 0, 0xe0, 0xfe, 1, 0, 0, 0]),
      table('SSDT', [0x08, 0x58, 0x58, 0x58, 0x31, 0x0a, 0x01]), // Name (XXX1, 1)
      table('SSDT', [0x08, 0x58, 0x58, 0x58, 0x32, 0x0a, 0x02]), // Name (XXX2, 2)
      rsdt,
    ],
    rsdp: rsdp(),
  };
}

/**
 * QEMU's tables from a captured etc/acpi/tables + etc/acpi/rsdp, described
 * the way machc's ACPI emitter describes its own: pointers from the ACPI
 * structure (FADT FIRMWARE_CTRL/DSDT/X_DSDT, RSDT entries, RSDP RSDT
 * address), a checksum for every table but FACS. QEMU pre-stores each
 * pointer's target offset, which names the target.
 */
export function splitQemuTables(blob: Uint8Array, rsdpBytes: Uint8Array): AcpiSetInput {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const tables: { offset: number; signature: string; bytes: Uint8Array }[] = [];
  for (let at = 0; at + 8 <= blob.length; ) {
    const signature = Buffer.from(blob.subarray(at, at + 4)).toString('latin1');
    const length = v.getUint32(at + 4, true);
    if (length === 0 || !/^[A-Z0-9]{4}$/.test(signature)) break;
    tables.push({ offset: at, signature, bytes: blob.slice(at, at + length) });
    at += length;
  }
  const at = (offset: number) => {
    const t = tables.find((x) => x.offset === offset);
    if (!t) throw new Error(`no table at offset ${offset}`);
    return t.signature;
  };
  const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);
  const inputs: AcpiTableInput[] = tables.map((t) => {
    const pointers: { offset: number; size: 4 | 8; target: string }[] = [];
    if (t.signature === 'FACP') {
      pointers.push({ offset: 36, size: 4, target: at(u32(t.bytes, 36)) }, { offset: 40, size: 4, target: at(u32(t.bytes, 40)) });
      if (t.bytes.length >= 148) pointers.push({ offset: 140, size: 8, target: at(u32(t.bytes, 140)) });
    }
    if (t.signature === 'RSDT') {
      for (let o = HEADER; o < t.bytes.length; o += 4) pointers.push({ offset: o, size: 4, target: at(u32(t.bytes, o)) });
    }
    return {
      signature: t.signature,
      bytes: t.bytes,
      pointers,
      checksum: t.signature === 'FACS' ? undefined : { offset: 9, start: 0, length: t.bytes.length },
    };
  });
  const rsdpInput: AcpiTableInput = {
    signature: 'RSD PTR ',
    bytes: rsdpBytes,
    pointers: [{ offset: 16, size: 4, target: at(u32(rsdpBytes, 16)) }],
    checksum: { offset: 8, start: 0, length: 20 },
  };
  return { tables: inputs, rsdp: rsdpInput };
}
