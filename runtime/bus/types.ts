/**
 * What every address space dispatches to: a region handler sees offsets
 * from the start of its region and accesses of 1, 2 or 4 bytes (8-byte MMIO
 * accesses arrive as two 4-byte ones, low half first). Values are unsigned.
 */
export type Width = 1 | 2 | 4;

export interface RegionHandler {
  read(offset: number, width: Width): number;
  write(offset: number, width: Width, value: number): void;
  /**
   * Plain bytes behind the region, for regions that are memory rather than
   * registers (ROM): byte `offset` of the region is `direct.bytes[offset]`.
   * A CPU may then read (and, if `writable`, write) them without calling the
   * handler.
   */
  readonly direct?: { readonly bytes: Uint8Array; readonly writable: boolean };
}

/** Read-only memory: reads return the image (zeros past its end), writes are dropped. The CPU may read it directly. */
export class RomRegion implements RegionHandler {
  readonly direct: { readonly bytes: Uint8Array; readonly writable: boolean };
  private readonly view: DataView;

  /** `size` (a whole number of pages) holds `image` at its start. */
  constructor(image: Uint8Array, size = image.length) {
    const bytes = new Uint8Array(size);
    bytes.set(image.subarray(0, size));
    this.direct = { bytes, writable: false };
    this.view = new DataView(bytes.buffer);
  }

  get bytes(): Uint8Array {
    return this.direct.bytes;
  }

  read(offset: number, width: Width): number {
    const b = this.direct.bytes;
    if (offset < 0 || offset + width > b.length) return 0;
    if (width === 4) return this.view.getUint32(offset, true);
    if (width === 2) return this.view.getUint16(offset, true);
    return b[offset]!;
  }

  write(): void {}
}

/** A view of `size` bytes of another region from `offset` on (QEMU's memory region alias). */
export class AliasRegion implements RegionHandler {
  readonly direct: { readonly bytes: Uint8Array; readonly writable: boolean } | undefined;

  constructor(
    private readonly target: RegionHandler,
    private readonly offset: number,
    size: number,
  ) {
    const d = target.direct;
    this.direct = d ? { bytes: d.bytes.subarray(offset, offset + size), writable: d.writable } : undefined;
  }

  read(offset: number, width: Width): number {
    return this.target.read(this.offset + offset, width);
  }

  write(offset: number, width: Width, value: number): void {
    this.target.write(this.offset + offset, width, value);
  }
}

/**
 * The byte-lane and 8-byte helpers address spaces share: an access that
 * straddles regions is split into bytes, and an 8-byte access is two 4-byte
 * ones, low dword first.
 */
export const split = {
  readBytes(h: RegionHandler, addr: number, width: Width): number {
    let v = 0;
    for (let i = 0; i < width; i++) v |= h.read(addr + i, 1) << (8 * i);
    return v >>> 0;
  },
  writeBytes(h: RegionHandler, addr: number, width: Width, value: number): void {
    for (let i = 0; i < width; i++) h.write(addr + i, 1, (value >>> (8 * i)) & 0xff);
  },
  read64(h: RegionHandler, addr: number): bigint {
    const lo = h.read(addr, 4);
    const hi = h.read(addr + 4, 4);
    return (BigInt(hi) << 32n) | BigInt(lo);
  },
  write64(h: RegionHandler, addr: number, value: bigint): void {
    h.write(addr, 4, Number(value & 0xffff_ffffn));
    h.write(addr + 4, 4, Number((value >> 32n) & 0xffff_ffffn));
  },
};

/** All ones for an access of `width` bytes: what an unclaimed read returns. */
export function allOnes(width: number): number {
  return width >= 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
}

/**
 * Registers a byte wide (QEMU's `.impl.max_access_size = 1`): a wider access
 * is that many byte accesses at consecutive offsets, lowest first.
 */
export function byteRegisters(readByte: (offset: number) => number, writeByte: (offset: number, value: number) => void): RegionHandler {
  return {
    read(offset: number, width: Width): number {
      let v = 0;
      for (let i = 0; i < width; i++) v |= (readByte(offset + i) & 0xff) << (8 * i);
      return v >>> 0;
    },
    write(offset: number, width: Width, value: number): void {
      for (let i = 0; i < width; i++) writeByte(offset + i, (value >>> (8 * i)) & 0xff);
    },
  };
}

/** A handler that reads zeros and ignores writes (a BAR whose registers are not modelled). */
export const ZERO_REGION: RegionHandler = {
  read: () => 0,
  write: () => undefined,
};

/** Reads and writes a byte array as little-endian registers (RAM-like device memory). */
export class ByteRegion implements RegionHandler {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  read(offset: number, width: Width): number {
    if (offset < 0 || offset + width > this.bytes.length) return 0;
    if (width === 4) return this.view.getUint32(offset, true);
    if (width === 2) return this.view.getUint16(offset, true);
    return this.bytes[offset]!;
  }

  write(offset: number, width: Width, value: number): void {
    if (offset < 0 || offset + width > this.bytes.length) return;
    if (width === 4) this.view.setUint32(offset, value >>> 0, true);
    else if (width === 2) this.view.setUint16(offset, value & 0xffff, true);
    else this.bytes[offset] = value;
  }
}

/**
 * A BAR region built from sub-regions (e.g. device registers, then the MSI-X
 * table and PBA): each access goes to the sub-region that holds its first byte.
 */
export class CompositeRegion implements RegionHandler {
  private readonly parts: { base: number; size: number; handler: RegionHandler }[] = [];

  add(base: number, size: number, handler: RegionHandler): this {
    this.parts.push({ base, size, handler });
    this.parts.sort((a, b) => a.base - b.base);
    return this;
  }

  read(offset: number, width: Width): number {
    for (const p of this.parts) if (offset >= p.base && offset + width <= p.base + p.size) return p.handler.read(offset - p.base, width);
    return 0;
  }

  write(offset: number, width: Width, value: number): void {
    for (const p of this.parts) if (offset >= p.base && offset + width <= p.base + p.size) return p.handler.write(offset - p.base, width, value);
  }
}
