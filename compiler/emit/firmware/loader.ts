/**
 * fw_cfg `etc/table-loader`: the linker/loader script QEMU hands the firmware
 * (QEMU hw/acpi/bios-linker-loader.c; SeaBIOS src/fw/romfile_loader.h).
 *
 * The script is an array of 128-byte little-endian entries: a u32 command and
 * a 124-byte union. File names are 56-byte NUL-padded fields (fw_cfg's
 * FW_CFG_MAX_FILE_PATH); firmware rejects a name whose last byte is not NUL.
 * The array is zero-padded to a multiple of 4 KiB, and firmware skips
 * command 0, so the padding is inert.
 *
 *   cmd 1 ALLOCATE      file[56] @4, u32 align @60, u8 zone @64 (1 = high RAM, 2 = F-segment)
 *   cmd 2 ADD_POINTER   dest[56] @4, src[56] @60, u32 offset @116, u8 size @120
 *                       dest[offset..+size] += address of src (QEMU pre-stores the offset in src)
 *   cmd 3 ADD_CHECKSUM  file[56] @4, u32 offset @60, u32 start @64, u32 length @68
 *                       byte[offset] -= sum of bytes [start, start + length)
 *   cmd 4 WRITE_POINTER dest[56] @4, src[56] @60, u32 dst_offset @116, u32 src_offset @120, u8 size @124
 *                       firmware writes address of src + src_offset back into fw_cfg file dest
 */

export const LOADER_ENTRY_SIZE = 128;
export const LOADER_FILE_NAME_SIZE = 56;
/** QEMU pads the command blob to this (ACPI_BUILD_ALIGN_SIZE). */
export const LOADER_BLOB_ALIGN = 0x1000;

export const LoaderCommandCode = {
  allocate: 1,
  addPointer: 2,
  addChecksum: 3,
  writePointer: 4,
} as const;

export type AllocZone = 'high' | 'fseg';
export const ALLOC_ZONE_CODE: Record<AllocZone, number> = { high: 1, fseg: 2 };

export type PointerSize = 1 | 2 | 4 | 8;

export interface AllocateCommand {
  readonly kind: 'allocate';
  readonly file: string;
  /** Power of two. */
  readonly align: number;
  readonly zone: AllocZone;
}

export interface AddPointerCommand {
  readonly kind: 'add-pointer';
  readonly dest: string;
  readonly src: string;
  readonly offset: number;
  readonly size: PointerSize;
}

export interface AddChecksumCommand {
  readonly kind: 'add-checksum';
  readonly file: string;
  readonly offset: number;
  readonly start: number;
  readonly length: number;
}

export interface WritePointerCommand {
  readonly kind: 'write-pointer';
  readonly dest: string;
  readonly src: string;
  readonly dstOffset: number;
  readonly srcOffset: number;
  readonly size: PointerSize;
}

export type LoaderCommand = AllocateCommand | AddPointerCommand | AddChecksumCommand | WritePointerCommand;

/** Field offsets inside one entry. */
const AT = {
  command: 0,
  name1: 4,
  name2: 4 + LOADER_FILE_NAME_SIZE,
  alloc: { align: 60, zone: 64 },
  pointer: { offset: 116, size: 120 },
  checksum: { offset: 60, start: 64, length: 68 },
  writePointer: { dstOffset: 116, srcOffset: 120, size: 124 },
} as const;

function putName(view: DataView, at: number, name: string): void {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length === 0 || bytes.length >= LOADER_FILE_NAME_SIZE) {
    throw new Error(`fw_cfg file name '${name}' must be 1 to ${LOADER_FILE_NAME_SIZE - 1} bytes`);
  }
  for (let i = 0; i < bytes.length; i++) view.setUint8(at + i, bytes[i]!);
}

function getName(bytes: Uint8Array, at: number): string {
  const field = bytes.subarray(at, at + LOADER_FILE_NAME_SIZE);
  const end = field.indexOf(0);
  return new TextDecoder().decode(field.subarray(0, end < 0 ? field.length : end));
}

function checkU32(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new Error(`table-loader ${what} ${n} is not a u32`);
}

