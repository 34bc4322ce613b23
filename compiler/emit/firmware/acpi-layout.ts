/**
 * Lays ACPI tables out in fw_cfg files the way QEMU 7.2 does
 * (hw/i386/acpi-build.c acpi_build, hw/acpi/bios-linker-loader.c):
 *
 * - `etc/acpi/tables`: FACS first (the only table with an alignment rule:
 *   64 bytes, ACPI 6.4 §5.2.10, which the ALLOCATE alignment guarantees),
 *   then every other table back to back with no padding, the whole blob
 *   zero-padded to a multiple of 128 KiB (ACPI_BUILD_TABLE_SIZE);
 * - `etc/acpi/rsdp`: the RSDP alone, allocated in the F-segment where the OS
 *   searches for it (ACPI 6.4 §5.2.5.1);
 * - `etc/table-loader`: ALLOCATE rsdp, ALLOCATE tables, then per table in
 *   blob order its ADD_POINTERs and its ADD_CHECKSUM, then the RSDP's.
 *
 * Pointer fields are pre-filled with the target's offset inside its file and
 * checksum bytes are zeroed: firmware adds the allocation address and
 * subtracts the byte sum, as QEMU expects. Pointers are patched before
 * checksums, and several checksums of one table (RSDP revision 2: the first
 * 20 bytes, then all 36) are recomputed in the order given.
 */
import type { AddChecksumCommand, AddPointerCommand, LoaderCommand } from './loader.js';

export const ACPI_TABLES_FILE = 'etc/acpi/tables';
export const ACPI_RSDP_FILE = 'etc/acpi/rsdp';
export const TABLE_LOADER_FILE = 'etc/table-loader';

/** QEMU pads etc/acpi/tables to a multiple of this (ACPI_BUILD_TABLE_SIZE). */
export const ACPI_TABLES_ALIGN = 0x2_0000;
/** ALLOCATE alignment of etc/acpi/tables: FACS must be 64-byte aligned. */
export const ACPI_TABLES_ALLOC_ALIGN = 64;
/** ALLOCATE alignment of the RSDP: the OS scans the F-segment on 16-byte boundaries. */
export const ACPI_RSDP_ALLOC_ALIGN = 16;

/** An ACPI table as the ACPI emitter hands it over (structurally compiler/emit/acpi's AcpiTable). */
export interface AcpiTableInput {
  readonly signature: string;
  readonly bytes: Uint8Array;
  /** Fields that receive another table's physical address; target is a signature. */
  readonly pointers: readonly { readonly offset: number; readonly size: 4 | 8; readonly target: string }[];
  readonly checksum?: TableChecksum | undefined;
  /** Every checksum in the order to recompute them (RSDP: ACPI 1.0 one, then extended); overrides `checksum`. */
  readonly checksums?: readonly TableChecksum[] | undefined;
}

export interface TableChecksum {
  /** The checksum byte; bytes [start, start + length) must sum to zero. */
  readonly offset: number;
  readonly start: number;
  readonly length: number;
}

function checksumsOf(t: AcpiTableInput): readonly TableChecksum[] {
  return t.checksums ?? (t.checksum ? [t.checksum] : []);
}

export interface AcpiSetInput {
  readonly tables: readonly AcpiTableInput[];
  readonly rsdp: AcpiTableInput;
}

export interface PlacedTable {
  readonly signature: string;
  /** Offset inside etc/acpi/tables. */
  readonly offset: number;
  readonly length: number;
  /** Index among tables with the same signature (SSDTs), from 0. */
  readonly instance: number;
}

export interface AcpiLayout {
  /** etc/acpi/tables, padded. */
  readonly tables: Uint8Array;
  /** Bytes of etc/acpi/tables actually used by tables. */
  readonly used: number;
  readonly rsdp: Uint8Array;
  readonly placed: readonly PlacedTable[];
  readonly commands: readonly LoaderCommand[];
}

function writeLe(bytes: Uint8Array, offset: number, size: 4 | 8, value: number): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4) v.setUint32(offset, value, true);
  else v.setBigUint64(offset, BigInt(value), true);
}

