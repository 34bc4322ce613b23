/**
 * The x86 port IO space: 64 KiB of ports, dispatched through a table with
 * one entry per port (an index into the registered ranges), so a lookup is
 * one array read. As on QEMU (softmmu/physmem.c flatview_read_continue),
 * an access goes to the range that owns its first port, whole, even where
 * it runs past that range's end (an `outl` to 0xcf8 reaches CONFIG_ADDRESS
 * even though 0xcf9 belongs to the reset control register; an `outw` to
 * ELCR1 at 0x4d0 gives ELCR1 both bytes); only an access that is not
 * naturally aligned within its range is split into aligned pieces, each
 * dispatched on its own (an `inl` at 0x511 reads fw_cfg's data byte, then
 * whatever owns 0x512, 0x513 and 0x514), unless the range takes unaligned
 * accesses (QEMU's port lists: VGA, VBE, the parallel port). Overlapping ranges: the higher
 * priority, then the later registration, owns a port. Unclaimed reads
 * return all ones; unclaimed writes are dropped. Ports wrap at 0x10000.
 */
import type { RegionHandler, Width } from './types.js';

export interface IoRange {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly priority: number;
  readonly handler: RegionHandler;
  /** Unaligned accesses reach the handler whole (QEMU's portio lists); otherwise they are split into aligned pieces. */
  readonly unaligned: boolean;
}

export const IO_SPACE_SIZE = 0x1_0000;

export class PortIoSpace {
  /** Owner of each port: index into `ranges` plus one; 0 = nobody. */
  private readonly owner = new Uint16Array(IO_SPACE_SIZE);
  private readonly ranges: (IoRange | undefined)[] = [];
  private readonly seq = new Map<IoRange, number>();
  private nextSeq = 0;

  map(name: string, base: number, size: number, handler: RegionHandler, priority = 0, unaligned = false): IoRange {
    const range: IoRange = { name, base: base & 0xffff, size: Math.min(size, IO_SPACE_SIZE), priority, handler, unaligned };
    let slot = this.ranges.indexOf(undefined);
    if (slot < 0) {
      slot = this.ranges.length;
      this.ranges.push(range);
    } else this.ranges[slot] = range;
    if (slot + 1 > 0xffff) throw new RangeError('too many IO ranges');
    this.seq.set(range, this.nextSeq++);
    for (let i = 0; i < range.size; i++) {
      const port = (range.base + i) & 0xffff;
      const cur = this.owner[port]! ? this.ranges[this.owner[port]! - 1]! : undefined;
      if (!cur || this.wins(range, cur)) this.owner[port] = slot + 1;
    }
    return range;
  }

  unmap(range: IoRange): void {
    const slot = this.ranges.indexOf(range);
    if (slot < 0) return;
    this.ranges[slot] = undefined;
    this.seq.delete(range);
    for (let i = 0; i < range.size; i++) {
      const port = (range.base + i) & 0xffff;
      if (this.owner[port] !== slot + 1) continue;
      // The next best range that covers the port, if any.
      let best = 0;
      for (let r = 0; r < this.ranges.length; r++) {
        const c = this.ranges[r];
        if (!c || !covers(c, port)) continue;
        if (best === 0 || this.wins(c, this.ranges[best - 1]!)) best = r + 1;
      }
      this.owner[port] = best;
    }
  }

  /** The range that owns a port, if any. */
  find(port: number): IoRange | undefined {
    const o = this.owner[port & 0xffff]!;
    return o ? this.ranges[o - 1] : undefined;
  }

  list(): readonly IoRange[] {
    return this.ranges.filter((r): r is IoRange => r !== undefined).sort((a, b) => a.base - b.base || a.name.localeCompare(b.name));
  }

  read(port: number, width: Width): number {
    const p = port & 0xffff;
    const o = this.owner[p]!;
    if (o === 0) return width === 1 ? 0xff : this.readPieces(p, width, 1);
    const r = this.ranges[o - 1]!;
    const off = (p - r.base) & 0xffff;
    const piece = r.unaligned ? width : alignedPiece(off, width);
    // Like QEMU, the value is cut to the access size whatever the handler returned.
    if (piece === width) return width === 4 ? r.handler.read(off, width) >>> 0 : r.handler.read(off, width) & ((1 << (8 * width)) - 1);
    return this.readPieces(p, width, piece);
  }

  write(port: number, width: Width, value: number): void {
    const p = port & 0xffff;
    const o = this.owner[p]!;
    const r = o === 0 ? undefined : this.ranges[o - 1]!;
    const off = r ? (p - r.base) & 0xffff : p;
    const piece = r?.unaligned ? width : alignedPiece(off, width);
    if (r && piece === width) {
      r.handler.write(off, width, value >>> 0);
      return;
    }
    if (r) r.handler.write(off, piece as Width, piece === 4 ? value >>> 0 : value & ((1 << (8 * piece)) - 1));
    else if (width === 1) return;
    this.writeRest(p + piece, width - piece, value >>> (8 * piece));
  }

  /** The first `first` bytes as one access, then the rest dispatched on their own. */
  private readPieces(p: number, width: Width, first: number): number {
    const o = this.owner[p]!;
    let v: number;
    if (o === 0) v = first === 4 ? 0xffff_ffff : (1 << (8 * first)) - 1;
    else {
      const r = this.ranges[o - 1]!;
      v = r.handler.read((p - r.base) & 0xffff, first as Width) & (first === 4 ? 0xffff_ffff : (1 << (8 * first)) - 1);
    }
    let at = first;
    while (at < width) {
      const n = pow2floor(width - at);
      v |= this.read(p + at, n as Width) << (8 * at);
      at += n;
    }
    return v >>> 0;
  }

  private writeRest(p: number, len: number, value: number): void {
    let at = 0;
    while (at < len) {
      const n = pow2floor(len - at);
      this.write(p + at, n as Width, n === 4 ? value >>> 0 : (value >>> (8 * at)) & ((1 << (8 * n)) - 1));
      at += n;
    }
  }

  private wins(a: IoRange, b: IoRange): boolean {
    return a.priority > b.priority || (a.priority === b.priority && this.seq.get(a)! > this.seq.get(b)!);
  }
}

/** The largest naturally aligned access at `off` within `width` (QEMU memory_access_size). */
function alignedPiece(off: number, width: number): number {
  if (off === 0) return width;
  return Math.min(width, off & -off);
}

function pow2floor(n: number): number {
  return n >= 4 ? 4 : n >= 2 ? 2 : 1;
}

function covers(r: IoRange, port: number): boolean {
  return ((port - r.base) & 0xffff) < r.size;
}