/** One command as its 128-byte entry. */
export function encodeCommand(cmd: LoaderCommand): Uint8Array {
  const out = new Uint8Array(LOADER_ENTRY_SIZE);
  const v = new DataView(out.buffer);
  switch (cmd.kind) {
    case 'allocate':
      if (cmd.align <= 0 || (cmd.align & (cmd.align - 1)) !== 0) throw new Error(`ALLOCATE alignment ${cmd.align} is not a power of two`);
      v.setUint32(AT.command, LoaderCommandCode.allocate, true);
      putName(v, AT.name1, cmd.file);
      v.setUint32(AT.alloc.align, cmd.align, true);
      v.setUint8(AT.alloc.zone, ALLOC_ZONE_CODE[cmd.zone]);
      break;
    case 'add-pointer':
      checkU32(cmd.offset, 'pointer offset');
      v.setUint32(AT.command, LoaderCommandCode.addPointer, true);
      putName(v, AT.name1, cmd.dest);
      putName(v, AT.name2, cmd.src);
      v.setUint32(AT.pointer.offset, cmd.offset, true);
      v.setUint8(AT.pointer.size, cmd.size);
      break;
    case 'add-checksum':
      for (const k of ['offset', 'start', 'length'] as const) checkU32(cmd[k], `checksum ${k}`);
      v.setUint32(AT.command, LoaderCommandCode.addChecksum, true);
      putName(v, AT.name1, cmd.file);
      v.setUint32(AT.checksum.offset, cmd.offset, true);
      v.setUint32(AT.checksum.start, cmd.start, true);
      v.setUint32(AT.checksum.length, cmd.length, true);
      break;
    case 'write-pointer':
      checkU32(cmd.dstOffset, 'write-pointer dst_offset');
      checkU32(cmd.srcOffset, 'write-pointer src_offset');
      v.setUint32(AT.command, LoaderCommandCode.writePointer, true);
      putName(v, AT.name1, cmd.dest);
      putName(v, AT.name2, cmd.src);
      v.setUint32(AT.writePointer.dstOffset, cmd.dstOffset, true);
      v.setUint32(AT.writePointer.srcOffset, cmd.srcOffset, true);
      v.setUint8(AT.writePointer.size, cmd.size);
      break;
  }
  return out;
}

/** The whole `etc/table-loader` file: the entries, zero-padded to a multiple of 4 KiB. */
export function encodeLoader(commands: readonly LoaderCommand[]): Uint8Array {
  const used = commands.length * LOADER_ENTRY_SIZE;
  const size = Math.max(LOADER_BLOB_ALIGN, Math.ceil(used / LOADER_BLOB_ALIGN) * LOADER_BLOB_ALIGN);
  const out = new Uint8Array(size);
  commands.forEach((c, i) => out.set(encodeCommand(c), i * LOADER_ENTRY_SIZE));
  return out;
}

/**
 * Reads a table-loader file back into commands (padding and unknown commands
 * are dropped, as firmware skips them). Throws on a size that is not a
 * multiple of the entry size, which firmware rejects too.
 */
export function decodeLoader(bytes: Uint8Array): LoaderCommand[] {
  if (bytes.length % LOADER_ENTRY_SIZE !== 0) throw new Error(`table-loader size ${bytes.length} is not a multiple of ${LOADER_ENTRY_SIZE}`);
  const out: LoaderCommand[] = [];
  for (let at = 0; at < bytes.length; at += LOADER_ENTRY_SIZE) {
    const e = bytes.subarray(at, at + LOADER_ENTRY_SIZE);
    const v = new DataView(e.buffer, e.byteOffset, e.byteLength);
    const code = v.getUint32(AT.command, true);
    if (code === LoaderCommandCode.allocate) {
      const zone = v.getUint8(AT.alloc.zone);
      out.push({ kind: 'allocate', file: getName(e, AT.name1), align: v.getUint32(AT.alloc.align, true), zone: zone === 2 ? 'fseg' : 'high' });
    } else if (code === LoaderCommandCode.addPointer) {
      out.push({
        kind: 'add-pointer', dest: getName(e, AT.name1), src: getName(e, AT.name2),
        offset: v.getUint32(AT.pointer.offset, true), size: v.getUint8(AT.pointer.size) as PointerSize,
      });
    } else if (code === LoaderCommandCode.addChecksum) {
      out.push({
        kind: 'add-checksum', file: getName(e, AT.name1),
        offset: v.getUint32(AT.checksum.offset, true), start: v.getUint32(AT.checksum.start, true), length: v.getUint32(AT.checksum.length, true),
      });
    } else if (code === LoaderCommandCode.writePointer) {
      out.push({
        kind: 'write-pointer', dest: getName(e, AT.name1), src: getName(e, AT.name2),
        dstOffset: v.getUint32(AT.writePointer.dstOffset, true), srcOffset: v.getUint32(AT.writePointer.srcOffset, true),
        size: v.getUint8(AT.writePointer.size) as PointerSize,
      });
    }
  }
  return out;
}

/** One line per command, for listings and test failure messages. */
export function formatCommand(c: LoaderCommand): string {
  const hex = (n: number) => `0x${n.toString(16)}`;
  switch (c.kind) {
    case 'allocate':
      return `ALLOCATE ${c.file} align ${c.align} zone ${c.zone}`;
    case 'add-pointer':
      return `ADD_POINTER ${c.dest}+${hex(c.offset)} (${c.size} B) += &${c.src}`;
    case 'add-checksum':
      return `ADD_CHECKSUM ${c.file}+${hex(c.offset)} over [${hex(c.start)}, +${hex(c.length)})`;
    case 'write-pointer':
      return `WRITE_POINTER ${c.dest}+${hex(c.dstOffset)} (${c.size} B) = &${c.src}+${hex(c.srcOffset)}`;
  }
}