function checkTable(t: AcpiTableInput): void {
  const n = t.bytes.length;
  for (const p of t.pointers) {
    if (p.offset < 0 || p.offset + p.size > n) throw new Error(`${t.signature}: pointer field at ${p.offset} (+${p.size}) is outside the table (${n} bytes)`);
  }
  for (const c of checksumsOf(t)) checkChecksum(t, c);
}

function checkChecksum(t: AcpiTableInput, c: TableChecksum): void {
  const n = t.bytes.length;
  if ((c.offset < 0 || c.offset >= n || c.start < 0 || c.start + c.length > n || c.offset < c.start || c.offset >= c.start + c.length)) {
    throw new Error(`${t.signature}: checksum byte ${c.offset} over [${c.start}, +${c.length}) does not fit the table (${n} bytes)`);
  }
}

/** Places the tables and writes the loader script. Throws on inconsistent input (a bug upstream, not user input). */
export function layoutAcpi(set: AcpiSetInput): AcpiLayout {
  const facs = set.tables.filter((t) => t.signature === 'FACS');
  const ordered = [...facs, ...set.tables.filter((t) => t.signature !== 'FACS')];
  for (const t of ordered) checkTable(t);
  checkTable(set.rsdp);

  const placed: PlacedTable[] = [];
  const seen = new Map<string, number>();
  let used = 0;
  for (const t of ordered) {
    const instance = seen.get(t.signature) ?? 0;
    seen.set(t.signature, instance + 1);
    placed.push({ signature: t.signature, offset: used, length: t.bytes.length, instance });
    used += t.bytes.length;
  }
  const size = Math.max(ACPI_TABLES_ALIGN, Math.ceil(used / ACPI_TABLES_ALIGN) * ACPI_TABLES_ALIGN);
  const blob = new Uint8Array(size);
  ordered.forEach((t, i) => blob.set(t.bytes, placed[i]!.offset));
  const rsdp = Uint8Array.from(set.rsdp.bytes);

  /**
   * A target names a signature; where several tables share it (SSDTs), a
   * table's n-th pointer to that signature goes to its n-th instance.
   */
  const resolver = () => {
    const next = new Map<string, number>();
    return (source: string, target: string): PlacedTable => {
      const n = next.get(target) ?? 0;
      next.set(target, n + 1);
      const all = placed.filter((p) => p.signature === target);
      const hit = all.length > 1 ? all[n] : all[0];
      if (!hit) throw new Error(`${source}: pointer target ${target} is not among the tables${all.length ? ` (only ${all.length} instances)` : ''}`);
      return hit;
    };
  };

  const commands: LoaderCommand[] = [
    { kind: 'allocate', file: ACPI_RSDP_FILE, align: ACPI_RSDP_ALLOC_ALIGN, zone: 'fseg' },
    { kind: 'allocate', file: ACPI_TABLES_FILE, align: ACPI_TABLES_ALLOC_ALIGN, zone: 'high' },
  ];
  const link = (t: AcpiTableInput, file: string, bytes: Uint8Array, base: number) => {
    const find = resolver();
    for (const p of t.pointers) {
      const target = find(t.signature, p.target);
      writeLe(bytes, base + p.offset, p.size, target.offset);
      const cmd: AddPointerCommand = { kind: 'add-pointer', dest: file, src: ACPI_TABLES_FILE, offset: base + p.offset, size: p.size };
      commands.push(cmd);
    }
    const sums = checksumsOf(t);
    for (const c of sums) bytes[base + c.offset] = 0;
    for (const c of sums) {
      const cmd: AddChecksumCommand = { kind: 'add-checksum', file, offset: base + c.offset, start: base + c.start, length: c.length };
      commands.push(cmd);
    }
  };
  ordered.forEach((t, i) => link(t, ACPI_TABLES_FILE, blob, placed[i]!.offset));
  link(set.rsdp, ACPI_RSDP_FILE, rsdp, 0);
  return { tables: blob, used, rsdp, placed, commands };
}
