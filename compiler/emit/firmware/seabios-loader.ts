/**
 * What SeaBIOS 1.16.2 does with `etc/table-loader` (src/fw/romfile_loader.c
 * romfile_loader_execute), replayed over in-memory files: allocate each file
 * in its zone and copy it there, add allocation addresses into pointer
 * fields, and fix up checksums. Entries firmware would refuse (bad names,
 * fields out of bounds, unknown files) are reported instead of skipped
 * silently. `build` runs it as a self-check, tests use it to check the result
 * and to relocate tables to where a real boot put them.
 */
import { decodeLoader, formatCommand, type AllocZone, type LoaderCommand } from './loader.js';

export interface LoadedFile {
  readonly name: string;
  readonly address: number;
  /** The file as it ends up in guest memory. */
  readonly data: Uint8Array;
}

export interface LoaderRun {
  readonly files: ReadonlyMap<string, LoadedFile>;
  readonly errors: readonly string[];
}

/** Chooses where a file goes; the default imitates SeaBIOS's zones. */
export type Allocator = (file: string, size: number, align: number, zone: AllocZone) => number;

/**
 * SeaBIOS-like placement: ZoneHigh hands out memory from the top of a region
 * below the top of low RAM, the F-segment from 0xf0000 upwards. Minimum
 * alignment 16 (MALLOC_MIN_ALIGN).
 */
export function seabiosAllocator(highTop = 0x2000_0000, fsegBase = 0xf_0000): Allocator {
  let top = highTop;
  let fseg = fsegBase;
  return (_file, size, align, zone) => {
    const a = Math.max(align, 16);
    if (zone === 'high') {
      top = Math.floor((top - size) / a) * a;
      return top;
    }
    const at = Math.ceil(fseg / a) * a;
    fseg = at + size;
    return at;
  };
}

/** Runs a loader script (bytes or decoded) over the fw_cfg files it names. */
export function runTableLoader(
  script: Uint8Array | readonly LoaderCommand[],
  fwCfg: ReadonlyMap<string, Uint8Array>,
  allocate: Allocator = seabiosAllocator(),
): LoaderRun {
  const commands = script instanceof Uint8Array ? decodeLoader(script) : script;
  const files = new Map<string, LoadedFile>();
  const errors: string[] = [];
  const fail = (c: LoaderCommand, why: string) => errors.push(`${formatCommand(c)}: ${why}`);
  for (const c of commands) {
    switch (c.kind) {
      case 'allocate': {
        if (c.align <= 0 || (c.align & (c.align - 1)) !== 0) {
          fail(c, 'alignment is not a power of two');
          break;
        }
        const src = fwCfg.get(c.file);
        if (!src || src.length === 0) {
          fail(c, 'no such fw_cfg file (firmware skips it)');
          break;
        }
        const address = allocate(c.file, src.length, c.align, c.zone);
        files.set(c.file, { name: c.file, address, data: Uint8Array.from(src) });
        break;
      }
      case 'add-pointer': {
        const dest = files.get(c.dest);
        const src = files.get(c.src);
        if (!dest || !src) {
          fail(c, `file not allocated: ${!dest ? c.dest : c.src}`);
          break;
        }
        if (![1, 2, 4, 8].includes(c.size) || c.offset + c.size > dest.data.length) {
          fail(c, 'pointer field out of bounds');
          break;
        }
        let value = 0n;
        for (let i = c.size - 1; i >= 0; i--) value = (value << 8n) | BigInt(dest.data[c.offset + i]!);
        value = (value + BigInt(src.address)) & ((1n << BigInt(c.size * 8)) - 1n);
        for (let i = 0; i < c.size; i++) dest.data[c.offset + i] = Number((value >> BigInt(8 * i)) & 0xffn);
        break;
      }
      case 'add-checksum': {
        const f = files.get(c.file);
        if (!f) {
          fail(c, 'file not allocated');
          break;
        }
        if (c.offset >= f.data.length || c.start + c.length > f.data.length) {
          fail(c, 'checksum range out of bounds');
          break;
        }
        f.data[c.offset] = (f.data[c.offset]! - byteSum(f.data.subarray(c.start, c.start + c.length))) & 0xff;
        break;
      }
      case 'write-pointer':
        // Writes go back to QEMU through the fw_cfg DMA interface; nothing lands in guest memory.
        if (!files.get(c.src)) fail(c, 'source file not allocated');
        break;
    }
  }
  return { files, errors };
}

export function byteSum(bytes: Uint8Array): number {
  // An indexed loop: for-of over a typed array is many times slower in code that runs once.
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!;
  return s & 0xff;
}
