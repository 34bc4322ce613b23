/**
 * The pieces every ACPI table shares: the System Description Table Header
 * (ACPI 6.4 §5.2.6), the Generic Address Structure (§5.2.3.2), pointer fields
 * that the firmware linker fills in, and a field writer that lays out a data
 * table and prints it the way `iasl -d` shows data tables:
 * `[024h 0036   4]               Table Revision : 00000001`.
 */
import { ByteSink, fixChecksum } from './sink.js';

export interface AcpiPointer {
  /** Byte offset of the field inside the table. */
  readonly offset: number;
  readonly size: 4 | 8;
  /** Signature of the table whose physical address goes there. */
  readonly target: string;
}

export interface AcpiChecksum {
  /** Offset of the checksum byte; the bytes in [start, start + length) sum to zero. */
  readonly offset: number;
  readonly start: number;
  readonly length: number;
}

export interface AcpiTable {
  /** 'DSDT', 'FACP', 'APIC', 'MCFG', 'HPET', 'SRAT', 'FACS', 'WAET', 'XSDT', 'RSDT', 'RSD PTR '. */
  readonly signature: string;
  /** The complete table, pointer fields 0, checksum valid as laid out. */
  readonly bytes: Uint8Array;
  /** Fields that hold the physical address of another table (the firmware linker adds it). */
  readonly pointers: readonly AcpiPointer[];
  /** The table's checksum (absent for FACS). For RSDP: the ACPI 1.0 checksum over the first 20 bytes. */
  readonly checksum?: AcpiChecksum;
  /** Every checksum, in the order a loader must recompute them (RSDP: 20-byte, then extended). */
  readonly checksums: readonly AcpiChecksum[];
  /** Readable ASL (AML tables) or an annotated field listing (data tables); built on first read. */
  readonly asl: string;
}

export interface TableIds {
  /** 6 characters, space padded. */
  readonly oemId: string;
  /** 8 characters, space padded. */
  readonly oemTableId: string;
  readonly oemRevision: number;
  readonly creatorId: string;
  readonly creatorRevision: number;
}

/** QEMU's OEM ids (ACPI_BUILD_APPNAME6, ACPI_BUILD_APPNAME8) and creator id (ACPI_BUILD_APPNAME4). */
export const DEFAULT_OEM_ID = 'BOCHS ';
export const DEFAULT_OEM_TABLE_ID = 'BXPC    ';
export const CREATOR_ID = 'BXPC';

export function tableIds(options: { oemId?: string | undefined; oemTableId?: string | undefined } = {}): TableIds {
  const oemId = options.oemId ?? DEFAULT_OEM_ID;
  const oemTableId = options.oemTableId ?? DEFAULT_OEM_TABLE_ID;
  if (!/^[\x20-\x7e]{1,6}$/.test(oemId)) throw new Error(`OEM ID must be 1-6 printable ASCII characters: '${oemId}'`);
  if (!/^[\x20-\x7e]{1,8}$/.test(oemTableId)) throw new Error(`OEM table ID must be 1-8 printable ASCII characters: '${oemTableId}'`);
  return { oemId: oemId.padEnd(6, ' '), oemTableId: oemTableId.padEnd(8, ' '), oemRevision: 1, creatorId: CREATOR_ID, creatorRevision: 1 };
}

/** ACPI 6.4 §5.2.3.2 Generic Address Structure. */
export interface Gas {
  /** 0 SystemMemory, 1 SystemIO. */
  readonly space: 0 | 1;
  readonly bitWidth: number;
  readonly bitOffset: number;
  /** 0 undefined (legacy), 1 byte, 2 word, 3 dword, 4 qword. */
  readonly accessSize: number;
  readonly address: number;
}

export const GAS_NONE: Gas = { space: 0, bitWidth: 0, bitOffset: 0, accessSize: 0, address: 0 };
export const ioGas = (address: number, bitWidth: number, accessSize = 0): Gas => ({ space: 1, bitWidth, bitOffset: 0, accessSize, address });

const hexn = (v: number, digits: number): string => v.toString(16).toUpperCase().padStart(digits, '0');

/** Makes an AcpiTable whose `asl` is computed once, on first read. */
export function makeTable(parts: Omit<AcpiTable, 'asl'>, asl: () => string): AcpiTable {
  let text: string | undefined;
  return {
    ...parts,
    get asl(): string {
      text ??= asl();
      return text;
    },
  };
}

