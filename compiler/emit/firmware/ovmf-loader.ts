/**
 * What OVMF (edk2-stable202211, Debian `ovmf` 2022.11) does with
 * `etc/table-loader`, replayed over in-memory files. Unlike SeaBIOS it does
 * not expose the fw_cfg blobs as they are:
 *
 * - pass 1 is SeaBIOS's (allocate every blob, add pointers, fix checksums);
 * - pass 2 follows every ADD_POINTER once per distinct target: where the
 *   target starts a FACS (signature and length) or a checksummed ACPI table
 *   header, that table is handed to the UEFI ACPI table protocol, which
 *   copies it into memory of its own; RSDT and XSDT are skipped (the
 *   protocol builds its own, with the RSDP), as are targets that start no
 *   table;
 * - the protocol links the FADT to the installed FACS and DSDT itself:
 *   FIRMWARE_CTRL and DSDT get their 32-bit addresses, X_FIRMWARE_CTRL is
 *   cleared and X_DSDT repeats the DSDT's address; every table it installs
 *   gets its checksum recomputed.
 *
 * So each installed table is machc's table with its pointers aimed at the
 * copies. Where the copies are is the firmware's choice: `addressOf` gives
 * it (a test takes it from the guest kernel's table list).
 */
import type { LoaderCommand } from './loader.js';
import { decodeLoader, formatCommand } from './loader.js';
import { byteSum, runTableLoader } from './seabios-loader.js';

export interface OvmfTable {
  /** ACPI signature ('FACP', 'FACS', 'SSDT', ...). */
  readonly signature: string;
  /** Which table of that signature, in installation order, from 0. */
  readonly index: number;
  /** The blob it was copied from and where in it. */
  readonly file: string;
  readonly offset: number;
  /** The table as installed: pointers aimed at the installed copies, checksum recomputed. */
  readonly bytes: Uint8Array;
}

export interface OvmfLoaderRun {
  /** In installation order (the order of OVMF's XSDT). */
  readonly tables: readonly OvmfTable[];
  readonly errors: readonly string[];
}

const FACS_MIN = 64;
const HEADER = 36;

/** Blob bases for pass 1: far apart, so a pointer value names its blob. */
const PASS1_STRIDE = 0x1000_0000;

function readLe(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  return v;
}

function writeLe(bytes: Uint8Array, at: number, size: number, value: number): void {
  let v = BigInt(value) & ((1n << BigInt(size * 8)) - 1n);
  for (let i = 0; i < size; i++) {
    bytes[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

const sig = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

export function runOvmfLoader(
  script: Uint8Array | readonly LoaderCommand[],
  fwCfg: ReadonlyMap<string, Uint8Array>,
  addressOf: (signature: string, index: number) => number,
): OvmfLoaderRun {
  const commands = script instanceof Uint8Array ? decodeLoader(script) : script;
  const bases = new Map<string, number>();
  const pass1 = runTableLoader(commands, fwCfg, (file) => {
    const base = (bases.size + 1) * PASS1_STRIDE;
    bases.set(file, base);
    return base;
  });
  const errors = [...pass1.errors];

  // Pass 2: the tables the pointers reach, in the order the script reaches them.
  const found: { signature: string; file: string; offset: number; length: number }[] = [];
  const seen = new Set<number>();
  for (const c of commands) {
    if (c.kind !== 'add-pointer') continue;
    const dest = pass1.files.get(c.dest);
    const src = pass1.files.get(c.src);
    if (!dest || !src) continue;
    const value = readLe(dest.data, c.offset, c.size);
    const offset = value - src.address;
    if (offset < 0 || offset >= src.data.length) {
      errors.push(`${formatCommand(c)}: points outside ${c.src} (OVMF stops on it)`);
      continue;
    }
    if (seen.has(value)) continue;
    seen.add(value);
    const rest = src.data.length - offset;
    const length = rest >= 8 ? readLe(src.data, offset + 4, 4) : 0;
    const signature = rest >= 4 ? sig(src.data, offset) : '';
    let size = 0;
    if (rest >= FACS_MIN && signature === 'FACS' && length >= FACS_MIN && length <= rest) size = length;
    else if (rest >= HEADER && length >= HEADER && length <= rest && byteSum(src.data.subarray(offset, offset + length)) === 0) {
      if (signature === 'RSDT' || signature === 'XSDT') continue;
      size = length;
    }
    if (size > 0) found.push({ signature, file: c.src, offset, length: size });
  }

  // Where each installed table went, and what its bytes are there.
  const counts = new Map<string, number>();
  const placed = found.map((t) => {
    const index = counts.get(t.signature) ?? 0;
    counts.set(t.signature, index + 1);
    return { ...t, index, address: addressOf(t.signature, index), bytes: Uint8Array.from(fwCfg.get(t.file)!.subarray(t.offset, t.offset + t.length)) };
  });
  const containing = (file: string, offset: number) => placed.find((t) => t.file === file && offset >= t.offset && offset < t.offset + t.length);
  for (const c of commands) {
    if (c.kind !== 'add-pointer') continue;
    const table = containing(c.dest, c.offset);
    if (!table) continue;
    const at = c.offset - table.offset;
    if (at + c.size > table.length) continue;
    const target = readLe(table.bytes, at, c.size);
    const pointee = containing(c.src, target);
    if (!pointee) {
      errors.push(`${formatCommand(c)}: the ${table.signature} field at ${at} points into ${c.src} at ${target}, which OVMF installs no table for`);
      continue;
    }
    writeLe(table.bytes, at, c.size, pointee.address + (target - pointee.offset));
  }
  const facs = placed.find((t) => t.signature === 'FACS');
  const dsdt = placed.find((t) => t.signature === 'DSDT');
  for (const t of placed) {
    if (t.signature === 'FACP' && t.length >= 148) {
      if (facs) {
        writeLe(t.bytes, 36, 4, facs.address);
        writeLe(t.bytes, 132, 8, 0);
      }
      if (dsdt) {
        writeLe(t.bytes, 40, 4, dsdt.address);
        writeLe(t.bytes, 140, 8, dsdt.address);
      }
    }
    if (t.signature !== 'FACS') {
      t.bytes[9] = 0;
      t.bytes[9] = (0x100 - byteSum(t.bytes)) & 0xff;
    }
  }
  return { tables: placed.map(({ signature, index, file, offset, bytes }) => ({ signature, index, file, offset, bytes })), errors };
}
