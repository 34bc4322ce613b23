/**
 * Block backends: what a storage device model (AHCI port, virtio-blk, an
 * NVMe namespace) reads and writes sectors through.
 *
 * I/O is synchronous. The CPU runs in slices and devices act when the guest
 * touches their registers; a request is carried out completely inside the
 * register access that submits it (a doorbell, a command-issue bit, a queue
 * notify) and its completion (status, interrupt) is visible before the next
 * guest instruction. Nothing depends on the host's scheduling, so a run is
 * the same every time in virtual time, and a guest's polling loops see the
 * work done on their first look, which is also what they see on QEMU at
 * the speed they run there (QEMU's thread pool finishes a 512-byte read of a
 * cached image long before TCG executes the next poll).
 *
 * Images are never modified unless the machine says so:
 * - `read-only`: the guest sees a write-protected medium; writes fail.
 * - `overlay` (the default for writable drives): the guest writes, but into
 *   an in-memory overlay of 4 KiB blocks in front of the image; the image
 *   file is opened read-only and stays as it was.
 * - `write-through`: writes go to the image file (opened read-write).
 *
 * qcow2 images are read by ./qcow2.ts (read-only: always behind the overlay
 * unless the drive is read-only).
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

export const SECTOR_SIZE = 512;

/** How a drive's writes are handled. */
export type DriveMode = 'read-only' | 'overlay' | 'write-through';

/**
 * Sector storage as devices see it: byte offsets and lengths (devices keep
 * them sector-aligned). A failed call (out of range, host I/O error, a write
 * to a read-only drive) returns false and leaves nothing half-done that the
 * guest could read back as success; devices turn it into their own error
 * status.
 */
export interface BlockBackend {
  /** Size in bytes. */
  readonly size: number;
  /** Writes fail (the guest should see a write-protected medium). */
  readonly readOnly: boolean;
  read(offset: number, into: Uint8Array): boolean;
  write(offset: number, data: Uint8Array): boolean;
  /** Makes completed writes durable (fsync for write-through files). */
  flush(): boolean;
}

function inRange(b: { size: number }, offset: number, length: number): boolean {
  return Number.isSafeInteger(offset) && offset >= 0 && length >= 0 && offset + length <= b.size;
}

/** An image held in memory (tests, scratch disks). */
export class MemoryBlockBackend implements BlockBackend {
  readonly bytes: Uint8Array;
  constructor(
    bytesOrSize: Uint8Array | number,
    readonly readOnly = false,
  ) {
    this.bytes = typeof bytesOrSize === 'number' ? new Uint8Array(bytesOrSize) : bytesOrSize;
  }

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, into: Uint8Array): boolean {
    if (!inRange(this, offset, into.length)) return false;
    into.set(this.bytes.subarray(offset, offset + into.length));
    return true;
  }

  write(offset: number, data: Uint8Array): boolean {
    if (this.readOnly || !inRange(this, offset, data.length)) return false;
    this.bytes.set(data, offset);
    return true;
  }

  flush(): boolean {
    return true;
  }
}

/** A raw image file, read with positioned reads; writable only when opened `write-through`. */
export class RawFileBackend implements BlockBackend {
  readonly size: number;
  private fd: number | undefined;

  /** Opens `path` (throws the host's error when it cannot be opened; callers report it). */
  constructor(
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    const fd = openSync(path, readOnly ? 'r' : 'r+');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error(`${path} is not a regular file`);
      this.size = st.size;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.fd = fd;
  }

  read(offset: number, into: Uint8Array): boolean {
    if (this.fd === undefined || !inRange(this, offset, into.length)) return false;
    try {
      let done = 0;
      while (done < into.length) {
        const n = readSync(this.fd, into, done, into.length - done, offset + done);
        if (n <= 0) return false;
        done += n;
      }
      return true;
    } catch {
      return false;
    }
  }

  write(offset: number, data: Uint8Array): boolean {
    if (this.readOnly || this.fd === undefined || !inRange(this, offset, data.length)) return false;
    try {
      let done = 0;
      while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, offset + done);
      return true;
    } catch {
      return false;
    }
  }

  flush(): boolean {
    if (this.fd === undefined) return false;
    if (this.readOnly) return true;
    try {
      fsyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

const OVERLAY_BLOCK = 4096;

/**
 * Copy-on-write in memory in front of a read-only base: written 4 KiB blocks
 * live in a map, everything else is read from the base. The base is never
 * written.
 */
export class OverlayBackend implements BlockBackend {
  readonly readOnly = false;
  private readonly blocks = new Map<number, Uint8Array>();

  constructor(readonly base: BlockBackend) {}

  get size(): number {
    return this.base.size;
  }

  /** Blocks the guest has written (for tests and summaries). */
  get dirtyBlocks(): number {
    return this.blocks.size;
  }

  read(offset: number, into: Uint8Array): boolean {
    return this.eachBlock(offset, into.length, (index, inBlock, at, n) => {
      const block = this.blocks.get(index);
      if (!block) return this.base.read(offset + at, into.subarray(at, at + n));
      into.set(block.subarray(inBlock, inBlock + n), at);
      return true;
    });
  }

  write(offset: number, data: Uint8Array): boolean {
    return this.eachBlock(offset, data.length, (index, inBlock, at, n) => {
      let block = this.blocks.get(index);
      if (!block) {
        // The last block of an image whose size is not a multiple of 4 KiB is partial.
        const start = index * OVERLAY_BLOCK;
        block = new Uint8Array(OVERLAY_BLOCK);
        if (!this.base.read(start, block.subarray(0, Math.min(OVERLAY_BLOCK, this.size - start)))) return false;
        this.blocks.set(index, block);
      }
      block.set(data.subarray(at, at + n), inBlock);
      return true;
    });
  }

  /** Splits [offset, offset + length) at 4 KiB blocks: (block index, offset in it, offset in the buffer, bytes). */
  private eachBlock(offset: number, length: number, piece: (index: number, inBlock: number, at: number, n: number) => boolean): boolean {
    if (!inRange(this, offset, length)) return false;
    for (let at = 0; at < length; ) {
      const pos = offset + at;
      const index = Math.floor(pos / OVERLAY_BLOCK);
      const inBlock = pos - index * OVERLAY_BLOCK;
      const n = Math.min(length - at, OVERLAY_BLOCK - inBlock);
      if (!piece(index, inBlock, at, n)) return false;
      at += n;
    }
    return true;
  }

  flush(): boolean {
    return true;
  }
}

/** CHS geometry QEMU guesses for a disk without one (hd_geometry_guess, no partition table hint: LBA-assisted 16 heads, 63 sectors). */
export function diskGeometry(sectors: number): { cylinders: number; heads: number; sectors: number } {
  const cylinders = Math.max(1, Math.min(16383, Math.floor(sectors / (16 * 63))));
  return { cylinders, heads: 16, sectors: 63 };
}

/** What the machine file says about a drive (DriveDesc): the image, its format, read-only. */
export interface DriveSpec {
  /** Path of the image: relative to the machine file's folder, or absolute. */
  readonly image: string;
  readonly format: 'raw' | 'qcow2';
  readonly readonly: boolean;
}