/**
 * Lays out a data table field by field and keeps an annotated listing.
 * Create with `TableWriter.sdt(...)` for tables with the standard header.
 */
export class TableWriter {
  readonly out = new ByteSink(256);
  private readonly lines: string[] = [];
  readonly pointers: AcpiPointer[] = [];

  constructor(readonly signature: string) {}

  /** A table with the §5.2.6 header: Signature, Length, Revision, Checksum, OEM IDs, creator. */
  static sdt(signature: string, revision: number, ids: TableIds): TableWriter {
    const w = new TableWriter(signature);
    w.ascii('Signature', signature, 4);
    w.u32('Table Length', 0);
    w.u8('Revision', revision);
    w.u8('Checksum', 0);
    w.ascii('Oem ID', ids.oemId, 6);
    w.ascii('Oem Table ID', ids.oemTableId, 8);
    w.u32('Oem Revision', ids.oemRevision);
    w.ascii('Asl Compiler ID', ids.creatorId, 4);
    w.u32('Asl Compiler Revision', ids.creatorRevision);
    return w;
  }

  get offset(): number {
    return this.out.length;
  }

  private line(size: number, label: string, value: string): void {
    const o = this.out.length - size;
    this.lines.push(`[${hexn(o, 3)}h ${String(o).padStart(4, '0')} ${String(size).padStart(3)}] ${label.padStart(28)} : ${value}`);
  }

  note(text: string): void {
    this.lines.push(`${' '.repeat(47)}${text}`);
  }

  subtable(): void {
    this.lines.push('');
  }

  u8(label: string, v: number): this {
    this.out.u8(v);
    this.line(1, label, hexn(v, 2));
    return this;
  }

  u16(label: string, v: number): this {
    this.out.u16(v);
    this.line(2, label, hexn(v, 4));
    return this;
  }

  u32(label: string, v: number): this {
    this.out.u32(v);
    this.line(4, label, hexn(v >>> 0, 8));
    return this;
  }

  u64(label: string, v: number): this {
    this.out.u64(v);
    this.line(8, label, hexn(v, 16));
    return this;
  }

  ascii(label: string, text: string, size: number): this {
    this.out.ascii(text, size);
    this.line(size, label, `"${text.padEnd(size, ' ').slice(0, size)}"`);
    return this;
  }

  zeros(label: string, size: number): this {
    this.out.bytes(new Uint8Array(size));
    this.line(size, label, size <= 8 ? '0'.repeat(size * 2) : `${size} zero bytes`);
    return this;
  }

  /** A field the firmware linker fills with the address of table `target`; 0 here. */
  pointer(label: string, size: 4 | 8, target: string): this {
    this.pointers.push({ offset: this.out.length, size, target });
    if (size === 4) this.out.u32(0);
    else this.out.u64(0);
    this.line(size, label, `${'0'.repeat(size * 2)} (address of ${target})`);
    return this;
  }

  gas(label: string, g: Gas): this {
    this.out.u8(g.space).u8(g.bitWidth).u8(g.bitOffset).u8(g.accessSize).u64(g.address);
    const space = g.space === 1 ? 'SystemIO' : 'SystemMemory';
    this.line(12, label, `[Generic Address Structure] ${space}, width ${g.bitWidth}, offset ${g.bitOffset}, access ${g.accessSize}, address ${hexn(g.address, 16)}`);
    return this;
  }

  raw(label: string, data: Uint8Array): this {
    this.out.bytes(data);
    this.line(data.length, label, `${data.length} bytes`);
    return this;
  }

  /** Listing text so far. */
  listing(): string {
    return this.lines.join('\n');
  }

  /** Patches Length and Checksum of a §5.2.6 header and returns the table. */
  finishSdt(): AcpiTable {
    const bytes = this.out.toBytes();
    new DataView(bytes.buffer).setUint32(4, bytes.length, true);
    fixChecksum(bytes, 9);
    const checksum = { offset: 9, start: 0, length: bytes.length };
    const listing = this.lines.slice();
    listing[1] = listing[1]!.replace(/: .*/, `: ${hexn(bytes.length, 8)}`);
    listing[3] = listing[3]!.replace(/: .*/, `: ${hexn(bytes[9]!, 2)}`);
    const sig = this.signature;
    return makeTable({ signature: sig, bytes, pointers: this.pointers.slice(), checksum, checksums: [checksum] }, () => `/* ${sig} */\n${listing.join('\n')}\n`);
  }
}
